//! `mashangshuo migrate --dry-run`: which migrations a database lacks, without applying any.

use std::path::Path;

use serde::Serialize;

use super::{OpsError, open};
use crate::db::deployment::{
    Engine, MigrationInfo, applied_versions, known_migrations, refuse_newer_schema,
};

/// The migrations a database has and lacks.
#[derive(Debug, Serialize)]
pub struct MigrationPlan {
    /// `sqlite` or `postgres`.
    pub backend: Engine,
    /// This binary's version.
    pub binary_version: &'static str,
    /// The database's newest applied migration (`None`: none yet).
    pub database_version: Option<String>,
    /// The newest migration this binary carries.
    pub binary_schema_version: Option<String>,
    /// The migrations `migrate` (or `serve`) would apply, oldest first.
    pub pending: Vec<MigrationInfo>,
}

/// Lists the pending migrations of the database at `url`; reads only (a SQLite file that does
/// not exist yet is not created: everything is pending). A database migrated by a newer
/// binary is refused, as `serve` refuses it.
pub fn plan(url: &str) -> Result<MigrationPlan, OpsError> {
    let (engine, driver_url) = Engine::of_url(url)?;
    let applied = if engine == Engine::Sqlite && !Path::new(&driver_url).exists() {
        Vec::new()
    } else {
        applied_versions(&mut open(url)?)?
    };
    refuse_newer_schema(&applied, engine)?;
    let known = known_migrations(engine)?;
    Ok(MigrationPlan {
        backend: engine,
        binary_version: env!("CARGO_PKG_VERSION"),
        database_version: applied.last().cloned(),
        binary_schema_version: known.last().map(|m| m.version.clone()),
        pending: known
            .into_iter()
            .filter(|m| !applied.contains(&m.version))
            .collect(),
    })
}
