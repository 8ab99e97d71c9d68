//! Merged issues (问题) and their rectification measures (整改措施).

use diesel::prelude::*;
use vocabulary::model::{
    AccountId, Category, Day, GroupId, IssueId, MeasureId, OpinionId, OpinionState, PersonId,
};

use super::opinions::{Opinion, final_states};
use super::schema::{boxes, issues, measures, opinions, units};
use super::visibility::{QueueRow, QueuedOpinion, Scope};
use super::{DbConnection, DbError};

/// An issue row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = issues)]
pub struct Issue {
    /// Random id.
    pub id: IssueId,
    /// The leading group handling it.
    pub leading_group_id: GroupId,
    /// The reviewer's summary.
    pub title: String,
    /// Category name.
    pub category: Category,
    /// State name; its opinions follow it.
    pub state: OpinionState,
    /// Reply every linked villager reads.
    pub reply: Option<String>,
    /// Day of the reply.
    pub replied_on: Option<Day>,
    /// Day it was merged.
    pub found_on: Day,
    /// Day it was closed, while it is.
    pub closed_on: Option<Day>,
    /// Opinions merged in (kept after retention deletes them).
    pub opinion_count: i32,
}

/// A measure row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = measures)]
pub struct Measure {
    /// Random id.
    pub id: MeasureId,
    /// The issue it remedies.
    pub issue_id: IssueId,
    /// What will be done.
    pub text: String,
    /// Who answers for it.
    pub responsible: String,
    /// Deadline.
    pub due_on: Day,
    /// Evidence notes.
    pub evidence: Option<String>,
    /// Day it was done; `None` while in progress.
    pub done_on: Option<Day>,
    /// Day it was set.
    pub set_on: Day,
}

/// Issues of `group_id` the reviewer may see: those holding at least one opinion visible to
/// them, or none hidden from them. An issue that also holds opinions hidden from the reviewer
/// shows them only the visible ones, counted as if the others did not exist.
#[diesel::dsl::auto_type]
fn issue_visible(group_id: GroupId, staff_id: AccountId, person_id: PersonId) -> _ {
    let shown: super::visibility::visible =
        super::visibility::visible(staff_id.clone(), person_id.clone());
    let hidden: super::visibility::visible = super::visibility::visible(staff_id, person_id);
    issues::leading_group_id.eq(group_id).and(
        diesel::dsl::exists(
            opinions::table
                .filter(opinions::issue_id.eq(issues::id.nullable()))
                .filter(shown),
        )
        .or(diesel::dsl::not(diesel::dsl::exists(
            opinions::table
                .filter(opinions::issue_id.eq(issues::id.nullable()))
                .filter(diesel::dsl::not(hidden)),
        ))),
    )
}

/// Issues of `group_id` none of whose opinions is hidden from the reviewer: only these may they
/// change, since a change to an issue reaches every opinion in it.
#[diesel::dsl::auto_type]
fn issue_handleable(group_id: GroupId, staff_id: AccountId, person_id: PersonId) -> _ {
    let shown: super::visibility::visible = super::visibility::visible(staff_id, person_id);
    issues::leading_group_id
        .eq(group_id)
        .and(diesel::dsl::not(diesel::dsl::exists(
            opinions::table
                .filter(opinions::issue_id.eq(issues::id.nullable()))
                .filter(diesel::dsl::not(shown)),
        )))
}

/// Takes the opinions hidden from the reviewer out of the issues' counts.
fn discount_hidden(
    conn: &mut DbConnection,
    scope: &Scope,
    mut found: Vec<Issue>,
) -> Result<Vec<Issue>, DbError> {
    let ids: Vec<&str> = found.iter().map(|i| i.id.as_str()).collect();
    if ids.is_empty() {
        return Ok(found);
    }
    let rows: Vec<(Option<IssueId>, i64)> = opinions::table
        .filter(opinions::issue_id.eq_any(&ids))
        .filter(diesel::dsl::not(scope.visible()))
        .group_by(opinions::issue_id)
        .select((opinions::issue_id, diesel::dsl::count_star()))
        .load(conn)?;
    for (issue, hidden) in rows {
        if let Some(i) = found.iter_mut().find(|i| Some(&i.id) == issue.as_ref()) {
            let hidden = i32::try_from(hidden).unwrap_or(i32::MAX);
            i.opinion_count = i.opinion_count.saturating_sub(hidden).max(0);
        }
    }
    Ok(found)
}

impl Scope {
    /// The issues the reviewer may change.
    fn issue_handleable(&self) -> issue_handleable {
        issue_handleable(
            self.group_id.clone(),
            self.staff_id.clone(),
            self.person_matched(),
        )
    }

    /// The issues the reviewer may see.
    fn issue_visible(&self) -> issue_visible {
        issue_visible(
            self.group_id.clone(),
            self.staff_id.clone(),
            self.person_matched(),
        )
    }
}

/// What handling an issue writes to it and to every opinion merged in it.
pub struct IssueHandling<'a> {
    /// Title.
    pub title: &'a str,
    /// The state it moves to.
    pub state: OpinionState,
    /// Reply.
    pub reply: Option<&'a str>,
    /// Day of the reply.
    pub replied_on: Option<&'a str>,
    /// Day it was closed, while it is.
    pub closed_on: Option<&'a str>,
}

impl Issue {
    /// Stores a new issue.
    pub fn insert(conn: &mut DbConnection, issue: &Issue) -> Result<(), DbError> {
        diesel::insert_into(issues::table)
            .values(issue)
            .execute(conn)?;
        Ok(())
    }

    /// One issue the reviewer may see.
    pub fn find(conn: &mut DbConnection, id: &IssueId, scope: &Scope) -> Result<Issue, DbError> {
        let found = issues::table
            .filter(issues::id.eq(id))
            .filter(scope.issue_visible())
            .select(Issue::as_select())
            .first(conn)?;
        discount_hidden(conn, scope, vec![found])?
            .pop()
            .ok_or(DbError::NotFound)
    }

    /// One issue the reviewer may change: it holds no opinion hidden from them, since whatever
    /// is done to it is done to every opinion in it.
    pub fn find_to_handle(
        conn: &mut DbConnection,
        id: &IssueId,
        scope: &Scope,
    ) -> Result<Issue, DbError> {
        Ok(issues::table
            .filter(issues::id.eq(id))
            .filter(scope.issue_handleable())
            .select(Issue::as_select())
            .first(conn)?)
    }

    /// The reviewer's issues, newest first, at most `limit`; `open_only` leaves out closed ones.
    pub fn list(
        conn: &mut DbConnection,
        scope: &Scope,
        open_only: bool,
        limit: i64,
    ) -> Result<Vec<Issue>, DbError> {
        let mut query = issues::table
            .filter(scope.issue_visible())
            .select(Issue::as_select())
            .into_boxed();
        if open_only {
            query = query.filter(issues::closed_on.is_null());
        }
        let found = query
            .order((issues::found_on.desc(), issues::id.desc()))
            .limit(limit)
            .load(conn)?;
        discount_hidden(conn, scope, found)
    }

    /// The reviewer's issues found between two days (inclusive), oldest first: the ledger.
    pub fn found_between(
        conn: &mut DbConnection,
        scope: &Scope,
        from: &str,
        to: &str,
    ) -> Result<Vec<Issue>, DbError> {
        let found = issues::table
            .filter(scope.issue_visible())
            .filter(issues::found_on.between(from, to))
            .select(Issue::as_select())
            .order((issues::found_on.asc(), issues::id.asc()))
            .load(conn)?;
        discount_hidden(conn, scope, found)
    }

    /// Links opinions to the issue, moving them to its state, and counts them in.
    pub fn link(
        conn: &mut DbConnection,
        issue: &Issue,
        opinion_ids: &[String],
    ) -> Result<(), DbError> {
        diesel::update(opinions::table.filter(opinions::id.eq_any(opinion_ids)))
            .set((
                opinions::issue_id.eq(&issue.id),
                opinions::state.eq(&issue.state),
                opinions::closed_on.eq(&issue.closed_on),
            ))
            .execute(conn)?;
        let added = i32::try_from(opinion_ids.len()).unwrap_or(i32::MAX);
        diesel::update(issues::table.find(&issue.id))
            .set(issues::opinion_count.eq(issues::opinion_count + added))
            .execute(conn)?;
        Ok(())
    }

    /// Takes an opinion out of the issue; it keeps its state. `NotFound` unless it is linked.
    pub fn detach(
        conn: &mut DbConnection,
        issue_id: &IssueId,
        opinion_id: &OpinionId,
    ) -> Result<(), DbError> {
        let changed = diesel::update(
            opinions::table
                .filter(opinions::id.eq(opinion_id))
                .filter(opinions::issue_id.eq(issue_id)),
        )
        .set(opinions::issue_id.eq(None::<String>))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        diesel::update(issues::table.find(issue_id))
            .set(issues::opinion_count.eq(issues::opinion_count - 1))
            .execute(conn)?;
        Ok(())
    }

    /// Writes the handling to the issue, and its state and closing day to every linked opinion.
    pub fn update_handling(
        conn: &mut DbConnection,
        id: &str,
        handling: &IssueHandling<'_>,
    ) -> Result<(), DbError> {
        diesel::update(issues::table.find(id))
            .set((
                issues::title.eq(handling.title),
                issues::state.eq(handling.state),
                issues::reply.eq(handling.reply),
                issues::replied_on.eq(handling.replied_on),
                issues::closed_on.eq(handling.closed_on),
            ))
            .execute(conn)?;
        diesel::update(opinions::table.filter(opinions::issue_id.eq(id)))
            .set((
                opinions::state.eq(handling.state),
                opinions::closed_on.eq(handling.closed_on),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// The reply a villager whose opinion is in issue `id` reads, with its day.
    pub fn reply_of(
        conn: &mut DbConnection,
        id: &str,
    ) -> Result<(Option<String>, Option<Day>), DbError> {
        Ok(issues::table
            .find(id)
            .select((issues::reply, issues::replied_on))
            .first(conn)?)
    }

    /// The opinions still kept in an issue, as queue rows, newest first.
    pub fn opinions(
        conn: &mut DbConnection,
        id: &str,
        scope: &Scope,
    ) -> Result<Vec<QueuedOpinion>, DbError> {
        let rows: Vec<QueueRow> = opinions::table
            .inner_join(boxes::table.inner_join(units::table))
            .filter(opinions::issue_id.eq(id))
            .filter(opinions::leading_group_id.eq(&scope.group_id))
            .filter(scope.visible())
            .select((Opinion::as_select(), boxes::name, units::name, units::id))
            .order((opinions::released_on.desc(), opinions::id.desc()))
            .load(conn)?;
        Ok(rows.into_iter().map(QueuedOpinion::from).collect())
    }

    /// The texts of the reviewer's visible opinions in these issues, as `(issue id, text)`, to
    /// compare with.
    pub fn texts(
        conn: &mut DbConnection,
        ids: &[&str],
        scope: &Scope,
    ) -> Result<Vec<(String, String)>, DbError> {
        let rows: Vec<(Option<String>, String)> = opinions::table
            .filter(opinions::issue_id.eq_any(ids))
            .filter(scope.visible())
            .select((opinions::issue_id, opinions::body))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(issue, body)| issue.map(|i| (i, body)))
            .collect())
    }
}

/// What recording progress on a measure writes.
pub struct Progress<'a> {
    /// Evidence notes.
    pub evidence: Option<&'a str>,
    /// Day done, or `None` while in progress.
    pub done_on: Option<&'a str>,
}

impl Measure {
    /// Stores a new measure.
    pub fn insert(conn: &mut DbConnection, measure: &Measure) -> Result<(), DbError> {
        diesel::insert_into(measures::table)
            .values(measure)
            .execute(conn)?;
        Ok(())
    }

    /// The measures of these issues, soonest deadline first (then by text, so the order is
    /// stable).
    pub fn of_issues(conn: &mut DbConnection, ids: &[&str]) -> Result<Vec<Measure>, DbError> {
        Ok(measures::table
            .filter(measures::issue_id.eq_any(ids))
            .select(Measure::as_select())
            .order((
                measures::due_on.asc(),
                measures::text.asc(),
                measures::id.asc(),
            ))
            .load(conn)?)
    }

    /// One measure of an issue the reviewer may change.
    pub fn find(
        conn: &mut DbConnection,
        id: &MeasureId,
        scope: &Scope,
    ) -> Result<Measure, DbError> {
        Ok(measures::table
            .inner_join(issues::table)
            .filter(measures::id.eq(id))
            .filter(scope.issue_handleable())
            .select(Measure::as_select())
            .first(conn)?)
    }

    /// Records evidence and whether the measure is done.
    pub fn record(
        conn: &mut DbConnection,
        id: &str,
        progress: &Progress<'_>,
    ) -> Result<(), DbError> {
        diesel::update(measures::table.find(id))
            .set((
                measures::evidence.eq(progress.evidence),
                measures::done_on.eq(progress.done_on),
            ))
            .execute(conn)?;
        Ok(())
    }
}

impl Opinion {
    /// Of these opinions, those the reviewer may merge: of their group, released, visible to
    /// them, not in an issue and not closed or declined. Returns `(id, category)`.
    pub fn mergeable(
        conn: &mut DbConnection,
        scope: &Scope,
        ids: &[String],
    ) -> Result<Vec<(String, Category)>, DbError> {
        Ok(opinions::table
            .filter(opinions::id.eq_any(ids))
            .filter(opinions::leading_group_id.eq(&scope.group_id))
            .filter(opinions::released_on.is_not_null())
            .filter(opinions::issue_id.is_null())
            .filter(opinions::state.ne_all(final_states()))
            .filter(scope.visible())
            .select((opinions::id, opinions::category))
            .load(conn)?)
    }

    /// The reviewer's newest unmerged open opinions, at most `limit`: what suggestions compare.
    pub fn unmerged(
        conn: &mut DbConnection,
        scope: &Scope,
        limit: i64,
    ) -> Result<Vec<QueuedOpinion>, DbError> {
        let rows: Vec<QueueRow> = opinions::table
            .inner_join(boxes::table.inner_join(units::table))
            .filter(opinions::leading_group_id.eq(&scope.group_id))
            .filter(opinions::released_on.is_not_null())
            .filter(opinions::issue_id.is_null())
            .filter(opinions::state.ne_all(final_states()))
            .filter(scope.visible())
            .select((Opinion::as_select(), boxes::name, units::name, units::id))
            .order((opinions::released_on.desc(), opinions::id.desc()))
            .limit(limit)
            .load(conn)?;
        Ok(rows.into_iter().map(QueuedOpinion::from).collect())
    }
}
