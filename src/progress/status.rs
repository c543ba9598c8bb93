//! État d'avancement: the status of an action, stored as text with a CHECK in the database.

use crate::i18n::Lang;

crate::text_enum! {
    /// État d'avancement of an action. French labels: `not_started` À venir,
    /// `in_preparation` En préparation, `in_progress` En cours, `completed` Complété / Réalisé,
    /// `ongoing` En continu, `postponed` Reporté, `cancelled` Abandonné.
    pub enum ActionStatus {
        NotStarted => "not_started",
        InPreparation => "in_preparation",
        InProgress => "in_progress",
        Completed => "completed",
        Ongoing => "ongoing",
        Postponed => "postponed",
        Cancelled => "cancelled",
    }
}

impl ActionStatus {
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

    /// Bold in the plan table, as in the document: done or under way.
    pub fn is_highlighted(self) -> bool {
        matches!(
            self,
            ActionStatus::Completed | ActionStatus::InProgress | ActionStatus::Ongoing
        )
    }

    /// Whether a missed deadline makes the action late: not when it is done, dropped,
    /// postponed by a decision, or ongoing by nature.
    pub fn can_be_late(self) -> bool {
        matches!(
            self,
            ActionStatus::NotStarted | ActionStatus::InPreparation | ActionStatus::InProgress
        )
    }

    /// Whether its coming deadlines are still to meet.
    pub fn is_pending(self) -> bool {
        !matches!(
            self,
            ActionStatus::Completed | ActionStatus::Cancelled | ActionStatus::Postponed
        )
    }

    /// Reads a status as the plan document writes it ("Complété", "réalisé", "EN COURS").
    pub fn from_french(text: &str) -> Option<ActionStatus> {
        let folded = crate::text::fold(text);
        let folded = folded.trim_end_matches('.').trim();
        Some(match folded {
            "a venir" | "non commence" | "non commencee" | "non debute" | "non debutee" | "pas commence"
            | "pas debute" => ActionStatus::NotStarted,
            "en preparation" => ActionStatus::InPreparation,
            "en cours" | "en cours de realisation" => ActionStatus::InProgress,
            "complete" | "completee" | "realise" | "realisee" | "termine" | "terminee" => ActionStatus::Completed,
            "en continu" => ActionStatus::Ongoing,
            "reporte" | "reportee" => ActionStatus::Postponed,
            "abandonne" | "abandonnee" | "annule" | "annulee" => ActionStatus::Cancelled,
            _ => return None,
        })
    }

    /// A status word at the start of a longer text ("Reporté à l'automne"): the status,
    /// and the rest (without the punctuation that set it apart) as the note.
    pub fn from_french_prefix(text: &str) -> Option<(ActionStatus, String)> {
        let words: Vec<&str> = text.split_whitespace().collect();
        (1..=words.len().min(4)).rev().find_map(|n| {
            let status = ActionStatus::from_french(words[..n].join(" ").trim_end_matches([':', ',', ';']))?;
            let rest = words[n..].join(" ");
            let rest = rest.trim_start_matches([':', ',', ';', '-', '–', '—', ' ']).trim();
            Some((status, rest.to_owned()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &status in ActionStatus::ALL {
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
        for (word, status) in [
            ("Complétée", ActionStatus::Completed),
            ("Réalisée.", ActionStatus::Completed),
            ("En cours de réalisation", ActionStatus::InProgress),
            ("Non débuté", ActionStatus::NotStarted),
            ("Abandonnée", ActionStatus::Cancelled),
            ("Annulé", ActionStatus::Cancelled),
        ] {
            assert_eq!(ActionStatus::from_french(word), Some(status), "{word}");
        }
        assert_eq!(
            ActionStatus::from_french_prefix("Reporté à l'automne"),
            Some((ActionStatus::Postponed, "à l'automne".to_owned()))
        );
        assert_eq!(
            ActionStatus::from_french_prefix("En cours de réalisation : 3 rencontres"),
            Some((ActionStatus::InProgress, "3 rencontres".to_owned()))
        );
        assert_eq!(ActionStatus::from_french_prefix("6 régions visitées"), None);
    }
}
