//! Background jobs run by one server at a time, whatever number share the database.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use super::schema::job_runs;
use super::{DbConnection, DbError};

/// The job that releases batches and deletes expired opinions.
pub const MAINTENANCE: &str = "maintenance";

/// PostgreSQL advisory lock key of the maintenance job.
const MAINTENANCE_LOCK: i64 = 0x6d73_735f_6a6f_6273;

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Runs `job` in one transaction holding the job's lock; `None` when another server holds it.
pub fn with_job_lock<T>(
    conn: &mut DbConnection,
    name: &str,
    now: i64,
    job: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
) -> Result<Option<T>, DbError> {
    conn.write_transaction(|conn| {
        if let DbConnection::Postgresql(_) = conn {
            let got: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<BigInt, _>(MAINTENANCE_LOCK)
                .get_result(conn)?;
            if !got.locked {
                return Ok(None);
            }
        }
        // A write first: on SQLite the transaction then holds the write lock from its start,
        // so a second process waits for it instead of failing halfway.
        diesel::update(job_runs::table.find(name))
            .set(job_runs::ran_at.eq(now))
            .execute(conn)?;
        job(conn).map(Some)
    })
}

/// When the job's last completed run began (Unix seconds; 0 when none has). A run that failed
/// rolled its time back with everything else, so this is the last run that did its work.
pub fn last_run(conn: &mut DbConnection, name: &str) -> Result<i64, DbError> {
    Ok(job_runs::table
        .find(name)
        .select(job_runs::ran_at)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}
