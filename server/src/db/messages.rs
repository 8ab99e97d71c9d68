//! The follow-up thread of an opinion: reviewers ask, the villager answers with the receipt code.

use diesel::prelude::*;

use super::schema::opinion_messages;
use super::{DbConnection, DbError};

/// One message of a thread.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = opinion_messages)]
pub struct Message {
    /// Random id.
    pub id: String,
    /// The opinion the thread belongs to.
    pub opinion_id: String,
    /// Written by a reviewer (a question) or by the villager (an answer).
    pub from_staff: bool,
    /// The text (a villager's is masked like the opinion itself).
    pub body: String,
    /// Day it was sent, `YYYY-MM-DD`.
    pub sent_on: String,
    /// Position in the thread, from 1.
    pub seq: i32,
}

impl Message {
    /// Appends a message at the end of its thread (`seq` is assigned here).
    pub fn append(conn: &mut DbConnection, mut message: Message) -> Result<(), DbError> {
        conn.write_transaction(|conn| {
            let last: Option<i32> = opinion_messages::table
                .filter(opinion_messages::opinion_id.eq(&message.opinion_id))
                .select(diesel::dsl::max(opinion_messages::seq))
                .first(conn)?;
            message.seq = last.unwrap_or(0) + 1;
            diesel::insert_into(opinion_messages::table)
                .values(&message)
                .execute(conn)?;
            Ok(())
        })
    }

    /// The whole thread of an opinion, in order.
    pub fn thread(conn: &mut DbConnection, opinion_id: &str) -> Result<Vec<Message>, DbError> {
        Ok(opinion_messages::table
            .filter(opinion_messages::opinion_id.eq(opinion_id))
            .order(opinion_messages::seq.asc())
            .select(Message::as_select())
            .load(conn)?)
    }
}
