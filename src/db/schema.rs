// @generated automatically by Diesel CLI.

diesel::table! {
    account_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        purpose -> Text,
        token_hash -> Nullable<Text>,
        expires_at -> Nullable<Timestamptz>,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    action_assignees (action_id, user_id) {
        action_id -> Int8,
        user_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    action_followers (action_id, user_id) {
        action_id -> Int8,
        user_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    actions (id) {
        id -> Int8,
        objective_id -> Int8,
        position -> Int4,
        title -> Text,
        responsible_organization -> Nullable<Text>,
        status -> Text,
        progress_note -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        progress_done -> Nullable<Int4>,
        progress_target -> Nullable<Int4>,
        progress_unit -> Nullable<Text>,
        search_text -> Text,
        continues_action_id -> Nullable<Int8>,
        indicators -> Nullable<Text>,
        target -> Nullable<Text>,
        partners -> Nullable<Text>,
        other_fields -> Jsonb,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        name -> Text,
        scope -> Text,
        token_hash -> Text,
        prefix -> Text,
        expires_at -> Nullable<Timestamptz>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        last_used_ip -> Nullable<Text>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        user_id -> Nullable<Int8>,
        entity -> Text,
        entity_id -> Int8,
        operation -> Text,
        plan_id -> Nullable<Int8>,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        request_id -> Nullable<Text>,
        client_request_id -> Nullable<Text>,
        api_token_id -> Nullable<Int8>,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> Int8,
        user_id -> Int8,
        plan_id -> Nullable<Int8>,
        token_hash -> Text,
        created_at -> Timestamptz,
        last_fetched_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    comments (id) {
        id -> Int8,
        action_id -> Int8,
        author_id -> Int8,
        body -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    deadline_periods (deadline_id, position) {
        deadline_id -> Int8,
        position -> Int4,
        starts_on -> Date,
        ends_on -> Date,
    }
}

diesel::table! {
    deadlines (id) {
        id -> Int8,
        action_id -> Nullable<Int8>,
        objective_id -> Nullable<Int8>,
        position -> Int4,
        label -> Text,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        kind -> Text,
        frequency_unit -> Nullable<Text>,
        frequency_count -> Nullable<Int4>,
        frequency_what -> Nullable<Text>,
        qualifier -> Nullable<Text>,
        rendering -> Text,
        frequency_every -> Nullable<Int4>,
        outside_plan -> Bool,
    }
}

diesel::table! {
    glossary_entries (id) {
        id -> Int8,
        plan_id -> Int8,
        acronym -> Text,
        definition -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Int8,
        kind -> Text,
        recipient_id -> Nullable<Int8>,
        payload -> Jsonb,
        state -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        dedup_key -> Nullable<Text>,
        unsubscribe_hash -> Nullable<Text>,
        digest_id -> Nullable<Int8>,
        recipient_address -> Nullable<Text>,
    }
}

diesel::table! {
    notification_defaults (role, kind) {
        role -> Text,
        kind -> Text,
        frequency -> Text,
    }
}

diesel::table! {
    notification_preferences (user_id, kind) {
        user_id -> Int8,
        kind -> Text,
        frequency -> Text,
    }
}

diesel::table! {
    objectives (id) {
        id -> Int8,
        orientation_id -> Int8,
        position -> Int4,
        title -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    orientations (id) {
        id -> Int8,
        plan_id -> Int8,
        position -> Int4,
        title -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    plan_events (id) {
        id -> Int8,
        plan_id -> Int8,
        name -> Text,
        on_date -> Date,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        kind -> Text,
    }
}

diesel::table! {
    plans (id) {
        id -> Int8,
        title -> Text,
        organization -> Text,
        period_start -> Date,
        period_end -> Date,
        heading_note -> Nullable<Text>,
        archived -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        state -> Text,
        adopted_on -> Nullable<Date>,
        adoption_resolution -> Nullable<Text>,
        closed_on -> Nullable<Date>,
        table_columns -> Jsonb,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        family_id -> Uuid,
        token_hash -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    report_schedules (id) {
        id -> Int8,
        plan_id -> Int8,
        day_of_month -> Int4,
        recipient_roles -> Array<Nullable<Text>>,
        recipient_addresses -> Array<Nullable<Text>>,
        lang -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    saved_report_files (report_id, format) {
        report_id -> Int8,
        format -> Text,
        content -> Bytea,
    }
}

diesel::table! {
    saved_reports (id) {
        id -> Int8,
        plan_id -> Int8,
        period_from -> Date,
        period_to -> Date,
        as_of -> Date,
        lang -> Text,
        snapshot -> Text,
        fingerprint -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        signed_off_by -> Nullable<Int8>,
        signed_off_on -> Nullable<Date>,
        meeting_reference -> Nullable<Text>,
        version -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Int8,
        account -> Text,
        address -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    status_updates (id) {
        id -> Int8,
        action_id -> Int8,
        author_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        previous_status -> Nullable<Text>,
        new_status -> Text,
        note -> Nullable<Text>,
        progress_done -> Nullable<Int4>,
        progress_target -> Nullable<Int4>,
        progress_unit -> Nullable<Text>,
        decision -> Nullable<Text>,
        effective_on -> Date,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        display_name -> Text,
        role -> Text,
        region -> Nullable<Text>,
        active -> Bool,
        password_hash -> Text,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        tokens_revoked_at -> Nullable<Timestamptz>,
        language -> Text,
        reminder_days -> Int4,
        mail_refused_at -> Nullable<Timestamptz>,
        mail_refused_reason -> Nullable<Text>,
        service_account -> Bool,
    }
}

diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(action_followers -> actions (action_id));
diesel::joinable!(action_followers -> users (user_id));
diesel::joinable!(action_assignees -> actions (action_id));
diesel::joinable!(action_assignees -> users (user_id));
diesel::joinable!(actions -> objectives (objective_id));
diesel::joinable!(audit_log -> api_tokens (api_token_id));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(calendar_feeds -> plans (plan_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(comments -> actions (action_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(deadline_periods -> deadlines (deadline_id));
diesel::joinable!(deadlines -> actions (action_id));
diesel::joinable!(deadlines -> objectives (objective_id));
diesel::joinable!(glossary_entries -> plans (plan_id));
diesel::joinable!(mail_outbox -> users (recipient_id));
diesel::joinable!(notification_preferences -> users (user_id));
diesel::joinable!(objectives -> orientations (orientation_id));
diesel::joinable!(orientations -> plans (plan_id));
diesel::joinable!(plan_events -> plans (plan_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(report_schedules -> plans (plan_id));
diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_endpoints -> users (created_by));
diesel::joinable!(saved_report_files -> saved_reports (report_id));
diesel::joinable!(saved_reports -> plans (plan_id));
diesel::joinable!(status_updates -> actions (action_id));
diesel::joinable!(status_updates -> users (author_id));

diesel::table! {
    web_sessions (id) {
        id -> Int8,
        token_hash -> Text,
        user_id -> Int8,
        csrf_token -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Int8,
        delivery_id -> Int8,
        at -> Timestamptz,
        status_code -> Nullable<Int4>,
        response_excerpt -> Nullable<Text>,
        error -> Nullable<Text>,
        duration_ms -> Int4,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Int8,
        endpoint_id -> Int8,
        message_id -> Text,
        event_type -> Text,
        payload -> Jsonb,
        state -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Int8,
        url -> Text,
        description -> Nullable<Text>,
        event_types -> Array<Nullable<Text>>,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_expires_at -> Nullable<Timestamptz>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<Timestamptz>,
        created_by -> Nullable<Int8>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    account_tokens,
    action_assignees,
    action_followers,
    actions,
    api_tokens,
    audit_log,
    calendar_feeds,
    comments,
    deadline_periods,
    deadlines,
    glossary_entries,
    mail_outbox,
    notification_defaults,
    notification_preferences,
    objectives,
    orientations,
    plan_events,
    plans,
    refresh_tokens,
    report_schedules,
    saved_report_files,
    saved_reports,
    sign_in_failures,
    status_updates,
    users,
    web_sessions,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
);
