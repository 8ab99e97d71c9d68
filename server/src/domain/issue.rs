//! Rules for merged issues (问题), their measures (整改措施) and the ledger's period and figures.

use vocabulary::issues::{ISSUE_STATES, IssueUpdate, LedgerFigures, NewMeasure};
use vocabulary::model::{Category, Day, OpinionState};

use super::day::parse_day;
use super::opinion::optional_text;
use super::problem::{self, Problem};

/// Most opinions merged in one request.
pub const MAX_MERGE: usize = 200;
/// Longest issue title, in characters.
const MAX_TITLE_CHARS: usize = 100;
/// Longest measure text, in characters.
const MAX_MEASURE_CHARS: usize = 1000;
/// Longest name of the person responsible, in characters.
const MAX_RESPONSIBLE_CHARS: usize = 100;
/// Longest ledger period, in days (five years).
const MAX_PERIOD_DAYS: i64 = 5 * 366;

/// Trims a one-line text and checks its length; control characters are dropped.
pub(crate) fn one_line(text: &str, max: usize, refusal: Problem) -> Result<String, Problem> {
    let text: String = text.trim().chars().filter(|c| !c.is_control()).collect();
    if text.is_empty() || text.chars().count() > max {
        return Err(refusal);
    }
    Ok(text)
}

/// Checks an issue's title.
pub fn validate_title(title: &str) -> Result<String, Problem> {
    one_line(title, MAX_TITLE_CHARS, problem::ISSUE_TITLE_INVALID)
}

/// Checks the opinion ids of a merge: 1–200 non-empty ids, duplicates dropped, order kept.
pub fn validate_opinion_ids(ids: &[String]) -> Result<Vec<String>, Problem> {
    let mut unique: Vec<String> = Vec::new();
    for id in ids.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        if id.len() > 64 {
            return Err(problem::ISSUE_OPINIONS_INVALID);
        }
        if !unique.iter().any(|u| u == id) {
            unique.push(id.to_string());
        }
    }
    if unique.is_empty() || unique.len() > MAX_MERGE {
        return Err(problem::ISSUE_OPINIONS_INVALID);
    }
    Ok(unique)
}

/// A checked change to an issue; `None` keeps what is there.
#[derive(Debug, PartialEq, Eq)]
pub struct IssueChange {
    /// New title.
    pub title: Option<String>,
    /// New state.
    pub state: Option<OpinionState>,
    /// New reply; `Some(None)` removes it.
    pub reply: Option<Option<String>>,
}

/// Checks a reviewer's change to an issue.
pub fn validate_issue_update(update: &IssueUpdate) -> Result<IssueChange, Problem> {
    let title = update.title.as_deref().map(validate_title).transpose()?;
    let state = match update.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(
            OpinionState::parse(name)
                .filter(|s| ISSUE_STATES.contains(s))
                .ok_or(problem::ISSUE_STATE_INVALID)?,
        ),
    };
    let reply = optional_text(update.reply.as_deref(), problem::REPLY_TOO_LONG)?;
    Ok(IssueChange {
        title,
        state,
        reply,
    })
}

/// The category most of the merged opinions have (the earliest listed wins a tie).
pub fn main_category(categories: &[Category]) -> Option<Category> {
    let count = |c: &Category| categories.iter().filter(|x| *x == c).count();
    categories
        .iter()
        .fold(None, |best: Option<&Category>, c| match best {
            Some(b) if count(b) >= count(c) => Some(b),
            _ => Some(c),
        })
        .copied()
}

/// A checked new measure.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidMeasure {
    /// What will be done.
    pub text: String,
    /// Who answers for it.
    pub responsible: String,
    /// The deadline.
    pub due_on: Day,
}

/// Checks a new measure; its deadline cannot lie before `today`.
pub fn validate_measure(new: &NewMeasure, today: &str) -> Result<ValidMeasure, Problem> {
    let text = new.text.trim().replace("\r\n", "\n");
    if text.is_empty() || text.chars().count() > MAX_MEASURE_CHARS {
        return Err(problem::MEASURE_TEXT_INVALID);
    }
    let responsible = one_line(
        &new.responsible,
        MAX_RESPONSIBLE_CHARS,
        problem::MEASURE_RESPONSIBLE_INVALID,
    )?;
    let due_on = parse_day(&new.due_on)
        .filter(|d| d.as_str() >= today)
        .ok_or(problem::MEASURE_DUE_INVALID)?;
    Ok(ValidMeasure {
        text,
        responsible,
        due_on,
    })
}

/// Checks evidence notes: `Some(None)` removes them, `None` keeps them.
pub fn validate_evidence(evidence: Option<&str>) -> Result<Option<Option<String>>, Problem> {
    optional_text(evidence, problem::EVIDENCE_TOO_LONG)
}

/// The ledger's period: both days given or defaulting to the year of `today`.
pub fn ledger_period(
    from: Option<&str>,
    to: Option<&str>,
    today: &Day,
) -> Result<(Day, Day), Problem> {
    let day = |given: Option<&str>, month: u8, day: u8| match given.map(str::trim) {
        None | Some("") => {
            Day::from_ymd(today.year(), month, day).map_err(|_| problem::PERIOD_INVALID)
        }
        Some(text) => parse_day(text).ok_or(problem::PERIOD_INVALID),
    };
    let from = day(from, 1, 1)?;
    let to = day(to, 12, 31)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let span = match (
        time::Date::parse(&from, format),
        time::Date::parse(&to, format),
    ) {
        (Ok(a), Ok(b)) => (b - a).whole_days(),
        _ => return Err(problem::PERIOD_INVALID),
    };
    if !(0..=MAX_PERIOD_DAYS).contains(&span) {
        return Err(problem::PERIOD_INVALID);
    }
    Ok((from, to))
}

/// One measure as the ledger counts it.
#[derive(Clone, Copy, Debug)]
pub struct MeasureProgress<'a> {
    /// The deadline.
    pub due_on: &'a str,
    /// Whether it is done.
    pub done: bool,
}

/// The seeds' figures for issues found in a period: each issue's opinion count and measures.
/// Measures done and in progress always add up to the measures set.
pub fn ledger_figures<'a>(
    issues: impl IntoIterator<Item = (u32, &'a [MeasureProgress<'a>])>,
    today: &str,
) -> LedgerFigures {
    let mut figures = LedgerFigures::default();
    for (opinions, measures) in issues {
        figures.problems_found += 1;
        figures.opinions_merged += opinions;
        for m in measures {
            figures.measures_set += 1;
            if m.done {
                figures.measures_done += 1;
            } else {
                figures.measures_in_progress += 1;
                if m.due_on < today {
                    figures.measures_overdue += 1;
                }
            }
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    #[test]
    fn merges_need_one_to_two_hundred_distinct_ids() {
        assert!(validate_opinion_ids(&[]).is_err());
        assert!(validate_opinion_ids(&[" ".to_string()]).is_err());
        let ids = validate_opinion_ids(&["a".into(), "b".into(), "a".into()]).unwrap();
        assert_eq!(ids, vec!["a".to_string(), "b".to_string()]);
        let many: Vec<String> = (0..=MAX_MERGE).map(|i| i.to_string()).collect();
        assert_eq!(
            validate_opinion_ids(&many),
            Err(problem::ISSUE_OPINIONS_INVALID)
        );
    }

    #[test]
    fn an_issue_cannot_be_new_or_declined_and_titles_are_one_line() {
        let update = |state: &str| IssueUpdate {
            state: Some(state.into()),
            ..IssueUpdate::default()
        };
        assert_eq!(
            validate_issue_update(&update("rejected")),
            Err(problem::ISSUE_STATE_INVALID)
        );
        assert_eq!(
            validate_issue_update(&update("new")),
            Err(problem::ISSUE_STATE_INVALID)
        );
        assert_eq!(
            validate_issue_update(&update("rectifying")).unwrap().state,
            Some(OpinionState::Rectifying)
        );
        assert_eq!(validate_title(" 村道\n破损 ").unwrap(), "村道破损");
        assert_eq!(validate_title("   "), Err(problem::ISSUE_TITLE_INVALID));
        assert!(validate_title(&"路".repeat(101)).is_err());
        let clear = IssueUpdate {
            reply: Some(" ".into()),
            ..IssueUpdate::default()
        };
        assert_eq!(validate_issue_update(&clear).unwrap().reply, Some(None));
    }

    #[test]
    fn the_main_category_is_the_most_common_one() {
        use Category::*;
        assert_eq!(main_category(&[]), None);
        assert_eq!(
            main_category(&[Conduct, Suggestion, Suggestion]),
            Some(Suggestion)
        );
        assert_eq!(main_category(&[Conduct, Suggestion]), Some(Conduct));
    }

    #[test]
    fn measures_need_text_a_responsible_person_and_a_future_deadline() {
        let new = |due: &str| NewMeasure {
            text: "修复村道".into(),
            responsible: "张德明(村支书)".into(),
            due_on: due.into(),
        };
        assert!(validate_measure(&new("2026-12-01"), "2026-11-22").is_ok());
        assert!(validate_measure(&new("2026-11-22"), "2026-11-22").is_ok());
        assert_eq!(
            validate_measure(&new("2026-11-21"), "2026-11-22"),
            Err(problem::MEASURE_DUE_INVALID)
        );
        assert_eq!(
            validate_measure(&new("2026-02-30"), "2026-01-01"),
            Err(problem::MEASURE_DUE_INVALID)
        );
        let mut nobody = new("2026-12-01");
        nobody.responsible = " ".into();
        assert_eq!(
            validate_measure(&nobody, "2026-11-22"),
            Err(problem::MEASURE_RESPONSIBLE_INVALID)
        );
    }

    #[test]
    fn the_period_defaults_to_this_year_and_must_be_ordered() {
        assert_eq!(
            ledger_period(None, Some(""), &day("2026-11-22")).unwrap(),
            (day("2026-01-01"), day("2026-12-31"))
        );
        assert_eq!(
            ledger_period(Some("2026-12-01"), Some("2026-11-01"), &day("2026-11-22")),
            Err(problem::PERIOD_INVALID)
        );
        assert!(ledger_period(Some("2010-01-01"), Some("2026-01-01"), &day("2026-11-22")).is_err());
        assert!(ledger_period(Some("2026-13-01"), None, &day("2026-11-22")).is_err());
    }

    #[test]
    fn the_figures_add_up_like_the_seeds() {
        let done = MeasureProgress {
            due_on: "2026-10-01",
            done: true,
        };
        let late = MeasureProgress {
            due_on: "2026-10-01",
            done: false,
        };
        let open = MeasureProgress {
            due_on: "2026-12-01",
            done: false,
        };
        let first = [done, done, late];
        let second = [open];
        let figures = ledger_figures(
            [(3, &first[..]), (2, &second[..]), (1, &[][..])],
            "2026-11-22",
        );
        assert_eq!(
            figures,
            LedgerFigures {
                problems_found: 3,
                opinions_merged: 6,
                measures_set: 4,
                measures_done: 2,
                measures_in_progress: 2,
                measures_overdue: 1,
            }
        );
        assert_eq!(
            figures.measures_done + figures.measures_in_progress,
            figures.measures_set
        );
    }
}
