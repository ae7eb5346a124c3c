//! `profiles`: one line per profile of the config: name (`*` the one used now), host, where
//! its key comes from (never the key), read-only, its limit, how a batch is confirmed,
//! whether `delete` is a dry run by default, and its protect rules. Reads the config only.

use super::{CliError, Exit};
use crate::api::ClientConfig;
use crate::config::Profile;
use crate::printable;
use crate::printable::out::{Stdout, say};
use crate::session::Session;

pub fn run(session: &Session, base_url_flag: Option<&str>) -> Result<Exit, CliError> {
    let mut out = Stdout::lock();
    let rows: Vec<[String; 8]> = session
        .config
        .profiles()
        .map(|profile| {
            row(
                profile,
                profile.name() == session.profile.name(),
                base_url_flag,
            )
        })
        .collect();
    let header = [
        "PROFILE",
        "HOST",
        "KEY",
        "READ-ONLY",
        "MAX DELETE",
        "CONFIRM",
        "DRY RUN",
        "PROTECT",
    ]
    .map(str::to_owned);
    // Names, hosts, key commands and rules come from the config: printable, and padded by
    // the cells they show.
    let mut widths = header.clone().map(|cell| printable::width(&cell));
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(printable::width(cell));
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| printable::padded(cell, width))
            .collect();
        out.line(cells.join("  ").trim_end())
            .map_err(CliError::Output)?;
    }
    out.flush().map_err(CliError::Output)?;
    if base_url_flag.is_some() {
        say!("note: --base-url (or ELYTRON_BASE_URL) replaces every profile's base URL");
    }
    Ok(Exit::Success)
}

/// `label:keep, title:final`, or `-`.
fn protect_rules(profile: &Profile) -> String {
    let rules: Vec<&str> = profile.rails.rules.iter().map(|rule| rule.text()).collect();
    if rules.is_empty() {
        "-".to_owned()
    } else {
        rules.join(", ")
    }
}

fn row(profile: &Profile, used: bool, base_url_flag: Option<&str>) -> [String; 8] {
    let config = ClientConfig {
        base_url: profile.base_url(base_url_flag).to_owned(),
        ..ClientConfig::default()
    };
    let host = config
        .host()
        .unwrap_or_else(|_| format!("(bad base_url {})", config.base_url));
    let rails = &profile.rails;
    [
        format!("{}{}", profile.name(), if used { " *" } else { "" }),
        host,
        profile.key_origin().to_string(),
        if rails.read_only { "yes" } else { "no" }.to_owned(),
        rails
            .max_delete
            .map_or_else(|| "-".to_owned(), |max| max.to_string()),
        if rails.confirm_by_name { "name" } else { "y/N" }.to_owned(),
        if rails.dry_run { "yes" } else { "no" }.to_owned(),
        protect_rules(profile),
    ]
}
