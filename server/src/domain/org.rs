//! Checks on what an admin types for units, people, groups, boxes and accounts.

use vocabulary::org::{UnitCategory, UnitKind};

use super::problem::{self, Problem};
use super::roles::Role;

/// Longest unit, group or box name, in characters.
pub const MAX_UNIT_NAME: usize = 60;
/// Longest person name, in characters.
pub const MAX_PERSON_NAME: usize = 20;
/// Longest post, in characters.
pub const MAX_POST: usize = 40;
/// Longest display name of an account, in characters.
pub const MAX_DISPLAY_NAME: usize = 40;

/// A trimmed, non-empty text of at most `max` characters without control characters.
fn short_text(text: &str, max: usize, fault: Problem) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max || text.chars().any(char::is_control) {
        return Err(fault);
    }
    Ok(text.to_string())
}

/// A unit's name; `/` is kept for paths in CSV files.
pub fn unit_name(name: &str) -> Result<String, Problem> {
    let name = short_text(name, MAX_UNIT_NAME, problem::UNIT_NAME_INVALID)?;
    if name.contains('/') {
        return Err(problem::UNIT_NAME_INVALID);
    }
    Ok(name)
}

/// A leading group's name.
pub fn group_name(name: &str) -> Result<String, Problem> {
    short_text(name, MAX_UNIT_NAME, problem::GROUP_NAME_INVALID)
}

/// A box's name.
pub fn box_name(name: &str) -> Result<String, Problem> {
    short_text(name, MAX_UNIT_NAME, problem::BOX_NAME_INVALID)
}

/// A person's name.
pub fn person_name(name: &str) -> Result<String, Problem> {
    short_text(name, MAX_PERSON_NAME, problem::PERSON_NAME_INVALID)
}

/// A person's post; may be empty.
pub fn post(post: &str) -> Result<String, Problem> {
    let post = post.trim();
    if post.chars().count() > MAX_POST || post.chars().any(char::is_control) {
        return Err(problem::PERSON_POST_INVALID);
    }
    Ok(post.to_string())
}

/// The level of a new unit under a parent of `parent`: the one given (stable name or Chinese
/// label), or when empty the level below the parent's; it must be exactly one below.
pub fn child_kind(parent: UnitKind, given: &str) -> Result<UnitKind, Problem> {
    let below = parent.child().ok_or(problem::UNIT_KIND_INVALID)?;
    if given.trim().is_empty() {
        return Ok(below);
    }
    match UnitKind::parse(given) {
        Some(kind) if kind == below => Ok(kind),
        _ => Err(problem::UNIT_KIND_INVALID),
    }
}

/// An optional category: empty means none.
pub fn category(given: Option<&str>) -> Result<Option<UnitCategory>, Problem> {
    match given.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => UnitCategory::parse(c)
            .map(Some)
            .ok_or(problem::UNIT_CATEGORY_INVALID),
    }
}

/// A sign-in name: 3–32 ASCII letters, digits, `-`, `_` or `.`.
pub fn username(name: &str) -> Result<String, Problem> {
    let name = name.trim();
    let ok = (3..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name.to_string())
    } else {
        Err(problem::USERNAME_INVALID)
    }
}

/// A display name.
pub fn display_name(name: &str) -> Result<String, Problem> {
    short_text(name, MAX_DISPLAY_NAME, problem::DISPLAY_NAME_INVALID)
}

/// A role's stable name.
pub fn role(name: &str) -> Result<Role, Problem> {
    Role::parse(name.trim()).ok_or(problem::ROLE_INVALID)
}

/// An owned `person:ID` or `unit:ID`, e.g. from a queue filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AboutId {
    /// A person's id.
    Person(String),
    /// A unit's id.
    Unit(String),
}

impl AboutId {
    /// Parses `person:ID` or `unit:ID` with a plausible id.
    pub fn parse(value: &str) -> Option<AboutId> {
        let plausible = |id: &str| !id.is_empty() && id.len() <= 64;
        match about(value)? {
            About::Person(id) if plausible(id) => Some(AboutId::Person(id.to_string())),
            About::Unit(id) if plausible(id) => Some(AboutId::Unit(id.to_string())),
            _ => None,
        }
    }
}

/// `person:ID` or `unit:ID` split into its parts.
pub enum About<'a> {
    /// A person's id.
    Person(&'a str),
    /// A unit's id.
    Unit(&'a str),
}

/// Parses the value of a target choice; `None` for anything else.
pub fn about(value: &str) -> Option<About<'_>> {
    let value = value.trim();
    if let Some(id) = value.strip_prefix("person:") {
        Some(About::Person(id))
    } else {
        value.strip_prefix("unit:").map(About::Unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_is_exactly_one_level_below() {
        assert_eq!(child_kind(UnitKind::Township, ""), Ok(UnitKind::Village));
        assert_eq!(
            child_kind(UnitKind::Township, "村社区单位"),
            Ok(UnitKind::Village)
        );
        assert_eq!(
            child_kind(UnitKind::Township, "branch"),
            Err(problem::UNIT_KIND_INVALID)
        );
        assert_eq!(
            child_kind(UnitKind::Branch, ""),
            Err(problem::UNIT_KIND_INVALID)
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(unit_name(" 张家村 "), Ok("张家村".to_string()));
        assert!(unit_name("").is_err());
        assert!(unit_name("青山镇/张家村").is_err());
        assert!(unit_name(&"村".repeat(61)).is_err());
        assert!(person_name("王\u{7}建国").is_err());
        assert_eq!(post(""), Ok(String::new()));
        assert!(username("ab").is_err());
        assert!(username("张三").is_err());
        assert_eq!(username("qing-shan_1.a"), Ok("qing-shan_1.a".to_string()));
    }

    #[test]
    fn categories_accept_the_tables_labels() {
        assert_eq!(category(Some("农村")), Ok(Some(UnitCategory::Rural)));
        assert_eq!(
            category(Some("government")),
            Ok(Some(UnitCategory::Government))
        );
        assert_eq!(category(Some(" ")), Ok(None));
        assert_eq!(category(Some("工厂")), Err(problem::UNIT_CATEGORY_INVALID));
    }
}
