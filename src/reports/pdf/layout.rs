//! Pages laid out before anything is drawn: paragraphs and tables wrapped to the width of
//! letter paper, split across pages with their header repeated. Knowing every page first is
//! what lets the footer say "Page 3 / 12".
//!
//! Coordinates are points from the top-left corner; a text's `y` is its baseline.

use super::typeface::{EMPHASIS, Faces, Style};

pub const PAGE_WIDTH: f32 = 612.0;
pub const PAGE_HEIGHT: f32 = 792.0;
pub const MARGIN: f32 = 40.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The footer's baseline; the body stops above it.
pub const FOOTER_Y: f32 = PAGE_HEIGHT - 22.0;
const BODY_BOTTOM: f32 = FOOTER_Y - 14.0;
const PADDING: f32 = 3.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub style: Style,
    pub text: String,
}

/// A filled rectangle (a table header's background).
#[derive(Debug, Clone, PartialEq)]
pub struct Shade {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// A thin rule from (x1, y1) to (x2, y2).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
}

#[derive(Debug, Default)]
pub struct Sheet {
    pub texts: Vec<Text>,
    pub shades: Vec<Shade>,
    pub rules: Vec<Rule>,
}

pub struct Cell {
    pub text: String,
    pub style: Style,
}

impl Cell {
    pub fn new(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }

    pub fn plain(text: impl Into<String>) -> Cell {
        Cell::new(text, Style::Regular)
    }
}

/// A table's header, wrapped once and drawn again at the top of each page.
struct Header {
    cells: Vec<Cell>,
    lines: Vec<Vec<String>>,
}

pub struct Table {
    /// Column widths in points; they should add up to `CONTENT_WIDTH`.
    pub widths: Vec<f32>,
    /// Column titles, in bold.
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub size: f32,
    /// Rows that share their first cell (an objective and its actions) show it once per page,
    /// as one tall cell.
    pub merge_first_column: bool,
}

fn leading(size: f32) -> f32 {
    size * 1.3
}

/// Splits `text` into lines no wider than `width`: at spaces, at line breaks, and inside a
/// word only when the word alone is wider than the line.
/// Where a line may break: white space, except the no-break spaces of French typography.
fn is_break(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}'
}

fn breakable_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_break).filter(|w| !w.is_empty())
}

/// Width of `text` from an emphasis state, and the state after it: each marker switches
/// between the upright and oblique faces, which do not advance alike.
fn measure(faces: &Faces, text: &str, style: Style, size: f32, emphasis: &mut bool) -> f32 {
    let mut width = 0.0;
    for c in text.chars() {
        if c == EMPHASIS {
            *emphasis = !*emphasis;
            continue;
        }
        let face = faces.get(if *emphasis { style.toggled() } else { style });
        width += face.width(c.encode_utf8(&mut [0; 4]), size);
    }
    width
}

pub fn wrap(faces: &Faces, text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut emphasis = false;
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in breakable_words(paragraph) {
            let before = emphasis;
            let space = measure(faces, " ", style, size, &mut emphasis);
            let word_width = measure(faces, word, style, size, &mut emphasis);
            if !line.is_empty() && line_width + space + word_width <= width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line_width = 0.0;
            if word_width <= width {
                line.push_str(word);
                line_width = word_width;
                continue;
            }
            let mut state = before;
            for c in word.chars() {
                let char_width = measure(faces, c.encode_utf8(&mut [0; 4]), style, size, &mut state);
                if !line.is_empty() && line_width + char_width > width {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += char_width;
            }
        }
        lines.push(line);
    }
    balance_emphasis(lines)
}

/// Each line opens and closes its own emphasis: a line that begins inside `*…*` starts with
/// a marker, and one that ends inside it ends with one, so that lines draw on their own.
fn balance_emphasis(lines: Vec<String>) -> Vec<String> {
    let mut open = false;
    lines
        .into_iter()
        .map(|line| {
            let mut out = String::with_capacity(line.len() + 6);
            if open {
                out.push(EMPHASIS);
            }
            out.push_str(&line);
            if line.chars().filter(|c| *c == EMPHASIS).count() % 2 == 1 {
                open = !open;
            }
            if open {
                out.push(EMPHASIS);
            }
            out
        })
        .collect()
}

pub struct Layout<'f> {
    faces: &'f Faces,
    pub pages: Vec<Sheet>,
    /// Top of the free space on the current page.
    y: f32,
}

impl<'f> Layout<'f> {
    pub fn new(faces: &'f Faces) -> Layout<'f> {
        Layout {
            faces,
            pages: vec![Sheet::default()],
            y: MARGIN,
        }
    }

    fn sheet(&mut self) -> &mut Sheet {
        if self.pages.is_empty() {
            self.pages.push(Sheet::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Sheet::default());
        self.y = MARGIN;
    }

    fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    pub fn space(&mut self, height: f32) {
        self.y = (self.y + height).min(BODY_BOTTOM);
    }

    /// A block of wrapped text over the whole width.
    pub fn paragraph(&mut self, text: &str, style: Style, size: f32) {
        for line in wrap(self.faces, text, style, size, CONTENT_WIDTH) {
            if self.room() < leading(size) {
                self.new_page();
            }
            self.y += leading(size);
            let y = self.y - size * 0.3;
            self.sheet().texts.push(Text {
                x: MARGIN,
                y,
                size,
                style,
                text: line,
            });
        }
    }

    /// A labelled share drawn as a bar: the label on the left half, then the bar, then the
    /// figure. No share (nothing to measure): no bar, the figure only ("—").
    pub fn bar(&mut self, label: &str, share: Option<f64>, figure: &str, size: f32) {
        let label_width = CONTENT_WIDTH * 0.55;
        let bar_x = MARGIN + label_width + 10.0;
        let bar_width = CONTENT_WIDTH * 0.3;
        let lines = wrap(self.faces, label, Style::Regular, size, label_width);
        if self.room() < lines.len() as f32 * leading(size) {
            self.new_page();
        }
        let top = self.y;
        let bar_top = top + leading(size) * 0.2;
        let bar_height = leading(size) * 0.65;
        if let Some(share) = share {
            let filled = bar_width * share.clamp(0.0, 1.0) as f32;
            self.sheet().shades.push(Shade {
                x: bar_x,
                y: bar_top,
                width: filled,
                height: bar_height,
            });
            let (left, right, bottom) = (bar_x, bar_x + bar_width, bar_top + bar_height);
            let outline = [
                (left, bar_top, right, bar_top),
                (right, bar_top, right, bottom),
                (right, bottom, left, bottom),
                (left, bottom, left, bar_top),
            ];
            for (x1, y1, x2, y2) in outline {
                self.sheet().rules.push(Rule { x1, y1, x2, y2 });
            }
        }
        self.sheet().texts.push(Text {
            x: bar_x + bar_width + 6.0,
            y: top + leading(size) - size * 0.3,
            size,
            style: Style::Regular,
            text: figure.to_owned(),
        });
        for line in lines {
            self.y += leading(size);
            let y = self.y - size * 0.3;
            self.sheet().texts.push(Text {
                x: MARGIN,
                y,
                size,
                style: Style::Regular,
                text: line,
            });
        }
        self.space(3.0);
    }

    /// A title, moved to the next page when it would end up alone at the bottom of this one.
    pub fn heading(&mut self, text: &str, size: f32) {
        let lines = wrap(self.faces, text, Style::Bold, size, CONTENT_WIDTH).len() as f32;
        if self.room() < lines * leading(size) + 5.0 * leading(9.0) {
            self.new_page();
        } else {
            self.space(size * 0.6);
        }
        self.paragraph(text, Style::Bold, size);
        self.space(size * 0.3);
    }

    pub fn table(&mut self, mut table: Table) {
        table.widths = self.fit_header_words(&table);
        let table = &table;
        let header_cells: Vec<Cell> = table.header.iter().map(|t| Cell::new(*t, Style::Bold)).collect();
        let header = Header {
            lines: self.wrap_row(table, &header_cells),
            cells: header_cells,
        };
        let header_height = row_height(&header.lines, table.size);
        // A table starts where its header and a first row fit.
        if self.room() < header_height + 2.0 * leading(table.size) + 2.0 * PADDING {
            self.new_page();
        }
        self.draw_header(table, &header);
        let mut previous_first: Option<&str> = None;
        let mut first_on_page = true;
        for row in &table.rows {
            let lines = self.wrap_row(table, row);
            let first = row.first().map(|c| c.text.as_str());
            let mut from = 0;
            loop {
                let continues_group = table.merge_first_column && !first_on_page && previous_first == first;
                // A merged first cell is already drawn above: it does not make the row taller.
                let skip = usize::from(continues_group);
                let total = lines.iter().skip(skip).map(Vec::len).max().unwrap_or(1).max(1);
                if from >= total {
                    break;
                }
                let mut fitting = ((self.room() - 2.0 * PADDING) / leading(table.size)).floor().max(0.0) as usize;
                if first_on_page {
                    // A fresh page always takes at least a line: no endless run of empty pages.
                    fitting = fitting.max(1);
                }
                let whole_fits_on_a_page =
                    (total - from) as f32 * leading(table.size) + 2.0 * PADDING <= BODY_BOTTOM - MARGIN - header_height;
                // Keep a row whole when a fresh page can hold it; split it only when none can.
                if fitting == 0 || (fitting < total - from && whole_fits_on_a_page) {
                    self.table_page_break(table, &header);
                    first_on_page = true;
                    continue;
                }
                let count = fitting.min(total - from);
                self.draw_row(table, row, &lines, from..from + count, continues_group);
                from += count;
                first_on_page = false;
                if from < total {
                    self.table_page_break(table, &header);
                    first_on_page = true;
                }
            }
            previous_first = first;
        }
        self.close_table_page();
        self.space(8.0);
    }

    fn table_page_break(&mut self, table: &Table, header: &Header) {
        self.close_table_page();
        self.new_page();
        self.draw_header(table, header);
    }

    /// Widens the columns whose header has a word wider than the column, taking the room
    /// from the first column, so that "préparation" is never cut in two.
    fn fit_header_words(&self, table: &Table) -> Vec<f32> {
        let face = self.faces.get(Style::Bold);
        let mut widths = table.widths.clone();
        for (column, title) in table.header.iter().enumerate().skip(1) {
            let widest = title
                .split(is_break)
                .filter(|w| !w.is_empty())
                .map(|word| face.width(word, table.size))
                .fold(0.0, f32::max)
                + 2.0 * PADDING
                + 0.5;
            if let Some(width) = widths.get(column).copied()
                && widest > width
            {
                widths[column] = widest;
                widths[0] -= widest - width;
            }
        }
        widths
    }

    fn wrap_row(&self, table: &Table, row: &[Cell]) -> Vec<Vec<String>> {
        row.iter()
            .zip(&table.widths)
            .map(|(cell, width)| wrap(self.faces, &cell.text, cell.style, table.size, width - 2.0 * PADDING))
            .collect()
    }

    fn draw_header(&mut self, table: &Table, header: &Header) {
        let top = self.y;
        self.sheet().shades.push(Shade {
            x: MARGIN,
            y: top,
            width: CONTENT_WIDTH,
            height: row_height(&header.lines, table.size),
        });
        let all = 0..header.lines.iter().map(Vec::len).max().unwrap_or(1);
        self.draw_row(table, &header.cells, &header.lines, all, false);
    }

    /// Draws lines `range` of each cell of a row, with its rules, and moves down.
    fn draw_row(
        &mut self,
        table: &Table,
        row: &[Cell],
        lines: &[Vec<String>],
        range: std::ops::Range<usize>,
        continues_group: bool,
    ) {
        let size = table.size;
        let top = self.y;
        let bottom = top + range.len() as f32 * leading(size) + 2.0 * PADDING;
        let mut x = MARGIN;
        let mut texts = Vec::new();
        let mut rules = Vec::new();
        for (column, ((cell, cell_lines), width)) in row.iter().zip(lines).zip(&table.widths).enumerate() {
            let merged = continues_group && column == 0;
            rules.push(Rule {
                x1: x,
                y1: top,
                x2: x,
                y2: bottom,
            });
            if !merged {
                rules.push(Rule {
                    x1: x,
                    y1: top,
                    x2: x + width,
                    y2: top,
                });
                let mut baseline = top + PADDING + size;
                for line in cell_lines.iter().skip(range.start).take(range.len()) {
                    texts.push(Text {
                        x: x + PADDING,
                        y: baseline,
                        size,
                        style: cell.style,
                        text: line.clone(),
                    });
                    baseline += leading(size);
                }
            }
            x += width;
        }
        rules.push(Rule {
            x1: x,
            y1: top,
            x2: x,
            y2: bottom,
        });
        let sheet = self.sheet();
        sheet.texts.extend(texts);
        sheet.rules.extend(rules);
        self.y = bottom;
    }

    /// The rule under the last row drawn on this page.
    fn close_table_page(&mut self) {
        let y = self.y;
        self.sheet().rules.push(Rule {
            x1: MARGIN,
            y1: y,
            x2: MARGIN + CONTENT_WIDTH,
            y2: y,
        });
    }
}

fn row_height(lines: &[Vec<String>], size: f32) -> f32 {
    lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading(size) + 2.0 * PADDING
}

#[cfg(test)]
mod tests {
    use super::super::typeface::faces;
    use super::*;

    #[test]
    fn lines_fit_their_width_and_keep_every_word() -> Result<(), String> {
        let faces = faces()?;
        let text = "Présenter la « Tournée des régions » aux membres du CA\net à leurs partenaires \
                    anticonstitutionnellementextraordinairementlongmot";
        let lines = wrap(faces, text, Style::Regular, 9.0, 80.0);
        assert!(lines.len() > 4, "{lines:?}");
        for line in &lines {
            assert!(faces.get(Style::Regular).width(line, 9.0) <= 80.0, "{line}");
        }
        // Nothing is lost but the spaces where lines break.
        let squeezed: String = lines.concat().split_whitespace().collect();
        assert_eq!(squeezed, text.split_whitespace().collect::<String>());
        assert_eq!(wrap(faces, "", Style::Regular, 9.0, 80.0), vec![String::new()]);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn wrapping_any_text_keeps_its_words_and_fits(text in "\\PC{0,300}", width in 5.0f32..300.0) {
            let faces = faces().map_err(proptest::test_runner::TestCaseError::fail)?;
            let lines = wrap(faces, &text, Style::Bold, 8.0, width);
            let words = |s: &str| s.split_whitespace().collect::<String>();
            proptest::prop_assert_eq!(words(&lines.concat()), words(&text));
            for line in &lines {
                // Only a single character wider than the column may stick out.
                let fits = faces.get(Style::Bold).width(line, 8.0) <= width + 0.01;
                proptest::prop_assert!(fits || line.chars().count() == 1, "{:?}", line);
            }
        }
    }

    #[test]
    fn a_long_table_breaks_into_pages_that_each_repeat_the_header() -> Result<(), String> {
        let faces = faces()?;
        let mut layout = Layout::new(faces);
        let rows = (0..200)
            .map(|i| {
                vec![
                    Cell::plain(format!("Objectif {}", i / 10)),
                    Cell::plain(format!(
                        "Action {i} avec un titre assez long pour tenir sur deux lignes"
                    )),
                ]
            })
            .collect();
        layout.table(Table {
            widths: vec![CONTENT_WIDTH / 2.0, CONTENT_WIDTH / 2.0],
            header: vec!["OBJECTIFS", "ACTIONS"],
            rows,
            size: 9.0,
            merge_first_column: true,
        });
        assert!(layout.pages.len() > 3);
        for page in &layout.pages {
            assert_eq!(page.texts.first().map(|t| t.text.as_str()), Some("OBJECTIFS"));
            assert_eq!(page.texts.first().map(|t| t.style), Some(Style::Bold));
            assert!(page.texts.iter().all(|t| t.y > MARGIN && t.y < FOOTER_Y - 10.0));
            // An objective split by the page break is named again at the top of the next page.
            assert!(page.texts.get(2).is_some_and(|t| t.text.starts_with("Objectif")));
        }
        let all: Vec<&str> = layout
            .pages
            .iter()
            .flat_map(|p| &p.texts)
            .map(|t| t.text.as_str())
            .collect();
        for i in 0..200 {
            assert!(all.iter().any(|t| t.starts_with(&format!("Action {i} "))), "action {i}");
        }
        // Merged: "Objectif 7" is written once on its page, not ten times.
        assert!(all.iter().filter(|t| **t == "Objectif 7").count() <= 2);
        Ok(())
    }
}
