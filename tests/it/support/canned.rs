//! `Canned`: a raw TCP server for what no HTTP server library (nor the simulated server)
//! would say: a reply cut off before any answer, a TLS handshake met with plain HTTP, an
//! absurd `Retry-After`. And a loopback port where nothing listens.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// A TCP server that answers each connection's first request with the next of `replies` (the
/// last one repeated) and hangs up, counting connections. Raw bytes, so it can say what no
/// HTTP library would (and be spoken TLS to).
pub struct Canned {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl Canned {
    pub fn start(replies: Vec<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let reply = replies
                    .get(n)
                    .or(replies.last())
                    .cloned()
                    .unwrap_or_default();
                thread::spawn(move || answer(stream, &reply));
            }
        });
        Self { addr, accepted }
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn answer(mut stream: TcpStream, reply: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    // Until the end of an HTTP head, or whatever a TLS client says first.
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
        if seen.first() == Some(&0x16) {
            break;
        }
    }
    let _ = stream.write_all(reply.as_bytes());
}

/// An HTTP/1.1 answer with no body that closes its connection.
pub fn http(status_line: &str, headers: &[(&str, &str)]) -> String {
    let mut text = format!("HTTP/1.1 {status_line}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("content-length: 0\r\nconnection: close\r\n\r\n");
    text
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address")
}
