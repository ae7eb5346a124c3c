//! What the store's tests share: IDs made from numbers, and a store in a temporary folder.

use jiff::Timestamp;

use crate::api::VideoId;
use crate::store::{Details, Paths, Store};

/// The ID whose 128 bits are `n`.
pub fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

/// The store in `dir`, opened as a command opens it.
pub fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&Paths::in_dir(dir.path())).expect("the store opens")
}

/// `open`, with `ids` added (no label or details, added at the epoch).
pub fn open_with(dir: &tempfile::TempDir, ids: &[VideoId]) -> Store {
    let mut store = open(dir);
    store
        .add(ids, &Details::default(), None, Timestamp::UNIX_EPOCH)
        .expect("the videos are added");
    store
}
