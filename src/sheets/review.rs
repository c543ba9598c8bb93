//! A filled sheet against the plan as it is now: what would change, what changed since
//! the download (conflicts, shown side by side), and the rows refused with why.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::read::SheetRow;
use crate::actions::dto::Note;
use crate::i18n::{Lang, Text};
use crate::progress::ActionStatus;

/// An action as it stands, and whether the uploader may update it.
#[derive(Debug, Clone)]
pub struct Current {
    pub version: i32,
    pub title: String,
    pub status: ActionStatus,
    pub note: Option<String>,
    pub may_update: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatusAndNote {
    pub status: ActionStatus,
    #[schema(example = "6 régions visitées")]
    pub note: Option<String>,
}

/// A row that changes its action: before → after.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetChange {
    #[schema(example = 7)]
    pub row: u32,
    #[schema(example = 5)]
    pub action_id: i64,
    #[schema(example = "Rencontres de la Tournée des régions")]
    pub title: String,
    /// The version the sheet was downloaded at (the current one).
    pub version: i32,
    pub before: StatusAndNote,
    pub after: StatusAndNote,
    pub effective_on: NaiveDate,
}

/// A row whose action changed since the sheet was downloaded: the sheet's wish beside the
/// action as it is now. Nothing is applied while there is one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetConflict {
    pub row: u32,
    pub action_id: i64,
    pub title: String,
    pub sheet_version: i32,
    pub current_version: i32,
    pub current: StatusAndNote,
    pub wanted: StatusAndNote,
}

/// A row that cannot be read or applied, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefusedRow {
    pub row: u32,
    pub action_id: Option<i64>,
    #[schema(
        example = "État « Fini » inconnu : écrivez l'un de À venir, En préparation, En cours, Complété, En continu, Reporté, Abandonné."
    )]
    pub reason: String,
}

/// What a filled sheet would do.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SheetReview {
    pub changes: Vec<SheetChange>,
    pub conflicts: Vec<SheetConflict>,
    pub refused: Vec<RefusedRow>,
    /// Filled rows that say what the action already says.
    pub unchanged: usize,
}

fn known_words() -> String {
    ActionStatus::ALL
        .iter()
        .map(|s| s.label(Lang::Fr))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads one row against its action; `Err` is why it is refused.
fn wish(row: &SheetRow, current: &Current, today: NaiveDate) -> Result<(StatusAndNote, NaiveDate), Text> {
    let status = match row.status.as_deref() {
        None => current.status,
        Some(word) => ActionStatus::from_french(word)
            .or_else(|| ActionStatus::parse(word))
            .ok_or_else(|| {
                Text::new(
                    format!("État « {word} » inconnu : écrivez l'un de {}.", known_words()),
                    format!("Unknown status \"{word}\": write one of {}.", known_words()),
                )
            })?,
    };
    let note = match &row.note {
        Some(note) if note.chars().count() > Note::MAX => {
            return Err(Text::new(
                format!("La note dépasse {} caractères.", Note::MAX),
                format!("The note is over {} characters.", Note::MAX),
            ));
        }
        Some(note) => {
            if let Some(fault) = crate::validation::text_fault("Nouvelle note", note) {
                return Err(fault.message);
            }
            Some(note.clone())
        }
        None => current.note.clone(),
    };
    let effective_on = match &row.effective_on {
        None => today,
        Some(Err(written)) => {
            return Err(Text::new(
                format!("Date d'effet « {written} » illisible : écrivez-la 2014-03-12 ou « 12 mars 2014 »."),
                format!("Unreadable effective date \"{written}\": write it 2014-03-12 or \"12 mars 2014\"."),
            ));
        }
        Some(Ok(day)) if *day > today => {
            return Err(Text::new(
                format!("La date d'effet {day} est dans le futur."),
                format!("The effective date {day} is in the future."),
            ));
        }
        Some(Ok(day)) => *day,
    };
    Ok((StatusAndNote { status, note }, effective_on))
}

pub fn review(rows: &[SheetRow], current: &HashMap<i64, Current>, today: NaiveDate, lang: Lang) -> SheetReview {
    let mut out = SheetReview::default();
    let mut seen = HashSet::new();
    for row in rows {
        let refuse = |out: &mut SheetReview, reason: Text| {
            out.refused.push(RefusedRow {
                row: row.row,
                action_id: row.action_id,
                reason: reason.get(lang).to_owned(),
            });
        };
        let (Some(id), Some(version)) = (row.action_id, row.version) else {
            refuse(
                &mut out,
                Text::new(
                    "Les colonnes « id » et « version » de cette ligne sont vides ou illisibles : gardez-les telles que téléchargées.",
                    "The \"id\" and \"version\" columns of this row are empty or unreadable: keep them as downloaded.",
                ),
            );
            continue;
        };
        let Some(action) = current.get(&id) else {
            refuse(
                &mut out,
                Text::new(
                    format!("L'action {id} n'est pas dans ce plan."),
                    format!("Action {id} is not in this plan."),
                ),
            );
            continue;
        };
        if !seen.insert(id) {
            refuse(
                &mut out,
                Text::new(
                    format!("L'action {id} figure déjà plus haut dans la feuille."),
                    format!("Action {id} is already further up in the sheet."),
                ),
            );
            continue;
        }
        if !action.may_update {
            refuse(&mut out, crate::security::permissions::not_assigned(Some(id)));
            continue;
        }
        let (wanted, effective_on) = match wish(row, action, today) {
            Ok(wish) => wish,
            Err(reason) => {
                refuse(&mut out, reason);
                continue;
            }
        };
        let before = StatusAndNote {
            status: action.status,
            note: action.note.clone(),
        };
        if version != action.version {
            out.conflicts.push(SheetConflict {
                row: row.row,
                action_id: id,
                title: action.title.clone(),
                sheet_version: version,
                current_version: action.version,
                current: before,
                wanted,
            });
        } else if wanted == before {
            out.unchanged += 1;
        } else {
            out.changes.push(SheetChange {
                row: row.row,
                action_id: id,
                title: action.title.clone(),
                version,
                before,
                after: wanted,
                effective_on,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(row: u32, id: i64, version: i32, status: Option<&str>, note: Option<&str>) -> SheetRow {
        SheetRow {
            row,
            action_id: Some(id),
            version: Some(version),
            status: status.map(str::to_owned),
            note: note.map(str::to_owned),
            effective_on: None,
        }
    }

    #[test]
    fn rows_become_changes_conflicts_or_refusals() {
        let today = NaiveDate::from_ymd_opt(2014, 3, 15).unwrap_or_default();
        let current = |version, status, may_update| Current {
            version,
            title: "A".into(),
            status,
            note: None,
            may_update,
        };
        let plan: HashMap<i64, Current> = [
            (1, current(3, ActionStatus::InProgress, true)),
            (2, current(5, ActionStatus::NotStarted, true)),
            (3, current(1, ActionStatus::NotStarted, false)),
            (4, current(1, ActionStatus::Completed, true)),
            (5, current(2, ActionStatus::Completed, true)),
            (6, current(1, ActionStatus::NotStarted, true)),
        ]
        .into();
        let mut future = row(9, 6, 1, Some("Complété"), None);
        future.effective_on = Some(Ok(NaiveDate::from_ymd_opt(2014, 4, 1).unwrap_or_default()));
        let rows = [
            row(2, 1, 3, Some("Complété"), Some("16 régions visitées")),
            row(3, 2, 4, Some("En cours"), None),
            row(4, 3, 1, Some("En cours"), None),
            row(5, 4, 1, Some("Fini"), None),
            row(6, 99, 1, Some("En cours"), None),
            row(7, 5, 2, Some("completed"), None),
            row(8, 1, 3, Some("En cours"), None),
            future,
        ];
        let review = review(&rows, &plan, today, Lang::Fr);
        assert_eq!(review.changes.len(), 1);
        assert_eq!(review.changes[0].after.status, ActionStatus::Completed);
        assert_eq!(review.changes[0].after.note.as_deref(), Some("16 régions visitées"));
        assert_eq!(review.changes[0].effective_on, today);
        assert_eq!(review.conflicts.len(), 1);
        assert_eq!(
            (review.conflicts[0].sheet_version, review.conflicts[0].current_version),
            (4, 5)
        );
        assert_eq!(review.unchanged, 1, "row 7 says what action 5 already says");
        let refused: Vec<u32> = review.refused.iter().map(|r| r.row).collect();
        assert_eq!(refused, [4, 5, 6, 8, 9]);
        assert!(review.refused[0].reason.contains("pas assignée"));
        assert!(review.refused[1].reason.contains("« Fini » inconnu"));
        assert!(review.refused[3].reason.contains("déjà plus haut"));
        assert!(review.refused[4].reason.contains("dans le futur"));
    }
}
