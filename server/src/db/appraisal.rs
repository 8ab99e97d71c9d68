//! Mass appraisal: questionnaires, rounds and their subjects, one-time slips, responses and
//! answers (their sums are in `db::round_sums`). A resident's response, its answers and
//! the slip it used wait in the holding tables until their pool is released (`db::holding`);
//! every count and result here reads both.

use std::collections::HashMap;

use diesel::dsl::count_star;
use diesel::prelude::*;
use vocabulary::appraisal::{Questionnaire, Rating, RoundMode, Subject};
use vocabulary::model::{Day, GroupId, RoundId, UnitId};

use super::holding::{self, Pool, Schedule};
use super::schema::{
    answers, questionnaires, responses, round_subjects, rounds, slips, waiting_answers,
    waiting_responses, waiting_slips,
};
use super::{DbConnection, DbError};

/// A questionnaire row; `items` is JSON.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = questionnaires)]
pub struct QuestionnaireRow {
    /// Random id.
    pub id: String,
    /// The group that keeps it.
    pub leading_group_id: GroupId,
    /// Title.
    pub title: String,
    /// `organisation` or `member`.
    pub subject: Subject,
    /// The items as JSON.
    pub items: String,
    /// Day of the last change.
    pub updated_on: Day,
}

/// A round row; `questionnaire` is the JSON snapshot taken when it opened.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = rounds)]
pub struct Round {
    /// Random id.
    pub id: RoundId,
    /// The group running it.
    pub leading_group_id: GroupId,
    /// Its name.
    pub name: String,
    /// The questionnaire (JSON).
    pub questionnaire: String,
    /// `open` or `slips`.
    pub mode: RoundMode,
    /// Random code of the public form.
    pub public_code: String,
    /// First day.
    pub opens_on: Day,
    /// Last day.
    pub closes_on: Day,
    /// Day it was closed early.
    pub closed_on: Option<Day>,
    /// Slips made.
    pub slips_issued: i32,
    /// Day it was set up.
    pub created_on: Day,
}

/// One appraised unit or member of a round.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = round_subjects)]
pub struct RoundSubjectRow {
    /// The round.
    pub round_id: RoundId,
    /// Unit or person id.
    pub subject_id: String,
    /// Name shown.
    pub label: String,
    /// The unit (or the person's unit).
    pub unit_id: UnitId,
    /// Order in the form.
    pub position: i32,
    /// The group's 整改落实情况.
    pub note: Option<String>,
}

/// A stored answer.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = answers)]
pub struct AnswerRow {
    /// The response it belongs to.
    pub response_id: String,
    /// Unit or person id.
    pub subject_id: String,
    /// Item key.
    pub item_key: String,
    /// Level name, for rated items.
    pub rating: Option<Rating>,
    /// Words, for text items.
    pub text: Option<String>,
    /// The round of its response (so a round's answers sit together in `answers_round`).
    pub round_id: RoundId,
}

impl QuestionnaireRow {
    /// Stores a new questionnaire.
    pub fn insert(conn: &mut DbConnection, row: &QuestionnaireRow) -> Result<(), DbError> {
        diesel::insert_into(questionnaires::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    }

    /// The questionnaires kept by any of `group_ids`, by title.
    pub fn of_groups(
        conn: &mut DbConnection,
        group_ids: &[GroupId],
    ) -> Result<Vec<QuestionnaireRow>, DbError> {
        Ok(questionnaires::table
            .filter(questionnaires::leading_group_id.eq_any(group_ids))
            .select(QuestionnaireRow::as_select())
            .order((questionnaires::title.asc(), questionnaires::id.asc()))
            .load(conn)?)
    }

    /// One questionnaire kept by any of `group_ids`.
    pub fn find(
        conn: &mut DbConnection,
        id: &str,
        group_ids: &[GroupId],
    ) -> Result<QuestionnaireRow, DbError> {
        Ok(questionnaires::table
            .filter(questionnaires::id.eq(id))
            .filter(questionnaires::leading_group_id.eq_any(group_ids))
            .select(QuestionnaireRow::as_select())
            .first(conn)?)
    }

    /// Replaces the title and items of the group's questionnaire; `NotFound` if not theirs.
    pub fn update(conn: &mut DbConnection, row: &QuestionnaireRow) -> Result<(), DbError> {
        let changed = diesel::update(
            questionnaires::table
                .filter(questionnaires::id.eq(&row.id))
                .filter(questionnaires::leading_group_id.eq(&row.leading_group_id)),
        )
        .set((
            questionnaires::title.eq(&row.title),
            questionnaires::items.eq(&row.items),
            questionnaires::updated_on.eq(&row.updated_on),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}

impl Round {
    /// The questionnaire the round was opened with.
    pub fn parsed_questionnaire(&self) -> Result<Questionnaire, DbError> {
        serde_json::from_str(&self.questionnaire)
            .map_err(|e| DbError::Corrupt(format!("round {}: {e}", self.id)))
    }

    /// Stores a new round and its subjects.
    pub fn insert(
        conn: &mut DbConnection,
        round: &Round,
        subjects: &[RoundSubjectRow],
    ) -> Result<(), DbError> {
        diesel::insert_into(rounds::table)
            .values(round)
            .execute(conn)?;
        // One row at a time: diesel's MultiConnection has no batch insert.
        for subject in subjects {
            diesel::insert_into(round_subjects::table)
                .values(subject)
                .execute(conn)?;
        }
        Ok(())
    }

    /// One round of the group.
    pub fn find(
        conn: &mut DbConnection,
        id: &RoundId,
        group_id: &GroupId,
    ) -> Result<Round, DbError> {
        Ok(rounds::table
            .filter(rounds::id.eq(id))
            .filter(rounds::leading_group_id.eq(group_id))
            .select(Round::as_select())
            .first(conn)?)
    }

    /// The round whose public form has `code`.
    pub fn by_public_code(conn: &mut DbConnection, code: &str) -> Result<Round, DbError> {
        Ok(rounds::table
            .filter(rounds::public_code.eq(code))
            .select(Round::as_select())
            .first(conn)?)
    }

    /// The round a slip belongs to, and whether the slip is used (marked, or waiting to be).
    pub fn by_slip(conn: &mut DbConnection, code_hash: &str) -> Result<(Round, bool), DbError> {
        let (round, used): (Round, bool) = slips::table
            .inner_join(rounds::table)
            .filter(slips::code_hash.eq(code_hash))
            .select((Round::as_select(), slips::used))
            .first(conn)?;
        let waiting: i64 = waiting_slips::table
            .find(code_hash)
            .count()
            .get_result(conn)?;
        Ok((round, used || waiting > 0))
    }

    /// The group's rounds, newest first.
    pub fn of_group(conn: &mut DbConnection, group_id: &str) -> Result<Vec<Round>, DbError> {
        Ok(rounds::table
            .filter(rounds::leading_group_id.eq(group_id))
            .select(Round::as_select())
            .order((rounds::opens_on.desc(), rounds::id.desc()))
            .load(conn)?)
    }

    /// The group's round of the same kind that opened last before `round`, if any.
    pub fn previous(conn: &mut DbConnection, round: &Round) -> Result<Option<Round>, DbError> {
        Ok(rounds::table
            .filter(rounds::leading_group_id.eq(&round.leading_group_id))
            .filter(rounds::opens_on.lt(&round.opens_on))
            .select(Round::as_select())
            .order((rounds::opens_on.desc(), rounds::id.desc()))
            .load(conn)?
            .into_iter()
            .find(|r| same_subject(r, round)))
    }

    /// Closes the round today (its end day becomes today if that is earlier).
    pub fn close(conn: &mut DbConnection, id: &str, today: &str) -> Result<(), DbError> {
        diesel::update(rounds::table.find(id))
            .set(rounds::closed_on.eq(today))
            .execute(conn)?;
        Ok(())
    }

    /// Responses counted per round of `ids` (held ones with `held`, counted ones without),
    /// released or waiting.
    pub fn response_counts(
        conn: &mut DbConnection,
        ids: &[RoundId],
        held: bool,
    ) -> Result<HashMap<RoundId, i64>, DbError> {
        let released = responses::table
            .filter(responses::round_id.eq_any(ids))
            .filter(responses::held.eq(held))
            .group_by(responses::round_id)
            .select((responses::round_id, count_star()))
            .load::<(RoundId, i64)>(conn)?;
        let waiting = waiting_responses::table
            .filter(waiting_responses::round_id.eq_any(ids))
            .filter(waiting_responses::held.eq(held))
            .group_by(waiting_responses::round_id)
            .select((waiting_responses::round_id, count_star()))
            .load::<(RoundId, i64)>(conn)?;
        let mut counts = HashMap::new();
        for (round, n) in released.into_iter().chain(waiting) {
            *counts.entry(round).or_default() += n;
        }
        Ok(counts)
    }

    /// The subjects of a round, in order.
    pub fn subjects(conn: &mut DbConnection, id: &str) -> Result<Vec<RoundSubjectRow>, DbError> {
        Ok(round_subjects::table
            .filter(round_subjects::round_id.eq(id))
            .select(RoundSubjectRow::as_select())
            .order(round_subjects::position.asc())
            .load(conn)?)
    }

    /// The subjects of several rounds, each round's in order.
    pub fn subjects_of(
        conn: &mut DbConnection,
        ids: &[RoundId],
    ) -> Result<HashMap<RoundId, Vec<RoundSubjectRow>>, DbError> {
        let rows: Vec<RoundSubjectRow> = round_subjects::table
            .filter(round_subjects::round_id.eq_any(ids))
            .select(RoundSubjectRow::as_select())
            .order((
                round_subjects::round_id.asc(),
                round_subjects::position.asc(),
            ))
            .load(conn)?;
        let mut by_round: HashMap<RoundId, Vec<RoundSubjectRow>> = HashMap::new();
        for row in rows {
            by_round.entry(row.round_id.clone()).or_default().push(row);
        }
        Ok(by_round)
    }

    /// Sets the group's 整改落实情况 for one subject; `NotFound` if it is not in the round.
    pub fn set_note(
        conn: &mut DbConnection,
        id: &RoundId,
        subject_id: &str,
        note: Option<&str>,
    ) -> Result<(), DbError> {
        let changed = diesel::update(
            round_subjects::table
                .filter(round_subjects::round_id.eq(id))
                .filter(round_subjects::subject_id.eq(subject_id)),
        )
        .set(round_subjects::note.eq(note))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Stores new slips (by their hashes) and counts them as issued.
    pub fn add_slips(conn: &mut DbConnection, id: &str, hashes: &[String]) -> Result<(), DbError> {
        for hash in hashes {
            diesel::insert_into(slips::table)
                .values((
                    slips::code_hash.eq(hash),
                    slips::round_id.eq(id),
                    slips::used.eq(false),
                ))
                .execute(conn)?;
        }
        let added = i32::try_from(hashes.len()).unwrap_or(i32::MAX);
        diesel::update(rounds::table.find(id))
            .set(rounds::slips_issued.eq(rounds::slips_issued + added))
            .execute(conn)?;
        Ok(())
    }

    /// Marks the slip used if it was not; whether this call did. The mark waits in the holding
    /// table (`waiting_slips`) and is set on the slip at release. A second redemption at once
    /// waits for the first (SQLite's write lock) and finds the slip used, or (PostgreSQL) its
    /// insert waits for the first and fails as a duplicate.
    pub fn redeem_slip(conn: &mut DbConnection, code_hash: &str) -> Result<bool, DbError> {
        holding::share(conn)?;
        let used: Option<bool> = slips::table
            .find(code_hash)
            .select(slips::used)
            .first(conn)
            .optional()?;
        if used != Some(false) {
            return Ok(false);
        }
        match diesel::insert_into(waiting_slips::table)
            .values(waiting_slips::code_hash.eq(code_hash))
            .execute(conn)
        {
            Ok(_) => Ok(true),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a response and its answers in the holding tables until their pool is released;
    /// a `held` one (待核) is not counted until accepted.
    pub fn add_response(
        conn: &mut DbConnection,
        id: &str,
        round_id: &RoundId,
        change_hash: &str,
        held: bool,
        answers: &[AnswerRow],
        schedule: &Schedule,
    ) -> Result<(), DbError> {
        holding::share(conn)?;
        hold_response(conn, id, round_id, change_hash, held, schedule)?;
        hold_answers(conn, answers)
    }

    /// Replaces the answers of the response with this change key; `NotFound` if there is none.
    /// A released response goes back to the holding tables with its new answers, so the
    /// change leaves no trace of when it came among the released rows.
    pub fn replace_answers(
        conn: &mut DbConnection,
        round_id: &RoundId,
        change_hash: &str,
        answers: impl Fn(&str) -> Vec<AnswerRow>,
        schedule: &Schedule,
    ) -> Result<(), DbError> {
        holding::share(conn)?;
        let waiting: Option<String> = waiting_responses::table
            .filter(waiting_responses::round_id.eq(round_id))
            .filter(waiting_responses::change_hash.eq(change_hash))
            .select(waiting_responses::id)
            .first(conn)
            .optional()?;
        if let Some(response) = waiting {
            diesel::delete(
                waiting_answers::table.filter(waiting_answers::response_id.eq(&response)),
            )
            .execute(conn)?;
            return hold_answers(conn, &answers(&response));
        }
        let (response, held): (String, bool) = responses::table
            .filter(responses::round_id.eq(round_id))
            .filter(responses::change_hash.eq(change_hash))
            .select((responses::id, responses::held))
            .first(conn)?;
        diesel::delete(answers::table.filter(answers::response_id.eq(&response))).execute(conn)?;
        diesel::delete(responses::table.find(&response)).execute(conn)?;
        hold_response(conn, &response, round_id, change_hash, held, schedule)?;
        hold_answers(conn, &answers(&response))
    }

    /// Counts the round's held responses (待核) in, released or waiting; returns how many.
    pub fn accept_held(conn: &mut DbConnection, id: &str) -> Result<usize, DbError> {
        holding::share(conn)?;
        let released = diesel::update(
            responses::table
                .filter(responses::round_id.eq(id))
                .filter(responses::held.eq(true)),
        )
        .set(responses::held.eq(false))
        .execute(conn)?;
        let waiting = diesel::update(
            waiting_responses::table
                .filter(waiting_responses::round_id.eq(id))
                .filter(waiting_responses::held.eq(true)),
        )
        .set(waiting_responses::held.eq(false))
        .execute(conn)?;
        Ok(released + waiting)
    }

    /// Deletes the round's held responses (待核) and their answers, released or waiting;
    /// returns how many.
    pub fn discard_held(conn: &mut DbConnection, id: &str) -> Result<usize, DbError> {
        holding::share(conn)?;
        let held = responses::table
            .filter(responses::round_id.eq(id.to_string()))
            .filter(responses::held.eq(true))
            .select(responses::id);
        diesel::delete(answers::table.filter(answers::response_id.eq_any(held))).execute(conn)?;
        let released = diesel::delete(
            responses::table
                .filter(responses::round_id.eq(id))
                .filter(responses::held.eq(true)),
        )
        .execute(conn)?;
        let held_waiting = waiting_responses::table
            .filter(waiting_responses::round_id.eq(id.to_string()))
            .filter(waiting_responses::held.eq(true))
            .select(waiting_responses::id);
        diesel::delete(
            waiting_answers::table.filter(waiting_answers::response_id.eq_any(held_waiting)),
        )
        .execute(conn)?;
        let waiting = diesel::delete(
            waiting_responses::table
                .filter(waiting_responses::round_id.eq(id))
                .filter(waiting_responses::held.eq(true)),
        )
        .execute(conn)?;
        Ok(released + waiting)
    }
}

/// Stores a response row in the holding table, with its pool's deadline.
fn hold_response(
    conn: &mut DbConnection,
    id: &str,
    round_id: &RoundId,
    change_hash: &str,
    held: bool,
    schedule: &Schedule,
) -> Result<(), DbError> {
    let release_by = holding::deadline(conn, Pool::Appraisal, schedule)?;
    diesel::insert_into(waiting_responses::table)
        .values((
            waiting_responses::id.eq(id),
            waiting_responses::round_id.eq(round_id),
            waiting_responses::change_hash.eq(change_hash),
            waiting_responses::held.eq(held),
            waiting_responses::release_by.eq(release_by),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores answers in the holding table.
fn hold_answers(conn: &mut DbConnection, rows: &[AnswerRow]) -> Result<(), DbError> {
    for row in rows {
        diesel::insert_into(waiting_answers::table)
            .values((
                waiting_answers::response_id.eq(&row.response_id),
                waiting_answers::subject_id.eq(&row.subject_id),
                waiting_answers::item_key.eq(&row.item_key),
                waiting_answers::rating.eq(&row.rating),
                waiting_answers::text.eq(&row.text),
                waiting_answers::round_id.eq(&row.round_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether two rounds appraise the same kind of subject (read from their questionnaires).
fn same_subject(a: &Round, b: &Round) -> bool {
    let subject = |r: &Round| r.parsed_questionnaire().map(|q| q.subject).ok();
    subject(a).is_some() && subject(a) == subject(b)
}
