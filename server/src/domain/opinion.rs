//! Checks on a new opinion and on a reviewer's changes to one.

use vocabulary::model::{Category, Contact, Day, MAX_OPINION_CHARS, OpinionState};

use super::day::kept_day;
use super::problem::{self, Problem};

/// A new opinion that passed every check.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidOpinion {
    /// The chosen category.
    pub category: Category,
    /// The trimmed text.
    pub text: String,
}

/// Checks category and text of a new opinion.
pub fn validate(category: &str, text: &str) -> Result<ValidOpinion, Problem> {
    let category = Category::parse(category.trim()).ok_or(problem::CATEGORY_INVALID)?;
    let text = normalize_text(text);
    if text.is_empty() {
        return Err(problem::TEXT_EMPTY);
    }
    if text.chars().count() > MAX_OPINION_CHARS {
        return Err(problem::TEXT_TOO_LONG);
    }
    Ok(ValidOpinion { category, text })
}

/// Trims, unifies line breaks and drops control characters other than newlines and tabs.
fn normalize_text(text: &str) -> String {
    text.trim()
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// Checks a follow-up message and trims it.
pub fn validate_message(text: &str) -> Result<String, Problem> {
    let text = normalize_text(text);
    if text.is_empty() {
        return Err(problem::MESSAGE_EMPTY);
    }
    if text.chars().count() > MAX_OPINION_CHARS {
        return Err(problem::MESSAGE_TOO_LONG);
    }
    Ok(text)
}

/// Checks the contact details of a named (实名) opinion and trims them.
pub fn validate_contact(contact: &Contact) -> Result<Contact, Problem> {
    let name = contact.name.trim();
    if name.is_empty() || name.chars().count() > 20 || name.chars().any(char::is_control) {
        return Err(problem::CONTACT_NAME);
    }
    let phone: String = contact
        .phone
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let digits = phone.strip_prefix('+').unwrap_or(&phone);
    if !(7..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(problem::CONTACT_PHONE);
    }
    Ok(Contact {
        name: name.to_string(),
        phone,
    })
}

/// A checked change to an opinion; `None` keeps what is there.
#[derive(Debug, PartialEq, Eq)]
pub struct Handling {
    /// The new state.
    pub state: Option<OpinionState>,
    /// The new reply; `Some(None)` removes it.
    pub reply: Option<Option<String>>,
}

/// Where an opinion or an issue stands: its state, its reply and their days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Its state.
    pub state: OpinionState,
    /// The reply the villagers read.
    pub reply: Option<String>,
    /// The day of that reply.
    pub replied_on: Option<Day>,
    /// The day handling ended (closed or not taken up), kept while it stays ended.
    pub closed_on: Option<Day>,
}

impl Handling {
    /// The one transition rule, for opinions and issues alike: the state and the reply change
    /// as asked (`None` keeps them), a new reply is dated today and an unchanged one keeps its
    /// day, the day handling ended is kept while it stays ended, and nothing is marked not
    /// taken up (`rejected`) without a reason the villager reads.
    pub fn apply(self, current: Standing, today: &Day) -> Result<Standing, Problem> {
        let state = self.state.unwrap_or(current.state);
        let reply = self.reply.unwrap_or_else(|| current.reply.clone());
        if state == OpinionState::Rejected && reply.is_none() {
            return Err(problem::REASON_REQUIRED);
        }
        let replied_on = match &reply {
            Some(_) if reply == current.reply => current.replied_on,
            Some(_) => Some(today.clone()),
            None => None,
        };
        let closed_on = kept_day(state.is_final(), current.closed_on, today);
        Ok(Standing {
            state,
            reply,
            replied_on,
            closed_on,
        })
    }
}

/// A reviewer's change: new state and reply, both checked; an empty reply removes it.
pub fn validate_handling(state: Option<&str>, reply: Option<&str>) -> Result<Handling, Problem> {
    let state = state
        .map(|s| OpinionState::parse(s.trim()).ok_or(problem::STATE_INVALID))
        .transpose()?;
    let reply = optional_text(reply, problem::REPLY_TOO_LONG)?;
    Ok(Handling { state, reply })
}

/// A text a reviewer may set or clear (a reply, evidence notes): `None` keeps what is there, an
/// empty text removes it (`Some(None)`), and one over 2,000 characters is refused as `too_long`.
pub fn optional_text(
    text: Option<&str>,
    too_long: Problem,
) -> Result<Option<Option<String>>, Problem> {
    let text = text.map(|t| Some(normalize_text(t)).filter(|t| !t.is_empty()));
    if let Some(Some(t)) = &text
        && t.chars().count() > MAX_OPINION_CHARS
    {
        return Err(too_long);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_plain_opinion() {
        let ok = validate("conduct", "  村里的路灯坏了三个月  ").expect("valid");
        assert_eq!(ok.category, Category::Conduct);
        assert_eq!(ok.text, "村里的路灯坏了三个月");
    }

    #[test]
    fn rejects_what_the_form_must_not_accept() {
        assert_eq!(validate("", "text"), Err(problem::CATEGORY_INVALID));
        assert_eq!(validate("bribes", "text"), Err(problem::CATEGORY_INVALID));
        assert_eq!(validate("other", " \n\t "), Err(problem::TEXT_EMPTY));
        assert_eq!(
            validate("other", &"字".repeat(2001)),
            Err(problem::TEXT_TOO_LONG)
        );
        assert!(validate("other", &"字".repeat(2000)).is_ok());
    }

    #[test]
    fn contact_details_are_checked() {
        let ok = |name: &str, phone: &str| {
            validate_contact(&Contact {
                name: name.into(),
                phone: phone.into(),
            })
        };
        assert_eq!(
            ok(" 张大爷 ", "138-1234-5678").expect("valid"),
            Contact {
                name: "张大爷".into(),
                phone: "13812345678".into()
            }
        );
        assert!(ok("老李", "+86 138 1234 5678").is_ok());
        assert!(ok("老李", "0571-8888666").is_ok());
        assert_eq!(ok("", "13812345678"), Err(problem::CONTACT_NAME));
        assert_eq!(
            ok(&"名".repeat(21), "13812345678"),
            Err(problem::CONTACT_NAME)
        );
        assert_eq!(ok("老李", "12345"), Err(problem::CONTACT_PHONE));
        assert_eq!(ok("老李", "call me"), Err(problem::CONTACT_PHONE));
    }

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    fn standing(state: OpinionState, reply: Option<&str>, on: Option<&str>) -> Standing {
        Standing {
            state,
            reply: reply.map(str::to_owned),
            replied_on: reply.and(on).map(day),
            closed_on: state.is_final().then(|| day("2026-01-02")),
        }
    }

    #[test]
    fn one_transition_rule_dates_replies_keeps_the_closing_day_and_wants_a_reason() {
        let today = &day("2026-03-04");
        let new = standing(OpinionState::New, None, None);
        let closed = Handling {
            state: Some(OpinionState::Closed),
            reply: Some(Some("已修好".into())),
        }
        .apply(new.clone(), today)
        .expect("closes");
        assert_eq!(closed.replied_on.as_deref(), Some(today.as_str()));
        assert_eq!(closed.closed_on.as_deref(), Some(today.as_str()));
        // Closed again later with the same reply: both days are kept.
        let again = Handling {
            state: Some(OpinionState::Closed),
            reply: Some(Some("已修好".into())),
        }
        .apply(closed.clone(), &day("2026-05-06"))
        .expect("kept");
        assert_eq!(again, closed);
        // Reopened: the closing day goes, the reply stays with its day.
        let reopened = Handling {
            state: Some(OpinionState::Rectifying),
            reply: None,
        }
        .apply(closed, &day("2026-05-06"))
        .expect("reopens");
        assert_eq!(reopened.closed_on, None);
        assert_eq!(reopened.replied_on.as_deref(), Some(today.as_str()));
        // Not taken up needs a reason, given now or already there.
        let reject = |reply: Option<Option<String>>, from: Standing| {
            Handling {
                state: Some(OpinionState::Rejected),
                reply,
            }
            .apply(from, today)
        };
        assert_eq!(reject(None, new.clone()), Err(problem::REASON_REQUIRED));
        assert_eq!(
            reject(
                Some(None),
                standing(OpinionState::New, Some("x"), Some(today))
            ),
            Err(problem::REASON_REQUIRED),
            "removing the reason while rejecting"
        );
        let rejected = reject(Some(Some("不属于受理范围".into())), new).expect("with a reason");
        assert_eq!(rejected.closed_on.as_deref(), Some(today.as_str()));
        // A changed reply is dated anew.
        let changed = Handling {
            state: None,
            reply: Some(Some("另行答复".into())),
        }
        .apply(rejected, &day("2026-07-08"))
        .expect("changed");
        assert_eq!(changed.replied_on.as_deref(), Some("2026-07-08"));
        assert_eq!(changed.closed_on.as_deref(), Some(today.as_str()));
    }

    #[test]
    fn handling_needs_a_known_state() {
        assert_eq!(
            validate_handling(Some("done"), None),
            Err(problem::STATE_INVALID)
        );
        let change = validate_handling(Some("closed"), Some("  已修好 ")).expect("valid");
        assert_eq!(change.state, Some(OpinionState::Closed));
        assert_eq!(change.reply, Some(Some("已修好".to_string())));
        assert_eq!(
            validate_handling(None, Some("   ")).expect("valid").reply,
            Some(None),
            "empty removes"
        );
        assert_eq!(
            validate_handling(None, None).expect("valid"),
            Handling {
                state: None,
                reply: None
            }
        );
    }
}
