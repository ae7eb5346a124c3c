//! The database's schema and its versions. `PRAGMA user_version` is the version a database
//! is at; `MIGRATIONS[n]` takes one from version `n` to `n + 1`. Bringing a database up to
//! date runs every step it lacks in one transaction with the version bump, so a kill leaves
//! it at its old version or the new one. A database of a newer version is refused, never
//! written. Adding a version is one function in `MIGRATIONS` and a fixture of the version
//! before in the tests, which migrate from every earlier version.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::store::StoreError;

/// One step up: from the version before to the next, inside the caller's transaction.
type Migration = fn(&Transaction<'_>) -> rusqlite::Result<()>;

const MIGRATIONS: [Migration; 3] = [v1_first, v2_generation, v3_history_titles];

/// The version this build writes (and the newest it reads).
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The first schema: the known list, the protected IDs, the batch in progress, the history,
/// and what other processes need to follow changes.
fn v1_first(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- The known videos, in the order added (seq). rev: the change that last wrote the row
        -- (meta.rev), by which other processes find what changed.
        CREATE TABLE videos (
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL CHECK (length(id) = 16),
            added_s INTEGER NOT NULL,
            added_ns INTEGER NOT NULL,
            label TEXT,
            title TEXT,
            created_s INTEGER,
            created_ns INTEGER,
            last_outcome TEXT,
            last_status INTEGER,
            last_error_code TEXT,
            last_message TEXT,
            last_request_id TEXT,
            last_attempts INTEGER,
            last_at_s INTEGER,
            last_at_ns INTEGER,
            rev INTEGER NOT NULL
        );
        -- Indexes of their own (not column constraints), so that filling an empty list can
        -- build them once at the end instead of row by row (`adding::Adder`).
        CREATE UNIQUE INDEX videos_by_id ON videos (id);
        CREATE INDEX videos_by_rev ON videos (rev);

        -- Videos that left the list (forgotten, or gone on the server), so a process showing
        -- the list can drop them too. gone: 1 when the server said deleted or not found.
        CREATE TABLE removed (
            id BLOB PRIMARY KEY,
            rev INTEGER NOT NULL,
            gone INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX removed_by_rev ON removed (rev);

        -- The IDs protected on this profile by ID (its protect rules are in config.toml).
        CREATE TABLE protected (id BLOB PRIMARY KEY CHECK (length(id) = 16)) WITHOUT ROWID;

        -- The batch in progress: IDs queued and not answered yet, in queue order.
        CREATE TABLE pending (
            seq INTEGER PRIMARY KEY,
            id BLOB NOT NULL UNIQUE CHECK (length(id) = 16)
        );

        -- Every finished delete, oldest first (`history`).
        CREATE TABLE outcomes (
            seq INTEGER PRIMARY KEY,
            at_s INTEGER NOT NULL,
            at_ns INTEGER NOT NULL,
            id BLOB NOT NULL CHECK (length(id) = 16),
            outcome TEXT NOT NULL,
            status INTEGER,
            error_code TEXT,
            message TEXT,
            request_id TEXT,
            attempts INTEGER NOT NULL,
            host TEXT
        );

        -- rev: the number of the last change to videos; protected_rev: to protected.
        CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('rev', 0), ('protected_rev', 0);
        ",
    )
}

/// Version 2: what a sync lists of each video (its generation, size, duration, completion,
/// error, download URL; its prompt goes in `title`), whether the last complete sync listed
/// it (`listed`: NULL unknown, 1 listed, 0 not listed), and how the last sync ended
/// (`meta.sync`: `never`, `unfinished` or `complete`; only after `complete` may a sync stop
/// early). Existing rows keep everything and know nothing of their generation yet.
fn v2_generation(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        -- Equalities, not `state IN (...)`: SQLite builds an IN list's lookup table each
        -- time the check runs, once per row inserted, which tripled a million-video import.
        ALTER TABLE videos ADD COLUMN state TEXT
            CHECK (state = 'pending' OR state = 'processing' OR state = 'completed'
                OR state = 'failed');
        ALTER TABLE videos ADD COLUMN progress INTEGER;
        ALTER TABLE videos ADD COLUMN file_size INTEGER;
        ALTER TABLE videos ADD COLUMN duration_ms INTEGER;
        ALTER TABLE videos ADD COLUMN completed_s INTEGER;
        ALTER TABLE videos ADD COLUMN completed_ns INTEGER;
        ALTER TABLE videos ADD COLUMN generation_error TEXT;
        ALTER TABLE videos ADD COLUMN download_url TEXT;
        ALTER TABLE videos ADD COLUMN listed INTEGER;
        INSERT INTO meta (key, value) VALUES ('sync', 'never');
        ",
    )
}

/// Version 3: each history entry keeps the title its video had when the entry was recorded
/// (once a video is deleted, the only record of what it was). Past entries whose video is
/// still known get its title now; the others stay without one: a title is never guessed.
fn v3_history_titles(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        ALTER TABLE outcomes ADD COLUMN title TEXT;
        UPDATE outcomes SET title = (SELECT title FROM videos WHERE videos.id = outcomes.id)
            WHERE id IN (SELECT id FROM videos WHERE title IS NOT NULL);
        ",
    )
}

/// What opening found the database at, before bringing it up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// No schema yet (a new or empty file): version 1 was made, and `fill` ran.
    New,
    /// At this older version; brought up to date.
    Older(u32),
    /// Already up to date.
    Current,
}

/// Why a database was not brought up to date.
#[derive(Debug)]
pub enum Refused {
    /// Its version is newer than this build's.
    Newer(i64),
    /// It holds tables, but no version: another program's database.
    Foreign,
    Sqlite(rusqlite::Error),
    /// What filled the new database failed.
    Fill(StoreError),
}

impl From<rusqlite::Error> for Refused {
    fn from(err: rusqlite::Error) -> Self {
        Self::Sqlite(err)
    }
}

/// Brings the database up to `SCHEMA_VERSION` in one transaction (waiting for any other
/// process's write first). On a new database, `fill` runs in that same transaction once the
/// schema is made (the import of the files of earlier versions): either all of it is there
/// afterwards, or nothing.
pub fn bring_up_to_date(
    conn: &mut Connection,
    fill: impl FnOnce(&Transaction<'_>) -> Result<(), StoreError>,
) -> Result<Found, Refused> {
    if version(conn)? == i64::from(SCHEMA_VERSION) {
        return Ok(Found::Current);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Looked at again inside the transaction: another process may have done it meanwhile.
    let at = version(&tx)?;
    let found = match u32::try_from(at) {
        Ok(v) if v == SCHEMA_VERSION => return Ok(Found::Current),
        Ok(0) if has_tables(&tx)? => return Err(Refused::Foreign),
        Ok(0) => Found::New,
        Ok(v) if v < SCHEMA_VERSION => Found::Older(v),
        _ => return Err(Refused::Newer(at)),
    };
    let from = match found {
        Found::Older(v) => v as usize,
        _ => 0,
    };
    for step in &MIGRATIONS[from..] {
        step(&tx)?;
    }
    if found == Found::New {
        fill(&tx).map_err(Refused::Fill)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(found)
}

/// The version the database says it is at (0: none yet).
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

fn has_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|count| count > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database at `version`, as a build of that version left it, with something in it.
    fn database_at(version: u32) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        for step in &MIGRATIONS[..version as usize] {
            step(&tx).unwrap();
        }
        if let Some(fixture) = FIXTURES.get(version as usize) {
            fixture(&tx);
        }
        tx.pragma_update(None, "user_version", version).unwrap();
        tx.commit().unwrap();
        conn
    }

    /// Data as each version holds it, one per version (index 0: a new, empty database).
    const FIXTURES: [fn(&Transaction<'_>); 3] = [|_| {}, v1_data, v2_data];

    /// A labelled, titled video with a failed delete, as version 1 wrote it.
    fn v1_data(tx: &Transaction<'_>) {
        tx.execute_batch(
            "INSERT INTO videos (id, added_s, added_ns, label, title, created_s, created_ns,
                 last_outcome, last_status, last_attempts, last_at_s, last_at_ns, rev)
             VALUES (x'550e8400e29b41d4a716446655440000', 10, 0, 'june', 'a fox', 5, 0,
                 'forbidden', 403, 1, 11, 0, 1);
             UPDATE meta SET value = 1 WHERE key = 'rev';",
        )
        .unwrap();
    }

    /// A titled video with two deletes refused, and a deleted video (gone from the list),
    /// in the history as version 2 wrote it (no titles there).
    fn v2_data(tx: &Transaction<'_>) {
        tx.execute_batch(
            "INSERT INTO videos (id, added_s, added_ns, title, last_outcome, last_status,
                 last_attempts, last_at_s, last_at_ns, rev, state)
             VALUES (x'550e8400e29b41d4a716446655440000', 10, 0, 'a fox', 'forbidden', 403,
                 1, 12, 0, 1, 'completed');
             INSERT INTO outcomes (at_s, at_ns, id, outcome, status, attempts)
             VALUES (11, 0, x'550e8400e29b41d4a716446655440000', 'forbidden', 403, 1),
                 (11, 0, x'550e8400e29b41d4a716446655440001', 'deleted', 204, 1),
                 (12, 0, x'550e8400e29b41d4a716446655440000', 'forbidden', 403, 1);
             UPDATE meta SET value = 1 WHERE key = 'rev';",
        )
        .unwrap();
    }

    /// What every version's fixture leaves after the migration, as one line per video.
    fn kept(conn: &Connection) -> Vec<String> {
        let mut statement = conn
            .prepare(
                "SELECT hex(id), label, title, last_outcome, state, listed FROM videos ORDER BY seq",
            )
            .unwrap();
        statement
            .query_map([], |row| {
                Ok(format!(
                    "{} {:?} {:?} {:?} {:?} {:?}",
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                ))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn v1_row_count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM videos", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_generation_state_is_one_of_four_or_none() {
        let conn = database_at(SCHEMA_VERSION);
        let insert = |n: u8, state: Option<&str>| {
            conn.execute(
                "INSERT INTO videos (id, added_s, added_ns, rev, state) VALUES (?1, 0, 0, 1, ?2)",
                rusqlite::params![[n; 16].to_vec(), state],
            )
        };
        for (n, state) in [
            None,
            Some("pending"),
            Some("processing"),
            Some("completed"),
            Some("failed"),
        ]
        .into_iter()
        .enumerate()
        {
            insert(n as u8, state).unwrap();
        }
        assert!(insert(9, Some("sleeping")).is_err());
        assert!(insert(10, Some("")).is_err());
    }

    #[test]
    fn version_1_keeps_every_row_and_knows_nothing_of_generation_yet() {
        let mut conn = database_at(1);
        assert_eq!(
            bring_up_to_date(&mut conn, |_| Ok(())).unwrap(),
            Found::Older(1)
        );
        assert_eq!(
            kept(&conn),
            [
                "550E8400E29B41D4A716446655440000 Some(\"june\") Some(\"a fox\") \
              Some(\"forbidden\") None None"
            ]
        );
        let sync: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'sync'", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(sync, "never", "no sync has listed them");
    }

    #[test]
    fn version_2_history_gets_the_titles_of_videos_still_known_and_invents_none() {
        let mut conn = database_at(2);
        assert_eq!(
            bring_up_to_date(&mut conn, |_| Ok(())).unwrap(),
            Found::Older(2)
        );
        let mut statement = conn
            .prepare("SELECT hex(id), outcome, title FROM outcomes ORDER BY seq")
            .unwrap();
        let history: Vec<(String, String, Option<String>)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let fox = "550E8400E29B41D4A716446655440000".to_owned();
        let gone = "550E8400E29B41D4A716446655440001".to_owned();
        assert_eq!(
            history,
            [
                (fox.clone(), "forbidden".into(), Some("a fox".into())),
                (gone, "deleted".into(), None),
                (fox, "forbidden".into(), Some("a fox".into())),
            ]
        );
        assert_eq!(
            kept(&conn),
            ["550E8400E29B41D4A716446655440000 None Some(\"a fox\") \
              Some(\"forbidden\") Some(\"completed\") None"],
            "the list is left as it was"
        );
    }

    #[test]
    fn every_earlier_version_is_brought_up_to_date_keeping_its_data() {
        for from in 0..SCHEMA_VERSION {
            let mut conn = database_at(from);
            let mut filled = false;
            let found = bring_up_to_date(&mut conn, |_| {
                filled = true;
                Ok(())
            })
            .unwrap();
            assert_eq!(
                found,
                if from == 0 {
                    Found::New
                } else {
                    Found::Older(from)
                }
            );
            assert_eq!(filled, from == 0, "only a new database is filled");
            assert_eq!(version(&conn).unwrap(), i64::from(SCHEMA_VERSION));
            assert_eq!(
                v1_row_count(&conn),
                i64::from(from >= 1),
                "from version {from}"
            );
            let again = bring_up_to_date(&mut conn, |_| unreachable!()).unwrap();
            assert_eq!(again, Found::Current);
        }
    }

    #[test]
    fn a_newer_or_foreign_database_is_refused_and_left_as_it_was() {
        let mut newer = database_at(SCHEMA_VERSION);
        newer
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert!(matches!(
            bring_up_to_date(&mut newer, |_| Ok(())),
            Err(Refused::Newer(v)) if v == i64::from(SCHEMA_VERSION) + 1
        ));

        let mut foreign = Connection::open_in_memory().unwrap();
        foreign.execute_batch("CREATE TABLE notes (x)").unwrap();
        assert!(matches!(
            bring_up_to_date(&mut foreign, |_| Ok(())),
            Err(Refused::Foreign)
        ));
        assert_eq!(version(&foreign).unwrap(), 0);
    }

    #[test]
    fn a_failing_fill_leaves_no_schema_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        let failed = bring_up_to_date(&mut conn, |_| Err(StoreError::NoHome));
        assert!(failed.is_err());
        assert_eq!(version(&conn).unwrap(), 0);
        assert!(!has_tables(&conn).unwrap());
    }
}
