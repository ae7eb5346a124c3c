//! The simulated server over HTTPS: `SimTls` (a certificate and its key, as PEM) and
//! `TlsListener`, which accepts TCP connections, completes their TLS handshakes concurrently
//! and hands the finished streams to axum, offering HTTP/2 and HTTP/1.1 by ALPN. It counts
//! connections through the callback it is given; it never decides an answer, and the client
//! side's trust is not its business (clients trust the certificate the usual way, e.g.
//! `SSL_CERT_FILE`).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A handshake that has not finished in this long is dropped (a client that connected and
/// went quiet must not hold a task forever).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's certificate chain and private key, PEM-encoded, as files hold them.
#[derive(Clone)]
pub struct SimTls {
    cert_chain_pem: Vec<u8>,
    key_pem: Vec<u8>,
}

impl SimTls {
    pub fn from_pem(cert_chain_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> Self {
        Self {
            cert_chain_pem: cert_chain_pem.into(),
            key_pem: key_pem.into(),
        }
    }

    /// Reads both files; an error names the file.
    pub fn read(cert_chain: &Path, key: &Path) -> io::Result<Self> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|error| {
                io::Error::new(error.kind(), format!("{}: {error}", path.display()))
            })
        };
        Ok(Self::from_pem(read(cert_chain)?, read(key)?))
    }

    /// The rustls server setup: this certificate, ALPN `h2` then `http/1.1`.
    pub(super) fn server_config(&self) -> io::Result<Arc<ServerConfig>> {
        let invalid = |what: &str, error: &dyn fmt::Display| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("{what}: {error}"))
        };
        let chain = CertificateDer::pem_slice_iter(&self.cert_chain_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| invalid("the TLS certificate", &error))?;
        if chain.is_empty() {
            return Err(invalid("the TLS certificate", &"no certificate in it"));
        }
        let key = PrivateKeyDer::from_pem_slice(&self.key_pem)
            .map_err(|error| invalid("the TLS key", &error))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| invalid("the TLS setup", &error))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|error| invalid("the TLS certificate and key", &error))?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

impl fmt::Debug for SimTls {
    /// The key stays out of it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimTls").finish_non_exhaustive()
    }
}

/// Accepts TCP, shakes hands in the background, and yields finished TLS streams to axum.
pub(super) struct TlsListener {
    local_addr: SocketAddr,
    ready: mpsc::UnboundedReceiver<(TlsStream<TcpStream>, SocketAddr)>,
    accepting: JoinHandle<()>,
}

impl TlsListener {
    /// `connected` is called once per TCP connection accepted, before its handshake.
    pub(super) fn new(
        tcp: TcpListener,
        config: Arc<ServerConfig>,
        connected: impl Fn() + Send + 'static,
    ) -> io::Result<Self> {
        let local_addr = tcp.local_addr()?;
        let (sender, ready) = mpsc::unbounded_channel();
        let acceptor = TlsAcceptor::from(config);
        let accepting = tokio::spawn(accept_loop(tcp, acceptor, sender, connected));
        Ok(Self {
            local_addr,
            ready,
            accepting,
        })
    }
}

impl Drop for TlsListener {
    /// Stops accepting; handshakes still under way are dropped with the loop.
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(accepted) => accepted,
            // The loop only ends when aborted, which only `drop` does.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local_addr)
    }
}

async fn accept_loop(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    ready: mpsc::UnboundedSender<(TlsStream<TcpStream>, SocketAddr)>,
    connected: impl Fn(),
) {
    let mut handshakes = JoinSet::new();
    loop {
        tokio::select! {
            accepted = tcp.accept() => match accepted {
                Ok((stream, peer)) => {
                    connected();
                    let acceptor = acceptor.clone();
                    let ready = ready.clone();
                    handshakes.spawn(async move {
                        let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                        // A failed handshake is the client's business (it sees the alert).
                        if let Ok(Ok(tls)) = handshake.await {
                            // Only fails once axum stopped accepting: the stream just closes.
                            let _ = ready.send((tls, peer));
                        }
                    });
                }
                // Out of file descriptors and the like: wait a moment, as axum does.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = handshakes.join_next() => {}
        }
    }
}
