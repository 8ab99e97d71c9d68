//! Public notices (通报): checking a draft and choosing what of a round's results is published.

use vocabulary::appraisal::{RoundResults, Subject};
use vocabulary::model::{Day, RoundId};
use vocabulary::notices::{NoticeDraft, NoticeRound};

use super::issue::{ledger_period, one_line};
use super::problem::{self, Problem};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest text, in characters.
pub const MAX_BODY_CHARS: usize = 5000;

/// A draft that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedNotice {
    /// Title, one line.
    pub title: String,
    /// Text, trimmed; line breaks kept.
    pub body: String,
    /// The round whose results it shows.
    pub round_id: Option<RoundId>,
    /// The ledger period it shows.
    pub ledger: Option<(Day, Day)>,
}

/// Checks a draft: a title, a text of at most 5,000 characters, something to say, and a valid
/// ledger period when the ledger is shown.
pub fn validate_notice(draft: &NoticeDraft, today: &Day) -> Result<CheckedNotice, Problem> {
    let title = one_line(&draft.title, MAX_TITLE_CHARS, problem::NOTICE_TITLE_INVALID)?;
    let body: String = draft
        .body
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(problem::NOTICE_TEXT_TOO_LONG);
    }
    let round_id = Some(draft.round.trim())
        .filter(|r| !r.is_empty())
        .map(RoundId::from);
    let ledger = if draft.ledger {
        Some(ledger_period(
            Some(&draft.ledger_from),
            Some(&draft.ledger_to),
            today,
        )?)
    } else {
        None
    };
    if body.is_empty() && round_id.is_none() && ledger.is_none() {
        return Err(problem::NOTICE_EMPTY);
    }
    Ok(CheckedNotice {
        title,
        body,
        round_id,
        ledger,
    })
}

/// What of a round's (already suppressed) results the public sees: a line per organisation and
/// the total. A round about members publishes only its total, so that no one is named.
pub fn public_round(results: &RoundResults) -> NoticeRound {
    let organisations = results.round.questionnaire.subject == Subject::Organisation;
    NoticeRound {
        name: results.round.name.clone(),
        responses: results.responses,
        response_rate: results.response_rate,
        min_group: results.min_group,
        lines: if organisations {
            results.summary.clone()
        } else {
            Vec::new()
        },
        overall: results.overall.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocabulary::appraisal::{Questionnaire, ResultLine, RoundMode, RoundView};

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    fn draft(title: &str, body: &str) -> NoticeDraft {
        NoticeDraft {
            title: title.into(),
            body: body.into(),
            ..NoticeDraft::default()
        }
    }

    #[test]
    fn a_notice_needs_a_title_and_something_to_say() {
        let today = &day("2026-11-22");
        assert_eq!(
            validate_notice(&draft(" ", "正文"), today),
            Err(problem::NOTICE_TITLE_INVALID)
        );
        assert_eq!(
            validate_notice(&draft("通报", "  "), today),
            Err(problem::NOTICE_EMPTY)
        );
        let long = "字".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            validate_notice(&draft("通报", &long), today),
            Err(problem::NOTICE_TEXT_TOO_LONG)
        );
        let checked =
            validate_notice(&draft(" 通报\u{7} ", "第一段\n第二段\u{0}"), today).expect("ok");
        assert_eq!(checked.title, "通报");
        assert_eq!(checked.body, "第一段\n第二段");
        assert_eq!((checked.round_id, checked.ledger), (None, None));
    }

    #[test]
    fn the_ledger_period_defaults_to_the_year_and_must_be_a_period() {
        let mut with_ledger = draft("通报", "");
        with_ledger.ledger = true;
        let checked = validate_notice(&with_ledger, &day("2026-11-22")).expect("ok");
        assert_eq!(checked.ledger, Some((day("2026-01-01"), day("2026-12-31"))));
        with_ledger.ledger_from = "2026-07-01".into();
        with_ledger.ledger_to = "2026-06-30".into();
        assert_eq!(
            validate_notice(&with_ledger, &day("2026-11-22")),
            Err(problem::PERIOD_INVALID)
        );
    }

    fn results(subject: Subject) -> RoundResults {
        let template = match subject {
            Subject::Organisation => Questionnaire::organisation_template(),
            Subject::Member => Questionnaire::member_template(),
        };
        let line = |label: &str| ResultLine {
            label: label.into(),
            total: Some(30),
            satisfaction: Some(900),
            ..ResultLine::default()
        };
        RoundResults {
            round: RoundView {
                id: "r".into(),
                name: "2026年上半年群众评议".into(),
                questionnaire: template,
                mode: RoundMode::Open,
                opens_on: day("2026-06-01"),
                closes_on: day("2026-06-30"),
                closed_on: None,
                accepting: false,
                finished: true,
                public_url: String::new(),
                slips_issued: 0,
                responses: 6,
                held: 0,
                subjects: Vec::new(),
            },
            min_group: 5,
            responses: 6,
            response_rate: None,
            summary: vec![line("甲"), line("乙")],
            overall: line("合计"),
            items: Vec::new(),
            suggestions: vec!["修路".into()],
            previous: None,
        }
    }

    #[test]
    fn members_are_never_named_in_public() {
        let organisations = public_round(&results(Subject::Organisation));
        assert_eq!(organisations.lines.len(), 2);
        let members = public_round(&results(Subject::Member));
        assert!(members.lines.is_empty());
        assert_eq!(members.overall.label, "合计");
        assert_eq!(members.responses, 6);
    }
}
