//! The word-search index of opinion texts (`opinion_terms`).

use diesel::prelude::*;

use super::schema::{opinion_terms, opinions};
use super::{DbConnection, DbError};
use crate::domain::search::terms;

/// Indexes an opinion's text and marks it indexed (multi-row inserts).
pub fn index(
    conn: &mut DbConnection,
    opinion_id: &str,
    body: &str,
) -> Result<(), diesel::result::Error> {
    let rows: Vec<_> = terms(body)
        .into_iter()
        .map(|term| {
            (
                opinion_terms::term.eq(term),
                opinion_terms::opinion_id.eq(opinion_id),
            )
        })
        .collect();
    super::insert_rows(conn, opinion_terms::table, &rows)?;
    diesel::update(opinions::table.find(opinion_id))
        .set(opinions::terms_indexed.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Indexes up to `limit` opinions stored before the index existed; returns how many.
pub fn index_backlog(conn: &mut DbConnection, limit: i64) -> Result<usize, DbError> {
    let backlog: Vec<(String, String)> = opinions::table
        .filter(opinions::terms_indexed.eq(false))
        .select((opinions::id, opinions::body))
        .limit(limit)
        .load(conn)?;
    for (id, body) in &backlog {
        diesel::delete(opinion_terms::table.filter(opinion_terms::opinion_id.eq(id)))
            .execute(conn)?;
        index(conn, id, body)?;
    }
    Ok(backlog.len())
}
