//! The command-line grammar (clap derive), with the examples `--help` shows. Parsing only:
//! what each command does lives in its own file.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser};

use crate::api::{GenerationState, VideoId};
use crate::engine::Rate;
use crate::session::Overrides;
use crate::sort::SortKey;

const EXAMPLES: &str = "\
Examples:
  elytron-tui                          open the app
  elytron-tui --demo                   try the app on a built-in simulated server
  elytron-tui sync                     list the account's videos from the API
  elytron-tui import ids.txt --label old-tests
  cat export.csv | elytron-tui import -
  elytron-tui list --json
  elytron-tui delete --all --dry-run
  elytron-tui delete --from ids.txt --yes --json > results.jsonl
  elytron-tui delete --query 'age>30d -status:forbidden'
  elytron-tui history --limit 20
  elytron-tui --profile production list
  elytron-tui protect 550e8400-e29b-41d4-a716-446655440000
  elytron-tui doctor

Exit codes:
  0    done: every asked ID ended deleted or not found
  1    some ID ended otherwise (protected ones too), the question was answered
       no, import lines had no ID, or doctor found a problem
  2    usage, input or config error, a damaged or unusable data folder,
       another batch sending on the profile, a read-only profile or a batch
       over max_delete: nothing was sent
  3    the API key was refused
  4    stopped early: a wrong base URL, an unreachable server, a TLS failure
       or a wait past max_wait_seconds
  5    stopped by a local fault (output closed, a write or the terminal
       failed), or no terminal for the app
  130  interrupted";

/// Bulk-delete videos on the Elytron API, safely and at the pace the server allows.
#[derive(Debug, Parser)]
#[command(name = "elytron-tui", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Subcommand>,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Folder for the profile's database (elytron-tui.db) and the log [default: the platform's data folder]
    #[arg(long, global = true, env = "ELYTRON_TUI_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The config file; one named here must exist [default: config.toml in the platform's
    /// config folder, which may be absent]
    #[arg(long, global = true, env = "ELYTRON_TUI_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The API's base URL [default: the profile's base_url, else https://api.elytron.com/v1]
    #[arg(long, global = true, env = "ELYTRON_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// The profile (account) to use [default: default_profile from the config, else the
    /// top-level settings, called `default`]
    #[arg(
        long,
        global = true,
        env = "ELYTRON_PROFILE",
        value_name = "NAME",
        value_hint = clap::ValueHint::Other
    )]
    pub profile: Option<String>,
    /// The app refuses a batch larger than this (it can lower the profile's max_delete,
    /// never raise it)
    #[arg(long, value_name = "N")]
    pub max_delete: Option<usize>,
    /// Open the app on a built-in simulated server (nothing real is deleted)
    #[arg(long)]
    pub demo: bool,
    /// Which of the options above were typed on the command line (not taken from the
    /// environment), by their flag: `--demo` refuses those it cannot honour.
    #[arg(skip)]
    pub typed: Vec<&'static str>,
}

impl GlobalArgs {
    /// What every command that works on a profile takes from these options.
    pub fn overrides(&self) -> Overrides<'_> {
        Overrides {
            base_url: self.base_url.as_deref(),
            profile: self.profile.as_deref(),
            max_delete: self.max_delete,
            config_named_by: self.config.as_ref().map(|_| {
                if self.typed.contains(&"--config") {
                    "--config"
                } else {
                    "ELYTRON_TUI_CONFIG"
                }
            }),
            ..Overrides::default()
        }
    }

    /// The options that can come from the environment, by their clap id and flag.
    const FROM_ENV: [(&'static str, &'static str); 4] = [
        ("data_dir", "--data-dir"),
        ("config", "--config"),
        ("base_url", "--base-url"),
        ("profile", "--profile"),
    ];
}

/// The command line as `--help`, the man pages and the completions show it: `cmd` (this
/// `Cli`, with or without clap's `help` command) built, with the options every command takes
/// hidden from `sim`, which serves no profile and refuses them (`cli::run`). A hidden copy
/// given to `sim` first is one clap does not add again.
pub fn shown(cmd: clap::Command) -> clap::Command {
    let hidden: Vec<clap::Arg> = GlobalArgs::FROM_ENV
        .iter()
        .filter_map(|(id, _)| cmd.get_arguments().find(|arg| arg.get_id() == id))
        .map(|arg| arg.clone().hide(true))
        .collect();
    let mut cmd = cmd.mut_subcommand("sim", |sim| sim.args(hidden));
    cmd.build();
    cmd
}

impl Cli {
    /// The command line, with `GlobalArgs::typed` filled in from where each value came
    /// from. Exits as clap does on a usage error, `--help` and `--version`.
    pub fn from_command_line() -> Self {
        let matches = shown(<Self as clap::CommandFactory>::command()).get_matches();
        let mut cli = <Self as clap::FromArgMatches>::from_arg_matches(&matches)
            .unwrap_or_else(|err| err.exit());
        cli.global.typed = GlobalArgs::FROM_ENV
            .iter()
            .filter(|(id, _)| {
                matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
            })
            .map(|&(_, flag)| flag)
            .collect();
        cli
    }
}

/// What to do; none opens the app.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Add video IDs to the known list from a file or standard input (any text: every UUID
    /// on every line is taken)
    #[command(after_help = "Examples:\n  elytron-tui import ids.txt\n  \
        elytron-tui import export.json --label march\n  grep uuid app.log | elytron-tui import -\n  \
        elytron-tui import saved-pages.json   (pages of GET /videos: every field kept)")]
    Import(ImportArgs),
    /// Print the known list
    #[command(
        after_help = "Examples:\n  elytron-tui list\n  elytron-tui list --json | jq -r .id\n  \
        elytron-tui list --query 'age>30d -status:forbidden' --sort created\n  \
        elytron-tui list --query status:failed --ids > retry.txt"
    )]
    List(ListArgs),
    /// Drop IDs from the known list (nothing is sent to the server)
    #[command(after_help = "Examples:\n  \
        elytron-tui forget 550e8400-e29b-41d4-a716-446655440000\n  \
        elytron-tui forget --from keep-these.txt")]
    Forget(IdArgs),
    /// Delete videos on the server (permanent)
    #[command(after_help = "Examples:\n  elytron-tui delete --all --dry-run\n  \
        elytron-tui delete 550e8400-e29b-41d4-a716-446655440000\n  \
        elytron-tui delete --from ids.txt --yes --json > results.jsonl\n  \
        elytron-tui delete --query 'label:june status:failed'\n  \
        elytron-tui delete --resume")]
    Delete(DeleteArgs),
    /// List the account's videos from the API into the known list, with their generation
    /// state, prompt, size and duration (nothing is deleted)
    #[command(
        after_help = "Examples:\n  elytron-tui sync\n  elytron-tui sync --full\n  \
        elytron-tui sync --status failed --json | jq -r .id\n\n\
        Incremental by default: it stops once it meets videos it already holds, unchanged \
        and finished. After an interrupted sync the next one walks everything. Known videos \
        a complete sync did not list are marked listed:no, never removed.\n\n\
        A server that cannot be reached is probed for --give-up-after seconds \
        (give_up_after_seconds in the config, as for delete; the app's sync too) before the \
        sync stops.\n\n\
        Exit codes: 0 synced, 2 usage or config error, 3 the API key was refused, 4 stopped: \
        the server does not list videos (import IDs instead), a page could not be read (the \
        server unreachable past --give-up-after included), or its listing cannot be walked; \
        130 interrupted (what was merged is kept)"
    )]
    Sync(SyncArgs),
    /// Print the history of finished deletes, with each video's title
    #[command(after_help = "Examples:\n  elytron-tui history --limit 20\n  \
        elytron-tui history 'title:fox outcome:deleted' --since 7d\n  \
        elytron-tui history -outcome:deleted --since 2026-12-01 --json")]
    History(HistoryArgs),
    /// Protect videos on this profile: they are never sent, on any path (they need not be
    /// in the known list)
    #[command(after_help = "Examples:\n  \
        elytron-tui protect 550e8400-e29b-41d4-a716-446655440000\n  \
        elytron-tui --profile production protect --from showcase.txt")]
    Protect(IdArgs),
    /// Take IDs off this profile's protected list (a matching protect rule still protects)
    #[command(after_help = "Example:\n  \
        elytron-tui unprotect 550e8400-e29b-41d4-a716-446655440000")]
    Unprotect(IdArgs),
    /// List the profiles: name, host, key source (never the key), read-only, limits
    Profiles,
    /// Check the setup: config file, data, state and log locations, the profile, the base
    /// URL, the key's source (never the key) and file permissions; exit 1 on a problem
    Doctor,
    /// Print a man page (roff) on standard output: elytron-tui(1), or a command's own
    #[command(
        after_help = "Examples:\n  elytron-tui man > elytron-tui.1 && man ./elytron-tui.1\n  \
        elytron-tui man delete > elytron-tui-delete.1"
    )]
    Man(ManArgs),
    /// Run the simulated Elytron server
    Sim(Box<crate::sim::SimArgs>),
    /// Print shell completions
    #[command(
        after_help = "Example:\n  elytron-tui completions bash > ~/.local/share/bash-completion/completions/elytron-tui"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (elytron-tui-COMMAND(1)) [default: elytron-tui(1),
    /// which lists them]
    #[arg(value_name = "COMMAND", value_parser = clap::builder::PossibleValuesParser::new(MAN_PAGES))]
    pub command: Option<String>,
}

/// The commands with a man page of their own: every one `elytron-tui(1)` lists.
pub const MAN_PAGES: [&str; 13] = [
    "import",
    "list",
    "forget",
    "delete",
    "sync",
    "history",
    "protect",
    "unprotect",
    "profiles",
    "doctor",
    "man",
    "sim",
    "completions",
];

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to read, or - for standard input [default: -]
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Label the videos this import adds
    #[arg(long, value_name = "TEXT")]
    pub label: Option<String>,
    /// Add nothing (and exit 2) if any non-empty line has no video ID
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// JSON Lines: one object per video (id, added_at, label, title, created_at,
    /// last_outcome, protected, and what the last sync listed: state, file_size,
    /// duration_seconds, completed_at, generation_error, download_url, listed)
    #[arg(long, conflicts_with = "ids")]
    pub json: bool,
    /// Only the IDs, one per line (for pipes)
    #[arg(long)]
    pub ids: bool,
    /// Only the videos this query picks, as the app's / filter does: words match the ID,
    /// label or title; status:WORD, label:TEXT, title:TEXT (or prompt:), id:PREFIX, age>30d,
    /// added<2h, state:failed, listed:no, size>100MB, duration<5s; a
    /// leading - negates; terms are ANDed; quotes group words
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Sort by this column [default: the order added]
    #[arg(long, value_enum, value_name = "COLUMN", default_value_t = SortKey::Added, hide_default_value = true)]
    pub sort: SortKey,
    /// Sort descending
    #[arg(long)]
    pub reverse: bool,
}

/// IDs as arguments or read from a file: what `forget`, `protect` and `unprotect` act on.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["ids", "from"])))]
pub struct IdArgs {
    /// The IDs
    #[arg(value_name = "ID")]
    pub ids: Vec<VideoId>,
    /// Read the IDs from a file (any text, as for import), or - for standard input
    #[arg(long, value_name = "FILE|-", conflicts_with = "ids")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("targets").required(true).multiple(true)
    .args(["ids", "from", "all", "query", "resume"])))]
pub struct DeleteArgs {
    /// IDs to delete (they need not be in the known list)
    #[arg(value_name = "ID")]
    pub ids: Vec<VideoId>,
    /// Read the IDs from a file (any text, as for import), or - for standard input
    #[arg(long, value_name = "FILE|-")]
    pub from: Option<PathBuf>,
    /// Every video in the known list
    #[arg(long, conflicts_with_all = ["ids", "from"])]
    pub all: bool,
    /// The videos of the known list this query picks (the language of `list --query` and
    /// the app's / filter); the question says how many
    #[arg(
        long,
        value_name = "QUERY",
        conflicts_with = "all",
        allow_hyphen_values = true
    )]
    pub query: Option<String>,
    /// Do not ask for confirmation (needed where there is no terminal to ask on; a profile
    /// with confirm = "name" takes --confirm-name instead)
    #[arg(long)]
    pub yes: bool,
    /// Print what would be sent (each request with the video's title, age and last
    /// outcome), and send nothing; a profile that refuses the batch (read-only, over
    /// max_delete) is said to, and nothing is asked [default: the profile's dry_run, else a
    /// real run]
    #[arg(long)]
    pub dry_run: bool,
    /// Send, on a profile with dry_run = true
    #[arg(long, conflicts_with = "dry_run")]
    pub no_dry_run: bool,
    /// One JSON line per ID on stdout (id, dry_run, outcome, status, attempts, error_code,
    /// message)
    #[arg(long)]
    pub json: bool,
    /// At most this many requests in flight
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,
    /// Never more than N requests a second, even when the server allows more (fractions
    /// allowed: 0.5 is one every 2 s); with the profile's max_rate, the lower one holds
    #[arg(long, value_name = "N")]
    pub max_rate: Option<Rate>,
    /// Wait up to this many seconds for videos still generating (their status is checked),
    /// then delete them [default: wait_processing_seconds from the config, else 0: no wait]
    #[arg(long, value_name = "SECS")]
    pub wait_processing: Option<u64>,
    /// Send the IDs an interrupted batch left queued
    #[arg(long)]
    pub resume: bool,
    #[command(flatten)]
    pub give_up_after: GiveUpAfter,
    /// Refuse (exit 2, nothing sent) a batch larger than this; it can lower the profile's
    /// max_delete, never raise it
    #[arg(long, value_name = "N")]
    pub max_delete: Option<usize>,
    /// The profile's name, for a profile with confirm = "name" when there is no terminal to
    /// type it on; given for any profile, it must be that profile's name
    #[arg(long, value_name = "NAME")]
    pub confirm_name: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Only the videos in this generation state
    #[arg(long, value_name = "STATE", value_parser = parse_state)]
    pub status: Option<GenerationState>,
    /// Walk the whole listing, even when the last sync was complete
    #[arg(long)]
    pub full: bool,
    /// Never more than N requests a second, even when the server allows more (fractions
    /// allowed: 0.5 is one every 2 s); with the profile's max_rate, the lower one holds
    #[arg(long, value_name = "N")]
    pub max_rate: Option<Rate>,
    /// One JSON line per new or changed video on stdout (id, change, prompt, state,
    /// created_at, completed_at, duration_seconds, file_size, error, download_url)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub give_up_after: GiveUpAfter,
}

/// `--give-up-after`, shared by the commands that send (`delete`, `sync`).
#[derive(Args, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GiveUpAfter {
    /// When the server cannot be reached, probe it this many seconds before stopping
    /// [default: give_up_after_seconds from the config, else 120]
    #[arg(long = "give-up-after", value_name = "SECS")]
    pub seconds: Option<u64>,
}

impl GiveUpAfter {
    /// The flag's time, else the config's.
    pub fn or(self, configured: std::time::Duration) -> std::time::Duration {
        self.seconds
            .map_or(configured, std::time::Duration::from_secs)
    }
}

/// `--status`: one of the API's four words.
fn parse_state(word: &str) -> Result<GenerationState, String> {
    word.parse()
        .map_err(|err: crate::api::UnknownState| err.to_string())
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the entries this query picks (the language of list --query, on what the
    /// history keeps): words match the ID or title; title:TEXT, id:PREFIX, outcome:WORD
    /// (or status:); a leading - negates; terms are ANDed; quotes group words
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Only the entries recorded since: an age (7d, 12h, 30m) or a date or time in UTC, as
    /// the history prints them (2026-12-01 from its start, 2026-12-01T09:30:00Z)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// One JSON object per line, as history.jsonl held them, with the video's title
    #[arg(long)]
    pub json: bool,
    /// Only the last N entries (of those picked)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Issue 21 B8: at 80 columns the paragraph was wrapped mid-sentence ("4 stopped" on
    /// one line, "early on" alone on the next). Each line is now printed as written.
    #[test]
    fn the_exit_codes_are_printed_as_written_on_an_80_column_terminal() {
        let help = Cli::command().term_width(80).render_help().to_string();
        let codes = &EXAMPLES[EXAMPLES.find("Exit codes:").unwrap()..];
        for line in codes.lines() {
            assert!(line.chars().count() <= 80, "{line:?}");
            assert!(
                help.lines().any(|shown| shown == line),
                "{line:?} in\n{help}"
            );
        }
    }
}
