//! Table definitions shared by both backends (portable column types only).

diesel::table! {
    units (id) {
        id -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        kind -> Text,
        category -> Nullable<Text>,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        post -> Text,
        active -> Bool,
        leader_rank -> Nullable<Text>,
    }
}

diesel::table! {
    routing_rules (unit_id, category) {
        unit_id -> Text,
        category -> Text,
        leading_group_id -> Text,
    }
}

diesel::table! {
    leading_groups (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        retention_days -> Integer,
        head_person_id -> Nullable<Text>,
        confirmed_since -> Nullable<Text>,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        leading_group_id -> Nullable<Text>,
        active -> Bool,
        role -> Text,
        person_id -> Nullable<Text>,
        linked_by -> Nullable<Text>,
        linked_on -> Nullable<Text>,
        confirmed_by -> Nullable<Text>,
        confirmed_on -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> BigInt,
        actor -> Text,
        action -> Text,
        target -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    staff_sessions (id) {
        id -> Text,
        staff_id -> Text,
        expires_at -> BigInt,
    }
}

diesel::table! {
    boxes (id) {
        id -> Text,
        code -> Text,
        unit_id -> Text,
        name -> Text,
    }
}

diesel::table! {
    opinions (id) {
        id -> Text,
        box_id -> Text,
        leading_group_id -> Text,
        category -> Text,
        body -> Text,
        state -> Text,
        received_on -> Text,
        receipt_hash -> Text,
        reply -> Nullable<Text>,
        replied_on -> Nullable<Text>,
        mask_counts -> Text,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        released_on -> Nullable<Text>,
        release_by -> Nullable<BigInt>,
        closed_on -> Nullable<Text>,
        due_on -> Nullable<Text>,
        target_person_id -> Nullable<Text>,
        target_unit_id -> Nullable<Text>,
        escalation -> Nullable<Text>,
        terms_indexed -> Bool,
        issue_id -> Nullable<Text>,
        held -> Bool,
        subjects_derived -> Bool,
        receipt_tag -> Nullable<BigInt>,
    }
}

diesel::table! {
    opinion_subjects (opinion_id, person_id, source) {
        opinion_id -> Text,
        person_id -> Text,
        source -> Text,
    }
}

diesel::table! {
    subject_changes (id) {
        id -> Text,
        opinion_id -> Text,
        person_id -> Text,
        proposed_by -> Text,
        proposed_on -> Text,
    }
}

diesel::table! {
    issues (id) {
        id -> Text,
        leading_group_id -> Text,
        title -> Text,
        category -> Text,
        state -> Text,
        reply -> Nullable<Text>,
        replied_on -> Nullable<Text>,
        found_on -> Text,
        closed_on -> Nullable<Text>,
        opinion_count -> Integer,
    }
}

diesel::table! {
    measures (id) {
        id -> Text,
        issue_id -> Text,
        text -> Text,
        responsible -> Text,
        due_on -> Text,
        evidence -> Nullable<Text>,
        done_on -> Nullable<Text>,
        set_on -> Text,
    }
}

diesel::table! {
    opinion_terms (term, opinion_id) {
        term -> Text,
        opinion_id -> Text,
    }
}

diesel::table! {
    opinion_tallies (leading_group_id, unit_id, category, month) {
        leading_group_id -> Text,
        unit_id -> Text,
        category -> Text,
        month -> Text,
        closed -> Integer,
    }
}

diesel::table! {
    opinion_photos (id) {
        id -> Text,
        opinion_id -> Text,
        seq -> Integer,
        width -> Integer,
        height -> Integer,
        jpeg -> Binary,
    }
}

diesel::table! {
    recusals (opinion_id, staff_id) {
        opinion_id -> Text,
        staff_id -> Text,
    }
}

diesel::table! {
    deployment_facts (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    job_runs (name) {
        name -> Text,
        ran_at -> BigInt,
    }
}

diesel::table! {
    opinion_messages (id) {
        id -> Text,
        opinion_id -> Text,
        from_staff -> Bool,
        body -> Text,
        sent_on -> Text,
        seq -> Integer,
    }
}

diesel::table! {
    questionnaires (id) {
        id -> Text,
        leading_group_id -> Text,
        title -> Text,
        subject -> Text,
        items -> Text,
        updated_on -> Text,
    }
}

diesel::table! {
    rounds (id) {
        id -> Text,
        leading_group_id -> Text,
        name -> Text,
        questionnaire -> Text,
        mode -> Text,
        public_code -> Text,
        opens_on -> Text,
        closes_on -> Text,
        closed_on -> Nullable<Text>,
        slips_issued -> Integer,
        created_on -> Text,
    }
}

diesel::table! {
    round_subjects (round_id, subject_id) {
        round_id -> Text,
        subject_id -> Text,
        label -> Text,
        unit_id -> Text,
        position -> Integer,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    slips (code_hash) {
        code_hash -> Text,
        round_id -> Text,
        used -> Bool,
    }
}

diesel::table! {
    responses (id) {
        id -> Text,
        round_id -> Text,
        change_hash -> Text,
        held -> Bool,
    }
}

diesel::table! {
    sign_in_throttle (account_hash) {
        account_hash -> Text,
        failures -> Integer,
        blocked_until -> BigInt,
    }
}

diesel::table! {
    used_tokens (token_hash) {
        token_hash -> Text,
        binding -> Text,
        expires_on -> Text,
    }
}

diesel::table! {
    appraisal_bursts (round_id, window_no) {
        round_id -> Text,
        window_no -> BigInt,
        answers -> Integer,
    }
}

diesel::table! {
    answers (response_id, subject_id, item_key) {
        response_id -> Text,
        subject_id -> Text,
        item_key -> Text,
        rating -> Nullable<Text>,
        text -> Nullable<Text>,
        round_id -> Text,
    }
}

diesel::table! {
    waiting_opinions (id) {
        id -> Text,
        box_id -> Text,
        leading_group_id -> Text,
        category -> Text,
        body -> Text,
        received_on -> Text,
        receipt_hash -> Text,
        mask_counts -> Text,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        release_by -> BigInt,
        target_person_id -> Nullable<Text>,
        target_unit_id -> Nullable<Text>,
        escalation -> Nullable<Text>,
        key_hash -> Nullable<Text>,
        key_sealed -> Nullable<Text>,
        key_expires_on -> Nullable<Text>,
        held -> Bool,
        receipt_tag -> Nullable<BigInt>,
    }
}

diesel::table! {
    box_hour_counts (box_id, hour) {
        box_id -> Text,
        hour -> BigInt,
        opinions -> Integer,
    }
}

diesel::table! {
    waiting_photos (id) {
        id -> Text,
        opinion_id -> Text,
        seq -> Integer,
        width -> Integer,
        height -> Integer,
        jpeg -> Binary,
    }
}

diesel::table! {
    waiting_messages (id) {
        id -> Text,
        opinion_id -> Text,
        body -> Text,
        sent_on -> Text,
        seq -> Integer,
    }
}

diesel::table! {
    waiting_responses (id) {
        id -> Text,
        round_id -> Text,
        change_hash -> Text,
        held -> Bool,
        release_by -> BigInt,
    }
}

diesel::table! {
    waiting_answers (response_id, subject_id, item_key) {
        response_id -> Text,
        subject_id -> Text,
        item_key -> Text,
        rating -> Nullable<Text>,
        text -> Nullable<Text>,
        round_id -> Text,
    }
}

diesel::table! {
    waiting_slips (code_hash) {
        code_hash -> Text,
    }
}

diesel::table! {
    waiting_tokens (token_hash) {
        token_hash -> Text,
        binding -> Text,
        expires_on -> Text,
        release_by -> BigInt,
    }
}

diesel::table! {
    waiting_replies (id) {
        id -> Text,
        opinion_id -> Text,
        body -> Text,
        sent_on -> Text,
        seq -> Integer,
        release_by -> BigInt,
    }
}

diesel::joinable!(leading_groups -> units (unit_id));
diesel::table! {
    leader_reviews (id) {
        id -> Text,
        leading_group_id -> Text,
        year -> Integer,
        pass -> Integer,
        reviewer_id -> Text,
        subject_kind -> Text,
        subject_id -> Text,
    }
}

diesel::table! {
    submission_keys (key_hash) {
        key_hash -> Text,
        sealed -> Text,
        expires_on -> Text,
    }
}

diesel::table! {
    notices (id) {
        id -> Text,
        leading_group_id -> Text,
        title -> Text,
        body -> Text,
        round_id -> Nullable<Text>,
        ledger_from -> Nullable<Text>,
        ledger_to -> Nullable<Text>,
        content -> Nullable<Text>,
        published_on -> Nullable<Text>,
        updated_on -> Text,
    }
}

diesel::joinable!(notices -> leading_groups (leading_group_id));
diesel::joinable!(leader_reviews -> people (reviewer_id));
diesel::joinable!(answers -> responses (response_id));
diesel::joinable!(responses -> rounds (round_id));
diesel::joinable!(appraisal_bursts -> rounds (round_id));
diesel::joinable!(round_subjects -> rounds (round_id));
diesel::joinable!(slips -> rounds (round_id));
diesel::joinable!(opinion_messages -> opinions (opinion_id));
diesel::joinable!(waiting_photos -> waiting_opinions (opinion_id));
diesel::joinable!(waiting_messages -> waiting_opinions (opinion_id));
diesel::joinable!(waiting_answers -> waiting_responses (response_id));
diesel::joinable!(waiting_responses -> rounds (round_id));
diesel::joinable!(waiting_slips -> slips (code_hash));
diesel::joinable!(waiting_replies -> opinions (opinion_id));
diesel::joinable!(opinion_subjects -> opinions (opinion_id));
diesel::joinable!(opinion_subjects -> people (person_id));
diesel::joinable!(subject_changes -> opinions (opinion_id));
diesel::joinable!(opinion_photos -> opinions (opinion_id));
diesel::joinable!(opinion_terms -> opinions (opinion_id));
diesel::joinable!(boxes -> units (unit_id));
diesel::joinable!(opinions -> boxes (box_id));
diesel::joinable!(opinions -> issues (issue_id));
diesel::joinable!(measures -> issues (issue_id));
diesel::joinable!(issues -> leading_groups (leading_group_id));
diesel::joinable!(opinions -> leading_groups (leading_group_id));
diesel::joinable!(staff_sessions -> staff (staff_id));
diesel::joinable!(people -> units (unit_id));
diesel::joinable!(staff -> leading_groups (leading_group_id));
diesel::joinable!(staff -> people (person_id));
diesel::joinable!(routing_rules -> leading_groups (leading_group_id));

diesel::allow_tables_to_appear_in_same_query!(
    deployment_facts,
    box_hour_counts,
    waiting_opinions,
    waiting_photos,
    waiting_messages,
    waiting_responses,
    waiting_answers,
    waiting_slips,
    waiting_tokens,
    waiting_replies,
    opinion_subjects,
    subject_changes,
    appraisal_bursts,
    sign_in_throttle,
    used_tokens,
    submission_keys,
    leader_reviews,
    notices,
    answers,
    questionnaires,
    responses,
    round_subjects,
    rounds,
    slips,
    audit_head,
    audit_log,
    issues,
    measures,
    job_runs,
    opinion_tallies,
    opinion_terms,
    people,
    routing_rules,
    recusals,
    opinion_photos,
    opinion_messages,
    units,
    leading_groups,
    staff,
    staff_sessions,
    boxes,
    opinions
);

diesel::allow_columns_to_appear_in_same_group_by_clause!(boxes::unit_id, opinions::category);
diesel::allow_columns_to_appear_in_same_group_by_clause!(boxes::unit_id, opinions::state);
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    boxes::unit_id,
    opinions::target_person_id
);
diesel::allow_columns_to_appear_in_same_group_by_clause!(boxes::unit_id, opinions::target_unit_id);
