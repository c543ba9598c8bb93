//! The kinds of thing the API stores: one list, used for audit rows and for messages.

crate::text_enum! {
    /// What a row of the audit trail (or a 404) is about.
    pub enum Entity {
        Plan => "plan",
        Orientation => "orientation",
        Objective => "objective",
        Action => "action",
        Deadline => "deadline",
        StatusUpdate => "status_update",
        Assignee => "assignee",
        Comment => "comment",
        GlossaryEntry => "glossary_entry",
        Event => "event",
        User => "user",
        SavedReport => "saved_report",
        ReportSchedule => "report_schedule",
        ApiToken => "api_token",
        CalendarFeed => "calendar_feed",
        Webhook => "webhook",
    }
}

impl Entity {
    /// The French name with its article, then the English name: "L'action", "Action".
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Entity::Plan => ("Le plan", "Plan"),
            Entity::Orientation => ("L'orientation", "Orientation"),
            Entity::Objective => ("L'objectif", "Objective"),
            Entity::Action => ("L'action", "Action"),
            Entity::Deadline => ("L'échéance", "Deadline"),
            Entity::StatusUpdate => ("La mise à jour d'état", "Status update"),
            Entity::Assignee => ("L'assignation", "Assignment"),
            Entity::Comment => ("Le commentaire", "Comment"),
            Entity::GlossaryEntry => ("Le sigle", "Glossary entry"),
            Entity::Event => ("L'événement", "Event"),
            Entity::User => ("Le compte", "Account"),
            Entity::SavedReport => ("Le rapport", "Report"),
            Entity::ReportSchedule => ("L'envoi mensuel du rapport", "Monthly report schedule"),
            Entity::ApiToken => ("Le jeton d'API", "API token"),
            Entity::CalendarFeed => ("Le calendrier", "Calendar feed"),
            Entity::Webhook => ("Le webhook", "Webhook"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for entity in Entity::ALL {
            assert_eq!(Entity::parse(entity.as_str()), Some(*entity));
        }
        assert_eq!(Entity::GlossaryEntry.as_str(), "glossary_entry");
    }
}
