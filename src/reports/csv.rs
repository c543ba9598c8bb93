//! CSV: one row per action, UTF-8 with a BOM so that French Excel reads the accents.

use super::labels::{certification_line, plain};
use super::model::ProgressReport;
use crate::i18n::Lang;

/// Cells starting with these are formulas to a spreadsheet: they are neutralised. Their
/// full-width and small forms too, which some spreadsheets fold into the ASCII ones.
const FORMULA_STARTS: [char; 14] = [
    '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫',
];

/// What a spreadsheet may drop before reading a cell: white space and the invisible
/// format characters (zero-width space and joiners, marks of direction, BOM).
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// A leading quote makes the spreadsheet show the text instead of running it.
pub fn neutralise(cell: &str) -> String {
    let visible = cell.trim_start_matches(|c: char| invisible(c) && c != '\t' && c != '\r');
    if visible.starts_with(FORMULA_STARTS) {
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
    // A saved report carries its certification on every row: one table, no preamble.
    let certification = report
        .certification
        .as_ref()
        .map(|c| [certification_line(c, lang), c.fingerprint.clone()]);
    let mut header: Vec<&str> = headers(lang).to_vec();
    // The plan's other columns, only for a plan that has some: the RQDS's file stays as it was.
    let details = super::labels::details_header(&report.table, lang);
    header.extend(details);
    if certification.is_some() {
        header.extend([
            lang.pick("Validation du CA", "Board sign-off"),
            lang.pick("Empreinte SHA-256", "SHA-256 fingerprint"),
        ]);
    }
    writer.write_record(header)?;
    for orientation in &report.table {
        let orientation_cell = super::labels::orientation_heading(orientation.number, &orientation.title);
        for objective in &orientation.objectives {
            for action in &objective.actions {
                let record = [
                    plain(&orientation_cell),
                    plain(&objective.title),
                    plain(&action.title),
                    action.responsible_organization.clone().unwrap_or_default(),
                    action.deadlines.join(" ; "),
                    action.status_label.clone(),
                    plain(action.note.as_deref().unwrap_or_default()),
                    action.progress_text.clone().unwrap_or_default(),
                    action.last_change.to_string(),
                ];
                let other = details.map(|_| super::labels::details_line(action, lang).unwrap_or_default());
                let certified = certification.iter().flatten();
                writer.write_record(
                    record
                        .iter()
                        .chain(other.iter())
                        .chain(certified)
                        .map(|cell| neutralise(cell)),
                )?;
            }
        }
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The same file with `;` between fields, for Excel in a French locale: read back and written
/// again, so that quoting follows the new separator. The BOM stays.
pub fn with_semicolons(bytes: &[u8]) -> Result<Vec<u8>, csv::Error> {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    for record in reader.byte_records() {
        writer.write_byte_record(&record?)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_semicolon_variant_keeps_every_field() {
        let comma = "\u{feff}A,B\n\"x, y\",z;w\n".as_bytes();
        let semicolon = with_semicolons(comma).unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&semicolon), "\u{feff}A;B\nx, y;\"z;w\"\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+33"), "'+33");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Réalisé"), "Réalisé");
        // Found under attack: full-width signs and invisible characters before one.
        for hostile in [
            "＝1+1",
            "＋33",
            "－2",
            "＠SUM(A1)",
            "﹦1",
            " =1",
            "\u{200b}=1",
            "\u{feff}+1",
            "\u{a0}-1",
            "\u{202e}@x",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        assert_eq!(neutralise(" Réalisé"), " Réalisé");
    }
}
