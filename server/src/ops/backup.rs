//! `mashangshuo backup DIR`: a consistent copy of the live database (SQLite `VACUUM INTO`, or
//! `pg_dump` reading the snapshot the manifest's facts were read in), the demo's QR images,
//! optionally the secret, and `manifest.json` with checksums.

use std::path::{Path, PathBuf};

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;

use super::files::{copy_private, empty_backup_dir, qr_images, sync_dir, write_private};
use super::manifest::{
    self, AuditHead, FORMAT, FORMAT_VERSION, Manifest, PG_DUMP_FILE, QR_DIR, SQLITE_FILE,
};
use super::secret::fingerprint;
use super::{OpsError, open, open_sqlite_file, postgres};
use crate::config::{Config, SECRET_FILE};
use crate::db::deployment::{
    Counts, DeploymentFact, Engine, SECRET_FINGERPRINT, has_table, integrity_check, schema_version,
};
use crate::db::{DbConnection, DbError};

/// What to put in a backup besides the database.
#[derive(Debug, Default)]
pub struct BackupOptions {
    /// Also copy the deployment secret (`secret.key`): whoever holds the backup can then look
    /// receipts up. Without it only the secret's fingerprint is recorded.
    pub include_secret: bool,
    /// PostgreSQL: an archive made beforehand with `pg_dump --format=custom`, to record
    /// instead of running `pg_dump`.
    pub pg_dump_file: Option<PathBuf>,
}

/// Writes a backup of the configured database into `dir` (new or empty) and returns its
/// manifest.
pub fn backup(config: &Config, dir: &Path, options: &BackupOptions) -> Result<Manifest, OpsError> {
    let (engine, _) = Engine::of_url(&config.database_url)?;
    if engine == Engine::Sqlite && options.pg_dump_file.is_some() {
        return Err(OpsError::Refused(
            "--pg-dump is for PostgreSQL; this deployment uses SQLite".into(),
        ));
    }
    // Opened before the folder is made, so a wrong URL leaves nothing behind.
    let mut live = open(&config.database_url)?;
    empty_backup_dir(dir)?;
    let facts = match engine {
        Engine::Sqlite => copy_sqlite(&mut live, dir)?,
        Engine::Postgres => copy_postgres(&mut live, &config.database_url, dir, options)?,
    };
    drop(live);
    let mut files = vec![manifest::entry(dir, facts.database_file)?];
    let images = qr_images(&config.data_dir)?;
    if !images.is_empty() {
        let qr_dir = dir.join(QR_DIR);
        crate::files::create_private_dir(&qr_dir).map_err(OpsError::io(&qr_dir))?;
        for image in images {
            let Some(name) = image.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            copy_private(&image, &qr_dir.join(name))?;
            files.push(manifest::entry(dir, &format!("{QR_DIR}/{name}"))?);
        }
        sync_dir(&qr_dir)?;
    }
    if options.include_secret {
        write_private(&dir.join(SECRET_FILE), config.secret.expose())?;
        files.push(manifest::entry(dir, SECRET_FILE)?);
    }
    let configured = fingerprint(&config.secret);
    let secret_fingerprint = match facts.stored_fingerprint {
        Some(stored) => {
            if stored != configured {
                tracing::warn!(
                    "the configured secret is not the one this database was made with; the \
                     backup records the database's fingerprint"
                );
            }
            stored
        }
        None => configured,
    };
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        binary_version: env!("CARGO_PKG_VERSION").into(),
        backend: engine,
        schema_version: facts.schema_version,
        created_on: crate::domain::day::today().into(),
        snapshot: facts.snapshot.into(),
        files,
        secret_fingerprint,
        secret_included: options.include_secret,
        audit: facts.audit,
        counts: facts.counts,
    };
    sync_dir(dir)?;
    manifest.write(dir)?;
    Ok(manifest)
}

/// What a backup read from the database, in the same snapshot as the copy where it can.
struct CopyFacts {
    database_file: &'static str,
    snapshot: &'static str,
    schema_version: Option<String>,
    stored_fingerprint: Option<String>,
    audit: AuditHead,
    counts: Counts,
}

/// Reads the facts the manifest records from a database at any schema.
fn read_facts(
    conn: &mut DbConnection,
    database_file: &'static str,
    snapshot: &'static str,
) -> Result<CopyFacts, OpsError> {
    let audit = if has_table(conn, "audit_head")? {
        AuditHead::from(&crate::service::audit::check(conn)?)
    } else {
        AuditHead {
            intact: true,
            ..AuditHead::default()
        }
    };
    if !audit.intact {
        tracing::warn!(
            "the audit trail's hash chain is broken in this database; the backup records it \
             (`mashangshuo audit` shows where)"
        );
    }
    let stored_fingerprint = if has_table(conn, "deployment_facts")? {
        DeploymentFact::get(conn, SECRET_FINGERPRINT)?
    } else {
        None
    };
    Ok(CopyFacts {
        database_file,
        snapshot,
        schema_version: schema_version(conn)?,
        stored_fingerprint,
        audit,
        counts: Counts::read_any(conn)?,
    })
}

/// `VACUUM INTO` a new private file: one read transaction, so a consistent snapshot while the
/// server keeps writing; the copy holds only live rows (no freed pages, no write-ahead log),
/// so what `secure_delete` erased stays erased. The facts are read from the copy.
fn copy_sqlite(live: &mut DbConnection, dir: &Path) -> Result<CopyFacts, OpsError> {
    let target = dir.join(SQLITE_FILE);
    // VACUUM INTO accepts an empty file; made here, it is private from the start.
    super::files::create_private(&target)?;
    let target_text = target
        .to_str()
        .ok_or_else(|| OpsError::Refused(format!("{} is not UTF-8", target.display())))?;
    diesel::sql_query("VACUUM INTO $1")
        .bind::<Text, _>(target_text)
        .execute(live)
        .map_err(DbError::from)?;
    let mut copy = open_sqlite_file(&target)?;
    if let Err(problems) = integrity_check(&mut copy)? {
        return Err(OpsError::Corrupt(format!(
            "the copy fails SQLite's integrity check ({problems}); the live database may be \
             damaged: run `sqlite3 DB 'PRAGMA integrity_check'` on it"
        )));
    }
    read_facts(&mut copy, SQLITE_FILE, "vacuum_into")
}

#[derive(diesel::QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = Text)]
    snapshot: String,
}

/// `pg_dump` reading the snapshot of a read-only transaction held open meanwhile, in which the
/// facts are read too; or, with `--pg-dump FILE`, that archive, checked and copied.
fn copy_postgres(
    live: &mut DbConnection,
    url: &str,
    dir: &Path,
    options: &BackupOptions,
) -> Result<CopyFacts, OpsError> {
    let target = dir.join(PG_DUMP_FILE);
    if let Some(given) = &options.pg_dump_file {
        postgres::check_archive(given)?;
        copy_private(given, &target)?;
        return read_facts(live, PG_DUMP_FILE, "pg_dump_file");
    }
    live.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .map_err(DbError::from)?;
    let result = (|| {
        let exported: Snapshot = diesel::sql_query("SELECT pg_export_snapshot() AS snapshot")
            .get_result(live)
            .map_err(DbError::from)?;
        let facts = read_facts(live, PG_DUMP_FILE, "pg_dump_snapshot")?;
        postgres::dump(url, Some(&exported.snapshot), &target)?;
        Ok(facts)
    })();
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    live.batch_execute(end).map_err(DbError::from)?;
    result
}
