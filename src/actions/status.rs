//! État d'avancement: the status of an action, stored as text with a CHECK in the database.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Lang;

/// État d'avancement of an action. French labels: `not_started` À venir,
/// `in_preparation` En préparation, `in_progress` En cours, `completed` Complété / Réalisé,
/// `ongoing` En continu, `postponed` Reporté, `cancelled` Abandonné.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    NotStarted,
    InPreparation,
    InProgress,
    Completed,
    Ongoing,
    Postponed,
    Cancelled,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 7] = [
        ActionStatus::NotStarted,
        ActionStatus::InPreparation,
        ActionStatus::InProgress,
        ActionStatus::Completed,
        ActionStatus::Ongoing,
        ActionStatus::Postponed,
        ActionStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not_started",
            ActionStatus::InPreparation => "in_preparation",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Completed => "completed",
            ActionStatus::Ongoing => "ongoing",
            ActionStatus::Postponed => "postponed",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<ActionStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ActionStatus::NotStarted, Lang::Fr) => "À venir",
            (ActionStatus::InPreparation, Lang::Fr) => "En préparation",
            (ActionStatus::InProgress, Lang::Fr) => "En cours",
            (ActionStatus::Completed, Lang::Fr) => "Complété",
            (ActionStatus::Ongoing, Lang::Fr) => "En continu",
            (ActionStatus::Postponed, Lang::Fr) => "Reporté",
            (ActionStatus::Cancelled, Lang::Fr) => "Abandonné",
            (ActionStatus::NotStarted, Lang::En) => "Not started",
            (ActionStatus::InPreparation, Lang::En) => "In preparation",
            (ActionStatus::InProgress, Lang::En) => "In progress",
            (ActionStatus::Completed, Lang::En) => "Completed",
            (ActionStatus::Ongoing, Lang::En) => "Ongoing",
            (ActionStatus::Postponed, Lang::En) => "Postponed",
            (ActionStatus::Cancelled, Lang::En) => "Cancelled",
        }
    }

    /// Reads a status as the plan document writes it ("Complété", "réalisé", "EN COURS").
    pub fn from_french(text: &str) -> Option<ActionStatus> {
        let folded = crate::text::fold(text);
        let folded = folded.trim_end_matches('.').trim();
        Some(match folded {
            "a venir" | "non commence" => ActionStatus::NotStarted,
            "en preparation" => ActionStatus::InPreparation,
            "en cours" | "en cours de realisation" => ActionStatus::InProgress,
            "complete" | "completee" | "realise" | "realisee" | "termine" | "terminee" => ActionStatus::Completed,
            "en continu" => ActionStatus::Ongoing,
            "reporte" | "reportee" => ActionStatus::Postponed,
            "abandonne" | "abandonnee" | "annule" | "annulee" => ActionStatus::Cancelled,
            _ => return None,
        })
    }
}

impl ToSql<Text, Pg> for ActionStatus {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
    }
}

impl FromSql<Text, Pg> for ActionStatus {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        let code = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
        ActionStatus::parse(&code).ok_or_else(|| format!("unknown action status {code:?}").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for status in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn french_words_of_the_document() {
        assert_eq!(ActionStatus::from_french("Complété"), Some(ActionStatus::Completed));
        assert_eq!(ActionStatus::from_french("Réalisé"), Some(ActionStatus::Completed));
        assert_eq!(ActionStatus::from_french("en cours"), Some(ActionStatus::InProgress));
        assert_eq!(
            ActionStatus::from_french("En préparation"),
            Some(ActionStatus::InPreparation)
        );
        assert_eq!(ActionStatus::from_french("6 régions visitées"), None);
    }
}
