//! Every page's address, declared once. The server registers each page handler under its
//! [`Route`] ([`Route::registered`] inside the route's scope) and the pages link to it through
//! the functions here, so a link cannot drift from the route it names. Values put into a path
//! are percent-encoded as one segment. (The JSON API's routes are declared on their handlers
//! and documented from that registration: `server/src/routes/api.rs`.)

use std::fmt::{Display, Write as _};

use serde::Serialize;

use crate::i18n::Lang;

/// The scope a page lives in: the site's root, or `/staff` behind the staff session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The residents' pages at the root.
    Site,
    /// The staff workspace under `/staff`.
    Staff,
}

impl Scope {
    /// The scope's prefix.
    pub const fn prefix(self) -> &'static str {
        match self {
            Scope::Site => "",
            Scope::Staff => "/staff",
        }
    }
}

/// A page's route with `N` parameters: its scope and its pattern inside the scope, `{name}`
/// marking a parameter. A link names the route and gives exactly `N` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route<const N: usize> {
    scope: Scope,
    pattern: &'static str,
}

/// A route with its number of parameters as a value, for lists of every route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnyRoute {
    /// The scope it is registered in.
    pub scope: Scope,
    /// The pattern inside the scope.
    pub pattern: &'static str,
    /// How many values a link gives.
    pub parameters: usize,
}

impl<const N: usize> Route<N> {
    const fn site(pattern: &'static str) -> Self {
        Route {
            scope: Scope::Site,
            pattern,
        }
    }

    const fn staff(pattern: &'static str) -> Self {
        Route {
            scope: Scope::Staff,
            pattern,
        }
    }

    /// The pattern as registered inside the route's scope (`/opinions/{id}` in `/staff`).
    pub const fn registered(self) -> &'static str {
        self.pattern
    }

    /// The route without its parameter count.
    pub const fn any(self) -> AnyRoute {
        AnyRoute {
            scope: self.scope,
            pattern: self.pattern,
            parameters: N,
        }
    }

    /// The address with the parameters filled in order, each encoded as one path segment.
    pub fn at(self, values: [&dyn Display; N]) -> String {
        self.any().fill(values.iter().map(|v| v.to_string()))
    }

    /// The address with a query string (`?year=2026`) from pairs or a serializable struct, its
    /// values form-encoded; nothing is added when the query is empty.
    pub fn at_query<Q: Serialize + ?Sized>(self, values: [&dyn Display; N], query: &Q) -> String {
        let mut href = self.at(values);
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        if !query.is_empty() {
            href.push('?');
            href.push_str(&query);
        }
        href
    }

    /// The address on the public site (`https://x.example/b/K7Q2`), for QR codes and posters.
    pub fn on_site(self, public_url: &str, values: [&dyn Display; N]) -> String {
        format!("{}{}", public_url.trim_end_matches('/'), self.at(values))
    }

    /// The address in a language: `?lang=en` added for English, nothing for Chinese (the default).
    pub fn in_lang(self, values: [&dyn Display; N], lang: Lang) -> String {
        match lang {
            Lang::Zh => self.at(values),
            Lang::En => self.at_query(values, &[("lang", "en")]),
        }
    }
}

impl Route<0> {
    /// The address of a route without parameters.
    pub fn href(self) -> String {
        self.at([])
    }
}

impl AnyRoute {
    /// The address with every parameter set to `value`, for probing that a route is served.
    pub fn with_every_parameter(self, value: &str) -> String {
        self.fill(std::iter::repeat(value.to_string()))
    }

    /// The scope's prefix and the pattern with its parameters taken from `values` in order.
    fn fill(self, mut values: impl Iterator<Item = String>) -> String {
        let mut href = String::from(self.scope.prefix());
        let mut rest = self.pattern;
        while let Some(open) = rest.find('{') {
            href.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            if let Some(value) = values.next() {
                push_segment(&mut href, &value);
            }
            rest = &rest[close..];
        }
        href.push_str(rest);
        href
    }

    /// The whole pattern, scope included (`/staff/opinions/{id}`).
    pub fn pattern(self) -> String {
        format!("{}{}", self.scope.prefix(), self.pattern)
    }
}

/// Appends one path segment, percent-encoding every byte outside the unreserved set (and the
/// dots of `.` and `..`, which a browser would read as a step in the path).
fn push_segment(href: &mut String, value: &str) {
    if value == "." || value == ".." {
        href.push_str(&"%2E".repeat(value.len()));
        return;
    }
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            href.push(byte as char);
        } else {
            let _ = write!(href, "%{byte:02X}");
        }
    }
}

// The residents' pages.

/// `/`: the box list for people who open the site itself.
pub const HOME: Route<0> = Route::site("/");
/// `/privacy`: how the box protects the villager.
pub const PRIVACY: Route<0> = Route::site("/privacy");
/// `/b/{code}`: a box's page and its form.
pub const BOX: Route<1> = Route::site("/b/{code}");
/// `/r`: looking up a receipt.
pub const RECEIPT: Route<0> = Route::site("/r");
/// `/r/answer`: answering in a receipt's thread.
pub const RECEIPT_ANSWER: Route<0> = Route::site("/r/answer");
/// `/s/{code}`: an appraisal slip.
pub const SLIP: Route<1> = Route::site("/s/{code}");
/// `/a/{code}`: an open appraisal round.
pub const OPEN_ROUND: Route<1> = Route::site("/a/{code}");
/// `/a/{code}/change`: changing one's answers to an open round.
pub const CHANGE_ANSWERS: Route<1> = Route::site("/a/{code}/change");
/// `/t/{unit}`: a unit's public notice board (通报).
pub const BOARD: Route<1> = Route::site("/t/{unit}");

// The staff workspace.

/// `/staff`: the opinion queue.
pub const QUEUE: Route<0> = Route::staff("");
/// `/staff/`: the queue again, for a typed trailing slash.
pub const QUEUE_SLASH: Route<0> = Route::staff("/");
/// `/staff/login`.
pub const LOGIN: Route<0> = Route::staff("/login");
/// `/staff/logout`.
pub const LOGOUT: Route<0> = Route::staff("/logout");
/// `/staff/password`: changing one's password.
pub const PASSWORD: Route<0> = Route::staff("/password");
/// `/staff/opinions/{id}`: an opinion, and handling it.
pub const OPINION: Route<1> = Route::staff("/opinions/{id}");
/// `/staff/opinions/{id}/messages`: asking the villager.
pub const OPINION_MESSAGES: Route<1> = Route::staff("/opinions/{id}/messages");
/// `/staff/opinions/{id}/recuse`: stepping aside.
pub const OPINION_RECUSE: Route<1> = Route::staff("/opinions/{id}/recuse");
/// `/staff/opinions/{id}/target`: tagging whom an opinion is about.
pub const OPINION_TARGET: Route<1> = Route::staff("/opinions/{id}/target");
/// `/staff/opinions/{id}/subjects/removals`: proposing to remove a subject.
pub const SUBJECT_REMOVALS: Route<1> = Route::staff("/opinions/{id}/subjects/removals");
/// `/staff/opinions/{id}/subjects/removals/{change}`: confirming a removal.
pub const SUBJECT_REMOVAL: Route<2> = Route::staff("/opinions/{id}/subjects/removals/{change}");
/// `/staff/opinions/{id}/photos/{number}`: an opinion's photo.
pub const OPINION_PHOTO: Route<2> = Route::staff("/opinions/{id}/photos/{number}");
/// `/staff/held`: held (待核) opinions.
pub const HELD: Route<0> = Route::staff("/held");
/// `/staff/held/accept`: accepting them.
pub const HELD_ACCEPT: Route<0> = Route::staff("/held/accept");
/// `/staff/boxes`: the group's boxes, and hanging a new one.
pub const BOXES: Route<0> = Route::staff("/boxes");
/// `/staff/boxes/{id}/poster`: a box's poster.
pub const BOX_POSTER: Route<1> = Route::staff("/boxes/{id}/poster");
/// `/staff/boxes/{id}/{file}`: a box's QR code as `qr.png` or `qr.svg`.
pub const BOX_FILE: Route<2> = Route::staff("/boxes/{id}/{file}");
/// `/staff/group`: the group's figures and settings.
pub const GROUP: Route<0> = Route::staff("/group");
/// `/staff/group/accounts/{id}/confirm`: confirming an account's person.
pub const GROUP_ACCOUNT_CONFIRM: Route<1> = Route::staff("/group/accounts/{id}/confirm");
/// `/staff/audit`: the audit trail.
pub const AUDIT: Route<0> = Route::staff("/audit");
/// `/staff/issues`: the issues (归纳整理).
pub const ISSUES: Route<0> = Route::staff("/issues");
/// `/staff/issues/join`: merging opinions into an issue.
pub const ISSUES_JOIN: Route<0> = Route::staff("/issues/join");
/// `/staff/issues/{id}`: an issue.
pub const ISSUE: Route<1> = Route::staff("/issues/{id}");
/// `/staff/issues/{id}/detach`: taking an opinion out of an issue.
pub const ISSUE_DETACH: Route<1> = Route::staff("/issues/{id}/detach");
/// `/staff/issues/{id}/measures`: adding a measure (整改).
pub const ISSUE_MEASURES: Route<1> = Route::staff("/issues/{id}/measures");
/// `/staff/measures/{id}`: recording a measure's progress.
pub const MEASURE: Route<1> = Route::staff("/measures/{id}");
/// `/staff/similar`: similar opinions.
pub const SIMILAR: Route<0> = Route::staff("/similar");
/// `/staff/ledger`: the rectification ledger.
pub const LEDGER: Route<0> = Route::staff("/ledger");
/// `/staff/ledger.xlsx`.
pub const LEDGER_XLSX: Route<0> = Route::staff("/ledger.xlsx");
/// `/staff/appraisal`: appraisal rounds.
pub const APPRAISAL: Route<0> = Route::staff("/appraisal");
/// `/staff/appraisal/{id}`: a round.
pub const ROUND: Route<1> = Route::staff("/appraisal/{id}");
/// `/staff/appraisal/{id}/slips`: making slips.
pub const ROUND_SLIPS: Route<1> = Route::staff("/appraisal/{id}/slips");
/// `/staff/appraisal/{id}/close`: closing a round.
pub const ROUND_CLOSE: Route<1> = Route::staff("/appraisal/{id}/close");
/// `/staff/appraisal/{id}/held`: settling held answers.
pub const ROUND_HELD: Route<1> = Route::staff("/appraisal/{id}/held");
/// `/staff/appraisal/{id}/notes`: a round's notes.
pub const ROUND_NOTES: Route<1> = Route::staff("/appraisal/{id}/notes");
/// `/staff/appraisal/{id}/poster`: a round's poster.
pub const ROUND_POSTER: Route<1> = Route::staff("/appraisal/{id}/poster");
/// `/staff/appraisal/{id}/results`: a round's results.
pub const ROUND_RESULTS: Route<1> = Route::staff("/appraisal/{id}/results");
/// `/staff/appraisal/{id}/results.{ext}`: the results as `csv` or `xlsx`.
pub const ROUND_RESULTS_FILE: Route<2> = Route::staff("/appraisal/{id}/results.{ext}");
/// `/staff/questionnaires`: questionnaires.
pub const QUESTIONNAIRES: Route<0> = Route::staff("/questionnaires");
/// `/staff/questionnaires/{id}`: a questionnaire.
pub const QUESTIONNAIRE: Route<1> = Route::staff("/questionnaires/{id}");
/// `/staff/notices`: notices (通报).
pub const NOTICES: Route<0> = Route::staff("/notices");
/// `/staff/notices/{id}`: a notice.
pub const NOTICE: Route<1> = Route::staff("/notices/{id}");
/// `/staff/notices/{id}/{action}`: publishing or withdrawing a notice.
pub const NOTICE_ACTION: Route<2> = Route::staff("/notices/{id}/{action}");
/// `/staff/tables`: the 统计表.
pub const TABLES: Route<0> = Route::staff("/tables");
/// `/staff/tables.xlsx`: all tables in one workbook.
pub const TABLES_XLSX: Route<0> = Route::staff("/tables.xlsx");
/// `/staff/tables/{file}`: one table as CSV.
pub const TABLE_FILE: Route<1> = Route::staff("/tables/{file}");
/// `/staff/reviews`: the leader-review register.
pub const REVIEWS: Route<0> = Route::staff("/reviews");
/// `/staff/reviews/delete`: removing a recorded review.
pub const REVIEWS_DELETE: Route<0> = Route::staff("/reviews/delete");
/// `/staff/admin`: units, groups and routing.
pub const ADMIN: Route<0> = Route::staff("/admin");
/// `/staff/admin/units`: adding a unit.
pub const ADMIN_UNITS: Route<0> = Route::staff("/admin/units");
/// `/staff/admin/units/change`: renaming or moving a unit.
pub const ADMIN_UNITS_CHANGE: Route<0> = Route::staff("/admin/units/change");
/// `/staff/admin/groups`: a unit's leading group.
pub const ADMIN_GROUPS: Route<0> = Route::staff("/admin/groups");
/// `/staff/admin/routing`: routing rules.
pub const ADMIN_ROUTING: Route<0> = Route::staff("/admin/routing");
/// `/staff/admin/people`: the people.
pub const ADMIN_PEOPLE: Route<0> = Route::staff("/admin/people");
/// `/staff/admin/people/{id}/active`: withdrawing or restoring a person.
pub const PERSON_ACTIVE: Route<1> = Route::staff("/admin/people/{id}/active");
/// `/staff/admin/people/{id}/rank`: a person's rank.
pub const PERSON_RANK: Route<1> = Route::staff("/admin/people/{id}/rank");
/// `/staff/admin/accounts`: the accounts.
pub const ADMIN_ACCOUNTS: Route<0> = Route::staff("/admin/accounts");
/// `/staff/admin/accounts/{id}`: changing an account.
pub const ADMIN_ACCOUNT: Route<1> = Route::staff("/admin/accounts/{id}");
/// `/staff/admin/import`: the import page.
pub const ADMIN_IMPORT: Route<0> = Route::staff("/admin/import");
/// `/staff/admin/import/{kind}`: importing units or people.
pub const ADMIN_IMPORT_KIND: Route<1> = Route::staff("/admin/import/{kind}");

/// Every page route, for the tests that hold registration and links together.
pub const ALL: [AnyRoute; 69] = [
    HOME.any(),
    PRIVACY.any(),
    BOX.any(),
    RECEIPT.any(),
    RECEIPT_ANSWER.any(),
    SLIP.any(),
    OPEN_ROUND.any(),
    CHANGE_ANSWERS.any(),
    BOARD.any(),
    QUEUE.any(),
    QUEUE_SLASH.any(),
    LOGIN.any(),
    LOGOUT.any(),
    PASSWORD.any(),
    OPINION.any(),
    OPINION_MESSAGES.any(),
    OPINION_RECUSE.any(),
    OPINION_TARGET.any(),
    SUBJECT_REMOVALS.any(),
    SUBJECT_REMOVAL.any(),
    OPINION_PHOTO.any(),
    HELD.any(),
    HELD_ACCEPT.any(),
    BOXES.any(),
    BOX_POSTER.any(),
    BOX_FILE.any(),
    GROUP.any(),
    GROUP_ACCOUNT_CONFIRM.any(),
    AUDIT.any(),
    ISSUES.any(),
    ISSUES_JOIN.any(),
    ISSUE.any(),
    ISSUE_DETACH.any(),
    ISSUE_MEASURES.any(),
    MEASURE.any(),
    SIMILAR.any(),
    LEDGER.any(),
    LEDGER_XLSX.any(),
    APPRAISAL.any(),
    ROUND.any(),
    ROUND_SLIPS.any(),
    ROUND_CLOSE.any(),
    ROUND_HELD.any(),
    ROUND_NOTES.any(),
    ROUND_POSTER.any(),
    ROUND_RESULTS.any(),
    ROUND_RESULTS_FILE.any(),
    QUESTIONNAIRES.any(),
    QUESTIONNAIRE.any(),
    NOTICES.any(),
    NOTICE.any(),
    NOTICE_ACTION.any(),
    TABLES.any(),
    TABLES_XLSX.any(),
    TABLE_FILE.any(),
    REVIEWS.any(),
    REVIEWS_DELETE.any(),
    ADMIN.any(),
    ADMIN_UNITS.any(),
    ADMIN_UNITS_CHANGE.any(),
    ADMIN_GROUPS.any(),
    ADMIN_ROUTING.any(),
    ADMIN_PEOPLE.any(),
    PERSON_ACTIVE.any(),
    PERSON_RANK.any(),
    ADMIN_ACCOUNTS.any(),
    ADMIN_ACCOUNT.any(),
    ADMIN_IMPORT.any(),
    ADMIN_IMPORT_KIND.any(),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_as_many_parameters_as_its_pattern_and_one_declaration() {
        for route in ALL {
            let pattern = route.pattern();
            assert_eq!(pattern.matches('{').count(), route.parameters, "{pattern}");
            assert_eq!(pattern.matches('}').count(), route.parameters, "{pattern}");
            assert!(pattern.starts_with('/'), "{pattern}");
            let same = ALL.iter().filter(|r| r.pattern() == pattern).count();
            assert_eq!(same, 1, "{pattern} is declared {same} times");
        }
    }

    #[test]
    fn links_fill_the_pattern_and_encode_each_value_as_one_segment() {
        assert_eq!(OPINION.at([&"a1-b2"]), "/staff/opinions/a1-b2");
        assert_eq!(QUEUE.href(), "/staff");
        assert_eq!(HOME.href(), "/");
        assert_eq!(OPINION_PHOTO.at([&"x", &2]), "/staff/opinions/x/photos/2");
        assert_eq!(
            ROUND_RESULTS_FILE.at([&7, &"csv"]),
            "/staff/appraisal/7/results.csv"
        );
        assert_eq!(BOX.at([&"../staff?x=<1>"]), "/b/..%2Fstaff%3Fx%3D%3C1%3E");
        assert_eq!(BOARD.at([&"村 1"]), "/t/%E6%9D%91%201");
        assert_eq!(BOX.at([&".."]), "/b/%2E%2E");
        assert_eq!(
            BOX.on_site("https://x.example/", [&"K7Q2"]),
            "https://x.example/b/K7Q2"
        );
        assert_eq!(BOX_FILE.at([&3, &"qr.png"]), "/staff/boxes/3/qr.png");
        assert_eq!(
            REVIEWS.at_query([], &[("year", "2026"), ("lang", "en")]),
            "/staff/reviews?year=2026&lang=en"
        );
        assert_eq!(TABLES.at_query([], &[("year", ""); 0]), "/staff/tables");
        assert_eq!(RECEIPT.in_lang([], Lang::En), "/r?lang=en");
        assert_eq!(SLIP.in_lang([&"AB12"], Lang::Zh), "/s/AB12");
    }
}
