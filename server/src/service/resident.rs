//! What a villager can do: open a box, send an opinion, check it with the receipt code.

use redact::redact;
use vocabulary::model::OpinionId;
use vocabulary::model::{
    BoxInfo, MaskCount, NewOpinion, OpinionState, OpinionStatus, Receipt, ReleaseInfo,
    ThreadMessage,
};
use vocabulary::org::UnitKind;
use vocabulary::paths;
use vocabulary::screening::IdentifierKind;

use super::targets::{self, Resolved};
use super::{db_problem, hash_problem, photo_problem};
use crate::crypto::Keys;
use crate::db::boxes::OpinionBox;
use crate::db::budget::Budget;
use crate::db::holding::Schedule;
use crate::db::issues::Issue;
use crate::db::messages::Message;
use crate::db::opinions::{InsertOutcome, Opinion};
use crate::db::photos::Photo;
use crate::db::submissions::SubmissionKey;
use crate::db::units::UnitTree;
use crate::db::waiting;
use crate::db::{DbError, new_id};
use crate::domain::codes::{BoxCode, ReceiptCode, is_device_key};
use crate::domain::day::{day_of_unix, today, unix_now};
use crate::domain::opinion::{validate, validate_contact, validate_message};
use crate::domain::problem::{self, Problem};
use crate::photos::{CleanPhoto, MAX_PHOTOS};
use crate::state::AppState;

/// How often a new receipt is drawn when the first one collides (1 in 10^16 each).
const RECEIPT_ATTEMPTS: usize = 3;

/// The public description of a box, or `BOX_NOT_FOUND`.
pub async fn box_info(state: &AppState, code: &str) -> Result<BoxInfo, Problem> {
    let code = BoxCode::parse(code).ok_or(problem::BOX_NOT_FOUND)?;
    state
        .db(move |conn| {
            let found = OpinionBox::by_code(conn, &code)?;
            let tree = UnitTree::load_lineage(conn, &found.unit_id)?;
            let mut info = describe_box(&tree, &found);
            info.targets = targets::choices(conn, &tree, &found.unit_id)?;
            Ok(info)
        })
        .await
        .map_err(|e| db_problem(e, problem::BOX_NOT_FOUND))
}

/// Whether a box with this code exists, or `BOX_NOT_FOUND`: checked before a submission's body,
/// and any photo in it, is read.
pub async fn ensure_box(state: &AppState, code: &str) -> Result<(), Problem> {
    let code = BoxCode::parse(code).ok_or(problem::BOX_NOT_FOUND)?;
    state
        .db(move |conn| OpinionBox::by_code(conn, &code).map(|_| ()))
        .await
        .map_err(|e| db_problem(e, problem::BOX_NOT_FOUND))
}

/// Names the village, township and leading group of a box.
pub fn describe_box(tree: &UnitTree, found: &OpinionBox) -> BoxInfo {
    let village = tree
        .unit(&found.unit_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let township = tree
        .nearest_of_kind(&found.unit_id, UnitKind::Township)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let group = tree.responsible_group(&found.unit_id);
    let leading_group = group.map(|g| g.name.clone()).unwrap_or_default();
    let notice_board = group
        .map(|g| paths::BOARD.at([&g.unit_id]))
        .unwrap_or_default();
    BoxInfo {
        code: found.code.clone(),
        name: found.name.clone(),
        village,
        township,
        leading_group,
        notice_board,
        targets: Vec::new(),
    }
}

/// The likely personal names in a text (jieba's `nr`), found on the server so the villager is
/// asked before they are sent; names are kept as written.
pub async fn names_to_confirm(state: &AppState, text: &str) -> Vec<String> {
    let finder = state.names;
    let text = text.to_string();
    actix_web::web::block(move || finder.names(&text))
        .await
        .unwrap_or_default()
}

/// Validates and stores an opinion with its photos in the intake pool, where it waits to be
/// released with its group's next batch; returns the receipt code only once it is committed.
pub async fn submit_opinion(
    state: &AppState,
    code: &str,
    new: &NewOpinion,
    photos: Vec<Vec<u8>>,
) -> Result<Receipt, Problem> {
    let code = BoxCode::parse(code).ok_or(problem::BOX_NOT_FOUND)?;
    let submission = match new.submission_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(key) if is_device_key(key) => Some(key.to_string()),
        Some(_) => return Err(problem::SUBMISSION_KEY_INVALID),
    };
    if let Some(key) = &submission
        && let Some(receipt) = resent_receipt(state, key).await?
    {
        return Ok(receipt);
    }
    let valid = validate(&new.category, &new.text)?;
    let contact = new.contact.as_ref().map(validate_contact).transpose()?;
    if photos.len() > MAX_PHOTOS {
        return Err(problem::PHOTO_TOO_MANY);
    }
    let category = valid.category;
    let (about, escalate) = (new.about.clone(), new.escalate);
    let (box_id, routed, about) = state
        .db(move |conn| {
            let found = OpinionBox::by_code(conn, &code)?;
            let mut tree = UnitTree::load_lineage(conn, &found.unit_id)?;
            let about = match about {
                None => Resolved::default(),
                Some(value) => {
                    let offered = targets::choices(conn, &tree, &found.unit_id)?;
                    targets::resolve(&value, &offered)
                        .ok_or(DbError::Refused(problem::TARGET_INVALID))?
                }
            };
            let person = about.person_id.as_deref();
            let routed =
                targets::route_new(conn, &mut tree, &found.unit_id, category, escalate, person)?
                    .ok_or(DbError::Refused(problem::NO_ROUTE))?;
            Ok((found.id, routed, about))
        })
        .await
        .map_err(|e| db_problem(e, problem::BOX_NOT_FOUND))?;
    // Photos are decoded only for a box that exists and an opinion that can be routed.
    let mut cleaned = Vec::with_capacity(photos.len());
    for bytes in photos {
        cleaned.push(state.photos.clean(bytes).await.map_err(photo_problem)?);
    }
    let group_id = routed.group_id;
    let escalation = routed.escalation;
    // The original text goes no further than this line: only the masked text is stored.
    let redacted = redact(&valid.text);
    let mask_counts = encode_mask_counts(&redacted.counts);

    for _ in 0..RECEIPT_ATTEMPTS {
        let receipt = ReceiptCode::random();
        let receipt_hash = hash_receipt(state, &receipt).await?;
        let receipt_tag = Some(state.hasher.keys().receipt_tag(receipt.digits()));
        let mut opinion = Opinion {
            id: new_id().into(),
            box_id: box_id.clone(),
            leading_group_id: group_id.clone().into(),
            category: valid.category,
            body: redacted.text.clone(),
            state: OpinionState::New,
            received_on: today(),
            receipt_hash,
            receipt_tag,
            reply: None,
            replied_on: None,
            mask_counts: mask_counts.clone(),
            contact_name: contact.as_ref().map(|c| c.name.clone()),
            contact_phone: contact.as_ref().map(|c| c.phone.clone()),
            released_on: None,
            release_by: None,
            closed_on: None,
            due_on: None,
            target_person_id: about.person_id.clone(),
            target_unit_id: about.unit_id.clone().map(Into::into),
            escalation,
            issue_id: None,
        };
        let photos = photo_rows(&opinion.id, &cleaned);
        let policy = state.config.release.clone();
        let keys = state.hasher.keys().clone();
        let (key, code) = (submission.clone(), receipt.reveal());
        let per_hour = state.config.box_hourly_budget;
        let (outcome, made) = state
            .db(move |conn| {
                let shared = Opinion::waiting_deadline(conn, &opinion.leading_group_id)?;
                let deadline = policy.deadline_joining(shared, unix_now());
                opinion.release_by = Some(deadline);
                let made = Receipt {
                    receipt: code,
                    release: policy.info(deadline),
                };
                let row = key
                    .as_deref()
                    .map(|key| sealed_receipt(&keys, key, &made))
                    .transpose()?;
                let budget = Budget {
                    per_hour,
                    now: unix_now(),
                };
                let outcome = Opinion::submit(conn, &opinion, &photos, row.as_ref(), budget)?;
                Ok((outcome, made))
            })
            .await
            .map_err(|e| db_problem(e, problem::INTERNAL))?;
        match (outcome, &submission) {
            (InsertOutcome::Stored, _) => return Ok(made),
            (InsertOutcome::AlreadySubmitted, Some(key)) => {
                return resent_receipt(state, key).await?.ok_or(problem::INTERNAL);
            }
            _ => {}
        }
    }
    tracing::error!("receipt codes collided repeatedly");
    Err(problem::INTERNAL)
}

/// How long a submission key is kept: long enough for a phone that lost its connection to
/// send again, then the maintenance job deletes it.
const SUBMISSION_KEY_DAYS: i64 = 2;

/// The stored row of a submission key: its hash and the receipt sealed under it.
fn sealed_receipt(keys: &Keys, key: &str, receipt: &Receipt) -> Result<SubmissionKey, DbError> {
    let plain = serde_json::to_vec(receipt).map_err(|_| DbError::Refused(problem::INTERNAL))?;
    let sealed = keys
        .seal(key, &plain)
        .ok_or(DbError::Refused(problem::INTERNAL))?;
    Ok(SubmissionKey {
        key_hash: keys.submission_hash(key),
        sealed,
        expires_on: day_of_unix(unix_now() + SUBMISSION_KEY_DAYS * 86_400),
    })
}

/// The receipt of an opinion this phone sent before with the same key, if there was one.
async fn resent_receipt(state: &AppState, key: &str) -> Result<Option<Receipt>, Problem> {
    let keys = state.hasher.keys().clone();
    let key_hash = keys.submission_hash(key);
    let stored = state
        .db(move |conn| SubmissionKey::find(conn, &key_hash))
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    let receipt = keys
        .open(key, &stored.sealed)
        .and_then(|plain| serde_json::from_slice(&plain).ok())
        .ok_or_else(|| {
            tracing::error!("a stored submission key does not open its receipt");
            problem::INTERNAL
        })?;
    Ok(Some(receipt))
}

/// Rows for an opinion's cleaned photos, numbered from 1.
fn photo_rows(opinion_id: &str, cleaned: &[CleanPhoto]) -> Vec<Photo> {
    cleaned
        .iter()
        .zip(1..)
        .map(|(p, seq)| Photo {
            id: new_id(),
            opinion_id: OpinionId::new(opinion_id),
            seq,
            width: i32::try_from(p.width).unwrap_or(i32::MAX),
            height: i32::try_from(p.height).unwrap_or(i32::MAX),
            jpeg: p.jpeg.clone(),
        })
        .collect()
}

/// The state and reply of the opinion behind a typed receipt code.
pub async fn receipt_status(state: &AppState, typed: &str) -> Result<OpinionStatus, Problem> {
    let receipt = ReceiptCode::parse(typed).ok_or(problem::RECEIPT_INVALID)?;
    let known = known_receipt(state, &receipt).await?;
    status_by_hash(state, known, None).await
}

/// Adds the villager's answer to the thread of the opinion behind a receipt code; the answer
/// is masked like an opinion. Returns the updated status.
pub async fn answer(state: &AppState, typed: &str, text: &str) -> Result<OpinionStatus, Problem> {
    let receipt = ReceiptCode::parse(typed).ok_or(problem::RECEIPT_INVALID)?;
    let text = redact(&validate_message(text)?).text;
    let known = known_receipt(state, &receipt).await?;
    status_by_hash(state, known, Some(text)).await
}

/// The keyed hash of a receipt code (one Argon2id run on the bounded pool).
async fn hash_receipt(state: &AppState, receipt: &ReceiptCode) -> Result<String, Problem> {
    state
        .hasher
        .receipt_hash(receipt.digits())
        .await
        .map_err(hash_problem)
}

/// A receipt code that may belong to an opinion: its keyed hash and its tag.
struct KnownReceipt {
    hash: String,
    tag: i64,
}

/// Hashes a receipt code only when some opinion may have it (its tag is stored, or an opinion
/// has no tag yet); any other code is unknown at the cost of one BLAKE2b and one indexed query,
/// so guessing codes does not take the Argon2id pool from villagers' submissions.
async fn known_receipt(state: &AppState, receipt: &ReceiptCode) -> Result<KnownReceipt, Problem> {
    let tag = state.hasher.keys().receipt_tag(receipt.digits());
    let slot = state
        .lookup_slots
        .acquire()
        .await
        .map_err(|_| problem::INTERNAL)?;
    let may_exist = state
        .db(move |conn| Opinion::receipt_may_exist(conn, tag))
        .await
        .map_err(|e| db_problem(e, problem::RECEIPT_UNKNOWN))?;
    drop(slot);
    if !may_exist {
        return Err(problem::RECEIPT_UNKNOWN);
    }
    Ok(KnownReceipt {
        hash: hash_receipt(state, receipt).await?,
        tag,
    })
}

/// Looks the opinion up by receipt hash, first appending the villager's answer when given, and
/// returns what the villager may see.
async fn status_by_hash(
    state: &AppState,
    known: KnownReceipt,
    answer: Option<String>,
) -> Result<OpinionStatus, Problem> {
    let schedule = Schedule {
        policy: state.config.release.clone(),
        now: unix_now(),
    };
    let (opinion, thread, issue_reply) = state
        .db(move |conn| {
            let opinion = Opinion::by_receipt_hash(conn, &known.hash)?;
            if opinion.receipt_tag.is_none() {
                Opinion::tag_receipt(conn, &opinion.id, known.tag)?;
            }
            // Held (待核) opinions are unreleased too, but already out of the holding tables.
            let waiting = waiting::is_waiting(conn, &opinion.id)?;
            if let Some(text) = answer {
                let message = new_message(&opinion.id, false, text);
                if waiting {
                    waiting::append_message(conn, &message)?;
                } else {
                    Message::append_reply(conn, message, &schedule)?;
                }
            }
            let thread = if waiting {
                waiting::thread(conn, &opinion.id)?
            } else {
                Message::thread(conn, &opinion.id)?
            };
            let issue_reply = match &opinion.issue_id {
                Some(issue) => Issue::reply_of(conn, issue)?,
                None => (None, None),
            };
            Ok((opinion, thread, issue_reply))
        })
        .await
        .map_err(|e| db_problem(e, problem::RECEIPT_UNKNOWN))?;
    let waiting = opinion.released_on.is_none().then(|| {
        let deadline = opinion.release_by.unwrap_or_else(unix_now);
        state.config.release.info(deadline)
    });
    let mut status =
        status_of(&opinion, thread, waiting).map_err(|e| db_problem(e, problem::INTERNAL))?;
    status.merged = opinion.issue_id.is_some();
    (status.issue_reply, status.issue_replied_on) = issue_reply;
    Ok(status)
}

/// A thread message dated today; its position is set when it is appended.
pub fn new_message(opinion_id: &str, from_staff: bool, body: String) -> Message {
    Message {
        id: new_id(),
        opinion_id: opinion_id.into(),
        from_staff,
        body,
        sent_on: today(),
        seq: 0,
    }
}

/// The thread as people see it.
pub fn thread_view(thread: Vec<Message>) -> Vec<ThreadMessage> {
    thread
        .into_iter()
        .map(|m| ThreadMessage {
            from_staff: m.from_staff,
            text: m.body,
            sent_on: m.sent_on,
        })
        .collect()
}

/// What the villager may see of an opinion.
fn status_of(
    opinion: &Opinion,
    thread: Vec<Message>,
    waiting: Option<ReleaseInfo>,
) -> Result<OpinionStatus, DbError> {
    Ok(OpinionStatus {
        category: opinion.category,
        state: opinion.state,
        received_on: opinion.received_on.clone(),
        waiting,
        reply: opinion.reply.clone(),
        replied_on: opinion.replied_on.clone(),
        thread: thread_view(thread),
        merged: false,
        issue_reply: None,
        issue_replied_on: None,
    })
}

/// Stores mask counts as a JSON object keyed by kind name.
fn encode_mask_counts(counts: &[(IdentifierKind, u32)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = counts
        .iter()
        .map(|(kind, n)| (kind.as_str().to_string(), serde_json::Value::from(*n)))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Reads stored mask counts; unknown kinds and malformed values are skipped.
pub fn decode_mask_counts(stored: &str) -> Vec<MaskCount> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(stored) else {
        return Vec::new();
    };
    IdentifierKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let count = map.get(kind.as_str())?.as_u64()?;
            Some(MaskCount {
                kind,
                count: u32::try_from(count).ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_counts_survive_storage() {
        let stored = encode_mask_counts(&[(IdentifierKind::Mobile, 2), (IdentifierKind::Email, 1)]);
        let back = decode_mask_counts(&stored);
        assert_eq!(
            back,
            vec![
                MaskCount {
                    kind: IdentifierKind::Mobile,
                    count: 2
                },
                MaskCount {
                    kind: IdentifierKind::Email,
                    count: 1
                }
            ]
        );
        assert!(decode_mask_counts("{}").is_empty());
        assert!(decode_mask_counts("garbage").is_empty());
    }
}
