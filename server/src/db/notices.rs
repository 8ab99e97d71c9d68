//! Public notices (通报): drafts the group prepares and what it has published.

use diesel::prelude::*;
use vocabulary::model::{Day, GroupId, NoticeId, RoundId};

use super::schema::{leading_groups, notices};
use super::{DbConnection, DbError};

/// A notice row; `content` is the JSON frozen when it was published.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = notices)]
pub struct Notice {
    /// Random id.
    pub id: NoticeId,
    /// The group that publishes it.
    pub leading_group_id: GroupId,
    /// Its heading.
    pub title: String,
    /// The group's own text.
    pub body: String,
    /// The round whose results it shows.
    pub round_id: Option<RoundId>,
    /// First day of the ledger period it shows.
    pub ledger_from: Option<Day>,
    /// Last day of that period.
    pub ledger_to: Option<Day>,
    /// The published figures (JSON); `None` for drafts.
    pub content: Option<String>,
    /// Day it was published; `None` for drafts.
    pub published_on: Option<Day>,
    /// Day of the last change.
    pub updated_on: Day,
}

impl Notice {
    /// Stores a new draft.
    pub fn insert(conn: &mut DbConnection, notice: &Notice) -> Result<(), DbError> {
        diesel::insert_into(notices::table)
            .values(notice)
            .execute(conn)?;
        Ok(())
    }

    /// One of the group's notices.
    pub fn find(
        conn: &mut DbConnection,
        id: &NoticeId,
        group_id: &GroupId,
    ) -> Result<Notice, DbError> {
        Ok(notices::table
            .filter(notices::id.eq(id))
            .filter(notices::leading_group_id.eq(group_id))
            .select(Notice::as_select())
            .first(conn)?)
    }

    /// The group's notices: drafts first, then the published ones, newest first.
    pub fn of_group(conn: &mut DbConnection, group_id: &str) -> Result<Vec<Notice>, DbError> {
        let mut found: Vec<Notice> = notices::table
            .filter(notices::leading_group_id.eq(group_id))
            .select(Notice::as_select())
            .order((notices::updated_on.desc(), notices::id.asc()))
            .load(conn)?;
        found.sort_by_key(|n| n.published_on.is_some());
        Ok(found)
    }

    /// What the groups of a unit have published, newest first.
    pub fn published_at_unit(
        conn: &mut DbConnection,
        unit_id: &str,
    ) -> Result<Vec<Notice>, DbError> {
        Ok(notices::table
            .inner_join(leading_groups::table)
            .filter(leading_groups::unit_id.eq(unit_id))
            .filter(notices::published_on.is_not_null())
            .select(Notice::as_select())
            .order((notices::published_on.desc(), notices::id.asc()))
            .load(conn)?)
    }

    /// Replaces a draft's text and choices; `NotFound` unless it is the group's draft.
    pub fn update_draft(conn: &mut DbConnection, notice: &Notice) -> Result<(), DbError> {
        let changed = diesel::update(
            notices::table
                .filter(notices::id.eq(&notice.id))
                .filter(notices::leading_group_id.eq(&notice.leading_group_id))
                .filter(notices::published_on.is_null()),
        )
        .set((
            notices::title.eq(&notice.title),
            notices::body.eq(&notice.body),
            notices::round_id.eq(&notice.round_id),
            notices::ledger_from.eq(&notice.ledger_from),
            notices::ledger_to.eq(&notice.ledger_to),
            notices::updated_on.eq(&notice.updated_on),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Publishes a draft with its frozen figures, or withdraws a notice (`None`, `None`).
    pub fn set_published(
        conn: &mut DbConnection,
        id: &str,
        content: Option<&str>,
        on: Option<&str>,
        day: &str,
    ) -> Result<(), DbError> {
        diesel::update(notices::table.find(id))
            .set((
                notices::content.eq(content),
                notices::published_on.eq(on),
                notices::updated_on.eq(day),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Deletes one of the group's drafts; `NotFound` if there is none.
    pub fn delete_draft(
        conn: &mut DbConnection,
        id: &NoticeId,
        group_id: &GroupId,
    ) -> Result<(), DbError> {
        let gone = diesel::delete(
            notices::table
                .filter(notices::id.eq(id))
                .filter(notices::leading_group_id.eq(group_id))
                .filter(notices::published_on.is_null()),
        )
        .execute(conn)?;
        if gone == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}
