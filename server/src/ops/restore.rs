//! `mashangshuo restore DIR`: checks a backup whole (manifest, checksums, schema, secret)
//! before touching anything, restores it only where no data is, checks the copy (SQLite's
//! integrity check, the audit chain, the counts and head the manifest recorded), brings it to
//! this binary's schema, and reports what it restored.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::files::{copy_private, entries, remove_if_present, sha256_of, sync_dir};
use super::manifest::{AuditHead, Manifest, PG_DUMP_FILE, QR_DIR, SQLITE_FILE};
use super::secret::{WHAT_BREAKS, fingerprint};
use super::{OpsError, open, open_sqlite_file, postgres};
use crate::config::{SECRET_FILE, Secret, Storage, read_secret_file};
use crate::db::deployment::{
    Counts, DeploymentFact, Engine, SECRET_FINGERPRINT, has_table, integrity_check,
    known_migrations, newer_schema_message, schema_version, user_table_count, version_order,
};
use crate::db::{DbConnection, migrate_connection};

/// How to restore.
#[derive(Debug, Default)]
pub struct RestoreOptions {
    /// Restore although the configured secret is not the backup's (or none is configured):
    /// see [`WHAT_BREAKS`].
    pub new_secret: bool,
}

/// What `restore` prints.
#[derive(Debug, Serialize)]
pub struct RestoreReport {
    /// The backup folder.
    pub restored_from: String,
    /// `sqlite` or `postgres`.
    pub backend: Engine,
    /// The day the backup was made.
    pub backup_created_on: String,
    /// The schema version after bringing the copy up to this binary's.
    pub schema_version: Option<String>,
    /// `ok` (SQLite's `PRAGMA integrity_check`; PostgreSQL: `pg_restore` finished in one
    /// transaction).
    pub integrity: String,
    /// The audit chain as checked after the restore.
    pub audit: AuditHead,
    /// Row counts of the restored database.
    pub counts: Counts,
    /// QR images put back into the data directory.
    pub qr_images: usize,
    /// `backup` (the secret the backup was made with), or `new` (`--new-secret`).
    pub secret: &'static str,
    /// With a new secret: what stopped working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_working: Option<&'static str>,
}

/// Where the secret the restored deployment will use comes from.
enum SecretSource {
    /// `MASHANGSHUO_SECRET` or the data directory's `secret.key`.
    Configured(Secret),
    /// The backup's `secret.key`, to be written into the data directory.
    Backup(Secret),
    /// None at all: the server makes one at its first start (`--new-secret` only).
    None,
}

/// Restores the backup in `dir` into the configured database and data directory.
pub fn restore(
    storage: &Storage,
    dir: &Path,
    options: &RestoreOptions,
) -> Result<RestoreReport, OpsError> {
    let manifest = Manifest::read(dir)?;
    let (engine, driver_url) = Engine::of_url(&storage.database_url)?;
    if manifest.backend != engine {
        return Err(OpsError::Mismatch(format!(
            "the backup is of a {} database and DATABASE_URL names a {} one",
            manifest.backend.as_str(),
            engine.as_str()
        )));
    }
    manifest.verify_files(dir)?;
    refuse_newer(&manifest, engine)?;
    let source = secret_source(storage, dir, &manifest, options)?;
    let new_secret = match &source {
        SecretSource::Configured(s) | SecretSource::Backup(s) => {
            fingerprint(s) != manifest.secret_fingerprint
        }
        SecretSource::None => true,
    };
    let target = match engine {
        Engine::Sqlite => Target::Sqlite(PathBuf::from(&driver_url)),
        Engine::Postgres => Target::Postgres(storage.database_url.clone()),
    };
    target.refuse_unless_empty(&storage.data_dir)?;
    let fingerprint_to_keep = match (&source, new_secret) {
        (_, false) => Some(manifest.secret_fingerprint.clone()),
        (SecretSource::Configured(s) | SecretSource::Backup(s), true) => Some(fingerprint(s)),
        (SecretSource::None, true) => None,
    };
    let restored = match &target {
        Target::Sqlite(path) => restore_sqlite(dir, &manifest, path, fingerprint_to_keep)?,
        Target::Postgres(url) => restore_postgres(dir, &manifest, url, fingerprint_to_keep)?,
    };
    crate::files::create_private_dir(&storage.data_dir).map_err(OpsError::io(&storage.data_dir))?;
    let qr_images = restore_qr_images(dir, &manifest, &storage.data_dir)?;
    if let SecretSource::Backup(secret) = &source {
        let path = storage.data_dir.join(SECRET_FILE);
        super::files::write_private(&path, secret.expose())?;
        sync_dir(&storage.data_dir)?;
    }
    Ok(RestoreReport {
        restored_from: dir.display().to_string(),
        backend: engine,
        backup_created_on: manifest.created_on.clone(),
        schema_version: restored.schema_version,
        integrity: "ok".into(),
        audit: restored.audit,
        counts: restored.counts,
        qr_images,
        secret: if new_secret { "new" } else { "backup" },
        stopped_working: new_secret.then_some(WHAT_BREAKS),
    })
}

/// Refuses a backup whose schema is newer than this binary's newest migration.
fn refuse_newer(manifest: &Manifest, engine: Engine) -> Result<(), OpsError> {
    let known = known_migrations(engine)?;
    let (Some(backup), Some(newest)) = (&manifest.schema_version, known.last()) else {
        return Ok(());
    };
    if version_order(backup, &newest.version).is_gt() {
        return Err(OpsError::Mismatch(format!(
            "{} (the backup was made by mashangshuo {})",
            newer_schema_message(backup, &format!("{} ({})", newest.version, newest.name)),
            manifest.binary_version
        )));
    }
    Ok(())
}

/// Works out which secret the restored deployment will run with, and refuses one that is not
/// the backup's unless `--new-secret` says so.
fn secret_source(
    storage: &Storage,
    dir: &Path,
    manifest: &Manifest,
    options: &RestoreOptions,
) -> Result<SecretSource, OpsError> {
    let source = match (&storage.secret, manifest.secret_included) {
        (Some(configured), _) => SecretSource::Configured(configured.clone()),
        (None, true) => match read_secret_file(&dir.join(SECRET_FILE)) {
            Ok(Some(secret)) => SecretSource::Backup(secret),
            Ok(None) | Err(_) => {
                return Err(OpsError::Corrupt(
                    "the backup's secret.key cannot be read".into(),
                ));
            }
        },
        (None, false) => SecretSource::None,
    };
    if options.new_secret {
        return Ok(source);
    }
    match &source {
        SecretSource::Configured(secret) | SecretSource::Backup(secret) => {
            let configured = fingerprint(secret);
            if configured != manifest.secret_fingerprint {
                return Err(OpsError::Mismatch(format!(
                    "the backup was made under the secret whose fingerprint is {}, and the \
                     secret configured here (MASHANGSHUO_SECRET, or secret.key in the data \
                     directory) has the fingerprint {configured}. Configure the backup's secret \
                     and run restore again. Only if that secret is lost for good, run restore \
                     with --new-secret: then {WHAT_BREAKS}",
                    manifest.secret_fingerprint
                )));
            }
        }
        SecretSource::None => {
            return Err(OpsError::Mismatch(format!(
                "no secret is configured and the backup holds none: set MASHANGSHUO_SECRET to \
                 the backup's secret (fingerprint {}), or put its secret.key into the data \
                 directory, and run restore again. Only if that secret is lost for good, run \
                 restore with --new-secret: then {WHAT_BREAKS}",
                manifest.secret_fingerprint
            )));
        }
    }
    Ok(source)
}

/// Where the database goes.
enum Target {
    /// A SQLite file that must not exist yet.
    Sqlite(PathBuf),
    /// A PostgreSQL database that must have no tables.
    Postgres(String),
}

impl Target {
    /// Refuses to restore over anything: a SQLite file (or its logs), a data directory with
    /// anything but a `secret.key` put there for the restore, a PostgreSQL database with
    /// tables.
    fn refuse_unless_empty(&self, data_dir: &Path) -> Result<(), OpsError> {
        let busy_data_dir = || -> Result<Option<String>, OpsError> {
            let found: Vec<String> = entries(data_dir)?
                .into_iter()
                .filter(|name| name != SECRET_FILE)
                .collect();
            Ok((!found.is_empty()).then(|| found.join(", ")))
        };
        match self {
            Target::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm", "-journal", ".restoring"] {
                    let file = PathBuf::from(format!("{}{suffix}", path.display()));
                    if file.exists() {
                        return Err(OpsError::NotEmpty(format!(
                            "{} exists: restore only into a new data directory (stop the \
                             server and move the old one aside first)",
                            file.display()
                        )));
                    }
                }
                if let Some(found) = busy_data_dir()? {
                    return Err(OpsError::NotEmpty(format!(
                        "the data directory {} is not empty ({found}): restore only into a new \
                         or empty one (a secret.key put there is fine)",
                        data_dir.display()
                    )));
                }
            }
            Target::Postgres(url) => {
                let mut conn = open(url)?;
                let tables = user_table_count(&mut conn)?;
                if tables > 0 {
                    return Err(OpsError::NotEmpty(format!(
                        "the PostgreSQL database in DATABASE_URL has {tables} tables: restore \
                         only into a new, empty database (createdb)"
                    )));
                }
                let qr = data_dir.join(QR_DIR);
                if !entries(&qr)?.is_empty() {
                    return Err(OpsError::NotEmpty(format!(
                        "{} is not empty: restore with a data directory without QR images",
                        qr.display()
                    )));
                }
            }
        }
        Ok(())
    }
}

/// What the restored database holds, checked.
struct Restored {
    schema_version: Option<String>,
    audit: AuditHead,
    counts: Counts,
}

/// Checks a restored copy against the manifest, brings it to this binary's schema, and keeps
/// the fingerprint of the secret it will be served with (none: the first start stores one).
fn check_and_upgrade(
    conn: &mut DbConnection,
    manifest: &Manifest,
    fingerprint_to_keep: Option<String>,
) -> Result<Restored, OpsError> {
    if let Err(problems) = integrity_check(conn)? {
        return Err(OpsError::Corrupt(format!(
            "the restored copy fails SQLite's integrity check: {problems}"
        )));
    }
    if manifest.describes_copy() {
        let counts = Counts::read_any(conn)?;
        if counts != manifest.counts {
            return Err(OpsError::Corrupt(format!(
                "the restored copy holds other rows than the manifest recorded ({counts:?}, the \
                 manifest says {:?})",
                manifest.counts
            )));
        }
    }
    migrate_connection(conn)?;
    let check = if has_table(conn, "audit_head")? {
        crate::service::audit::check(conn)?
    } else {
        vocabulary::model::AuditCheck {
            intact: true,
            entries: 0,
            head_seq: 0,
            head_hash: String::new(),
            broken_at: None,
            reason: None,
        }
    };
    if !check.intact {
        return Err(OpsError::Corrupt(format!(
            "the restored audit trail's hash chain is broken at entry {} ({}): the backup was \
             altered",
            check.broken_at.unwrap_or_default(),
            check.reason.as_deref().unwrap_or("unknown")
        )));
    }
    if manifest.describes_copy()
        && (check.head_seq != manifest.audit.head_seq
            || check.head_hash != manifest.audit.head_hash)
    {
        return Err(OpsError::Corrupt(format!(
            "the restored audit trail ends at entry {} ({}), the manifest recorded {} ({})",
            check.head_seq, check.head_hash, manifest.audit.head_seq, manifest.audit.head_hash
        )));
    }
    match fingerprint_to_keep {
        Some(value) => DeploymentFact::set(conn, SECRET_FINGERPRINT, &value)?,
        None => DeploymentFact::forget(conn, SECRET_FINGERPRINT)?,
    }
    Ok(Restored {
        schema_version: schema_version(conn)?,
        audit: AuditHead::from(&check),
        counts: Counts::read(conn)?,
    })
}

/// Copies the SQLite file under a temporary name beside its place, checks and upgrades it
/// there, and renames it into place only when all is well (else deletes it).
fn restore_sqlite(
    dir: &Path,
    manifest: &Manifest,
    path: &Path,
    fingerprint_to_keep: Option<String>,
) -> Result<Restored, OpsError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::files::create_private_dir(parent).map_err(OpsError::io(parent))?;
    }
    let staging = PathBuf::from(format!("{}.restoring", path.display()));
    let result = (|| {
        copy_private(&dir.join(SQLITE_FILE), &staging)?;
        let expected = manifest.file(SQLITE_FILE).map(|f| f.sha256.as_str());
        if Some(sha256_of(&staging)?.0.as_str()) != expected {
            return Err(OpsError::Corrupt(
                "the copy of mashangshuo.db differs from the backup's: check the disk".into(),
            ));
        }
        // The copy is in rollback-journal mode (VACUUM INTO makes it so): nothing of it stays
        // in a write-ahead log when the connection closes.
        let mut conn = open_sqlite_file(&staging)?;
        let restored = check_and_upgrade(&mut conn, manifest, fingerprint_to_keep)?;
        drop(conn);
        std::fs::rename(&staging, path).map_err(OpsError::io(path))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            sync_dir(parent)?;
        }
        Ok(restored)
    })();
    if result.is_err() {
        remove_if_present(&staging)?;
        remove_if_present(Path::new(&format!("{}-journal", staging.display())))?;
    }
    result
}

/// `pg_restore` into the empty database in one transaction, then the same checks; a copy
/// that fails them stays in the database, which the message says to drop.
fn restore_postgres(
    dir: &Path,
    manifest: &Manifest,
    url: &str,
    fingerprint_to_keep: Option<String>,
) -> Result<Restored, OpsError> {
    postgres::check_archive(&dir.join(PG_DUMP_FILE))?;
    postgres::restore(url, &dir.join(PG_DUMP_FILE))?;
    let mut conn = open(url)?;
    check_and_upgrade(&mut conn, manifest, fingerprint_to_keep).map_err(|e| match e {
        OpsError::Corrupt(message) => OpsError::Corrupt(format!(
            "{message}. The database now holds this copy: drop it (dropdb) before restoring \
             another backup"
        )),
        other => other,
    })
}

/// Puts the backup's QR images into `{data}/qr`.
fn restore_qr_images(dir: &Path, manifest: &Manifest, data_dir: &Path) -> Result<usize, OpsError> {
    let images: Vec<&str> = manifest
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix(&format!("{QR_DIR}/")))
        .collect();
    if images.is_empty() {
        return Ok(0);
    }
    let qr_dir = data_dir.join(QR_DIR);
    crate::files::create_private_dir(&qr_dir).map_err(OpsError::io(&qr_dir))?;
    for name in &images {
        copy_private(&dir.join(QR_DIR).join(name), &qr_dir.join(name))?;
    }
    sync_dir(&qr_dir)?;
    Ok(images.len())
}
