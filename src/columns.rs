//! The columns of a plan's table, as organizations write them: recognized by their header
//! (« ÉCHÉANCE », « Date cible », « Porteur »…), in any order. Pure.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text::fold;

crate::text_enum! {
    /// What a column of the plan's table holds.
    pub enum ColumnKind {
        /// A spreadsheet's orientation column (one row per action).
        Orientation => "orientation",
        Objective => "objective",
        Actions => "actions",
        /// Responsable, porteur, qui.
        Responsible => "responsible",
        /// Échéancier, échéance, date cible, période.
        Deadlines => "deadlines",
        /// Indicateurs, résultats attendus, livrables.
        Indicators => "indicators",
        /// Cible: « 16 régions rencontrées » is also the action's measurable target.
        Target => "target",
        Partners => "partners",
        /// État d'avancement, état, statut, suivi.
        Status => "status",
        /// Any other column (moyens, ressources, budget, or a header nobody recognizes): kept
        /// on each action as a field named by its header.
        Other => "other",
    }
}

/// A column of an imported plan's table: what it holds, and its header as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"kind": "responsible", "header": "RESPONSABLE"}))]
pub struct TableColumn {
    pub kind: ColumnKind,
    #[schema(example = "RESPONSABLE")]
    pub header: String,
}

impl TableColumn {
    pub fn new(kind: ColumnKind, header: impl Into<String>) -> Self {
        TableColumn {
            kind,
            header: header.into(),
        }
    }
}

/// The value of an `Other` column for one action: « Budget » → « 2 000 $ ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Budget", "value": "2 000 $"}))]
pub struct NamedField {
    /// The column's header.
    #[schema(example = "Budget")]
    pub name: String,
    #[schema(example = "2 000 $")]
    pub value: String,
}

/// The four columns of the RQDS plans: what a table without a header row is read as.
pub fn classic() -> Vec<TableColumn> {
    [
        ColumnKind::Objective,
        ColumnKind::Actions,
        ColumnKind::Deadlines,
        ColumnKind::Status,
    ]
    .into_iter()
    .map(|kind| TableColumn::new(kind, kind.header()))
    .collect()
}

impl ColumnKind {
    /// The header the Word export writes for a column of this kind when it has none of its own.
    pub fn header(self) -> &'static str {
        match self {
            ColumnKind::Orientation => "ORIENTATION",
            ColumnKind::Objective => "OBJECTIFS",
            ColumnKind::Actions => "ACTIONS",
            ColumnKind::Responsible => "RESPONSABLE",
            ColumnKind::Deadlines => "ÉCHÉANCIER",
            ColumnKind::Indicators => "INDICATEURS",
            ColumnKind::Target => "CIBLE",
            ColumnKind::Partners => "PARTENAIRES",
            ColumnKind::Status => "ÉTAT D'AVANCEMENT",
            ColumnKind::Other => "AUTRE",
        }
    }

    /// The kind a header names, if it is one of the usual ones: case, accents, a plural
    /// « (s) » and a final colon do not matter.
    pub fn recognize(header: &str) -> Option<ColumnKind> {
        let folded = fold(header)
            .replace("(s)", "s")
            .replace('œ', "oe")
            .replace(['’', '`'], "'");
        let words: String = folded
            .trim()
            .trim_end_matches([':', '.', '*', '?', ' ', '\u{a0}'])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let w = words.as_str();
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| w.starts_with(p));
        let kind = if starts(&["orientation", "axe", "enjeu", "priorite"]) {
            ColumnKind::Orientation
        } else if starts(&["cible", "objectif chiffre", "objectifs chiffres", "valeur cible"]) {
            ColumnKind::Target
        } else if starts(&["objectif"]) {
            ColumnKind::Objective
        } else if starts(&["action", "activite", "mesure", "moyens d'action", "moyen d'action"]) {
            ColumnKind::Actions
        } else if starts(&["responsab", "porteur", "organisation responsable", "maitre d'oeuvre"]) || w == "qui" {
            ColumnKind::Responsible
        } else if starts(&["echeanc", "date", "periode", "calendrier", "delai"]) || w == "quand" {
            ColumnKind::Deadlines
        } else if starts(&["indicateur", "resultat", "livrable"]) {
            ColumnKind::Indicators
        } else if starts(&["partenai", "collabor"]) || w == "avec qui" {
            ColumnKind::Partners
        } else if starts(&["etat", "statut", "suivi", "avancement"]) {
            ColumnKind::Status
        } else {
            return None;
        };
        Some(kind)
    }
}

/// The columns a header row names, or `None` when the row is not a header: it must name the
/// actions column and one more of the usual ones, each once, in short cells. A header
/// nobody recognizes is an `Other` column, kept by its name.
pub fn header_row(cells: &[String]) -> Option<Vec<TableColumn>> {
    if cells.len() < 2 || cells.iter().any(|c| c.chars().count() > 60) {
        return None;
    }
    let columns: Vec<TableColumn> = cells
        .iter()
        .map(|header| {
            let header = crate::text::squash(header.trim_end_matches(':'));
            TableColumn::new(ColumnKind::recognize(&header).unwrap_or(ColumnKind::Other), header)
        })
        .collect();
    let count = |kind| columns.iter().filter(|c| c.kind == kind).count();
    let known = columns.iter().filter(|c| c.kind != ColumnKind::Other).count();
    let repeated = columns.iter().any(|c| c.kind != ColumnKind::Other && count(c.kind) > 1);
    (count(ColumnKind::Actions) == 1 && known >= 2 && !repeated).then_some(columns)
}

/// « 16 régions rencontrées » → (16, « régions rencontrées »): a target that reads as a
/// number and what is counted, as the action's measurable progress takes it.
pub fn measurable(text: &str) -> Option<(i32, String)> {
    let (_, number, unit) =
        lazy_regex::regex_captures!(r"^(?i:au moins\s+)?(\d{1,6})\s+(\p{L}[\p{L}\s'’-]{0,39})$", text.trim())?;
    let unit = crate::text::squash(unit);
    let number: i32 = number.parse().ok()?;
    (number > 0 && !unit.is_empty()).then_some((number, unit))
}

/// The number done, from an état's note that counts the same thing (« 6 régions visitées »
/// against « 16 régions rencontrées »): its number when its first word is the unit's.
pub fn counted(note: &str, unit: &str) -> Option<i32> {
    let (_, number, word) = lazy_regex::regex_captures!(r"^(\d{1,6})\s+(\p{L}+)", note.trim())?;
    let first = unit.split_whitespace().next()?;
    (fold(word) == fold(first)).then(|| number.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognized_with_their_synonyms() {
        let cases = [
            ("OBJECTIFS", Some(ColumnKind::Objective)),
            ("Objectif(s) spécifique(s)", Some(ColumnKind::Objective)),
            ("ACTIONS", Some(ColumnKind::Actions)),
            ("Activités", Some(ColumnKind::Actions)),
            ("ÉCHÉANCIER", Some(ColumnKind::Deadlines)),
            ("Échéance", Some(ColumnKind::Deadlines)),
            ("Date cible", Some(ColumnKind::Deadlines)),
            ("Période", Some(ColumnKind::Deadlines)),
            ("Quand ?", Some(ColumnKind::Deadlines)),
            ("Qui ?", Some(ColumnKind::Responsible)),
            ("Quand", Some(ColumnKind::Deadlines)),
            ("ÉTAT D'AVANCEMENT", Some(ColumnKind::Status)),
            ("État d’avancement", Some(ColumnKind::Status)),
            ("Statut", Some(ColumnKind::Status)),
            ("Suivi", Some(ColumnKind::Status)),
            ("Responsable(s)", Some(ColumnKind::Responsible)),
            ("Porteur", Some(ColumnKind::Responsible)),
            ("Qui", Some(ColumnKind::Responsible)),
            ("INDICATEURS", Some(ColumnKind::Indicators)),
            ("Résultats attendus", Some(ColumnKind::Indicators)),
            ("Cible", Some(ColumnKind::Target)),
            ("Objectif chiffré", Some(ColumnKind::Target)),
            ("Partenaires", Some(ColumnKind::Partners)),
            ("Collaborateurs", Some(ColumnKind::Partners)),
            ("Moyens / ressources", None),
            ("Budget", None),
            ("Axe d'intervention", Some(ColumnKind::Orientation)),
            ("Priorité", Some(ColumnKind::Orientation)),
            ("Maître d'œuvre", Some(ColumnKind::Responsible)),
            ("Valeur cible", Some(ColumnKind::Target)),
            ("Avec qui ?", Some(ColumnKind::Partners)),
            ("Mesures", Some(ColumnKind::Actions)),
            ("Livrables", Some(ColumnKind::Indicators)),
            ("Délai", Some(ColumnKind::Deadlines)),
            ("Calendrier", Some(ColumnKind::Deadlines)),
            ("Avancement", Some(ColumnKind::Status)),
        ];
        for (header, kind) in cases {
            assert_eq!(ColumnKind::recognize(header), kind, "{header}");
        }
    }

    #[test]
    fn a_header_row_names_the_actions_and_one_more() {
        let row = |cells: &[&str]| header_row(&cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        let six = row(&[
            "OBJECTIFS",
            "ACTIONS",
            "RESPONSABLE",
            "ÉCHÉANCIER",
            "INDICATEURS",
            "ÉTAT D'AVANCEMENT",
        ]);
        let kinds: Vec<ColumnKind> = six.unwrap_or_default().iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Objective,
                ColumnKind::Actions,
                ColumnKind::Responsible,
                ColumnKind::Deadlines,
                ColumnKind::Indicators,
                ColumnKind::Status
            ]
        );
        let budget = row(&["Actions", "Échéance", "Budget :"]).unwrap_or_default();
        assert_eq!(budget[2], TableColumn::new(ColumnKind::Other, "Budget"));
        assert_eq!(row(&["Diffuser des informations", "- Mise à jour du document"]), None);
        assert_eq!(row(&["Actions", "Actions"]), None, "a kind named twice");
        assert_eq!(row(&["Actions", "Budget"]), None, "only one column known");
        assert_eq!(row(&["Objectifs", "Échéance"]), None, "no actions column");
    }

    #[test]
    fn targets_that_count_something_are_measurable() {
        assert_eq!(
            measurable("16 régions rencontrées"),
            Some((16, "régions rencontrées".to_owned()))
        );
        assert_eq!(measurable("Au moins 4 rencontres"), Some((4, "rencontres".to_owned())));
        assert_eq!(measurable("Rencontrer 16 régions"), None);
        assert_eq!(measurable("16"), None);
        assert_eq!(measurable("0 plainte"), None);
        assert_eq!(measurable("2014 : 16 régions"), None);
        assert_eq!(counted("6 régions visitées", "régions rencontrées"), Some(6));
        assert_eq!(counted("6 rencontres", "régions rencontrées"), None);
        assert_eq!(counted("En cours", "régions"), None);
    }
}
