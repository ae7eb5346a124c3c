//! `doctor`: says where everything is and whether it is usable: the config file, the profile
//! and how it was picked, the base URL, where the key comes from (it is fetched to see that
//! it is there, never shown), the data, state and log locations, the rails, and whether the
//! files' permissions are safe. Each problem is one `problem:` line, and any makes it exit 1:
//! a config that cannot be read or used, a missing key, a config holding a key that others
//! can read, a database that is damaged or too new, or old files that would not move in).
//! A data folder no command can use (a file where the folder should be, a folder where the
//! database should be, damage) makes it exit 2, as it makes every other command. Changes
//! nothing; runs SQLite's quick check of the database (a second or two at a million videos).

use std::path::Path;

use super::{CliError, Exit, GlobalArgs};
use crate::printable::out::Stdout;
use crate::session::Session;
use crate::store::{Inspection, Paths, inspect, migrated_name};

/// The lines printed so far and the problems among them.
#[derive(Default)]
struct Findings {
    lines: Vec<String>,
    problems: usize,
    /// The data folder cannot be used by any command (exit 2).
    unusable: bool,
}

impl Findings {
    fn say(&mut self, what: &str, text: impl std::fmt::Display) {
        self.lines.push(format!("{what:<10} {text}"));
    }

    fn problem(&mut self, text: impl std::fmt::Display) {
        self.lines.push(format!("problem: {text}"));
        self.problems += 1;
    }

    fn warn(&mut self, text: impl std::fmt::Display) {
        self.lines.push(format!("warning: {text}"));
    }
}

pub fn run(paths: &Paths, global: &GlobalArgs) -> Result<Exit, CliError> {
    let mut found = Findings::default();
    found.say("config", described(&paths.config_file));
    match Session::load(paths, global.overrides()) {
        Ok(session) => check_session(&session, global, &mut found),
        Err(err) => {
            found.problem(err);
            found.say("data", described(&paths.data_dir));
        }
    }
    found.say("state", described(&paths.state_dir));
    found.say("log", described(&paths.log_file()));
    let mut out = Stdout::lock();
    for line in &found.lines {
        out.line(line).map_err(CliError::Output)?;
    }
    let (verdict, exit) = if found.problems == 0 {
        ("ok: nothing wrong found".to_owned(), Exit::Success)
    } else {
        (
            format!("{} problem(s) found", found.problems),
            if found.unusable {
                Exit::Usage
            } else {
                Exit::Partial
            },
        )
    };
    out.line(&verdict)
        .and_then(|()| out.flush())
        .map_err(CliError::Output)?;
    Ok(exit)
}

fn check_session(session: &Session, global: &GlobalArgs, found: &mut Findings) {
    let picked_by = match &global.profile {
        Some(name) if std::env::var("ELYTRON_PROFILE").is_ok_and(|env| env == *name) => {
            "ELYTRON_PROFILE"
        }
        Some(_) => "--profile",
        None if session.config.default_profile() == session.profile.name()
            && session.profile.table_name().is_some() =>
        {
            "default_profile"
        }
        None => "the top-level settings",
    };
    found.say(
        "profile",
        format!("{} (from {picked_by})", session.profile.name()),
    );
    match session.client.host() {
        Ok(_) => found.say("base URL", &session.client.base_url),
        Err(err) => found.problem(err),
    }
    let origin = session.profile.key_origin();
    match session.api_key(super::waiting_for_key) {
        Ok(Some(_)) => found.say("key", format!("{origin}: found")),
        Ok(None) => found.problem(format!(
            "no API key for profile {} (key source: {origin})",
            session.profile.name()
        )),
        Err(err) => found.problem(err),
    }
    found.say("data", described(&session.paths.data_dir));
    let rails = &session.rails;
    let mut words = Vec::new();
    if rails.read_only {
        words.push("read-only".to_owned());
    }
    if let Some(max) = rails.max_delete {
        words.push(format!("max_delete {max}"));
    }
    if rails.confirm_by_name {
        words.push("confirm by name".to_owned());
    }
    if rails.dry_run {
        words.push("delete is a dry run unless --no-dry-run".to_owned());
    }
    words.push(format!("{} protect rule(s)", rails.rules.len()));
    match inspect(&session.paths) {
        Ok(Inspection::Nothing) => found.say("store", "nothing yet"),
        Ok(Inspection::OldFiles(files)) => {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            found.say(
                "store",
                format!(
                    "files of an earlier version, which read: {}; the next command moves \
                     them into {}",
                    names.join(", "),
                    session.paths.database().display()
                ),
            );
        }
        Ok(Inspection::Database(report)) => {
            words.push(format!("{} ID(s) protected", report.protected));
            found.say(
                "store",
                format!(
                    "{} (schema version {}): {} video(s), {} queued, {} history entries",
                    described(&report.path),
                    report.version,
                    report.videos,
                    report.pending,
                    report.history
                ),
            );
            for problem in &report.problems {
                found.unusable = true;
                found.problem(format!(
                    "{}: SQLite's check found: {problem}",
                    report.path.display()
                ));
            }
        }
        Err(err) => {
            found.unusable = true;
            found.problem(err);
        }
    }
    found.say("rails", words.join("; "));
    let database = session.paths.database();
    let mut files = vec![session.paths.send_lock()];
    for suffix in ["", "-wal", "-shm"] {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        files.push(name.into());
    }
    files.extend(
        [
            session.paths.videos(),
            session.paths.history(),
            session.paths.pending(),
            session.paths.protected(),
        ]
        .iter()
        .map(|file| migrated_name(file)),
    );
    for file in files {
        if mode(&file).is_some_and(|mode| mode & 0o077 != 0) {
            found.warn(format!(
                "{} can be read by other users; run `chmod 600 {}`",
                file.display(),
                file.display()
            ));
        }
    }
}

/// `PATH (mode 600)`, or `PATH (not there yet)`.
fn described(path: &Path) -> String {
    match mode(path) {
        Some(mode) => format!("{} (mode {mode:o})", path.display()),
        None if path.exists() => path.display().to_string(),
        None => format!("{} (not there yet)", path.display()),
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|meta| meta.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode(_path: &Path) -> Option<u32> {
    None
}
