//! What the database says about its deployment: facts checked at start-up (the secret's
//! fingerprint), which migrations it has and which this binary carries, and the counts a
//! backup and a restore report.

use diesel::backend::Backend;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::sqlite::Sqlite;
use diesel_migrations::EmbeddedMigrations;
use serde::{Deserialize, Serialize};

use super::schema::{deployment_facts, opinion_photos, opinions, staff, units};
use super::schema::{waiting_opinions, waiting_photos};
use super::{DbConnection, DbError, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// The fact holding the deployment secret's fingerprint.
pub const SECRET_FINGERPRINT: &str = "secret_fingerprint";

/// The two database engines, told apart by the URL or the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// SQLite, one file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Engine {
    /// The engine a `DATABASE_URL` selects, and the path or URL its driver takes.
    pub fn of_url(url: &str) -> Result<(Engine, String), DbError> {
        let (is_pg, driver_url) = super::backend_url(url)?;
        Ok((
            if is_pg {
                Engine::Postgres
            } else {
                Engine::Sqlite
            },
            driver_url,
        ))
    }

    /// The engine behind a connection.
    pub fn of(conn: &DbConnection) -> Engine {
        match conn {
            DbConnection::Postgresql(_) => Engine::Postgres,
            DbConnection::Sqlite(_) => Engine::Sqlite,
        }
    }

    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Reads and writes the `deployment_facts` table.
pub struct DeploymentFact;

impl DeploymentFact {
    /// The value stored under `name`, if any.
    pub fn get(conn: &mut DbConnection, name: &str) -> Result<Option<String>, DbError> {
        Ok(deployment_facts::table
            .find(name)
            .select(deployment_facts::value)
            .first(conn)
            .optional()?)
    }

    /// Stores `value` under `name` unless a value is there already, and returns the value that
    /// stays: when two servers start at once, the first one's. Runs outside any transaction.
    pub fn keep_first(conn: &mut DbConnection, name: &str, value: &str) -> Result<String, DbError> {
        if let Some(stored) = Self::get(conn, name)? {
            return Ok(stored);
        }
        let inserted = diesel::insert_into(deployment_facts::table)
            .values((
                deployment_facts::name.eq(name),
                deployment_facts::value.eq(value),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => Ok(value.to_string()),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Self::get(conn, name)?.ok_or(DbError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces the value under `name`.
    pub fn set(conn: &mut DbConnection, name: &str, value: &str) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            Self::forget(conn, name)?;
            diesel::insert_into(deployment_facts::table)
                .values((
                    deployment_facts::name.eq(name),
                    deployment_facts::value.eq(value),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Removes the value under `name`.
    pub fn forget(conn: &mut DbConnection, name: &str) -> Result<(), DbError> {
        diesel::delete(deployment_facts::table.find(name)).execute(conn)?;
        Ok(())
    }
}

/// One migration: its version (the digits of its folder's date and number) and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationInfo {
    /// `20261206000022`, as `__diesel_schema_migrations` records it.
    pub version: String,
    /// `2026-12-06-000022_deployment`, the folder's name.
    pub name: String,
}

/// The migrations this binary carries for `engine`, oldest first.
pub fn known_migrations(engine: Engine) -> Result<Vec<MigrationInfo>, DbError> {
    let mut list = match engine {
        Engine::Sqlite => listed::<Sqlite>(&SQLITE_MIGRATIONS)?,
        Engine::Postgres => listed::<Pg>(&POSTGRES_MIGRATIONS)?,
    };
    list.sort_by(|a, b| version_order(&a.version, &b.version));
    Ok(list)
}

fn listed<DB: Backend>(source: &EmbeddedMigrations) -> Result<Vec<MigrationInfo>, DbError> {
    let migrations =
        MigrationSource::<DB>::migrations(source).map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(migrations
        .iter()
        .map(|m| MigrationInfo {
            version: m.name().version().to_string(),
            name: m.name().to_string(),
        })
        .collect())
}

/// Orders migration versions: by number when both are digits (as diesel writes them), else
/// as text.
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

#[derive(QueryableByName)]
struct Present {
    #[diesel(sql_type = Bool)]
    present: bool,
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    version: String,
}

/// The versions recorded in `__diesel_schema_migrations`, oldest first; none when the table
/// does not exist yet. Only reads (unlike diesel's harness, which creates the table).
pub fn applied_versions(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let exists = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' \
             AND name = '__diesel_schema_migrations') AS present"
        }
        DbConnection::Postgresql(_) => {
            "SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS present"
        }
    };
    let found: Present = diesel::sql_query(exists).get_result(conn)?;
    if !found.present {
        return Ok(Vec::new());
    }
    let rows: Vec<VersionRow> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load(conn)?;
    let mut versions: Vec<String> = rows.into_iter().map(|r| r.version).collect();
    versions.sort_by(|a, b| version_order(a, b));
    Ok(versions)
}

/// The newest applied version, if any migration ran.
pub fn schema_version(conn: &mut DbConnection) -> Result<Option<String>, DbError> {
    Ok(applied_versions(conn)?.pop())
}

/// Refuses a database that a newer binary migrated: its newest applied migration is newer
/// than the newest this binary carries, so this binary's queries may not fit its tables.
pub fn refuse_newer_schema(applied: &[String], engine: Engine) -> Result<(), DbError> {
    let known = known_migrations(engine)?;
    let Some(newest_applied) = applied.iter().max_by(|a, b| version_order(a, b)) else {
        return Ok(());
    };
    let newest_known = known.last();
    let newer = newest_known
        .is_none_or(|k| version_order(newest_applied, &k.version) == std::cmp::Ordering::Greater);
    if !newer {
        return Ok(());
    }
    let knows = newest_known
        .map(|k| format!("{} ({})", k.version, k.name))
        .unwrap_or_else(|| "none".into());
    Err(DbError::Migration(newer_schema_message(
        newest_applied,
        &knows,
    )))
}

/// What a binary says when the database is newer than it: both versions and the way out.
pub fn newer_schema_message(database: &str, binary_knows: &str) -> String {
    format!(
        "this database was migrated by a newer version of mashangshuo: its newest migration is \
         {database}, and this binary (mashangshuo {}) knows migrations up to {binary_knows}. \
         Migrations only go forward: run the newer version (or later), or restore a backup \
         made by this version",
        env!("CARGO_PKG_VERSION")
    )
}

/// Row counts a backup records and a restore reports (aggregates only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Opinions released to the reviewers.
    pub opinions: i64,
    /// Opinions still waiting for their batch.
    pub waiting_opinions: i64,
    /// Photos of released opinions.
    pub photos: i64,
    /// Photos of waiting opinions.
    pub waiting_photos: i64,
    /// Units of the organisation.
    pub units: i64,
    /// Staff accounts.
    pub accounts: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Counts {
    /// Counts the rows of a database at this binary's schema.
    pub fn read(conn: &mut DbConnection) -> Result<Counts, DbError> {
        Ok(Counts {
            opinions: opinions::table.count().get_result(conn)?,
            waiting_opinions: waiting_opinions::table.count().get_result(conn)?,
            photos: opinion_photos::table.count().get_result(conn)?,
            waiting_photos: waiting_photos::table.count().get_result(conn)?,
            units: units::table.count().get_result(conn)?,
            accounts: staff::table.count().get_result(conn)?,
        })
    }

    /// Counts the rows of a database at any schema: a table it does not have yet counts 0.
    pub fn read_any(conn: &mut DbConnection) -> Result<Counts, DbError> {
        let mut count = |table: &str| -> Result<i64, DbError> {
            if !has_table(conn, table)? {
                return Ok(0);
            }
            let row: Count =
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result(conn)?;
            Ok(row.n)
        };
        Ok(Counts {
            opinions: count("opinions")?,
            waiting_opinions: count("waiting_opinions")?,
            photos: count("opinion_photos")?,
            waiting_photos: count("waiting_photos")?,
            units: count("units")?,
            accounts: count("staff")?,
        })
    }
}

/// Whether the database has a table of this (fixed, trusted) name.
pub fn has_table(conn: &mut DbConnection, table: &str) -> Result<bool, DbError> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1) \
             AS present"
        }
        DbConnection::Postgresql(_) => "SELECT to_regclass($1) IS NOT NULL AS present",
    };
    let found: Present = diesel::sql_query(query)
        .bind::<Text, _>(table)
        .get_result(conn)?;
    Ok(found.present)
}

/// The number of tables a PostgreSQL database has outside the system schemas (0: empty).
pub fn user_table_count(conn: &mut DbConnection) -> Result<i64, DbError> {
    let row: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    )
    .get_result(conn)?;
    Ok(row.n)
}

#[derive(QueryableByName)]
struct CheckLine {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// SQLite's `PRAGMA integrity_check`: `Ok(())` when it says `ok`, else its first lines.
pub fn integrity_check(conn: &mut DbConnection) -> Result<Result<(), String>, DbError> {
    if let DbConnection::Postgresql(_) = conn {
        return Ok(Ok(()));
    }
    let lines: Vec<CheckLine> = diesel::sql_query("PRAGMA integrity_check").load(conn)?;
    let text: Vec<String> = lines.into_iter().map(|l| l.integrity_check).collect();
    if text.len() == 1 && text[0] == "ok" {
        Ok(Ok(()))
    } else {
        Ok(Err(text.into_iter().take(5).collect::<Vec<_>>().join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_binary_knows_its_migrations_in_order_on_both_engines() {
        for engine in [Engine::Sqlite, Engine::Postgres] {
            let known = known_migrations(engine).expect("migrations");
            assert!(known.len() >= 22);
            assert!(
                known
                    .windows(2)
                    .all(|w| version_order(&w[0].version, &w[1].version).is_lt())
            );
            assert!(
                known
                    .iter()
                    .any(|m| m.version == "20261206000022"
                        && m.name == "2026-12-06-000022_deployment")
            );
        }
    }

    #[test]
    fn only_a_newer_migration_is_refused() {
        let known = known_migrations(Engine::Sqlite).expect("migrations");
        let versions: Vec<String> = known.iter().map(|m| m.version.clone()).collect();
        assert!(refuse_newer_schema(&versions, Engine::Sqlite).is_ok());
        assert!(refuse_newer_schema(&versions[..3], Engine::Sqlite).is_ok());
        assert!(refuse_newer_schema(&[], Engine::Sqlite).is_ok());
        let mut newer = versions.clone();
        newer.push("29991231000099".into());
        let message = refuse_newer_schema(&newer, Engine::Sqlite)
            .expect_err("newer")
            .to_string();
        assert!(message.contains("29991231000099"), "{message}");
        assert!(
            message.contains(&known[known.len() - 1].version),
            "{message}"
        );
    }
}
