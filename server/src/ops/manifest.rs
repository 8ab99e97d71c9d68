//! `manifest.json`: what a backup holds and how to tell it is whole.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::OpsError;
use super::files::{sha256_of, sync_dir, write_private};
use crate::config::SECRET_FILE;
use crate::db::deployment::{Counts, Engine};

/// The manifest's file name in a backup folder.
pub const MANIFEST: &str = "manifest.json";
/// What `format` says in every manifest.
pub const FORMAT: &str = "mashangshuo-backup";
/// The manifest format this binary writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The SQLite copy in a backup folder.
pub const SQLITE_FILE: &str = "mashangshuo.db";
/// The PostgreSQL archive (`pg_dump --format=custom`) in a backup folder.
pub const PG_DUMP_FILE: &str = "mashangshuo.dump";
/// The folder of the demo boxes' QR images, in the data directory and in a backup.
pub const QR_DIR: &str = "qr";
/// The first bytes of a `pg_dump --format=custom` archive.
pub const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

/// Everything a restore needs to know about a backup.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the binary that wrote it.
    pub format_version: u32,
    /// The version of the binary that wrote it.
    pub binary_version: String,
    /// `sqlite` or `postgres`.
    pub backend: Engine,
    /// The database's newest applied migration (`None` for a database never migrated).
    pub schema_version: Option<String>,
    /// The local day it was made, `YYYY-MM-DD` (no finer time).
    pub created_on: String,
    /// How the database copy was taken: `vacuum_into` (SQLite), `pg_dump_snapshot` (the
    /// dump and the facts below come from one PostgreSQL snapshot) or `pg_dump_file` (a dump
    /// made separately; the facts below were read from the live database afterwards).
    pub snapshot: String,
    /// Every file of the backup but this manifest.
    pub files: Vec<FileEntry>,
    /// The fingerprint of the secret the database was made with (never the secret).
    pub secret_fingerprint: String,
    /// Whether `secret.key` is among the files (`backup --include-secret`).
    pub secret_included: bool,
    /// The audit trail's head and whether its chain was intact.
    pub audit: AuditHead,
    /// Row counts of the copy.
    pub counts: Counts,
}

/// One file of a backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its path inside the backup folder, `/`-separated.
    pub path: String,
    /// Its size.
    pub bytes: u64,
    /// The SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// The audit trail as the backup found it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    /// Entries in the trail.
    pub entries: u64,
    /// The last entry's number.
    pub head_seq: i64,
    /// The last entry's hash.
    pub head_hash: String,
    /// Whether every link of the chain held.
    pub intact: bool,
}

impl From<&vocabulary::model::AuditCheck> for AuditHead {
    fn from(check: &vocabulary::model::AuditCheck) -> Self {
        AuditHead {
            entries: check.entries,
            head_seq: check.head_seq,
            head_hash: check.head_hash.clone(),
            intact: check.intact,
        }
    }
}

impl Manifest {
    /// Whether the counts and audit head describe the database copy itself.
    pub fn describes_copy(&self) -> bool {
        self.snapshot != "pg_dump_file"
    }

    /// The entry of `path`, if the backup lists it.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Reads and checks the manifest of the backup in `dir`: its format, its file names and
    /// the database file its engine needs.
    pub fn read(dir: &Path) -> Result<Manifest, OpsError> {
        let path = dir.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OpsError::Corrupt(format!(
                    "{} is missing: this is not a finished backup",
                    path.display()
                )));
            }
            Err(e) => {
                return Err(OpsError::Corrupt(format!("{}: {e}", path.display())));
            }
        };
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| OpsError::Corrupt(format!("{} is not valid JSON: {e}", path.display())))?;
        if value["format"] != FORMAT {
            return Err(OpsError::Corrupt(format!(
                "{} is not a mashangshuo backup manifest",
                path.display()
            )));
        }
        if value["format_version"]
            .as_u64()
            .is_some_and(|v| v > u64::from(FORMAT_VERSION))
        {
            return Err(OpsError::Mismatch(format!(
                "the backup was written by a newer version of mashangshuo ({}, manifest format \
                 {}); this binary reads format {FORMAT_VERSION}",
                value["binary_version"], value["format_version"]
            )));
        }
        let manifest: Manifest = serde_json::from_value(value).map_err(|e| {
            OpsError::Corrupt(format!("{} is not a valid manifest: {e}", path.display()))
        })?;
        for file in &manifest.files {
            if !is_backup_path(&file.path) {
                return Err(OpsError::Corrupt(format!(
                    "the manifest lists an unexpected file {:?}",
                    file.path
                )));
            }
        }
        let database = match manifest.backend {
            Engine::Sqlite => SQLITE_FILE,
            Engine::Postgres => PG_DUMP_FILE,
        };
        if manifest.file(database).is_none() {
            return Err(OpsError::Corrupt(format!(
                "the manifest lists no {database}"
            )));
        }
        if manifest.secret_included != manifest.file(SECRET_FILE).is_some() {
            return Err(OpsError::Corrupt(
                "the manifest's secret_included does not match its files".into(),
            ));
        }
        Ok(manifest)
    }

    /// Checks that every listed file is in `dir` with its size and checksum.
    pub fn verify_files(&self, dir: &Path) -> Result<(), OpsError> {
        for file in &self.files {
            let path = dir.join(&file.path);
            if !path.is_file() {
                return Err(OpsError::Corrupt(format!(
                    "{} is missing from the backup",
                    file.path
                )));
            }
            let (sha256, bytes) = sha256_of(&path)?;
            if bytes != file.bytes || sha256 != file.sha256 {
                return Err(OpsError::Corrupt(format!(
                    "{} does not match its checksum in the manifest (SHA-256 {sha256}, {bytes} \
                     bytes; the manifest says {}, {} bytes): the file was damaged or changed",
                    file.path, file.sha256, file.bytes
                )));
            }
        }
        Ok(())
    }

    /// Writes the manifest into `dir` last, through a temporary file renamed into place, so a
    /// folder with a manifest is a finished backup.
    pub fn write(&self, dir: &Path) -> Result<(), OpsError> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| OpsError::Refused(format!("cannot write the manifest: {e}")))?;
        let temporary = dir.join(format!("{MANIFEST}.partial"));
        write_private(&temporary, text.as_bytes())?;
        let path = dir.join(MANIFEST);
        std::fs::rename(&temporary, &path).map_err(OpsError::io(&path))?;
        sync_dir(dir)
    }
}

/// Lists a backup file: its path relative to `dir`, size and checksum.
pub fn entry(dir: &Path, relative: &str) -> Result<FileEntry, OpsError> {
    let (sha256, bytes) = sha256_of(&dir.join(relative))?;
    Ok(FileEntry {
        path: relative.to_string(),
        bytes,
        sha256,
    })
}

/// Whether a manifest may name this path: the database copy, the secret, or a QR image.
fn is_backup_path(path: &str) -> bool {
    match path.split_once('/') {
        None => [SQLITE_FILE, PG_DUMP_FILE, SECRET_FILE].contains(&path),
        Some((dir, name)) => dir == QR_DIR && is_qr_name(name),
    }
}

/// A QR image's plain file name: letters, digits, `-` and `_`, then `.png`.
pub fn is_qr_name(name: &str) -> bool {
    name.strip_suffix(".png").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_files_may_be_listed() {
        for good in [
            "mashangshuo.db",
            "mashangshuo.dump",
            "secret.key",
            "qr/AB12-x_y.png",
        ] {
            assert!(is_backup_path(good), "{good}");
        }
        for bad in [
            "../mashangshuo.db",
            "/etc/passwd",
            "qr/../secret.key",
            "qr/.png",
            "qr/a/b.png",
            "other.db",
            "qr/a.png.sh",
        ] {
            assert!(!is_backup_path(bad), "{bad}");
        }
    }
}
