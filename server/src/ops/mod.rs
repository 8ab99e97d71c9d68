//! Operating a deployment from the command line: backups and restores, the migration plan,
//! the deployment secret's fingerprint, and the first admin account. `main.rs` only parses
//! arguments and prints what these return.

pub mod admin;
pub mod backup;
pub mod files;
pub mod manifest;
pub mod migrations;
pub mod postgres;
pub mod restore;
pub mod secret;

use std::path::{Path, PathBuf};

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

use crate::db::deployment::Engine;
use crate::db::{DbConnection, DbError};

/// Why an operation did not happen; each kind has its own exit status.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The backup is damaged: its manifest cannot be read, a file is missing or differs from
    /// its checksum, or the copy fails SQLite's integrity check or the audit chain check.
    #[error("corrupt backup: {0}")]
    Corrupt(String),
    /// The backup does not fit here: another database engine, a schema newer than this
    /// binary, or another deployment secret.
    #[error("the backup does not match this deployment: {0}")]
    Mismatch(String),
    /// The place to write to already holds data.
    #[error("{0}")]
    NotEmpty(String),
    /// The request was refused as given (a user name that exists, a bad argument…).
    #[error("{0}")]
    Refused(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// `pg_dump` or `pg_restore` failed or could not be run.
    #[error("{0}")]
    Tool(String),
    /// Hashing a password failed.
    #[error(transparent)]
    Hash(#[from] crate::crypto::HashError),
    /// Opening the database for the server's work failed (migrations, the secret's check).
    #[error(transparent)]
    Start(#[from] crate::startup::StartError),
}

impl OpsError {
    /// The process exit status: 3 corrupt backup, 4 mismatched backup, 5 target not empty,
    /// 1 anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            OpsError::Corrupt(_) => 3,
            OpsError::Mismatch(_) => 4,
            OpsError::NotEmpty(_) => 5,
            _ => 1,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OpsError + '_ {
        move |source| OpsError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Opens one connection to the database at `url` without creating anything: a SQLite file
/// must exist, and it is not switched to WAL (the server does that).
pub fn open(url: &str) -> Result<DbConnection, OpsError> {
    let (engine, driver_url) = Engine::of_url(url)?;
    match engine {
        Engine::Postgres => PgConnection::establish(&driver_url)
            .map(DbConnection::Postgresql)
            .map_err(|e| OpsError::Db(DbError::Io(format!("cannot connect to PostgreSQL: {e}")))),
        Engine::Sqlite => {
            let path = Path::new(&driver_url);
            if !path.is_file() {
                return Err(OpsError::Refused(format!(
                    "no SQLite database at {}",
                    path.display()
                )));
            }
            open_sqlite_file(path)
        }
    }
}

/// Opens a SQLite file that exists, waiting up to 5 s for a writer's lock.
pub fn open_sqlite_file(path: &Path) -> Result<DbConnection, OpsError> {
    let text = path
        .to_str()
        .ok_or_else(|| OpsError::Refused(format!("{} is not UTF-8", path.display())))?;
    let mut conn = SqliteConnection::establish(text)
        .map_err(|e| OpsError::Db(DbError::Io(format!("cannot open {text}: {e}"))))?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")
        .map_err(DbError::from)?;
    Ok(DbConnection::Sqlite(conn))
}
