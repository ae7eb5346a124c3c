//! A pseudo-terminal pair whose descriptors are close-on-exec from the moment they exist.
//!
//! `portable-pty` opened its pair with `openpty(3)` and set close-on-exec a few calls later;
//! a process another test spawned in that window kept this terminal's master side open, so
//! closing it no longer hung the app up (CI saw `hang_up` wait 20 s for an app that never
//! got its SIGHUP). Here every descriptor is opened with `O_CLOEXEC`, and the child gets the
//! terminal only as its standard streams, through `setsid --ctty` (util-linux), which makes
//! it the leader of a new session with this terminal as its controlling one.

use std::fs::{File, OpenOptions};
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::process::{Command, Stdio};

use rustix::fs::OFlags;
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};

/// The master side of a pseudo-terminal; the slave side goes to the child.
pub struct Master {
    fd: OwnedFd,
}

impl Master {
    /// Opens a terminal of `rows` x `cols` and starts `cmd` on its slave side (standard
    /// input, output and error). `cmd` must come from `Sandbox::on_pty` (`setsid --ctty`).
    pub fn spawn(mut cmd: Command, rows: u16, cols: u16) -> (Self, std::process::Child) {
        let fd = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
            .expect("open /dev/ptmx");
        grantpt(&fd).expect("grantpt");
        unlockpt(&fd).expect("unlockpt");
        let master = Self { fd };
        master.resize(rows, cols);
        let name = ptsname(&master.fd, Vec::new()).expect("ptsname");
        let name = name.to_str().expect("UTF-8 pty name");
        // std opens with O_CLOEXEC: only the child's dup2 copies outlive its exec.
        let slave = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(OFlags::NOCTTY.bits() as i32)
            .open(name)
            .expect("open the pty's slave side");
        let stream = |file: &File| Stdio::from(file.try_clone().expect("dup the slave"));
        let child = cmd
            .stdin(stream(&slave))
            .stdout(stream(&slave))
            .stderr(stream(&slave))
            .spawn()
            .expect("spawn on the pty");
        // The command keeps its copies of the slave side until it goes; with any copy left
        // here, the reader would never see the end.
        drop(cmd);
        drop(slave);
        (master, child)
    }

    /// Sets the terminal's size; its foreground process group gets SIGWINCH.
    pub fn resize(&self, rows: u16, cols: u16) {
        let size = Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        tcsetwinsize(&self.fd, size).expect("resize the pty");
    }

    /// Another handle on the master side (close-on-exec), to read or write it.
    pub fn handle(&self) -> File {
        File::from(self.fd.try_clone().expect("dup the pty master"))
    }
}
