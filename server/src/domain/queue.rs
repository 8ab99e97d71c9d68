//! The reviewer's queue filters, checked: what the query string asks for, in domain types.

use vocabulary::model::{Category, OpinionState, QueueQuery};

use super::problem::{self, Problem};

/// Opinions per page of the queue.
pub const PAGE_SIZE: i64 = 50;

/// A checked queue query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only this state.
    pub state: Option<OpinionState>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this village (by name).
    pub village: Option<String>,
    /// Only opinions about this person or unit.
    pub about: Option<super::org::AboutId>,
    /// Only overdue opinions.
    pub overdue: bool,
    /// Released on or after this day.
    pub from: Option<String>,
    /// Released on or before this day.
    pub to: Option<String>,
    /// Text contains these words.
    pub text: Option<super::search::TextQuery>,
    /// Continue after this (release day, id).
    pub after: Option<(String, String)>,
}

/// Checks a queue query; empty fields mean "any".
pub fn validate_queue_query(query: &QueueQuery) -> Result<QueueFilter, Problem> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let day = |v: &Option<String>| -> Result<Option<String>, Problem> {
        match given(v) {
            Some(d) if is_day(&d) => Ok(Some(d)),
            Some(_) => Err(problem::FILTER_INVALID),
            None => Ok(None),
        }
    };
    let after = match given(&query.after) {
        Some(cursor) => {
            let (d, id) = cursor.split_once('_').ok_or(problem::FILTER_INVALID)?;
            if !is_day(d) || id.is_empty() || id.len() > 64 {
                return Err(problem::FILTER_INVALID);
            }
            Some((d.to_string(), id.to_string()))
        }
        None => None,
    };
    Ok(QueueFilter {
        state: given(&query.state)
            .map(|s| OpinionState::parse(&s).ok_or(problem::FILTER_INVALID))
            .transpose()?,
        category: given(&query.category)
            .map(|c| Category::parse(&c).ok_or(problem::FILTER_INVALID))
            .transpose()?,
        village: given(&query.village),
        about: given(&query.about)
            .map(|a| super::org::AboutId::parse(&a).ok_or(problem::FILTER_INVALID))
            .transpose()?,
        overdue: given(&query.overdue).is_some(),
        from: day(&query.from)?,
        to: day(&query.to)?,
        text: given(&query.q).and_then(|q| super::search::parse_query(&q)),
        after,
    })
}

/// The cursor that continues after an opinion released on `day` with `id`.
pub fn cursor(day: &str, id: &str) -> String {
    format!("{day}_{id}")
}

fn is_day(text: &str) -> bool {
    super::day::parse_day(text).as_deref() == Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_mean_any_and_bad_ones_are_refused() {
        let all = validate_queue_query(&QueueQuery {
            state: Some(String::new()),
            ..QueueQuery::default()
        })
        .expect("valid");
        assert_eq!(all, QueueFilter::default());
        let some = validate_queue_query(&QueueQuery {
            state: Some("rectifying".into()),
            from: Some("2026-11-01".into()),
            after: Some(cursor("2026-11-20", "abc")),
            overdue: Some("1".into()),
            ..QueueQuery::default()
        })
        .expect("valid");
        assert_eq!(some.state, Some(OpinionState::Rectifying));
        assert_eq!(some.after, Some(("2026-11-20".into(), "abc".into())));
        assert!(some.overdue);
        for bad in [
            QueueQuery {
                state: Some("done".into()),
                ..QueueQuery::default()
            },
            QueueQuery {
                from: Some("yesterday".into()),
                ..QueueQuery::default()
            },
            QueueQuery {
                after: Some("nonsense".into()),
                ..QueueQuery::default()
            },
        ] {
            assert_eq!(
                validate_queue_query(&bad).err(),
                Some(problem::FILTER_INVALID)
            );
        }
    }
}
