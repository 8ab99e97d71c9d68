//! The holding tables: opinions (with photos, the villager's additions and the phone's
//! submission key) waiting for their group's batch. At release a batch is written to the
//! tables reviewers read in a freshly shuffled order and deleted from here in one
//! transaction, so neither row order nor file order of a copy taken later follows arrival.

use diesel::prelude::*;
use rand::seq::SliceRandom;
use vocabulary::model::{BoxId, Category, Day, Escalation, GroupId, OpinionId, PersonId, UnitId};

use super::messages::Message;
use super::opinions::Opinion;
use super::photos::Photo;
use super::schema::{
    opinion_messages, opinion_photos, opinions, submission_keys, waiting_messages,
    waiting_opinions, waiting_photos,
};
use super::submissions::SubmissionKey;
use super::{DbConnection, DbError};

/// A waiting opinion's holding row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = waiting_opinions)]
pub struct WaitingOpinion {
    /// Random id, kept on release.
    pub id: OpinionId,
    /// The box it came through.
    pub box_id: BoxId,
    /// The leading group it was routed to.
    pub leading_group_id: GroupId,
    /// Category name.
    pub category: Category,
    /// The masked text.
    pub body: String,
    /// Day received.
    pub received_on: Day,
    /// Keyed hash of the receipt code.
    pub receipt_hash: String,
    /// The receipt code's short keyed tag (see [`super::opinions::Opinion::receipt_tag`]).
    pub receipt_tag: Option<i64>,
    /// Masked identifiers per kind, as JSON.
    pub mask_counts: String,
    /// Name left by a villager who chose 实名.
    pub contact_name: Option<String>,
    /// Phone left by a villager who chose 实名.
    pub contact_phone: Option<String>,
    /// The deadline its group's batch shares (Unix seconds, on the hour).
    pub release_by: i64,
    /// The person it is about, when the villager said.
    pub target_person_id: Option<PersonId>,
    /// The unit it is about, when the villager said.
    pub target_unit_id: Option<UnitId>,
    /// Why it went above the nearest leading group, if it did.
    pub escalation: Option<Escalation>,
    /// Keyed hash of the phone's submission key, if one was sent.
    pub key_hash: Option<String>,
    /// The receipt sealed under that key.
    pub key_sealed: Option<String>,
    /// The last day the key is kept.
    pub key_expires_on: Option<Day>,
    /// Beyond its box's hourly budget: released held (待核), out of the queue.
    pub held: bool,
}

impl WaitingOpinion {
    /// The holding row of a new opinion and its phone's key.
    fn new(
        opinion: &Opinion,
        release_by: i64,
        key: Option<&SubmissionKey>,
        held: bool,
    ) -> WaitingOpinion {
        WaitingOpinion {
            id: opinion.id.clone(),
            box_id: opinion.box_id.clone(),
            leading_group_id: opinion.leading_group_id.clone(),
            category: opinion.category,
            body: opinion.body.clone(),
            received_on: opinion.received_on.clone(),
            receipt_hash: opinion.receipt_hash.clone(),
            receipt_tag: opinion.receipt_tag,
            mask_counts: opinion.mask_counts.clone(),
            contact_name: opinion.contact_name.clone(),
            contact_phone: opinion.contact_phone.clone(),
            release_by,
            target_person_id: opinion.target_person_id.clone(),
            target_unit_id: opinion.target_unit_id.clone(),
            escalation: opinion.escalation,
            key_hash: key.map(|k| k.key_hash.clone()),
            key_sealed: key.map(|k| k.sealed.clone()),
            key_expires_on: key.map(|k| k.expires_on.clone()),
            held,
        }
    }

    /// The opinion as a villager's receipt sees it while it waits.
    pub fn to_opinion(&self) -> Opinion {
        Opinion {
            id: self.id.clone(),
            box_id: self.box_id.clone(),
            leading_group_id: self.leading_group_id.clone(),
            category: self.category,
            body: self.body.clone(),
            state: vocabulary::model::OpinionState::New,
            received_on: self.received_on.clone(),
            receipt_hash: self.receipt_hash.clone(),
            receipt_tag: self.receipt_tag,
            reply: None,
            replied_on: None,
            mask_counts: self.mask_counts.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            released_on: None,
            release_by: Some(self.release_by),
            closed_on: None,
            due_on: None,
            target_person_id: self.target_person_id.clone(),
            target_unit_id: self.target_unit_id.clone(),
            escalation: self.escalation,
            issue_id: None,
        }
    }

    /// The stored submission key this row holds, if any.
    pub fn submission_key(&self) -> Option<SubmissionKey> {
        Some(SubmissionKey {
            key_hash: self.key_hash.clone()?,
            sealed: self.key_sealed.clone()?,
            expires_on: self.key_expires_on.clone()?,
        })
    }
}

/// A villager's addition to a waiting opinion.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = waiting_messages)]
struct WaitingMessage {
    id: String,
    opinion_id: OpinionId,
    body: String,
    sent_on: Day,
    seq: i32,
}

/// A waiting photo.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = waiting_photos)]
struct WaitingPhoto {
    id: String,
    opinion_id: OpinionId,
    seq: i32,
    width: i32,
    height: i32,
    jpeg: Vec<u8>,
}

/// Holds a new opinion, its photos and its phone's key until its batch is released. Fails
/// with a unique violation when the receipt hash is taken, here or among released opinions.
pub(super) fn hold(
    conn: &mut DbConnection,
    opinion: &Opinion,
    photos: &[Photo],
    key: Option<&SubmissionKey>,
    held: bool,
) -> Result<(), diesel::result::Error> {
    let taken: i64 = opinions::table
        .filter(opinions::receipt_hash.eq(&opinion.receipt_hash))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("receipt hash taken".to_string()),
        ));
    }
    let release_by = opinion.release_by.unwrap_or(i64::MIN);
    diesel::insert_into(waiting_opinions::table)
        .values(WaitingOpinion::new(opinion, release_by, key, held))
        .execute(conn)?;
    for p in photos {
        diesel::insert_into(waiting_photos::table)
            .values(WaitingPhoto {
                id: p.id.clone(),
                opinion_id: opinion.id.clone(),
                seq: p.seq,
                width: p.width,
                height: p.height,
                jpeg: p.jpeg.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Whether a submission key is stored, held with a waiting opinion or kept after release.
pub(super) fn key_stored(
    conn: &mut DbConnection,
    key_hash: &str,
) -> Result<bool, diesel::result::Error> {
    let held: i64 = waiting_opinions::table
        .filter(waiting_opinions::key_hash.eq(key_hash))
        .count()
        .get_result(conn)?;
    let kept: i64 = submission_keys::table
        .filter(submission_keys::key_hash.eq(key_hash))
        .count()
        .get_result(conn)?;
    Ok(held + kept > 0)
}

/// The waiting opinion holding this submission key, if any.
pub(super) fn by_key_hash(
    conn: &mut DbConnection,
    key_hash: &str,
) -> Result<Option<WaitingOpinion>, DbError> {
    Ok(waiting_opinions::table
        .filter(waiting_opinions::key_hash.eq(key_hash))
        .select(WaitingOpinion::as_select())
        .first(conn)
        .optional()?)
}

/// The waiting opinion whose receipt hashes to `receipt_hash`, if any.
pub(super) fn by_receipt_hash(
    conn: &mut DbConnection,
    receipt_hash: &str,
) -> Result<Option<WaitingOpinion>, DbError> {
    Ok(waiting_opinions::table
        .filter(waiting_opinions::receipt_hash.eq(receipt_hash))
        .select(WaitingOpinion::as_select())
        .first(conn)
        .optional()?)
}

/// Every waiting opinion, as a villager's receipt would see it (for maintenance and tests).
pub fn all(conn: &mut DbConnection) -> Result<Vec<Opinion>, DbError> {
    let rows: Vec<WaitingOpinion> = waiting_opinions::table
        .select(WaitingOpinion::as_select())
        .load(conn)?;
    Ok(rows.iter().map(WaitingOpinion::to_opinion).collect())
}

/// Whether `opinion_id` is a waiting opinion.
pub fn is_waiting(conn: &mut DbConnection, opinion_id: &str) -> Result<bool, DbError> {
    let n: i64 = waiting_opinions::table
        .find(opinion_id)
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Appends the villager's addition to a waiting opinion's thread.
pub fn append_message(conn: &mut DbConnection, message: &Message) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        let last: Option<i32> = waiting_messages::table
            .filter(waiting_messages::opinion_id.eq(&message.opinion_id))
            .select(diesel::dsl::max(waiting_messages::seq))
            .first(conn)?;
        diesel::insert_into(waiting_messages::table)
            .values(WaitingMessage {
                id: message.id.clone(),
                opinion_id: message.opinion_id.clone(),
                body: message.body.clone(),
                sent_on: message.sent_on.clone(),
                seq: last.unwrap_or(0) + 1,
            })
            .execute(conn)?;
        Ok(())
    })
}

/// The villager's additions to a waiting opinion, in order.
pub fn thread(conn: &mut DbConnection, opinion_id: &str) -> Result<Vec<Message>, DbError> {
    let rows: Vec<WaitingMessage> = waiting_messages::table
        .filter(waiting_messages::opinion_id.eq(opinion_id))
        .order(waiting_messages::seq.asc())
        .select(WaitingMessage::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(WaitingMessage::into_message).collect())
}

impl WaitingMessage {
    fn into_message(self) -> Message {
        Message {
            id: self.id,
            opinion_id: self.opinion_id,
            from_staff: false,
            body: self.body,
            sent_on: self.sent_on,
            seq: self.seq,
        }
    }
}

/// The earliest deadline among a group's waiting opinions, if any wait.
pub(super) fn deadline(
    conn: &mut DbConnection,
    group_id: &str,
) -> Result<Option<i64>, diesel::result::Error> {
    waiting_opinions::table
        .filter(waiting_opinions::leading_group_id.eq(group_id))
        .select(diesel::dsl::min(waiting_opinions::release_by))
        .first::<Option<i64>>(conn)
}

/// Per group: how many wait and their earliest deadline.
pub(super) fn batches(
    conn: &mut DbConnection,
) -> Result<Vec<(GroupId, i64, Option<i64>)>, diesel::result::Error> {
    waiting_opinions::table
        .group_by(waiting_opinions::leading_group_id)
        .select((
            waiting_opinions::leading_group_id,
            diesel::dsl::count_star(),
            diesel::dsl::min(waiting_opinions::release_by),
        ))
        .load(conn)
}

/// Releases a group's waiting opinions on `day` in one transaction: each written to the
/// reviewers' tables in a fresh random order (opinions, photos, thread, search terms and
/// submission keys each shuffled on their own), every one given the batch's earliest day of
/// receipt, then deleted here. Returns the released ids in the order written.
pub(super) fn release(
    conn: &mut DbConnection,
    group_id: &str,
    day: &Day,
    due_for: impl Fn(Category) -> Day,
) -> Result<Vec<OpinionId>, DbError> {
    conn.write_transaction(|conn| {
        let mut rng = rand::rng();
        let mut batch: Vec<WaitingOpinion> = waiting_opinions::table
            .filter(waiting_opinions::leading_group_id.eq(group_id))
            .select(WaitingOpinion::as_select())
            .load(conn)?;
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        batch.shuffle(&mut rng);
        let ids: Vec<OpinionId> = batch.iter().map(|w| w.id.clone()).collect();
        // A batch spanning midnight would otherwise tell its earlier opinions from its later.
        let first_day = batch
            .iter()
            .map(|w| w.received_on.clone())
            .min()
            .unwrap_or_else(|| day.clone());
        for w in &batch {
            let mut opinion = w.to_opinion();
            opinion.received_on = first_day.clone();
            // A held opinion stays unreleased (out of queue, counts and statistics) until a
            // reviewer accepts it; its receipt still shows it waiting.
            if !w.held {
                opinion.released_on = Some(day.clone());
                opinion.release_by = None;
                opinion.due_on = Some(due_for(w.category));
            }
            diesel::insert_into(opinions::table)
                .values((&opinion, opinions::held.eq(w.held)))
                .execute(conn)?;
        }
        let mut photos: Vec<WaitingPhoto> = waiting_photos::table
            .filter(waiting_photos::opinion_id.eq_any(&ids))
            .select(WaitingPhoto::as_select())
            .load(conn)?;
        photos.shuffle(&mut rng);
        for p in photos {
            diesel::insert_into(opinion_photos::table)
                .values(Photo {
                    id: p.id,
                    opinion_id: p.opinion_id,
                    seq: p.seq,
                    width: p.width,
                    height: p.height,
                    jpeg: p.jpeg,
                })
                .execute(conn)?;
        }
        let mut messages: Vec<WaitingMessage> = waiting_messages::table
            .filter(waiting_messages::opinion_id.eq_any(&ids))
            .select(WaitingMessage::as_select())
            .load(conn)?;
        messages.shuffle(&mut rng);
        for m in messages {
            diesel::insert_into(opinion_messages::table)
                .values(m.into_message())
                .execute(conn)?;
        }
        for w in &batch {
            super::search::index(conn, &w.id, &w.body)?;
        }
        let mut keys: Vec<SubmissionKey> = batch
            .iter()
            .filter_map(WaitingOpinion::submission_key)
            .collect();
        keys.shuffle(&mut rng);
        for key in &keys {
            diesel::insert_into(submission_keys::table)
                .values(key)
                .execute(conn)?;
        }
        diesel::delete(waiting_opinions::table.filter(waiting_opinions::id.eq_any(&ids)))
            .execute(conn)?;
        Ok(ids)
    })
}
