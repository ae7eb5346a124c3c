//! Feeding the importer, for `import.rs` and `import_records.rs`: a reader that hands out its
//! text a few bytes at a time (what is read must not depend on where the reads split it), and
//! the real binary under a data limit fed a run of bytes far longer than that limit.

pub struct Pieces<'a> {
    pub text: &'a [u8],
    pub piece: usize,
}

impl std::io::Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.piece.min(buf.len()).min(self.text.len());
        buf[..n].copy_from_slice(&self.text[..n]);
        self.text = &self.text[n..];
        Ok(n)
    }
}

/// Memory for the whole process, far less than the run of bytes it is fed.
#[cfg(target_os = "linux")]
pub const DATA_LIMIT_KB: u64 = 32 * 1024;
#[cfg(target_os = "linux")]
pub const LONG_RUN: usize = 64 << 20;

/// The binary with `args`, in a fresh `Sandbox`, under
/// `ulimit -d DATA_LIMIT_KB`, fed `before`, `LONG_RUN` bytes of `x`, then `after` on its
/// standard input.
#[cfg(target_os = "linux")]
pub fn fed_a_long_run(args: &[&str], before: String, after: String) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::sandbox::{BIN, Sandbox};

    let sandbox = Sandbox::new();
    let mut child = Command::new("sh")
        .env_clear()
        .envs(sandbox.environment())
        .arg("-c")
        .arg(format!("ulimit -d {DATA_LIMIT_KB} && exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(sandbox.location_args())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let block = vec![b'x'; 1 << 20];
        // The child may die of the limit mid-way (as it did before): stop writing then.
        let _ = stdin.write_all(before.as_bytes());
        for _ in 0..LONG_RUN / block.len() {
            if stdin.write_all(&block).is_err() {
                return;
            }
        }
        let _ = stdin.write_all(after.as_bytes());
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    output
}
