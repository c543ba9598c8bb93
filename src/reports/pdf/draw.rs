//! Laid-out pages into PDF bytes with krilla: fonts embedded (subset), a footer with the page
//! number on each page. No creation date is written, so the same report gives the same bytes.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

use super::layout::{FOOTER_Y, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, Sheet, Text};
use super::typeface::{EMPHASIS, Faces, Style};

/// What every page's footer says on the left, and how to say "Page 3 / 12".
pub struct Footer {
    pub left: String,
    pub page_word: &'static str,
}

pub struct Info {
    pub title: String,
    pub language: &'static str,
}

/// A line of text; at each emphasis marker it goes on in the other slant.
fn text(surface: &mut Surface<'_>, faces: &Faces, text: &Text) {
    let mut x = text.x;
    let mut style = text.style;
    for (i, run) in text.text.split(EMPHASIS).enumerate() {
        if i > 0 {
            style = style.toggled();
        }
        if run.is_empty() {
            continue;
        }
        let face = faces.get(style);
        let glyphs = face.glyphs(run);
        surface.draw_glyphs(
            Point::from_xy(x, text.y),
            &glyphs,
            face.font.clone(),
            run,
            text.size,
            false,
        );
        x += face.width(run, text.size);
    }
}

fn draw_sheet(surface: &mut Surface<'_>, faces: &Faces, sheet: &Sheet) {
    if !sheet.shades.is_empty() {
        let mut shades = PathBuilder::new();
        for shade in &sheet.shades {
            if let Some(rect) = Rect::from_xywh(shade.x, shade.y, shade.width, shade.height) {
                shades.push_rect(rect);
            }
        }
        if let Some(path) = shades.finish() {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(217, 225, 242).into(),
                ..Fill::default()
            }));
            surface.draw_path(&path);
        }
    }
    let mut rules = PathBuilder::new();
    for rule in &sheet.rules {
        rules.move_to(rule.x1, rule.y1);
        rules.line_to(rule.x2, rule.y2);
    }
    if let Some(path) = rules.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(140, 140, 140).into(),
            width: 0.5,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
    }
    surface.set_stroke(None);
    surface.set_fill(Some(Fill::default()));
    for piece in &sheet.texts {
        text(surface, faces, piece);
    }
}

pub fn document(faces: &Faces, pages: &[Sheet], footer: &Footer, info: &Info) -> Result<Vec<u8>, String> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(info.title.clone())
            .language(info.language.to_owned())
            .creator("Planaction".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("invalid page size")?;
    let count = pages.len();
    for (number, sheet) in (1..).zip(pages) {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        draw_sheet(&mut surface, faces, sheet);
        let size = 7.5;
        text(
            &mut surface,
            faces,
            &Text {
                x: MARGIN,
                y: FOOTER_Y,
                size,
                style: Style::Regular,
                text: footer.left.clone(),
            },
        );
        let label = format!("{} {number} / {count}", footer.page_word);
        let width = faces.get(Style::Regular).width(&label, size);
        text(
            &mut surface,
            faces,
            &Text {
                x: PAGE_WIDTH - MARGIN - width,
                y: FOOTER_Y,
                size,
                style: Style::Regular,
                text: label,
            },
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| format!("{e:?}"))
}
