//! The text catalogue: every string a person reads. The struct [`Texts`] names them; each
//! language fills it in its own file (`zh.rs`, `en.rs`), so a translator works in one file.

use serde::{Deserialize, Serialize};

mod en;
mod zh;

use en::EN;
use zh::ZH;

/// The language a page is shown in. Chinese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文 (zh-CN).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads `?lang=` values; anything but `en` gives Chinese.
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some(v) if v.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// A day (`YYYY-MM-DD`) as people write it: 2026年11月22日, or 22 Nov 2026. Anything else is
    /// shown as it is.
    pub fn day(self, iso: &str) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
        match (parts.as_slice(), iso.len()) {
            ([y, m @ 1..=12, d @ 1..=31], 10) => match self {
                Lang::Zh => format!("{y}年{m}月{d}日"),
                Lang::En => format!("{d} {} {y}", MONTHS[(*m - 1) as usize]),
            },
            _ => iso.to_string(),
        }
    }

    /// From one day to another: 2026年11月1日至2026年11月30日, or 1 Nov 2026 – 30 Nov 2026.
    pub fn span(self, from: &str, to: &str) -> String {
        match self {
            Lang::Zh => format!("{}至{}", self.day(from), self.day(to)),
            Lang::En => format!("{} – {}", self.day(from), self.day(to)),
        }
    }

    /// A local minute (`YYYY-MM-DD HH:MM`) with its day written out: 2026年11月22日 09:05.
    pub fn minute(self, at: &str) -> String {
        match at.split_once(' ') {
            Some((day, time)) if time.len() == 5 => format!("{} {time}", self.day(day)),
            _ => at.to_string(),
        }
    }

    /// The catalogue for this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// One section of the page "我们如何保护你": a heading and its points.
pub struct PrivacySection {
    /// The section heading.
    pub heading: &'static str,
    /// Its points, one sentence each.
    pub items: &'static [&'static str],
}

/// Every string shown on the pages.
#[allow(missing_docs)]
pub struct Texts {
    pub app_name: &'static str,
    pub other_lang_label: &'static str,
    pub other_lang_param: &'static str,
    pub box_receiver: &'static str,
    pub keep_heading: &'static str,
    pub keep_items: [&'static str; 4],
    pub never_heading: &'static str,
    pub never_items: [&'static str; 4],
    pub category_legend: &'static str,
    pub text_label: &'static str,
    pub text_hint: &'static str,
    pub photos_label: &'static str,
    pub photos_hint: &'static str,
    pub photos_again: &'static str,
    pub photos_too_many: &'static str,
    pub photo_alt: &'static str,
    pub group_heading: &'static str,
    pub group_accounts_heading: &'static str,
    pub group_accounts_hint: &'static str,
    pub col_account: &'static str,
    pub col_linked_by: &'static str,
    pub col_confirmed_by: &'static str,
    pub awaiting_confirmation: &'static str,
    pub first_member: &'static str,
    pub confirm_account: &'static str,
    pub unconfirmed_banner: &'static str,
    pub audit_heading: &'static str,
    pub audit_intact: &'static str,
    pub audit_broken: &'static str,
    pub audit_head: &'static str,
    pub audit_head_hint: &'static str,
    pub audit_time: &'static str,
    pub audit_actor: &'static str,
    pub audit_action: &'static str,
    /// Title of the held (待核) opinions list.
    pub held_title: &'static str,
    /// Banner over held opinions: why they are apart.
    pub held_banner: &'static str,
    /// Button accepting one held opinion into the queue.
    pub held_accept: &'static str,
    /// Button accepting every held opinion into the queue.
    pub held_accept_all: &'static str,
    /// Link from the queue to the held opinions, followed by their number.
    pub held_link: &'static str,
    pub audit_target: &'static str,
    pub audit_older: &'static str,
    pub recuse_hint: &'static str,
    pub recuse_submit: &'static str,
    pub subjects_heading: &'static str,
    pub subjects_hint: &'static str,
    /// Why a person is a subject: named, chosen, tagged, declared.
    pub subject_sources: [&'static str; 4],
    pub subject_propose_removal: &'static str,
    pub subject_proposed_by: &'static str,
    pub subject_confirm_removal: &'static str,
    pub due_label: &'static str,
    pub overdue_badge: &'static str,
    pub filter_any: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_text: &'static str,
    pub filter_submit: &'static str,
    pub next_page: &'static str,
    pub stats_heading: &'static str,
    pub stats_hidden_note: &'static str,
    pub total_label: &'static str,
    pub retention_heading: &'static str,
    pub retention_label: &'static str,
    pub retention_hint: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub receipt_heading: &'static str,
    pub receipt_intro: &'static str,
    pub receipt_save: &'static str,
    pub receipt_copy: &'static str,
    pub receipt_copied: &'static str,
    pub receipt_check_link: &'static str,
    pub status_heading: &'static str,
    pub status_intro: &'static str,
    pub status_receipt_label: &'static str,
    pub status_submit: &'static str,
    pub status_state: &'static str,
    pub status_category: &'static str,
    pub status_received: &'static str,
    pub status_reply: &'static str,
    pub status_no_reply: &'static str,
    pub network_error: &'static str,
    pub not_found_heading: &'static str,
    pub not_found_box: &'static str,
    pub home_intro: &'static str,
    pub home_status_link: &'static str,
    pub privacy_link: &'static str,
    pub masked_label: &'static str,
    pub thread_heading: &'static str,
    pub thread_staff: &'static str,
    pub thread_resident: &'static str,
    pub answer_label: &'static str,
    pub answer_submit: &'static str,
    pub ask_label: &'static str,
    pub ask_submit: &'static str,
    pub named_summary: &'static str,
    pub named_hint: &'static str,
    pub named_check: &'static str,
    pub contact_name: &'static str,
    pub contact_phone: &'static str,
    pub named_badge: &'static str,
    pub named_label: &'static str,
    pub screen_masked_intro: &'static str,
    pub screen_warn_intro: &'static str,
    pub screen_confirm: &'static str,
    pub submit_confirmed: &'static str,
    pub privacy_heading: &'static str,
    pub privacy_intro: &'static str,
    pub privacy_sections: &'static [PrivacySection],
    pub error_heading: &'static str,
    pub back: &'static str,
    pub staff_title: &'static str,
    pub login_heading: &'static str,
    pub login_username: &'static str,
    pub login_password: &'static str,
    pub login_submit: &'static str,
    pub login_failed: &'static str,
    pub logout: &'static str,
    pub queue_heading: &'static str,
    pub queue_empty: &'static str,
    pub col_box: &'static str,
    pub col_village: &'static str,
    pub col_category: &'static str,
    pub col_date: &'static str,
    pub state_waiting: &'static str,
    pub col_text: &'static str,
    pub col_state: &'static str,
    pub open: &'static str,
    pub detail_heading: &'static str,
    pub reply_label: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub boxes_heading: &'static str,
    pub qr_svg: &'static str,
    pub qr_png: &'static str,
    pub poster: &'static str,
    pub poster_scan: &'static str,
    pub poster_promise: &'static str,
    pub print: &'static str,
    pub back_to_queue: &'static str,
    pub session_expired: &'static str,
    pub about_summary: &'static str,
    pub about_hint: &'static str,
    pub about_label: &'static str,
    pub about_none: &'static str,
    pub about_people: &'static str,
    pub about_units: &'static str,
    pub escalate_check: &'static str,
    pub escalate_hint: &'static str,
    pub col_about: &'static str,
    pub escalation_label: &'static str,
    pub tag_heading: &'static str,
    pub tag_hint: &'static str,
    pub tag_submit: &'static str,
    pub tagged_moved: &'static str,
    pub password_heading: &'static str,
    pub password_current: &'static str,
    pub password_new: &'static str,
    pub password_submit: &'static str,
    pub password_changed: &'static str,
    pub nav_org: &'static str,
    pub nav_people: &'static str,
    pub nav_accounts: &'static str,
    pub nav_import: &'static str,
    pub nav_password: &'static str,
    pub login_changed: &'static str,
    pub org_heading: &'static str,
    pub org_intro: &'static str,
    pub col_unit: &'static str,
    pub col_kind: &'static str,
    pub col_unit_category: &'static str,
    pub col_group: &'static str,
    pub col_head: &'static str,
    pub col_name: &'static str,
    pub col_post: &'static str,
    pub col_username: &'static str,
    pub col_display_name: &'static str,
    pub col_role: &'static str,
    pub col_person: &'static str,
    pub col_status: &'static str,
    pub unit_add_heading: &'static str,
    pub unit_parent: &'static str,
    pub kind_auto: &'static str,
    pub category_none: &'static str,
    pub unit_add_submit: &'static str,
    pub group_form_heading: &'static str,
    pub group_name_label: &'static str,
    pub head_label: &'static str,
    pub head_none: &'static str,
    pub group_submit: &'static str,
    pub routing_heading: &'static str,
    pub routing_intro: &'static str,
    pub routing_area: &'static str,
    pub routing_group: &'static str,
    pub routing_remove: &'static str,
    pub routing_submit: &'static str,
    pub routing_none: &'static str,
    pub people_heading: &'static str,
    pub people_intro: &'static str,
    pub person_add_heading: &'static str,
    pub person_add_submit: &'static str,
    pub person_withdraw: &'static str,
    pub person_restore: &'static str,
    pub status_active: &'static str,
    pub status_inactive: &'static str,
    pub accounts_heading: &'static str,
    pub accounts_intro: &'static str,
    pub account_add_heading: &'static str,
    pub account_add_submit: &'static str,
    pub account_password_once: &'static str,
    pub account_save: &'static str,
    pub account_reset: &'static str,
    pub account_disable: &'static str,
    pub account_enable: &'static str,
    pub role_admin: &'static str,
    pub role_member: &'static str,
    pub role_viewer: &'static str,
    pub role_auditor: &'static str,
    pub person_none: &'static str,
    pub import_heading: &'static str,
    pub import_intro: &'static str,
    pub import_units_heading: &'static str,
    pub import_units_columns: &'static str,
    pub import_people_heading: &'static str,
    pub import_people_columns: &'static str,
    pub import_file: &'static str,
    pub import_submit: &'static str,
    pub import_done: &'static str,
    pub import_line: &'static str,
    pub box_add_heading: &'static str,
    pub box_name_label: &'static str,
    pub box_add_submit: &'static str,
    pub issues_heading: &'static str,
    pub issues_empty: &'static str,
    pub similar_heading: &'static str,
    pub similar_hint: &'static str,
    pub similar_empty: &'static str,
    pub similar_reference: &'static str,
    pub similarity_n: &'static str,
    pub ledger_heading: &'static str,
    pub opinion_count_n: &'static str,
    pub measures_progress: &'static str,
    pub col_found_on: &'static str,
    pub col_closed_on: &'static str,
    pub col_opinion_count: &'static str,
    pub col_number: &'static str,
    pub col_issue: &'static str,
    pub col_done: &'static str,
    pub issue_title_label: &'static str,
    pub issue_reply_hint: &'static str,
    pub issue_save: &'static str,
    pub issue_opinions_heading: &'static str,
    pub issue_opinions_deleted: &'static str,
    pub detach_submit: &'static str,
    pub measures_heading: &'static str,
    pub measures_empty: &'static str,
    pub measure_text_label: &'static str,
    pub responsible_label: &'static str,
    pub due_on_label: &'static str,
    pub evidence_label: &'static str,
    pub measure_done: &'static str,
    pub measure_done_on: &'static str,
    pub measure_in_progress: &'static str,
    pub measure_save: &'static str,
    pub measure_add: &'static str,
    pub back_to_issues: &'static str,
    pub merge_submit: &'static str,
    pub merge_selected: &'static str,
    pub select_label: &'static str,
    pub merged_badge: &'static str,
    pub merged_into: &'static str,
    pub merged_handled_hint: &'static str,
    pub suggestions_heading: &'static str,
    pub suggestions_none: &'static str,
    pub join_label: &'static str,
    pub join_choice: &'static str,
    pub join_submit: &'static str,
    pub ledger_show: &'static str,
    pub ledger_default_period: &'static str,
    pub fig_problems: &'static str,
    pub fig_opinions: &'static str,
    pub fig_measures_set: &'static str,
    pub fig_measures_done: &'static str,
    pub fig_overdue: &'static str,
    pub ledger_export: &'static str,
    pub ledger_empty: &'static str,
    pub ledger_figures_only: &'static str,
    pub merged_hidden: &'static str,
    pub status_merged: &'static str,
    pub unit_change_heading: &'static str,
    pub unit_change_hint: &'static str,
    pub unit_new_name: &'static str,
    pub unit_new_parent: &'static str,
    pub unit_keep_parent: &'static str,
    pub unit_change_submit: &'static str,
    pub ap_form_heading: &'static str,
    pub ap_intro: &'static str,
    pub ap_closes: &'static str,
    pub ap_required: &'static str,
    pub ap_optional: &'static str,
    pub ap_send: &'static str,
    pub ap_saved_hint: &'static str,
    pub ap_missing: &'static str,
    pub ap_thanks_heading: &'static str,
    pub ap_thanks_body: &'static str,
    pub ap_change_hint: &'static str,
    pub ap_change_link: &'static str,
    pub ap_change_code_show: &'static str,
    pub ap_change_heading: &'static str,
    pub ap_change_intro: &'static str,
    pub ap_change_key_label: &'static str,
    pub ap_changed_heading: &'static str,
    pub ap_changed_body: &'static str,
    pub nav_appraisal: &'static str,
    pub nav_questionnaires: &'static str,
    pub ap_rounds_heading: &'static str,
    pub ap_no_rounds: &'static str,
    pub ap_new_round: &'static str,
    pub ap_round_name: &'static str,
    pub ap_questionnaire: &'static str,
    pub ap_template_org: &'static str,
    pub ap_template_member: &'static str,
    pub ap_mode: &'static str,
    pub ap_mode_open: &'static str,
    pub ap_mode_slips: &'static str,
    pub ap_opens: &'static str,
    pub ap_closes_label: &'static str,
    pub ap_subjects_units: &'static str,
    pub ap_subjects_members: &'static str,
    pub ap_open_round: &'static str,
    pub ap_col_round: &'static str,
    pub ap_col_days: &'static str,
    pub ap_col_responses: &'static str,
    pub ap_col_slips: &'static str,
    pub ap_status_running: &'static str,
    pub ap_status_waiting: &'static str,
    pub ap_status_finished: &'static str,
    pub ap_public_form: &'static str,
    pub ap_poster: &'static str,
    pub ap_make_slips: &'static str,
    pub ap_slip_count: &'static str,
    pub ap_slips_once: &'static str,
    pub ap_close_round: &'static str,
    pub ap_held_alert: &'static str,
    pub ap_held_accept: &'static str,
    pub ap_held_discard: &'static str,
    pub ap_close_confirm: &'static str,
    pub ap_results: &'static str,
    pub ap_results_wait: &'static str,
    pub ap_results_heading: &'static str,
    pub ap_overall: &'static str,
    pub ap_by_subject: &'static str,
    pub ap_by_item: &'static str,
    pub ap_col_subject: &'static str,
    pub ap_col_total: &'static str,
    pub ap_col_satisfaction: &'static str,
    pub ap_col_basic: &'static str,
    pub ap_col_dissatisfied: &'static str,
    pub ap_col_trend: &'static str,
    pub ap_hidden_note: &'static str,
    pub ap_response_rate: &'static str,
    pub ap_responses_n: &'static str,
    pub ap_suggestions: &'static str,
    pub ap_no_suggestions: &'static str,
    pub ap_trend_against: &'static str,
    pub ap_notes_heading: &'static str,
    pub ap_save_note: &'static str,
    pub ap_copy_org: &'static str,
    pub ap_copy_member: &'static str,
    pub ap_edit: &'static str,
    pub ap_from_above: &'static str,
    pub ap_item_text: &'static str,
    pub ap_item_kind: &'static str,
    pub ap_kind_rating: &'static str,
    pub ap_kind_text: &'static str,
    pub ap_kind_group_note: &'static str,
    pub ap_item_required: &'static str,
    pub ap_item_order: &'static str,
    pub ap_item_remove: &'static str,
    pub ap_item_new: &'static str,
    pub ap_title: &'static str,
    pub ap_save_questionnaire: &'static str,
    pub ap_slips_heading: &'static str,
    pub ap_slip_scan: &'static str,
    pub ap_slip_once: &'static str,
    pub ap_slip_until: &'static str,
    pub ap_chart_label: &'static str,
    pub nav_notices: &'static str,
    pub nt_heading: &'static str,
    pub nt_intro: &'static str,
    pub nt_board_link: &'static str,
    pub nt_new: &'static str,
    pub nt_title: &'static str,
    pub nt_body: &'static str,
    pub nt_round: &'static str,
    pub nt_round_none: &'static str,
    pub nt_ledger: &'static str,
    pub nt_ledger_from: &'static str,
    pub nt_ledger_to: &'static str,
    pub nt_save: &'static str,
    pub nt_publish: &'static str,
    pub nt_withdraw: &'static str,
    pub nt_delete: &'static str,
    pub nt_draft: &'static str,
    pub nt_published_on: &'static str,
    pub nt_none: &'static str,
    pub nt_preview: &'static str,
    pub nt_fixed: &'static str,
    pub nt_edit: &'static str,
    pub nt_board_heading: &'static str,
    pub nt_board_empty: &'static str,
    pub nt_round_heading: &'static str,
    pub nt_ledger_heading: &'static str,
    pub nt_members_total: &'static str,
    pub nt_scan: &'static str,
    pub nt_box_link: &'static str,
    pub nt_col_organisation: &'static str,
    pub ap_col_counts: &'static str,
    pub ap_col_item: &'static str,
    pub ap_all_items: &'static str,
    pub ap_download_xlsx: &'static str,
    pub ap_download_csv: &'static str,
    pub col_leader_rank: &'static str,
    pub rank_none: &'static str,
    pub rank_save: &'static str,
    pub st_heading: &'static str,
    pub st_intro: &'static str,
    pub st_year: &'static str,
    pub st_show: &'static str,
    pub st_title_leaders: &'static str,
    pub st_title_organisations: &'static str,
    pub st_title_members: &'static str,
    pub st_category: &'static str,
    pub st_total_people: &'static str,
    pub st_reviewing: &'static str,
    pub st_first: &'static str,
    pub st_second: &'static str,
    pub st_organisations: &'static str,
    pub st_org_reviewed: &'static str,
    pub st_org_appraised: &'static str,
    pub st_members: &'static str,
    pub st_mem_reviewed: &'static str,
    pub st_mem_appraised: &'static str,
    pub st_note_1: &'static str,
    pub st_note_2: &'static str,
    pub st_note_3: &'static str,
    pub st_place: &'static str,
    pub st_made_on: &'static str,
    pub st_rollup: &'static str,
    pub st_col_place: &'static str,
    pub st_col_leaders: &'static str,
    pub st_col_reviewing: &'static str,
    pub st_col_reviewed: &'static str,
    pub st_col_appraised: &'static str,
    pub st_total: &'static str,
    pub st_download_xlsx: &'static str,
    pub st_download_csv: &'static str,
    pub nav_tables: &'static str,
    pub nav_reviews: &'static str,
    pub rv_heading: &'static str,
    pub rv_intro: &'static str,
    pub rv_pass: &'static str,
    pub rv_reviewer: &'static str,
    pub rv_units: &'static str,
    pub rv_people: &'static str,
    pub rv_save: &'static str,
    pub rv_none: &'static str,
    pub rv_no_leaders: &'static str,
    pub rv_delete: &'static str,
    pub full_stop: &'static str,
    pub st_notes: &'static str,
    pub list_colon: &'static str,
    pub list_separator: &'static str,
    pub draft_restored: &'static str,
    pub network_retrying: &'static str,
    pub read_aloud: &'static str,
    pub col_actions: &'static str,
    /// Opinion categories, in `Category::ALL` order.
    pub categories: [&'static str; 6],
    /// Opinion states, in `OpinionState::ALL` order.
    pub opinion_states: [&'static str; 6],
    /// Why an opinion went up a level: requested, head named.
    pub escalations: [&'static str; 2],
    /// Unit levels, in `UnitKind::ALL` order.
    pub unit_kinds: [&'static str; 4],
    /// Unit categories of the statistics tables, in `UnitCategory::ALL` order.
    pub unit_categories: [&'static str; 12],
    /// Leader ranks of 附件1, in `LeaderRank::ALL` order.
    pub leader_ranks: [&'static str; 14],
    /// Rating levels, best first, in `Rating::ALL` order.
    pub ratings: [&'static str; 4],
    /// Masked identifiers, in `IdentifierKind::ALL` order.
    pub identifier_kinds: [&'static str; 6],
    /// What may identify someone: a personal name, a home address.
    pub warning_kinds: [&'static str; 2],
    pub release_by_count: &'static str,
    pub release_by_times: &'static str,
    pub ledger_sentence: &'static str,
    /// The messages of the server's problems (errors), not sent to the browser's WASM.
    #[cfg(feature = "ssr")]
    pub problems: ProblemTexts,
    /// Audit trail actions, in `model::AUDIT_ACTIONS` order.
    pub audit_actions: [&'static str; 56],
}

/// Every problem (error) message, by the problem's code (see the server's `domain::problem`).
#[cfg(feature = "ssr")]
#[allow(missing_docs)]
pub struct ProblemTexts {
    pub box_not_found: &'static str,
    pub not_found: &'static str,
    pub text_empty: &'static str,
    pub text_too_long: &'static str,
    pub category_invalid: &'static str,
    pub receipt_invalid: &'static str,
    pub receipt_unknown: &'static str,
    pub no_leading_group: &'static str,
    pub body_too_large: &'static str,
    pub bad_request: &'static str,
    pub too_many_requests: &'static str,
    pub unavailable: &'static str,
    pub internal: &'static str,
    pub storage_full: &'static str,
    pub login_failed: &'static str,
    pub sign_in_delayed: &'static str,
    pub box_token_invalid: &'static str,
    pub box_token_used: &'static str,
    pub unauthorized: &'static str,
    pub state_invalid: &'static str,
    pub reply_too_long: &'static str,
    pub contact_name: &'static str,
    pub contact_phone: &'static str,
    pub message_empty: &'static str,
    pub message_too_long: &'static str,
    pub photo_too_many: &'static str,
    pub photo_too_large: &'static str,
    pub photo_too_many_pixels: &'static str,
    pub photo_unreadable: &'static str,
    pub retention_invalid: &'static str,
    pub confirm_names: &'static str,
    pub forbidden: &'static str,
    pub reason_required: &'static str,
    pub filter_invalid: &'static str,
    pub unit_name_invalid: &'static str,
    pub unit_kind_invalid: &'static str,
    pub unit_category_invalid: &'static str,
    pub unit_exists: &'static str,
    pub parent_not_found: &'static str,
    pub person_name_invalid: &'static str,
    pub person_post_invalid: &'static str,
    pub person_exists: &'static str,
    pub unit_not_found: &'static str,
    pub group_name_invalid: &'static str,
    pub head_invalid: &'static str,
    pub username_invalid: &'static str,
    pub username_taken: &'static str,
    pub display_name_invalid: &'static str,
    pub role_invalid: &'static str,
    pub group_required: &'static str,
    pub person_not_found: &'static str,
    pub self_change: &'static str,
    pub box_name_invalid: &'static str,
    pub import_too_large: &'static str,
    pub csv_unreadable: &'static str,
    pub import_rejected: &'static str,
    /// The uploaded file is not text CSV (a workbook, a picture, a binary file).
    pub import_not_csv: &'static str,
    pub target_invalid: &'static str,
    pub target_already_set: &'static str,
    pub password_weak: &'static str,
    pub password_wrong: &'static str,
    pub unit_move_invalid: &'static str,
    pub issue_title_invalid: &'static str,
    pub issue_opinions_invalid: &'static str,
    pub opinion_not_mergeable: &'static str,
    pub issue_not_found: &'static str,
    pub issue_state_invalid: &'static str,
    pub merged_elsewhere: &'static str,
    pub measure_text_invalid: &'static str,
    pub measure_responsible_invalid: &'static str,
    pub measure_due_invalid: &'static str,
    pub evidence_too_long: &'static str,
    pub measure_not_found: &'static str,
    pub period_invalid: &'static str,
    pub questionnaire_title_invalid: &'static str,
    pub questionnaire_items_invalid: &'static str,
    pub questionnaire_not_found: &'static str,
    pub round_name_invalid: &'static str,
    pub round_days_invalid: &'static str,
    pub round_subjects_invalid: &'static str,
    pub round_mode_invalid: &'static str,
    pub round_not_found: &'static str,
    pub round_finished: &'static str,
    pub round_not_finished: &'static str,
    pub slip_count_invalid: &'static str,
    pub slip_unknown: &'static str,
    pub slip_used: &'static str,
    pub appraisal_closed: &'static str,
    pub appraisal_incomplete: &'static str,
    pub appraisal_text_too_long: &'static str,
    pub change_key_unknown: &'static str,
    pub notice_title_invalid: &'static str,
    pub notice_text_too_long: &'static str,
    pub notice_empty: &'static str,
    pub notice_round_invalid: &'static str,
    pub notice_not_found: &'static str,
    pub notice_published: &'static str,
    pub leader_rank_invalid: &'static str,
    pub stat_year_invalid: &'static str,
    pub review_pass_invalid: &'static str,
    pub review_reviewer_invalid: &'static str,
    pub review_subjects_invalid: &'static str,
    pub reviews_not_found: &'static str,
    pub submission_key_invalid: &'static str,
    pub csrf: &'static str,
    pub person_required: &'static str,
    pub second_member_required: &'static str,
    pub subject_not_removable: &'static str,
    pub account_unconfirmed: &'static str,
    pub confirmer_ineligible: &'static str,
    pub import_missing_column: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each label list is read by the enum's position: the lists must follow the `ALL` order.
    #[test]
    fn every_label_list_follows_its_enum() {
        fn check<T: Copy>(all: &[T], index: fn(T) -> usize, label: fn(T, Lang) -> &'static str) {
            for lang in [Lang::Zh, Lang::En] {
                let mut seen = std::collections::HashSet::new();
                for (i, &k) in all.iter().enumerate() {
                    assert_eq!(index(k), i, "declared in the ALL order");
                    let text = label(k, lang);
                    assert!(
                        !text.is_empty() && seen.insert(text),
                        "{text:?} is empty or repeated"
                    );
                }
            }
        }
        use crate::appraisal::Rating;
        use crate::model::{Category, Escalation, OpinionState};
        use crate::org::{LeaderRank, UnitCategory, UnitKind};
        use crate::redact::{IdentifierKind, WarningKind};
        check(&Category::ALL, |k| k as usize, Category::label);
        check(&OpinionState::ALL, |k| k as usize, OpinionState::label);
        let escalations = [Escalation::Requested, Escalation::HeadNamed];
        check(&escalations, |k| k as usize, Escalation::label);
        check(&UnitKind::ALL, |k| k as usize, UnitKind::label);
        check(&UnitCategory::ALL, |k| k as usize, UnitCategory::label);
        check(&LeaderRank::ALL, |k| k as usize, LeaderRank::label);
        check(&Rating::ALL, |k| k as usize, Rating::label);
        check(&IdentifierKind::ALL, |k| k as usize, IdentifierKind::label);
        check(&WarningKind::ALL, |k| k as usize, WarningKind::label);
    }

    #[test]
    fn spans_and_minutes_use_the_day_format() {
        assert_eq!(
            Lang::Zh.span("2026-11-01", "2026-11-30"),
            "2026年11月1日至2026年11月30日"
        );
        assert_eq!(
            Lang::En.span("2026-11-01", "2026-11-30"),
            "1 Nov 2026 – 30 Nov 2026"
        );
        assert_eq!(Lang::Zh.minute("2026-11-22 09:05"), "2026年11月22日 09:05");
        assert_eq!(Lang::En.minute("2026-11-22 09:05"), "22 Nov 2026 09:05");
        assert_eq!(Lang::En.minute("garbled"), "garbled");
    }

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(Lang::Zh.day("2026-11-02"), "2026年11月2日");
        assert_eq!(Lang::En.day("2026-11-02"), "2 Nov 2026");
        assert_eq!(Lang::En.day("2026-01-31"), "31 Jan 2026");
        for odd in ["", "2026-13-01", "2026-11", "not a day", "2026-1-1"] {
            assert_eq!(Lang::Zh.day(odd), odd);
        }
    }
}
