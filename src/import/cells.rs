//! Reading the cells of the plan table: lists of actions, and cells that hold one value
//! per action.

use lazy_regex::{Lazy, Regex, lazy_regex};

use super::document::{Cell, Paragraph};
use super::numbering::{self, Number};
use crate::progress::ActionStatus;
use crate::text::{fold, squash};

static RESPONSIBLE: Lazy<Regex> = lazy_regex!(r"(?i)\s*\(\s*organisation responsable\s*:\s*([^)]+?)\s*\)");

/// One action found in an actions cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub title: String,
    pub responsible_organization: Option<String>,
    /// Set when the cell held only a status where the action should be ("- En cours").
    pub status_in_title: Option<ActionStatus>,
    /// Written in bold: the plans mark the actions done or under way so.
    pub bold: bool,
    /// The number written before it (`1.`, `1.2.3`, `b)`) and the title without it: checked
    /// against its place by the row's reader.
    pub number: Option<(Number, String)>,
}

static BULLET: Lazy<Regex> = lazy_regex!(r"^(?:([-–—•*▪◦·○\u{F0B7}\u{F0A7}])|(\d{1,2})[.)])\s+");
/// The bullet a list item starts with (`-`, `–`, `•`, `*`, `1.`, `1)`…), if any: its
/// kind (the character, or `1` for a number) and its length in bytes with the space after.
pub fn bullet_of(text: &str) -> Option<(char, usize)> {
    let caps = BULLET.captures(text)?;
    let kind = match caps.get(1) {
        Some(symbol) => symbol.as_str().chars().next()?,
        None => '1',
    };
    Some((kind, caps.get(0)?.end()))
}

/// Splits one paragraph into items: at its own bullet when it starts with one ("• A • B",
/// "1. A 2. B"), else at " - " as the plans write their lists.
fn paragraph_items(chars: &[(char, bool)]) -> Vec<(String, bool)> {
    let text: String = chars.iter().map(|(c, _)| *c).collect();
    let trimmed_start = text.len() - text.trim_start().len();
    // A number stays in the item, to be checked against the item's place.
    let (kind, skip) = match bullet_of(&text[trimmed_start..]) {
        Some(('1', _)) => ('1', trimmed_start),
        Some((kind, length)) => (kind, trimmed_start + length),
        None => ('-', 0),
    };
    let separator = |at: usize| -> Option<usize> {
        let before = text[..at].chars().next_back()?;
        let after = &text[at..];
        if !before.is_whitespace() {
            return None;
        }
        bullet_of(after).filter(|(k, _)| *k == kind).map(|(_, length)| length)
    };
    let mut items = Vec::new();
    let mut start = skip;
    let mut at = skip + usize::from(kind == '1');
    while at < text.len() {
        if let Some(length) = separator(at) {
            items.push((start, at));
            start = if kind == '1' { at } else { at + length };
            at += length;
            continue;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    items.push((start, text.len()));
    let bold_at: Vec<bool> = chars
        .iter()
        .flat_map(|(c, b)| std::iter::repeat_n(*b, c.len_utf8()))
        .collect();
    items
        .into_iter()
        .map(|(from, to)| {
            let piece = &text[from..to];
            let bold = text[from..to]
                .char_indices()
                .any(|(i, c)| !c.is_whitespace() && bold_at.get(from + i).copied().unwrap_or(false));
            (squash(piece), bold)
        })
        .filter(|(piece, _)| !piece.is_empty())
        .collect()
}

/// Splits an actions cell ("- A - B", "• A • B", a `<ul>` list, one paragraph each) into
/// actions. An item ending with ":" ("Communagir :") heads the items after it and becomes
/// their responsible organization, as does "(organisation responsable : X)" inside an item.
pub fn action_items(cell: &Cell) -> Vec<ActionItem> {
    let pieces = cell
        .paragraphs
        .iter()
        .flat_map(|p| paragraph_items(&p.styled_chars()))
        .collect::<Vec<_>>();
    let mut group: Option<String> = None;
    let mut items = Vec::new();
    for (piece, bold) in pieces {
        if let Some(head) = piece.strip_suffix(':') {
            group = Some(head.trim().to_owned()).filter(|h| !h.is_empty());
            continue;
        }
        let named = RESPONSIBLE
            .captures(&piece)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_owned());
        let title = squash(&RESPONSIBLE.replace_all(&piece, ""));
        let number = numbering::leading(&title);
        items.push(ActionItem {
            status_in_title: ActionStatus::from_french(number.as_ref().map_or(&title, |(_, rest)| rest)),
            title,
            responsible_organization: named.or_else(|| group.clone()),
            bold,
            number,
        });
    }
    items
}

/// The values of a cell that lists one value per action: one per paragraph when the cell
/// has several (empty ones stay, as placeholders), else its text, or for several actions
/// its parts when `split` finds exactly one per action.
pub fn cell_values(cell: &Cell, actions: usize, split: fn(&str) -> Vec<String>) -> CellValues {
    if cell.is_blank() {
        return CellValues {
            values: Vec::new(),
            unsplit: false,
        };
    }
    if cell.paragraphs.len() > 1 {
        let values = cell.paragraphs.iter().map(Paragraph::markup).collect();
        return CellValues { values, unsplit: false };
    }
    let text = cell.markup();
    if actions > 1 {
        let parts = split(&text);
        if parts.len() == actions {
            return CellValues {
                values: parts,
                unsplit: false,
            };
        }
        return CellValues {
            unsplit: parts.len() > 1,
            values: vec![text],
        };
    }
    CellValues {
        values: vec![text],
        unsplit: false,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellValues {
    pub values: Vec<String>,
    /// Several values seemed run together but could not be matched to the actions.
    pub unsplit: bool,
}

/// Shares `values` among `actions` actions, in order: one each, k each when there
/// are k times as many, the same to each when there is one. Returns `None` when
/// the counts do not fit any of these (the caller then decides and warns).
pub fn distribute(values: &[String], actions: usize) -> Option<Vec<Vec<String>>> {
    let n = values.len();
    if actions == 0 {
        return None;
    }
    if n == 0 {
        return Some(vec![Vec::new(); actions]);
    }
    if n == 1 {
        return Some(vec![values.to_vec(); actions]);
    }
    if n.is_multiple_of(actions) {
        return Some(values.chunks(n / actions).map(<[String]>::to_vec).collect());
    }
    None
}

/// Shares values in order when `distribute` cannot: the first ones one each, the
/// extras to the last action.
pub fn distribute_in_order(values: &[String], actions: usize) -> Vec<Vec<String>> {
    let mut shares = vec![Vec::new(); actions];
    for (i, value) in values.iter().enumerate() {
        if let Some(share) = shares.get_mut(i.min(actions.saturating_sub(1))) {
            share.push(value.clone());
        }
    }
    shares
}

/// Splits a run-together état cell at its status words: "2 initiatives présentées Réalisé".
pub fn split_statuses(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i..i + 2).map(|w| w.join(" "));
        let status_len = if pair.as_deref().and_then(ActionStatus::from_french).is_some() {
            2
        } else if ActionStatus::from_french(words[i]).is_some() {
            1
        } else {
            0
        };
        if status_len > 0 {
            if !current.is_empty() {
                parts.push(current.join(" "));
                current.clear();
            }
            parts.push(words[i..i + status_len].join(" "));
            i += status_len;
        } else {
            current.push(words[i]);
            i += 1;
        }
    }
    if !current.is_empty() {
        parts.push(current.join(" "));
    }
    parts
}

/// État d'avancement text → status and note. A status word alone is the status; any
/// other text is kept as the note, and means the work has started (or is planned,
/// when it says so: "Rencontre prévue en novembre 2013").
pub fn read_progress(text: &str) -> (ActionStatus, Option<String>) {
    let text = text.trim();
    if text.is_empty() {
        return (ActionStatus::NotStarted, None);
    }
    if let Some((status, rest)) = ActionStatus::from_french_prefix(text) {
        return (status, Some(rest).filter(|r| !r.is_empty()));
    }
    let folded = fold(text);
    let status = if folded.contains("prevu") || folded.contains("a venir") {
        ActionStatus::InPreparation
    } else {
        ActionStatus::InProgress
    };
    (status, Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells written in the text form's HTML, as the plans were exported.
    fn action_items(html: &str) -> Vec<ActionItem> {
        super::action_items(&crate::import::text_form::cell(html))
    }

    fn cell_values(html: &str, actions: usize, split: fn(&str) -> Vec<String>) -> CellValues {
        super::cell_values(&crate::import::text_form::cell(html), actions, split)
    }

    fn titles(items: &[ActionItem]) -> Vec<&str> {
        items.iter().map(|i| i.title.as_str()).collect()
    }

    #[test]
    fn list_cells_become_actions() {
        let items = action_items(
            r#"<ul style="list-style-type: none"> - Revue K : Collaboration à des articles - Tournée des régions : Rédaction de communiqués </ul>"#,
        );
        assert_eq!(
            titles(&items),
            [
                "Revue K : Collaboration à des articles",
                "Tournée des régions : Rédaction de communiqués"
            ]
        );
        let items = action_items("- Mise à jour annuelle du document <i>Tour du Québec</i>");
        assert_eq!(titles(&items), ["Mise à jour annuelle du document *Tour du Québec*"]);
        assert!(action_items("").is_empty());
    }

    #[test]
    fn responsible_organizations_are_found() {
        let items = action_items("- Rencontres du groupe de réflexion (organisation responsable : Communagir)");
        assert_eq!(items[0].title, "Rencontres du groupe de réflexion");
        assert_eq!(items[0].responsible_organization.as_deref(), Some("Communagir"));

        let items = action_items(
            r#"<ul> - Communagir : <ul style="list-style-type: none"> - Délégation d'un membre - Participation au groupe </ul>"#,
        );
        assert_eq!(titles(&items), ["Délégation d'un membre", "Participation au groupe"]);
        assert!(
            items
                .iter()
                .all(|i| i.responsible_organization.as_deref() == Some("Communagir"))
        );
    }

    #[test]
    fn a_status_in_the_action_cell_is_noticed() {
        let items = action_items("- En cours");
        assert_eq!(items[0].status_in_title, Some(ActionStatus::InProgress));
    }

    #[test]
    fn paragraphs_give_one_value_each() {
        let cell = "<p>Automne 2013</p> <p>Hiver - Printemps 2014</p> <p></p>";
        let values = cell_values(cell, 2, crate::deadlines::reading::labels::segment).values;
        assert_eq!(values, ["Automne 2013", "Hiver - Printemps 2014", ""]);
    }

    #[test]
    fn plain_cells_split_only_when_the_count_fits() {
        let split = crate::deadlines::reading::labels::segment;
        assert_eq!(
            cell_values("Novembre 2013 Mai 2014", 1, split).values,
            ["Novembre 2013 Mai 2014"]
        );
        assert_eq!(
            cell_values("Novembre 2013 Mai 2013", 2, split).values,
            ["Novembre 2013", "Mai 2013"]
        );
        let odd = cell_values("2 initiatives présentées Réalisé", 4, split_statuses);
        assert_eq!(odd.values, ["2 initiatives présentées Réalisé"]);
        assert!(odd.unsplit);
    }

    #[test]
    fn values_are_shared_in_order() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(distribute(&v(&["a", "b"]), 2), Some(vec![v(&["a"]), v(&["b"])]));
        assert_eq!(
            distribute(&v(&["a", "b", "c", "d"]), 2),
            Some(vec![v(&["a", "b"]), v(&["c", "d"])])
        );
        assert_eq!(distribute(&v(&["a"]), 2), Some(vec![v(&["a"]), v(&["a"])]));
        assert_eq!(distribute(&v(&["a", "b", "c"]), 2), None);
        assert_eq!(
            distribute_in_order(&v(&["a", "b", "c"]), 2),
            vec![v(&["a"]), v(&["b", "c"])]
        );
    }

    #[test]
    fn progress_text_gives_status_and_note() {
        assert_eq!(read_progress("Complété"), (ActionStatus::Completed, None));
        assert_eq!(read_progress(""), (ActionStatus::NotStarted, None));
        assert_eq!(
            read_progress("6 régions visitées"),
            (ActionStatus::InProgress, Some("6 régions visitées".to_owned()))
        );
        assert_eq!(
            read_progress("Rencontre prévue en novembre 2013").0,
            ActionStatus::InPreparation
        );
        assert_eq!(
            split_statuses("2 initiatives présentées Réalisé"),
            ["2 initiatives présentées", "Réalisé"]
        );
        assert_eq!(split_statuses("En cours"), ["En cours"]);
    }
}
