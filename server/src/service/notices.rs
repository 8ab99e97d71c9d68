//! Public notices (通报): the leading group writes a notice with its own text, a finished
//! round's results and the rectification ledger's figures, publishes it (which freezes the
//! figures) and may withdraw it. The public reads what is published at `/t/{unit}`.

use vocabulary::appraisal::Choice;
use vocabulary::model::{Day, GroupId, NoticeId, UnitId};
use vocabulary::notices::{NoticeBoard, NoticeContent, NoticeDraft, NoticeLedger, NoticeView};
use vocabulary::paths;

use super::appraisal::finished;
use super::appraisal_results::{ResultSettings, compute_results};
use super::ledger::group_figures;
use super::staff::Reviewer;
use super::{audit, db_problem};
use crate::db::appraisal::Round;
use crate::db::notices::Notice;
use crate::db::units::{LeadingGroup, Unit};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::audit::AuditAction;
use crate::domain::day::today;
use crate::domain::notice::{CheckedNotice, public_round, validate_notice};
use crate::domain::problem::{self, Problem};
use crate::domain::roles::Permission;
use crate::state::AppState;

/// A township's public notice board address.
pub fn board_url(public_url: &str, unit_id: &str) -> String {
    paths::BOARD.on_site(public_url, [&unit_id])
}

/// The group's notices and the finished rounds a notice may show.
pub async fn list(
    state: &AppState,
    reviewer: &Reviewer,
) -> Result<(Vec<NoticeView>, Vec<Choice>, String), Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let settings = ResultSettings::of(state);
    state
        .db(move |conn| {
            let day = today();
            let notices = Notice::of_group(conn, &group_id)?
                .into_iter()
                .map(|n| view(conn, n, &settings, &day))
                .collect::<Result<Vec<_>, _>>()?;
            let rounds = finished_rounds(conn, &group_id, &day)?;
            let unit = LeadingGroup::find(conn, &group_id)?.unit_id;
            Ok((notices, rounds, board_url(&settings.public_url, &unit)))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// One of the group's notices: a draft with its live figures, or as published.
pub async fn find(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
) -> Result<(NoticeView, Vec<Choice>), Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let settings = ResultSettings::of(state);
    let id = NoticeId::from(id);
    state
        .db(move |conn| {
            let day = today();
            let notice = Notice::find(conn, &id, &group_id)?;
            let rounds = finished_rounds(conn, &group_id, &day)?;
            Ok((view(conn, notice, &settings, &day)?, rounds))
        })
        .await
        .map_err(|e| db_problem(e, problem::NOTICE_NOT_FOUND))
}

/// Writes a new draft; returns its id.
pub async fn create(
    state: &AppState,
    reviewer: &Reviewer,
    draft: &NoticeDraft,
) -> Result<NoticeId, Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let day = today();
    let checked = validate_notice(draft, &day)?;
    let settings = ResultSettings::of(state);
    let notice = row(new_id().into(), &group_id, checked, &day);
    let id = notice.id.clone();
    state
        .db(move |conn| {
            check_round(conn, &notice, &settings, &day)?;
            Notice::insert(conn, &notice)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::WriteNotice,
        Some(&id),
    )
    .await?;
    Ok(id)
}

/// Rewrites a draft; a published notice must be withdrawn first.
pub async fn edit(
    state: &AppState,
    reviewer: &Reviewer,
    id: &str,
    draft: &NoticeDraft,
) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let day = today();
    let checked = validate_notice(draft, &day)?;
    let settings = ResultSettings::of(state);
    let notice = row(id.into(), &group_id, checked, &day);
    state
        .db(move |conn| {
            if Notice::find(conn, &notice.id, &notice.leading_group_id)?
                .published_on
                .is_some()
            {
                return Err(DbError::Refused(problem::NOTICE_PUBLISHED));
            }
            check_round(conn, &notice, &settings, &day)?;
            Notice::update_draft(conn, &notice)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOTICE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::WriteNotice,
        Some(id),
    )
    .await
}

/// Publishes a draft today, freezing its figures; publishing a published notice does nothing.
pub async fn publish(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let settings = ResultSettings::of(state);
    let notice_id = NoticeId::from(id);
    state
        .db(move |conn| {
            let day = today();
            let notice = Notice::find(conn, &notice_id, &group_id)?;
            if notice.published_on.is_some() {
                return Ok(());
            }
            let content = live_content(conn, &notice, &settings, &day)?;
            let json = serde_json::to_string(&content).map_err(|_| {
                tracing::error!("cannot serialise a notice's content");
                DbError::Refused(problem::INTERNAL)
            })?;
            Notice::set_published(conn, &notice.id, Some(&json), Some(&day), &day)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOTICE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::PublishNotice,
        Some(id),
    )
    .await
}

/// Takes a published notice off the public page; it becomes a draft again.
pub async fn withdraw(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let notice_id = NoticeId::from(id);
    state
        .db(move |conn| {
            let notice = Notice::find(conn, &notice_id, &group_id)?;
            Notice::set_published(conn, &notice.id, None, None, &today())
        })
        .await
        .map_err(|e| db_problem(e, problem::NOTICE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::WithdrawNotice,
        Some(id),
    )
    .await
}

/// Deletes a draft; a published notice must be withdrawn first.
pub async fn delete(state: &AppState, reviewer: &Reviewer, id: &str) -> Result<(), Problem> {
    let group_id = reviewer.group_for(Permission::PublishNotices)?;
    let notice_id = NoticeId::from(id);
    state
        .db(move |conn| {
            if Notice::find(conn, &notice_id, &group_id)?
                .published_on
                .is_some()
            {
                return Err(DbError::Refused(problem::NOTICE_PUBLISHED));
            }
            Notice::delete_draft(conn, &notice_id, &group_id)
        })
        .await
        .map_err(|e| db_problem(e, problem::NOTICE_NOT_FOUND))?;
    audit::record(
        state,
        &reviewer.staff.id,
        AuditAction::DeleteNotice,
        Some(id),
    )
    .await
}

/// The public board of a unit that has a leading group: everything published there.
pub async fn board(state: &AppState, unit_id: &str) -> Result<NoticeBoard, Problem> {
    let public_url = state.config.public_url.clone();
    let unit_id = UnitId::from(unit_id);
    state
        .db(move |conn| {
            let unit = Unit::find(conn, &unit_id)?;
            if LeadingGroup::of_unit(conn, &unit.id)?.is_none() {
                return Err(DbError::NotFound);
            }
            let notices = Notice::published_at_unit(conn, &unit.id)?
                .into_iter()
                .map(published_view)
                .collect();
            Ok(NoticeBoard {
                place: unit.name,
                url: board_url(&public_url, &unit.id),
                notices,
            })
        })
        .await
        .map_err(|e| db_problem(e, problem::NOT_FOUND))
}

/// A notice row from a checked draft.
fn row(id: NoticeId, group_id: &str, checked: CheckedNotice, day: &Day) -> Notice {
    let (ledger_from, ledger_to) = checked.ledger.unzip();
    Notice {
        id,
        leading_group_id: group_id.into(),
        title: checked.title,
        body: checked.body,
        round_id: checked.round_id,
        ledger_from,
        ledger_to,
        content: None,
        published_on: None,
        updated_on: day.clone(),
    }
}

/// Refuses a round that is not the group's or not over.
fn check_round(
    conn: &mut DbConnection,
    notice: &Notice,
    settings: &ResultSettings,
    day: &str,
) -> Result<(), DbError> {
    live_content(conn, notice, settings, day).map(|_| ())
}

/// The group's finished rounds, newest first.
fn finished_rounds(
    conn: &mut DbConnection,
    group_id: &GroupId,
    day: &str,
) -> Result<Vec<Choice>, DbError> {
    Ok(Round::of_group(conn, group_id)?
        .into_iter()
        .filter(|r| finished(r, day))
        .map(|r| Choice {
            id: r.id.into(),
            label: r.name,
        })
        .collect())
}

/// The figures a draft would publish today.
fn live_content(
    conn: &mut DbConnection,
    notice: &Notice,
    settings: &ResultSettings,
    day: &str,
) -> Result<NoticeContent, DbError> {
    let round = match &notice.round_id {
        Some(id) => {
            let results = compute_results(conn, id, &notice.leading_group_id, settings, day)
                .map_err(|e| match e {
                    DbError::NotFound | DbError::Refused(_) => {
                        DbError::Refused(problem::NOTICE_ROUND_INVALID)
                    }
                    other => other,
                })?;
            Some(public_round(&results))
        }
        None => None,
    };
    let ledger = match (&notice.ledger_from, &notice.ledger_to) {
        (Some(from), Some(to)) => Some(NoticeLedger {
            from: from.clone(),
            to: to.clone(),
            figures: group_figures(conn, &notice.leading_group_id, from, to, day)?,
        }),
        _ => None,
    };
    Ok(NoticeContent { round, ledger })
}

/// A notice for the group: frozen figures once published, live ones in a draft.
fn view(
    conn: &mut DbConnection,
    notice: Notice,
    settings: &ResultSettings,
    day: &str,
) -> Result<NoticeView, DbError> {
    if notice.published_on.is_some() {
        return Ok(published_view(notice));
    }
    // A draft whose round can no longer be shown still lists, without figures.
    let content = match live_content(conn, &notice, settings, day) {
        Ok(content) => content,
        Err(DbError::Refused(_)) => NoticeContent::default(),
        Err(other) => return Err(other),
    };
    Ok(view_with(notice, content))
}

/// A published notice with the figures frozen when it was published.
fn published_view(mut notice: Notice) -> NoticeView {
    let content = notice
        .content
        .take()
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    view_with(notice, content)
}

fn view_with(notice: Notice, content: NoticeContent) -> NoticeView {
    NoticeView {
        id: notice.id,
        title: notice.title,
        body: notice.body,
        round_id: notice.round_id,
        ledger_from: notice.ledger_from,
        ledger_to: notice.ledger_to,
        published_on: notice.published_on,
        updated_on: notice.updated_on,
        content,
    }
}
