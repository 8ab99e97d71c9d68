//! Appraisal rules that need no database: what makes a questionnaire, a round and a resident's
//! answers acceptable.

use std::collections::{HashMap, HashSet};

use vocabulary::appraisal::{ItemKind, Questionnaire, Rating, answer_field};
use vocabulary::model::Day;

use super::day::parse_day;
use super::problem::{self, Problem};

/// Most items a questionnaire may have.
pub const MAX_ITEMS: usize = 40;
/// Most units or members one round may appraise.
pub const MAX_SUBJECTS: usize = 200;
/// Most slips made at once.
pub const MAX_SLIPS: u32 = 2000;
/// Longest written suggestion, in characters.
pub const MAX_ANSWER_CHARS: usize = 1000;

/// Checks a questionnaire an admin or leading group edited, trimming its texts.
pub fn validate_questionnaire(mut q: Questionnaire) -> Result<Questionnaire, Problem> {
    q.title = q.title.trim().to_string();
    if q.title.is_empty() || q.title.chars().count() > 100 {
        return Err(problem::QUESTIONNAIRE_TITLE_INVALID);
    }
    let mut keys = HashSet::new();
    for item in &mut q.items {
        item.text = item.text.trim().to_string();
        let key_ok = !item.key.is_empty()
            && item.key.len() <= 32
            && item
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok
            || !keys.insert(item.key.clone())
            || item.text.is_empty()
            || item.text.chars().count() > 200
        {
            return Err(problem::QUESTIONNAIRE_ITEMS_INVALID);
        }
    }
    let rated = q.items.iter().any(|i| i.kind == ItemKind::Rating);
    if q.items.is_empty() || q.items.len() > MAX_ITEMS || !rated {
        return Err(problem::QUESTIONNAIRE_ITEMS_INVALID);
    }
    Ok(q)
}

/// A key for an item added by hand, unused in `taken`: `item_1`, `item_2`, …
pub fn fresh_item_key(taken: &[String]) -> String {
    (1..)
        .map(|n| format!("item_{n}"))
        .find(|k| !taken.contains(k))
        .unwrap_or_default()
}

/// Checks a round's name and days against `today`: the days in order, the end not past, one
/// year at most. Returns the trimmed name and both days.
pub fn validate_round(
    name: &str,
    opens_on: &str,
    closes_on: &str,
    today: &str,
) -> Result<(String, Day, Day), Problem> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(problem::ROUND_NAME_INVALID);
    }
    let (Some(opens), Some(closes)) = (parse_day(opens_on), parse_day(closes_on)) else {
        return Err(problem::ROUND_DAYS_INVALID);
    };
    let year_later = |day: &str| -> Option<String> {
        let year: i32 = day.get(..4)?.parse().ok()?;
        Some(format!("{}{}", year + 1, day.get(4..)?))
    };
    let too_long = year_later(&opens).is_none_or(|limit| closes.as_str() > limit.as_str());
    if opens > closes || closes.as_str() < today || too_long {
        return Err(problem::ROUND_DAYS_INVALID);
    }
    Ok((name.to_string(), opens, closes))
}

/// One answer of a resident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The unit or member it is about.
    pub subject_id: String,
    /// The item answered.
    pub item_key: String,
    /// The level chosen, for rated items.
    pub rating: Option<Rating>,
    /// The words written, for text items.
    pub text: Option<String>,
}

/// Why a resident's answers were not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unanswered {
    /// What to tell them.
    pub problem: Problem,
    /// The form fields to mark.
    pub fields: Vec<String>,
}

/// Reads a resident's answers from the form fields (see [`answer_field`]): every asked item
/// about every subject. Unknown fields are ignored; a value that is not a level counts as
/// unanswered. Nothing is taken unless every required item is answered.
pub fn read_answers(
    questionnaire: &Questionnaire,
    subjects: &[String],
    fields: &HashMap<String, String>,
) -> Result<Vec<Answer>, Unanswered> {
    let mut answers = Vec::new();
    let mut missing = Vec::new();
    let mut too_long = Vec::new();
    for subject in subjects {
        for item in questionnaire.asked() {
            let field = answer_field(subject, &item.key);
            let value = fields.get(&field).map(|v| v.trim()).unwrap_or_default();
            let answer = |rating, text| Answer {
                subject_id: subject.clone(),
                item_key: item.key.clone(),
                rating,
                text,
            };
            match item.kind {
                ItemKind::Rating => match Rating::parse(value) {
                    Some(r) => answers.push(answer(Some(r), None)),
                    None if item.required => missing.push(field),
                    None => {}
                },
                ItemKind::Text if value.chars().count() > MAX_ANSWER_CHARS => too_long.push(field),
                ItemKind::Text if !value.is_empty() => {
                    answers.push(answer(None, Some(value.to_string())))
                }
                ItemKind::Text if item.required => missing.push(field),
                ItemKind::Text | ItemKind::GroupNote => {}
            }
        }
    }
    if !too_long.is_empty() {
        return Err(Unanswered {
            problem: problem::APPRAISAL_TEXT_TOO_LONG,
            fields: too_long,
        });
    }
    if !missing.is_empty() || answers.is_empty() {
        let fields = if missing.is_empty() {
            subjects
                .iter()
                .flat_map(|s| questionnaire.asked().map(|i| answer_field(s, &i.key)))
                .collect()
        } else {
            missing
        };
        return Err(Unanswered {
            problem: problem::APPRAISAL_INCOMPLETE,
            fields,
        });
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocabulary::appraisal::QuestionItem;

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_templates_are_valid_and_bad_edits_are_refused() {
        let org = Questionnaire::organisation_template();
        assert_eq!(validate_questionnaire(org.clone()), Ok(org.clone()));
        let mut untitled = org.clone();
        untitled.title = "  ".into();
        assert_eq!(
            validate_questionnaire(untitled),
            Err(problem::QUESTIONNAIRE_TITLE_INVALID)
        );
        let mut twice = org.clone();
        twice.items[1].key = twice.items[0].key.clone();
        assert!(validate_questionnaire(twice).is_err());
        let mut unrated = org.clone();
        unrated.items.retain(|i| i.kind != ItemKind::Rating);
        assert!(validate_questionnaire(unrated).is_err());
        let mut bad_key = org;
        bad_key.items[0].key = "Drop table".into();
        assert!(validate_questionnaire(bad_key).is_err());
    }

    #[test]
    fn fresh_keys_do_not_collide() {
        let taken = vec!["item_1".to_string(), "overall".to_string()];
        assert_eq!(fresh_item_key(&taken), "item_2");
    }

    #[test]
    fn round_days_are_checked() {
        let ok = validate_round(
            " 2026年上半年群众评议 ",
            "2026-06-01",
            "2026-06-30",
            "2026-06-10",
        );
        assert_eq!(
            ok,
            Ok((
                "2026年上半年群众评议".to_string(),
                Day::parse("2026-06-01").expect("a day"),
                Day::parse("2026-06-30").expect("a day")
            ))
        );
        for (opens, closes) in [
            ("2026-06-30", "2026-06-01"),
            ("2026-06-01", "2026-06-09"),
            ("2026-06-01", "2027-06-02"),
            ("6月1日", "2026-06-30"),
        ] {
            assert_eq!(
                validate_round("评议", opens, closes, "2026-06-10"),
                Err(problem::ROUND_DAYS_INVALID),
                "{opens}–{closes}"
            );
        }
        assert_eq!(
            validate_round("", "2026-06-01", "2026-06-30", "2026-06-10"),
            Err(problem::ROUND_NAME_INVALID)
        );
    }

    #[test]
    fn answers_need_every_required_item_and_keep_text() {
        let q = Questionnaire::organisation_template();
        let subjects = vec!["u1".to_string(), "u2".to_string()];
        let mut given: Vec<(String, String)> = Vec::new();
        for s in &subjects {
            for key in [
                "commitments",
                "central_tasks",
                "practical_deeds",
                "team_building",
            ] {
                given.push((answer_field(s, key), "satisfied".into()));
            }
        }
        given.push((answer_field("u1", "overall"), "比较满意".into()));
        given.push((answer_field("u1", "suggestions"), " 路灯坏了 ".into()));
        given.push(("a.stranger.overall".into(), "satisfied".into()));
        let map: HashMap<String, String> = given.into_iter().collect();
        let refused = read_answers(&q, &subjects, &map).unwrap_err();
        assert_eq!(refused.problem, problem::APPRAISAL_INCOMPLETE);
        assert_eq!(refused.fields, vec![answer_field("u2", "overall")]);

        let mut map = map;
        map.insert(answer_field("u2", "overall"), "dissatisfied".into());
        let answers = read_answers(&q, &subjects, &map).expect("complete");
        assert_eq!(answers.len(), 11, "ten ratings and one suggestion");
        assert!(answers.iter().all(|a| a.subject_id != "stranger"));
        assert!(
            answers
                .iter()
                .any(|a| a.text.as_deref() == Some("路灯坏了"))
        );
        assert!(
            answers.iter().all(|a| a.item_key != "rectification"),
            "the group's note is never asked"
        );
    }

    #[test]
    fn an_empty_or_overlong_form_is_refused() {
        let mut q = Questionnaire::member_template();
        for item in &mut q.items {
            item.required = false;
        }
        q.items.push(QuestionItem {
            key: "words".into(),
            text: "其他意见".into(),
            kind: ItemKind::Text,
            required: false,
        });
        let subjects = vec!["p1".to_string()];
        let empty = read_answers(&q, &subjects, &fields(&[])).unwrap_err();
        assert_eq!(empty.problem, problem::APPRAISAL_INCOMPLETE);
        let long = "字".repeat(MAX_ANSWER_CHARS + 1);
        let refused = read_answers(&q, &subjects, &fields(&[("a.p1.words", &long)])).unwrap_err();
        assert_eq!(refused.problem, problem::APPRAISAL_TEXT_TOO_LONG);
        let one = read_answers(&q, &subjects, &fields(&[("a.p1.overall", "satisfied")]));
        assert_eq!(one.map(|a| a.len()), Ok(1));
    }
}
