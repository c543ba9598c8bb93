//! The status sheet of a plan: one row per action, the columns to fill last.

use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook, XlsxError};

use super::{FILL_FROM, HEADERS};
use crate::i18n::Lang;
use crate::plans::tree::PlanTree;
use crate::progress::ActionStatus;

/// The status words the sheet offers (any of the importer's words is read back too).
fn status_words() -> Vec<&'static str> {
    ActionStatus::ALL.iter().map(|s| s.label(Lang::Fr)).collect()
}

pub fn render(tree: &PlanTree) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("États")?;
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let fill = Format::new().set_background_color("#FFF2CC").set_text_wrap();
    for (col, header) in (0u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, col, header, &bold)?;
    }
    let mut row = 1u32;
    for (n, orientation) in tree.orientations.iter().enumerate() {
        let orientation_title = format!("{} : {}", n + 1, orientation.orientation.title);
        for objective in &orientation.objectives {
            for node in &objective.actions {
                let a = &node.action;
                let labels: Vec<&str> = node.deadlines.iter().map(|d| d.label.as_str()).collect();
                sheet.write_number(row, 0, a.id.0 as f64)?;
                sheet.write_number(row, 1, f64::from(a.version))?;
                sheet.write_string_with_format(row, 2, &orientation_title, &wrap)?;
                sheet.write_string_with_format(row, 3, &objective.objective.title, &wrap)?;
                sheet.write_string_with_format(row, 4, &a.title, &wrap)?;
                sheet.write_string_with_format(row, 5, labels.join("\n"), &wrap)?;
                sheet.write_string(row, 6, a.status.label(Lang::Fr))?;
                sheet.write_string_with_format(row, 7, a.progress_note.as_deref().unwrap_or(""), &wrap)?;
                let progress = a.progress.as_ref().map(crate::progress::Progress::render);
                sheet.write_string(row, 8, progress.as_deref().unwrap_or(""))?;
                for col in FILL_FROM..12 {
                    sheet.write_blank(row, col, &fill)?;
                }
                row += 1;
            }
        }
    }
    let last = row.saturating_sub(1).max(1);
    let choices = DataValidation::new()
        .allow_list_strings(&status_words())?
        .set_error_style(DataValidationErrorStyle::Warning);
    sheet.add_data_validation(1, FILL_FROM, last, FILL_FROM, &choices)?;
    for (col, width) in (0u16..).zip([7.0, 8.0, 28.0, 30.0, 50.0, 18.0, 14.0, 28.0, 12.0, 16.0, 30.0, 14.0]) {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}
