//! Checks on a new opinion and on a reviewer's changes to one.

use frontend::model::{Category, MAX_OPINION_CHARS, OpinionState};

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

/// A reviewer's change: new state and reply, both checked.
pub fn validate_handling(
    state: &str,
    reply: Option<&str>,
) -> Result<(OpinionState, Option<String>), Problem> {
    let state = OpinionState::parse(state.trim()).ok_or(problem::STATE_INVALID)?;
    let reply = reply.map(normalize_text).filter(|r| !r.is_empty());
    if reply
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_OPINION_CHARS)
    {
        return Err(problem::REPLY_TOO_LONG);
    }
    Ok((state, reply))
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
    fn handling_needs_a_known_state() {
        assert_eq!(validate_handling("done", None), Err(problem::STATE_INVALID));
        let (state, reply) = validate_handling("closed", Some("  已修好 ")).expect("valid");
        assert_eq!(state, OpinionState::Closed);
        assert_eq!(reply.as_deref(), Some("已修好"));
        assert_eq!(
            validate_handling("new", Some("   ")).expect("valid").1,
            None
        );
    }
}
