//! The database: one connection type over SQLite and PostgreSQL, the pool, migrations,
//! and the model methods that hold every query (`units`, `boxes`, `opinions`, `staff`).

pub mod appraisal;
pub mod audit;
pub mod boxes;
pub mod budget;
pub mod deployment;
pub mod held;
pub mod holding;
pub mod issues;
pub mod jobs;
pub mod messages;
pub mod metrics;
pub mod notices;
pub mod opinions;
pub mod people;
pub mod photos;
pub mod reviews;
pub mod round_sums;
pub mod routing;
pub mod schema;
#[cfg(test)]
mod schema_agreement;
pub mod search;
pub mod staff;
pub mod subjects;
pub mod submissions;
pub mod summary;
pub mod tallies;
pub mod throttle;
pub mod units;
pub mod visibility;
pub mod waiting;

use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// A connection to either backend; the backend is chosen by the URL scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, for county- or province-wide deployments with several servers.
    Postgresql(PgConnection),
    /// SQLite, the embedded default.
    Sqlite(SqliteConnection),
}

impl DbConnection {
    /// Runs `work` in a transaction that writes. On SQLite it begins `IMMEDIATE`, taking the
    /// write lock before the first read and waiting its turn (busy timeout) behind other
    /// writers; a plain (deferred) transaction that reads and then writes fails at once with
    /// "database is locked" when another connection wrote in between. Inside a transaction it
    /// is a savepoint, as `transaction` is; PostgreSQL's transactions are unchanged.
    pub fn write_transaction<T, E, F>(&mut self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        use diesel::result::Error;
        type Manager = <DbConnection as Connection>::TransactionManager;
        let DbConnection::Sqlite(sqlite) = self else {
            return self.transaction(work);
        };
        match AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE") {
            Ok(()) => {}
            Err(Error::AlreadyInTransaction) => return self.transaction(work),
            Err(e) => return Err(e.into()),
        }
        match work(self) {
            Ok(value) => {
                Manager::commit_transaction(self)?;
                Ok(value)
            }
            // As diesel's `transaction`: the work's error wins over a broken rollback. It also
            // wins when SQLite rolled the transaction back by itself (a full disk, an I/O
            // error): `ROLLBACK` then fails with "no transaction is active", which would hide
            // why the work failed. diesel marks the connection broken whenever a rollback
            // leaves it unusable, and the pool then drops it.
            Err(error) => match Manager::rollback_transaction(self) {
                Ok(()) | Err(Error::BrokenTransactionManager | Error::NotInTransaction) => {
                    Err(error)
                }
                Err(Error::DatabaseError(_, info))
                    if info.message().contains("no transaction is active") =>
                {
                    Err(error)
                }
                Err(rollback) => Err(rollback.into()),
            },
        }
    }
}

/// The shared connection pool.
pub type DbPool = Pool<ConnectionManager<DbConnection>>;
/// A connection borrowed from the pool.
pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

/// Failures of the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// No connection could be had in time.
    #[error("database pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// A query failed (with its causes: a value read from a row that does not parse names
    /// the field and the value).
    #[error("database query: {}", with_causes(.0))]
    Query(diesel::result::Error),
    /// Migrations failed.
    #[error("database migration: {0}")]
    Migration(String),
    /// A row holds a value the code does not know.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The database folder could not be created.
    #[error("{0}")]
    Io(String),
    /// The blocking thread running the query died.
    #[error("database task failed")]
    Blocking,
    /// A check inside a transaction refused the request; the transaction was rolled back.
    #[error("refused: {}", .0.code)]
    Refused(crate::domain::problem::Problem),
    /// The URL names no supported backend.
    #[error("unsupported DATABASE_URL (use sqlite://path, a file path, or postgres://…)")]
    UnsupportedUrl,
    /// The database could not write: its disk is full or failed (SQLite `SQLITE_FULL` or a disk
    /// I/O error, PostgreSQL "No space left on device"). The transaction was rolled back.
    #[error("database storage full or failing: {0}")]
    StorageFull(String),
}

/// An error's message followed by each of its causes, `: `-separated.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => DbError::NotFound,
            other => match storage_failure(&other) {
                Some(message) => DbError::StorageFull(message),
                None => DbError::Query(other),
            },
        }
    }
}

/// The database's own message when `e` says its storage is full or cannot be written: SQLite's
/// `SQLITE_FULL` ("database or disk is full") and `SQLITE_IOERR` ("disk I/O error"; SQLite
/// reports a write that hit a full disk as `SQLITE_FULL`, other failed writes as this), and
/// PostgreSQL's `disk_full` (53100, "No space left on device"). A failed `COMMIT` counts by
/// its own error.
pub fn storage_failure(e: &diesel::result::Error) -> Option<String> {
    use diesel::result::Error;
    match e {
        Error::DatabaseError(_, info) => {
            let message = info.message();
            let full = [
                "database or disk is full",
                "disk I/O error",
                "No space left on device",
            ]
            .iter()
            .any(|needle| message.contains(needle));
            full.then(|| message.to_string())
        }
        Error::RollbackErrorOnCommit { commit_error, .. } => storage_failure(commit_error),
        _ => None,
    }
}

/// Adds one to a counter row with `bump`, creating the row with `create` when there is none.
/// When another server creates the same row in between (PostgreSQL), the unique violation is
/// rolled back to a savepoint and the count goes onto that row, so no request fails for it.
pub fn bump_counter(
    conn: &mut DbConnection,
    bump: impl Fn(&mut DbConnection) -> diesel::QueryResult<usize>,
    create: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<usize>,
) -> diesel::QueryResult<()> {
    use diesel::result::{DatabaseErrorKind, Error};
    if bump(conn)? > 0 {
        return Ok(());
    }
    match conn.transaction(create) {
        Ok(_) => Ok(()),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => bump(conn).map(|_| ()),
        Err(e) => Err(e),
    }
}

/// Rows per multi-row insert: well under SQLite's limit of 32,766 bound values for the widest
/// table written this way.
const ROWS_PER_INSERT: usize = 500;

/// Inserts `rows` into `table` in their order, a few hundred rows per statement.
/// `MultiConnection` cannot batch inserts; the native connections can, so each chunk goes to
/// the backend's own connection.
pub fn insert_rows<T, V>(
    conn: &mut DbConnection,
    table: T,
    rows: &[V],
) -> diesel::QueryResult<usize>
where
    T: diesel::Table + Copy,
    V: Clone,
    Vec<V>: diesel::Insertable<T>,
    diesel::query_builder::InsertStatement<T, <Vec<V> as diesel::Insertable<T>>::Values>:
        diesel::query_dsl::methods::ExecuteDsl<PgConnection>
            + diesel::query_dsl::methods::ExecuteDsl<SqliteConnection>,
{
    use diesel::RunQueryDsl;
    let mut inserted = 0;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let insert = diesel::insert_into(table).values(chunk.to_vec());
        inserted += match conn {
            DbConnection::Postgresql(c) => insert.execute(c)?,
            DbConnection::Sqlite(c) => insert.execute(c)?,
        };
    }
    Ok(inserted)
}

/// Which backend a URL selects, and the URL the driver wants.
fn backend_url(url: &str) -> Result<(bool, String), DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((true, url.to_string()))
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        Ok((false, path.to_string()))
    } else if url.contains("://") {
        Err(DbError::UnsupportedUrl)
    } else {
        Ok((false, url.to_string()))
    }
}

/// Applies per-connection settings: WAL, busy timeout, full sync, foreign keys and a small page
/// cache on SQLite;
/// plans made per query on PostgreSQL.
#[derive(Debug)]
struct ConnectionSettings;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSettings {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            // synchronous=FULL: an acknowledged opinion survives a power cut, not just a crash.
            // A 1 MiB page cache per connection (SQLite's default is 2 MiB): the system's file
            // cache, shared by every connection, holds the rest, so memory does not grow with
            // the pool (README, "Memory").
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
                 PRAGMA cache_size = -1024;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        if let DbConnection::Postgresql(c) = conn {
            // Queue filters are very skewed (a search word in every opinion or in one): a plan
            // made once for all parameter values took 850 ms where a fresh one takes 0.5 ms.
            c.batch_execute("SET plan_cache_mode = force_custom_plan")
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Opens the pool for `url`, creating the SQLite file's folder (0700) and file (0600) when
/// needed.
pub fn connect(url: &str, size: u32) -> Result<DbPool, DbError> {
    let (is_pg, driver_url) = backend_url(url)?;
    if !is_pg
        && let Some(parent) = std::path::Path::new(&driver_url).parent()
        && !parent.as_os_str().is_empty()
    {
        crate::files::create_private_dir(parent)
            .map_err(|e| DbError::Io(format!("cannot create {}: {e}", parent.display())))?;
    }
    if !is_pg {
        let on_disk = driver_url != ":memory:" && !driver_url.starts_with("file:");
        if on_disk {
            crate::files::create_private_file(std::path::Path::new(&driver_url))
                .map_err(|e| DbError::Io(format!("cannot create {driver_url}: {e}")))?;
        }
        use_write_ahead_log(&driver_url)?;
        if on_disk {
            // SQLite gives its log files the database's mode; older ones may predate that.
            for suffix in ["-wal", "-shm", "-journal"] {
                let companion = format!("{driver_url}{suffix}");
                crate::files::restrict(std::path::Path::new(&companion))
                    .map_err(|e| DbError::Io(format!("cannot restrict {companion}: {e}")))?;
            }
        }
    }
    let manager = ConnectionManager::<DbConnection>::new(driver_url);
    Ok(Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(ConnectionSettings))
        .build(manager)?)
}

/// Switches the SQLite file to WAL once, before the pool opens its connections in parallel:
/// changing the journal mode needs the file to itself and does not wait for the busy timeout,
/// so connections racing to switch a new file logged "database is locked". The mode stays in
/// the file; the per-connection pragma then finds it set.
///
/// Another process switching the same new file at that moment (servers or `migrate` starting
/// together) makes it fail at once, so it is tried again for up to the busy timeout.
fn use_write_ahead_log(path: &str) -> Result<(), DbError> {
    let mut conn = SqliteConnection::establish(path)
        .map_err(|e| DbError::Io(format!("cannot open {path}: {e}")))?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")?;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match conn.batch_execute("PRAGMA journal_mode = WAL;") {
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("locked") && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            done => return Ok(done?),
        }
    }
}

/// Advisory lock key held while migrating, so several servers starting at once take turns.
const MIGRATION_LOCK: i64 = 0x6d73_735f_6d69_6772;

/// Runs the pending migrations of the connection's backend.
pub fn migrate(pool: &DbPool) -> Result<(), DbError> {
    let mut conn = pool.get()?;
    migrate_connection(&mut conn)
}

/// Runs the pending migrations on one connection, after refusing a database that a newer
/// binary migrated (see [`deployment::refuse_newer_schema`]).
pub fn migrate_connection(conn: &mut DbConnection) -> Result<(), DbError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    let applied = |versions: Vec<diesel::migration::MigrationVersion<'static>>| {
        versions.iter().map(|v| v.to_string()).collect::<Vec<_>>()
    };
    match conn {
        DbConnection::Postgresql(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = c.applied_migrations().map_err(failed).and_then(|versions| {
                deployment::refuse_newer_schema(&applied(versions), deployment::Engine::Postgres)?;
                c.run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|_| ())
                    .map_err(failed)
            });
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        }
        // One write transaction around the whole run: a second server waits (busy timeout),
        // then finds nothing pending.
        DbConnection::Sqlite(c) => c.immediate_transaction(|c| {
            let versions = c.applied_migrations().map_err(failed)?;
            deployment::refuse_newer_schema(&applied(versions), deployment::Engine::Sqlite)?;
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|_| ())
                .map_err(failed)
        }),
    }
}

/// Answers whether the database is reachable (for `/healthz`).
pub fn ping_conn(conn: &mut DbConnection) -> Result<(), DbError> {
    conn.batch_execute("SELECT 1")?;
    Ok(())
}

/// Makes deletions final on disk: SQLite already overwrites freed pages (`secure_delete`);
/// this also empties the write-ahead log, which may still hold the old pages. PostgreSQL
/// reclaims deleted rows through autovacuum.
pub fn flush_deleted(conn: &mut DbConnection) -> Result<(), DbError> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    Ok(())
}

/// After a release: PostgreSQL's `VACUUM` of the holding tables (outside any transaction),
/// so their dead rows, in arrival order, are pruned rather than kept until autovacuum (and of
/// the tables `holding::VACUUMED` names); SQLite's `secure_delete` has zeroed them already and
/// a checkpoint empties the log.
pub fn vacuum_holding(conn: &mut DbConnection) -> Result<(), DbError> {
    match conn {
        DbConnection::Postgresql(c) => c.batch_execute(&format!(
            "VACUUM waiting_opinions, waiting_photos, waiting_messages, {}",
            holding::VACUUMED
        ))?,
        DbConnection::Sqlite(c) => c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?,
    }
    Ok(())
}

/// A new random id (UUID v4).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
