//! CSV: one row per action, UTF-8 with a BOM so that French Excel reads the accents.

use super::model::ProgressReport;
use crate::i18n::Lang;

/// Cells starting with these are formulas to a spreadsheet: they are neutralised.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A leading quote makes the spreadsheet show the text instead of running it.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn headers(lang: Lang) -> [&'static str; 9] {
    match lang {
        Lang::Fr => [
            "Orientation",
            "Objectif",
            "Action",
            "Organisation responsable",
            "Échéancier",
            "État d'avancement",
            "Note",
            "Progression",
            "Dernier changement",
        ],
        Lang::En => [
            "Orientation",
            "Objective",
            "Action",
            "Responsible organization",
            "Deadlines",
            "Status",
            "Note",
            "Progress",
            "Last change",
        ],
    }
}

pub fn render(report: &ProgressReport, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::from("\u{feff}".as_bytes()));
    writer.write_record(headers(lang))?;
    for orientation in &report.table {
        let orientation_cell = super::labels::orientation_heading(orientation.number, &orientation.title);
        for objective in &orientation.objectives {
            for action in &objective.actions {
                let record = [
                    orientation_cell.clone(),
                    objective.title.clone(),
                    action.title.clone(),
                    action.responsible_organization.clone().unwrap_or_default(),
                    action.deadlines.join(" ; "),
                    action.status_label.clone(),
                    action.note.clone().unwrap_or_default(),
                    action.progress_text.clone().unwrap_or_default(),
                    action.last_change.to_string(),
                ];
                writer.write_record(record.iter().map(|cell| neutralise(cell)))?;
            }
        }
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+33"), "'+33");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Réalisé"), "Réalisé");
    }
}
