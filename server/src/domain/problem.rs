//! A problem to report to a person: status, a stable code and a message in the reader's
//! language, taken from the catalogue (`vocabulary::i18n`, field `problems`).

use std::fmt;

use vocabulary::i18n::{Lang, ProblemTexts};

/// What went wrong, in words a villager or reviewer understands.
#[derive(Clone, Copy)]
pub struct Problem {
    /// HTTP status to answer with.
    pub status: u16,
    /// Stable machine-readable code, also the message's name in the catalogue.
    pub code: &'static str,
    /// Picks the message out of a language's catalogue.
    text: fn(&'static ProblemTexts) -> &'static str,
}

impl Problem {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &'static str {
        (self.text)(&lang.t().problems)
    }
}

impl PartialEq for Problem {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && self.status == other.status
    }
}

impl Eq for Problem {}

impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Problem")
            .field("status", &self.status)
            .field("code", &self.code)
            .finish()
    }
}

macro_rules! problems {
    ($($name:ident = $status:literal, $code:ident;)*) => {
        $(
            #[doc = concat!("The `", stringify!($code), "` problem.")]
            pub const $name: Problem = Problem {
                status: $status,
                code: stringify!($code),
                text: |p| p.$code,
            };
        )*
    };
}

problems! {
    BOX_NOT_FOUND = 404, box_not_found;
    NOT_FOUND = 404, not_found;
    TEXT_EMPTY = 422, text_empty;
    TEXT_TOO_LONG = 422, text_too_long;
    CATEGORY_INVALID = 422, category_invalid;
    RECEIPT_INVALID = 422, receipt_invalid;
    RECEIPT_UNKNOWN = 404, receipt_unknown;
    NO_ROUTE = 409, no_leading_group;
    BODY_TOO_LARGE = 413, body_too_large;
    BAD_FORM = 400, bad_request;
    TOO_MANY = 429, too_many_requests;
    UNAVAILABLE = 503, unavailable;
    INTERNAL = 500, internal;
    STORAGE_FULL = 503, storage_full;
    LOGIN_FAILED = 401, login_failed;
    SIGN_IN_DELAYED = 429, sign_in_delayed;
    BOX_TOKEN_INVALID = 422, box_token_invalid;
    BOX_TOKEN_USED = 409, box_token_used;
    UNAUTHORIZED = 401, unauthorized;
    STATE_INVALID = 422, state_invalid;
    REPLY_TOO_LONG = 422, reply_too_long;
    CONTACT_NAME = 422, contact_name;
    CONTACT_PHONE = 422, contact_phone;
    MESSAGE_EMPTY = 422, message_empty;
    MESSAGE_TOO_LONG = 422, message_too_long;
    PHOTO_TOO_MANY = 422, photo_too_many;
    PHOTO_TOO_LARGE = 413, photo_too_large;
    PHOTO_TOO_MANY_PIXELS = 413, photo_too_many_pixels;
    PHOTO_UNREADABLE = 422, photo_unreadable;
    RETENTION_INVALID = 422, retention_invalid;
    CONFIRM_NAMES = 422, confirm_names;
    FORBIDDEN = 403, forbidden;
    REASON_REQUIRED = 422, reason_required;
    FILTER_INVALID = 422, filter_invalid;
    UNIT_NAME_INVALID = 422, unit_name_invalid;
    UNIT_KIND_INVALID = 422, unit_kind_invalid;
    UNIT_CATEGORY_INVALID = 422, unit_category_invalid;
    UNIT_EXISTS = 409, unit_exists;
    PARENT_NOT_FOUND = 422, parent_not_found;
    PERSON_NAME_INVALID = 422, person_name_invalid;
    PERSON_POST_INVALID = 422, person_post_invalid;
    PERSON_EXISTS = 409, person_exists;
    UNIT_NOT_FOUND = 422, unit_not_found;
    GROUP_NAME_INVALID = 422, group_name_invalid;
    HEAD_INVALID = 422, head_invalid;
    USERNAME_INVALID = 422, username_invalid;
    USERNAME_TAKEN = 409, username_taken;
    DISPLAY_NAME_INVALID = 422, display_name_invalid;
    ROLE_INVALID = 422, role_invalid;
    GROUP_REQUIRED = 422, group_required;
    PERSON_NOT_FOUND = 422, person_not_found;
    SELF_CHANGE = 422, self_change;
    BOX_NAME_INVALID = 422, box_name_invalid;
    IMPORT_TOO_LARGE = 413, import_too_large;
    CSV_UNREADABLE = 422, csv_unreadable;
    IMPORT_REJECTED = 422, import_rejected;
    IMPORT_NOT_CSV = 422, import_not_csv;
    TARGET_INVALID = 422, target_invalid;
    TARGET_ALREADY_SET = 409, target_already_set;
    PASSWORD_WEAK = 422, password_weak;
    PASSWORD_WRONG = 422, password_wrong;
    UNIT_MOVE_INVALID = 422, unit_move_invalid;
    ISSUE_TITLE_INVALID = 422, issue_title_invalid;
    ISSUE_OPINIONS_INVALID = 422, issue_opinions_invalid;
    OPINION_NOT_MERGEABLE = 409, opinion_not_mergeable;
    ISSUE_NOT_FOUND = 404, issue_not_found;
    ISSUE_STATE_INVALID = 422, issue_state_invalid;
    MERGED_ELSEWHERE = 409, merged_elsewhere;
    MEASURE_TEXT_INVALID = 422, measure_text_invalid;
    MEASURE_RESPONSIBLE_INVALID = 422, measure_responsible_invalid;
    MEASURE_DUE_INVALID = 422, measure_due_invalid;
    EVIDENCE_TOO_LONG = 422, evidence_too_long;
    MEASURE_NOT_FOUND = 404, measure_not_found;
    PERIOD_INVALID = 422, period_invalid;
    QUESTIONNAIRE_TITLE_INVALID = 422, questionnaire_title_invalid;
    QUESTIONNAIRE_ITEMS_INVALID = 422, questionnaire_items_invalid;
    QUESTIONNAIRE_NOT_FOUND = 404, questionnaire_not_found;
    ROUND_NAME_INVALID = 422, round_name_invalid;
    ROUND_DAYS_INVALID = 422, round_days_invalid;
    ROUND_SUBJECTS_INVALID = 422, round_subjects_invalid;
    ROUND_MODE_INVALID = 422, round_mode_invalid;
    ROUND_NOT_FOUND = 404, round_not_found;
    ROUND_FINISHED = 409, round_finished;
    ROUND_NOT_FINISHED = 409, round_not_finished;
    SLIP_COUNT_INVALID = 422, slip_count_invalid;
    SLIP_UNKNOWN = 404, slip_unknown;
    SLIP_USED = 409, slip_used;
    APPRAISAL_CLOSED = 409, appraisal_closed;
    APPRAISAL_INCOMPLETE = 422, appraisal_incomplete;
    APPRAISAL_TEXT_TOO_LONG = 422, appraisal_text_too_long;
    CHANGE_KEY_UNKNOWN = 422, change_key_unknown;
    NOTICE_TITLE_INVALID = 422, notice_title_invalid;
    NOTICE_TEXT_TOO_LONG = 422, notice_text_too_long;
    NOTICE_EMPTY = 422, notice_empty;
    NOTICE_ROUND_INVALID = 422, notice_round_invalid;
    NOTICE_NOT_FOUND = 404, notice_not_found;
    NOTICE_PUBLISHED = 409, notice_published;
    LEADER_RANK_INVALID = 422, leader_rank_invalid;
    STAT_YEAR_INVALID = 422, stat_year_invalid;
    REVIEW_PASS_INVALID = 422, review_pass_invalid;
    REVIEW_REVIEWER_INVALID = 422, review_reviewer_invalid;
    REVIEW_SUBJECTS_INVALID = 422, review_subjects_invalid;
    REVIEWS_NOT_FOUND = 404, reviews_not_found;
    SUBMISSION_KEY_INVALID = 422, submission_key_invalid;
    CSRF = 403, csrf;
    PERSON_REQUIRED = 422, person_required;
    SECOND_MEMBER_REQUIRED = 409, second_member_required;
    SUBJECT_NOT_REMOVABLE = 409, subject_not_removable;
    ACCOUNT_UNCONFIRMED = 403, account_unconfirmed;
    CONFIRMER_INELIGIBLE = 409, confirmer_ineligible;
}
