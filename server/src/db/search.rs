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

/// How many opinions a term may be indexed under and still drive a search: its ids are read
/// whole (a few milliseconds for this many) and the queue is looked up by them.
const DRIVING_TERM_MAX: i64 = 5_000;

/// How a search for all of `terms` reads the index: a rare term drives (its opinions are read
/// first) and every other term is checked on each candidate (one index probe). When every term
/// is common, none drives: the queue is read in its own order and each opinion checked, which
/// finds a page of matches after a few rows.
///
/// Reading every opinion of a common term first cost 137 ms for a word in every opinion at
/// 1 M opinions (SQLite, `scripts/bench-province.sh`); checking each opinion of a group instead
/// costs a probe per opinion, too many for a rare word. Whether a term is rare is read from its
/// index entries by skipping at most `DRIVING_TERM_MAX` of them.
pub(super) fn search_plan(
    conn: &mut DbConnection,
    terms: &[String],
) -> Result<(Option<String>, Vec<String>), DbError> {
    let mut driving = None;
    let mut checked = Vec::with_capacity(terms.len());
    for term in terms {
        if driving.is_none() && is_rare(conn, term)? {
            driving = Some(term.clone());
        } else {
            checked.push(term.clone());
        }
    }
    Ok((driving, checked))
}

/// Whether at most `DRIVING_TERM_MAX` opinions are indexed under `term`.
fn is_rare(conn: &mut DbConnection, term: &str) -> Result<bool, DbError> {
    let beyond: Option<String> = opinion_terms::table
        .filter(opinion_terms::term.eq(term))
        .select(opinion_terms::opinion_id)
        .order(opinion_terms::opinion_id)
        .offset(DRIVING_TERM_MAX)
        .first(conn)
        .optional()?;
    Ok(beyond.is_none())
}
