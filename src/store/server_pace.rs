//! The pace a server was last found to allow (`engine::ServerPace`), kept per base URL in
//! `meta` (key `pace <base_url>`, a JSON value), so the next batch on the profile starts from
//! it rather than from scratch. A cache: a value that does not read back is logged and
//! ignored, never an error, and a pace learned on one base URL is never handed out for
//! another.

use rusqlite::OptionalExtension;

use super::Store;
use crate::engine::ServerPace;
use crate::store::StoreError;

impl Store {
    /// What the last batch on `base_url` learned of its pace; `None` when nothing was kept
    /// for that base URL, or what was kept does not read back (said in the log).
    pub fn server_pace(&self, base_url: &str) -> Option<ServerPace> {
        let kept: Result<Option<String>, _> = self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [pace_key(base_url)],
                |row| row.get(0),
            )
            .optional();
        let text = match kept {
            Ok(text) => text?,
            Err(err) => {
                tracing::warn!(
                    "the pace kept for {base_url} could not be read ({}); starting from scratch",
                    self.error(err)
                );
                return None;
            }
        };
        serde_json::from_str(&text)
            .inspect_err(|err| {
                tracing::warn!(
                    "the pace kept for {base_url} is not one ({err}); ignored, starting from \
                     scratch"
                );
            })
            .ok()
    }

    /// Keeps what a batch on `base_url` learned of its pace, in place of what was kept.
    pub fn keep_server_pace(
        &mut self,
        base_url: &str,
        pace: &ServerPace,
    ) -> Result<(), StoreError> {
        let text = serde_json::to_string(pace)
            .map_err(|err| StoreError::io("(the server's pace)", std::io::Error::other(err)))?;
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                [pace_key(base_url), text],
            )
            .map(drop)
        })
    }
}

fn pace_key(base_url: &str) -> String {
    format!("pace {base_url}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Rate;
    use crate::store::testing::open;

    const SERVER: &str = "http://127.0.0.1:8080/v1";

    fn learned() -> ServerPace {
        ServerPace {
            rate: Rate::new(18.5),
            in_flight: 12,
        }
    }

    #[test]
    fn a_kept_pace_reads_back_for_its_base_url_only() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut store = open(&dir);
        assert_eq!(store.server_pace(SERVER), None);
        store.keep_server_pace(SERVER, &learned()).expect("kept");
        assert_eq!(store.server_pace(SERVER), Some(learned()));
        assert_eq!(store.server_pace("http://127.0.0.1:8081/v1"), None);
        // The next open reads it too.
        drop(store);
        assert_eq!(open(&dir).server_pace(SERVER), Some(learned()));
    }

    #[test]
    fn a_newer_pace_replaces_the_kept_one() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut store = open(&dir);
        store.keep_server_pace(SERVER, &learned()).expect("kept");
        let unlimited = ServerPace {
            rate: None,
            in_flight: 40,
        };
        store.keep_server_pace(SERVER, &unlimited).expect("kept");
        assert_eq!(store.server_pace(SERVER), Some(unlimited));
    }

    #[test]
    fn a_kept_value_that_is_not_a_pace_is_ignored_not_an_error() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut store = open(&dir);
        for corrupt in ["{\"rate\": -3, \"in_flight\": 4}", "garbage", "{}", "7"] {
            store
                .write(|tx| {
                    tx.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                        [pace_key(SERVER), corrupt.to_owned()],
                    )
                    .map(drop)
                })
                .expect("written");
            assert_eq!(store.server_pace(SERVER), None, "{corrupt}");
        }
        // A value of another type (an integer, as SQLite may hold) is ignored too.
        store
            .write(|tx| {
                tx.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, 7)",
                    [pace_key(SERVER)],
                )
                .map(drop)
            })
            .expect("written");
        assert_eq!(store.server_pace(SERVER), None);
    }
}
