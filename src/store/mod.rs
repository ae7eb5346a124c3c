//! What the user keeps between sessions: the known list, the history journal, the pending
//! (resumable) batch, the protected IDs, and where they live on disk. Nothing here talks to the network or the
//! screen; the CLI and the TUI both go through these types.

mod atomic;
mod data_dir;
mod error;
mod history;
mod history_read;
mod id_set;
mod known;
mod known_file;
mod known_list;
mod lock;
mod outcome_journal;
mod paths;
mod pending;
mod protected;
mod recorder;
mod replay;
mod user_file;

pub use atomic::{create_private_dir, write_atomic};
pub use data_dir::{DataDir, ListSnapshot, ListSource, Store};
pub use error::{DataFile, StoreError};
pub use history::{HistoryEntry, HistoryWriter, journal_len};
pub use history_read::{JournalRead, SkippedLine, read_history, read_journal};
pub use id_set::{IdHasher, IdMap, IdSet};
pub use known::{KnownVideo, Labels, LastOutcome, VideoDetails};
pub use known_file::{KNOWN_FILE_VERSION, VideoSink, load_known, save_known, stream_known};
pub use known_list::{AddReport, KnownVideos};
pub use lock::DataLock;
pub use outcome_journal::{FlushPolicy, OutcomeJournal, RecordedResult};
pub use paths::Paths;
pub use pending::{load_pending, save_pending};
pub use protected::{load_protected, save_protected};
pub use recorder::OutcomeRecorder;
pub use replay::{CatchUp, load_current, missed_results};
pub use user_file::{Existing, UserFileError, write_user_file};
