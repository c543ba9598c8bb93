// @generated automatically by Diesel CLI.

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
    }
}

diesel::joinable!(actions -> objectives (objective_id));
diesel::joinable!(deadlines -> actions (action_id));
diesel::joinable!(deadlines -> objectives (objective_id));
diesel::joinable!(glossary_entries -> plans (plan_id));
diesel::joinable!(objectives -> orientations (orientation_id));
diesel::joinable!(orientations -> plans (plan_id));

diesel::allow_tables_to_appear_in_same_query!(actions, deadlines, glossary_entries, objectives, orientations, plans,);
