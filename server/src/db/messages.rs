//! The follow-up thread of an opinion: reviewers ask, the villager answers with the receipt code.
//! A villager's answer to a released opinion waits in `waiting_replies` (shown in the thread at
//! once) until its pool is released to `opinion_messages` in shuffled order (`db::holding`).

use diesel::prelude::*;
use vocabulary::model::{Day, OpinionId};

use super::holding::{self, Pool, Schedule};
use super::schema::{opinion_messages, waiting_replies};
use super::{DbConnection, DbError};

/// One message of a thread.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = opinion_messages)]
pub struct Message {
    /// Random id.
    pub id: String,
    /// The opinion the thread belongs to.
    pub opinion_id: OpinionId,
    /// Written by a reviewer (a question) or by the villager (an answer).
    pub from_staff: bool,
    /// The text (a villager's is masked like the opinion itself).
    pub body: String,
    /// Day it was sent, `YYYY-MM-DD`.
    pub sent_on: Day,
    /// Position in the thread, from 1.
    pub seq: i32,
}

impl Message {
    /// Appends a reviewer's message at the end of its thread (`seq` is assigned here).
    pub fn append(conn: &mut DbConnection, mut message: Message) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            holding::share(conn)?;
            message.seq = next_seq(conn, &message.opinion_id)?;
            diesel::insert_into(opinion_messages::table)
                .values(&message)
                .execute(conn)?;
            Ok(())
        })
    }

    /// Appends a villager's answer at the end of a released opinion's thread (`seq` is
    /// assigned here): it waits in the holding table until its pool is released.
    pub fn append_reply(
        conn: &mut DbConnection,
        message: Message,
        schedule: &Schedule,
    ) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            holding::share(conn)?;
            let seq = next_seq(conn, &message.opinion_id)?;
            let release_by = holding::deadline(conn, Pool::Replies, schedule)?;
            diesel::insert_into(waiting_replies::table)
                .values((
                    waiting_replies::id.eq(&message.id),
                    waiting_replies::opinion_id.eq(&message.opinion_id),
                    waiting_replies::body.eq(&message.body),
                    waiting_replies::sent_on.eq(&message.sent_on),
                    waiting_replies::seq.eq(seq),
                    waiting_replies::release_by.eq(release_by),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// The whole thread of an opinion, in order, with the villager's answers still waiting.
    pub fn thread(conn: &mut DbConnection, opinion_id: &str) -> Result<Vec<Message>, DbError> {
        let mut thread: Vec<Message> = opinion_messages::table
            .filter(opinion_messages::opinion_id.eq(opinion_id))
            .select(Message::as_select())
            .load(conn)?;
        let waiting: Vec<(String, String, Day, i32)> = waiting_replies::table
            .filter(waiting_replies::opinion_id.eq(opinion_id))
            .select((
                waiting_replies::id,
                waiting_replies::body,
                waiting_replies::sent_on,
                waiting_replies::seq,
            ))
            .load(conn)?;
        thread.extend(waiting.into_iter().map(|(id, body, sent_on, seq)| Message {
            id,
            opinion_id: opinion_id.into(),
            from_staff: false,
            body,
            sent_on,
            seq,
        }));
        thread.sort_by_key(|m| m.seq);
        Ok(thread)
    }
}

/// The position after the last message of a thread, released or waiting.
fn next_seq(conn: &mut DbConnection, opinion_id: &str) -> Result<i32, diesel::result::Error> {
    let released: Option<i32> = opinion_messages::table
        .filter(opinion_messages::opinion_id.eq(opinion_id))
        .select(diesel::dsl::max(opinion_messages::seq))
        .first(conn)?;
    let waiting: Option<i32> = waiting_replies::table
        .filter(waiting_replies::opinion_id.eq(opinion_id))
        .select(diesel::dsl::max(waiting_replies::seq))
        .first(conn)?;
    Ok(released.max(waiting).unwrap_or(0) + 1)
}
