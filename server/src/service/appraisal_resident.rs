//! Mass appraisal for residents: the form behind a slip or a round's poster, sending answers
//! (one counted response per slip) and changing them with the key kept on the phone.

use std::collections::HashMap;
use vocabulary::paths;

use vocabulary::appraisal::{AppraisalForm, RoundMode};
use vocabulary::model::RoundId;

use super::appraisal::{accepting, group_title};
use super::db_problem;
use crate::crypto::Keys;
use crate::db::appraisal::{AnswerRow, Round};
use crate::db::holding::Schedule;
use crate::db::{DbConnection, DbError, new_id, throttle};
use crate::domain::appraisal_form::{Answer, Unanswered, read_answers};
use crate::domain::burst::BurstRate;
use crate::domain::codes::{is_box_code, is_device_key, is_slip_code, new_device_key};
use crate::domain::day::{today, unix_now};
use crate::domain::problem::{self, Problem};
use crate::state::AppState;

/// How a resident reached the form.
#[derive(Clone, Debug)]
pub enum Entry {
    /// A one-time slip's code.
    Slip(String),
    /// A round's public code (open rounds).
    Open(String),
}

impl Entry {
    /// Where the form posts back to.
    fn action(&self) -> String {
        match self {
            Entry::Slip(code) => paths::SLIP.at([&code]),
            Entry::Open(code) => paths::OPEN_ROUND.at([&code]),
        }
    }
}

/// The slip code as scanned or typed: lower case, without spaces or dashes.
pub fn normalize_slip(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The running round behind an entry. Refuses a used slip, a round not taking answers today,
/// and a slip round's public code unless answers are being changed.
fn running_round(
    conn: &mut DbConnection,
    keys: &Keys,
    entry: &Entry,
    changing: bool,
) -> Result<Round, DbError> {
    let (round, used) = match entry {
        Entry::Slip(code) => Round::by_slip(conn, &keys.slip_hash(code))?,
        Entry::Open(code) => (Round::by_public_code(conn, code)?, false),
    };
    if matches!(entry, Entry::Open(_)) && round.mode != RoundMode::Open && !changing {
        return Err(DbError::NotFound);
    }
    if used {
        return Err(DbError::Refused(problem::SLIP_USED));
    }
    if !accepting(&round, &today()) {
        return Err(DbError::Refused(problem::APPRAISAL_CLOSED));
    }
    Ok(round)
}

/// Refuses malformed codes before any look-up.
fn check_shape(entry: &Entry) -> Result<(), Problem> {
    match entry {
        Entry::Slip(code) if !is_slip_code(code) => Err(problem::SLIP_UNKNOWN),
        Entry::Open(code) if !is_box_code(code) => Err(problem::ROUND_NOT_FOUND),
        _ => Ok(()),
    }
}

/// The form a resident fills in: for a slip, or for an open round's public code. With
/// `changing`, the form of any running round whose answers are changed with a change key.
pub async fn form(
    state: &AppState,
    entry: &Entry,
    changing: bool,
) -> Result<AppraisalForm, Problem> {
    check_shape(entry)?;
    let slip = matches!(entry, Entry::Slip(_));
    let entry = entry.clone();
    let keys = state.hasher.keys().clone();
    state
        .db(move |conn| {
            let round = running_round(conn, &keys, &entry, changing)?;
            let questionnaire = round.parsed_questionnaire()?;
            let subjects = Round::subjects(conn, &round.id)?
                .into_iter()
                .map(|s| (s.subject_id, s.label))
                .collect();
            let action = if changing {
                paths::CHANGE_ANSWERS.at([&round.public_code])
            } else {
                entry.action()
            };
            Ok(AppraisalForm {
                round: round.name,
                group: group_title(conn, &round.leading_group_id)?,
                questionnaire,
                subjects,
                closes_on: round.closes_on,
                action,
                round_code: round.public_code,
            })
        })
        .await
        .map_err(|e| db_problem(e, not_found(slip)))
}

fn not_found(slip: bool) -> Problem {
    if slip {
        problem::SLIP_UNKNOWN
    } else {
        problem::ROUND_NOT_FOUND
    }
}

/// Reads the answers against the round's questionnaire and subjects.
fn answers_for(
    conn: &mut DbConnection,
    round: &Round,
    fields: &HashMap<String, String>,
) -> Result<Result<Vec<Answer>, Unanswered>, DbError> {
    let questionnaire = round.parsed_questionnaire()?;
    let subjects: Vec<String> = Round::subjects(conn, &round.id)?
        .into_iter()
        .map(|s| s.subject_id)
        .collect();
    Ok(read_answers(&questionnaire, &subjects, fields))
}

fn rows(round_id: &RoundId, response_id: &str, answers: &[Answer]) -> Vec<AnswerRow> {
    answers
        .iter()
        .map(|a| AnswerRow {
            response_id: response_id.to_string(),
            subject_id: a.subject_id.clone(),
            item_key: a.item_key.clone(),
            rating: a.rating,
            text: a.text.clone(),
            round_id: round_id.clone(),
        })
        .collect()
}

/// What went wrong with a resident's answers, as one type for the form to show.
fn refused(problem: Problem) -> Unanswered {
    Unanswered {
        problem,
        fields: Vec::new(),
    }
}

/// Takes a resident's answers; returns the change key for their phone and the round's public
/// code. A slip yields exactly one counted response, however many phones send it at once.
pub async fn answer(
    state: &AppState,
    entry: &Entry,
    fields: HashMap<String, String>,
) -> Result<(String, String), Unanswered> {
    check_shape(entry).map_err(refused)?;
    let key = new_device_key();
    let change_hash = state.hasher.keys().change_hash(&key);
    let slip_hash = match entry {
        Entry::Slip(code) => Some(state.hasher.keys().slip_hash(code)),
        Entry::Open(_) => None,
    };
    let slip = matches!(entry, Entry::Slip(_));
    let entry = entry.clone();
    let keys = state.hasher.keys().clone();
    let burst = state.config.appraisal_burst;
    let schedule = Schedule {
        policy: state.config.release.clone(),
        now: unix_now(),
    };
    let outcome = state
        .db(move |conn| {
            let round = running_round(conn, &keys, &entry, false)?;
            let answers = match answers_for(conn, &round, &fields)? {
                Ok(answers) => answers,
                Err(unanswered) => return Ok(Err(unanswered)),
            };
            let response_id = new_id();
            conn.write_transaction(|conn| {
                if let Some(hash) = &slip_hash
                    && !Round::redeem_slip(conn, hash)?
                {
                    return Err(DbError::Refused(problem::SLIP_USED));
                }
                let held = round.mode == RoundMode::Open && bursting(conn, &round.id, burst)?;
                Round::add_response(
                    conn,
                    &response_id,
                    &round.id,
                    &change_hash,
                    held,
                    &rows(&round.id, &response_id, &answers),
                    &schedule,
                )
            })?;
            Ok(Ok(round.public_code))
        })
        .await
        .map_err(|e| refused(db_problem(e, not_found(slip))))?;
    outcome.map(|code| (key, code))
}

/// Counts one answer to a poster round; whether it arrives faster than the burst rate allows,
/// so it is held (待核). Slips bound the answers by themselves and are never counted here.
fn bursting(conn: &mut DbConnection, round_id: &str, rate: BurstRate) -> Result<bool, DbError> {
    let now = unix_now();
    let (previous, current) = throttle::count_burst(conn, round_id, rate.window(now))?;
    Ok(rate.holds(now, previous, current))
}

/// Replaces the answers sent from the phone holding `key`, while the round runs.
pub async fn change(
    state: &AppState,
    public_code: &str,
    key: &str,
    fields: HashMap<String, String>,
) -> Result<(), Unanswered> {
    let key = key.trim().to_lowercase();
    if !is_box_code(public_code) {
        return Err(refused(problem::ROUND_NOT_FOUND));
    }
    if !is_device_key(&key) {
        return Err(refused(problem::CHANGE_KEY_UNKNOWN));
    }
    let change_hash = state.hasher.keys().change_hash(&key);
    let entry = Entry::Open(public_code.to_string());
    let keys = state.hasher.keys().clone();
    let schedule = Schedule {
        policy: state.config.release.clone(),
        now: unix_now(),
    };
    state
        .db(move |conn| {
            let round = running_round(conn, &keys, &entry, true)?;
            let answers = match answers_for(conn, &round, &fields)? {
                Ok(answers) => answers,
                Err(unanswered) => return Ok(Err(unanswered)),
            };
            conn.write_transaction(|conn| {
                Round::replace_answers(
                    conn,
                    &round.id,
                    &change_hash,
                    |id| rows(&round.id, id, &answers),
                    &schedule,
                )
                .map_err(|e| match e {
                    DbError::NotFound => DbError::Refused(problem::CHANGE_KEY_UNKNOWN),
                    other => other,
                })
            })?;
            Ok(Ok(()))
        })
        .await
        .map_err(|e| refused(db_problem(e, problem::ROUND_NOT_FOUND)))?
}
