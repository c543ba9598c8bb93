//! The fonts the PDF embeds (DejaVu Sans Condensed, whose licence allows it: see
//! `assets/fonts/LICENSE-DejaVu.txt`) and the width of text in them.
//!
//! Report text is French or English: one glyph per character, no shaping needed, so the
//! widths used to wrap lines are exactly the advances drawn.

use std::sync::LazyLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansCondensed.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansCondensed-Bold.ttf");
static OBLIQUE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansCondensed-Oblique.ttf");
static BOLD_OBLIQUE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansCondensed-BoldOblique.ttf");

/// Marks where `*emphasis*` begins and ends in laid-out text (a private-use character that
/// no report text holds); drawing switches to the oblique face there. It has no width.
pub const EMPHASIS: char = '\u{E000}';

/// Characters below this are looked up once: Latin, and the general punctuation and arrows
/// that every report prints (– — ’ … →).
const CACHED: usize = 0x2200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
    Oblique,
    BoldOblique,
}

impl Style {
    /// The same weight, slanted or not: what an emphasis marker switches to.
    pub fn toggled(self) -> Style {
        match self {
            Style::Regular => Style::Oblique,
            Style::Oblique => Style::Regular,
            Style::Bold => Style::BoldOblique,
            Style::BoldOblique => Style::Bold,
        }
    }
}

pub struct Face {
    pub font: Font,
    data: &'static [u8],
    /// Glyph id and advance in em of each cached character.
    cached: Vec<(u32, f32)>,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face, String> {
        let parsed = FontRef::new(data).map_err(|e| format!("reading the font: {e}"))?;
        let cached = (0..CACHED as u32)
            .map(|code| char::from_u32(code).map_or((0, 0.0), |c| lookup(&parsed, c)))
            .collect();
        let font = Font::new(data.into(), 0).ok_or("the PDF font cannot be read")?;
        Ok(Face { font, data, cached })
    }

    fn glyph(&self, c: char) -> (u32, f32) {
        match self.cached.get(c as usize) {
            Some(known) => *known,
            None => FontRef::new(self.data).map_or((0, 0.0), |parsed| lookup(&parsed, c)),
        }
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .filter(|c| *c != EMPHASIS)
            .map(|c| self.glyph(c).1)
            .sum::<f32>()
            * size
    }

    /// One glyph per character, each pointing back at its bytes so the text can be extracted.
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let (id, advance) = self.glyph(c);
                KrillaGlyph::new(GlyphId::new(id), advance, 0.0, 0.0, 0.0, at..at + c.len_utf8(), None)
            })
            .collect()
    }
}

/// Glyph id and advance in em; a character the font lacks gets glyph 0 (".notdef").
fn lookup(font: &FontRef<'_>, c: char) -> (u32, f32) {
    let units_per_em = f32::from(
        font.metrics(Size::unscaled(), LocationRef::default())
            .units_per_em
            .max(1),
    );
    let id = font.charmap().map(c).unwrap_or_default();
    let advance = font
        .glyph_metrics(Size::unscaled(), LocationRef::default())
        .advance_width(id)
        .unwrap_or(0.0);
    (id.to_u32(), advance / units_per_em)
}

pub struct Faces {
    regular: Face,
    bold: Face,
    oblique: Face,
    bold_oblique: Face,
}

impl Faces {
    pub fn get(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
            Style::Oblique => &self.oblique,
            Style::BoldOblique => &self.bold_oblique,
        }
    }
}

static FACES: LazyLock<Result<Faces, String>> = LazyLock::new(|| {
    Ok(Faces {
        regular: Face::load(REGULAR)?,
        bold: Face::load(BOLD)?,
        oblique: Face::load(OBLIQUE)?,
        bold_oblique: Face::load(BOLD_OBLIQUE)?,
    })
});

/// The fonts, read once per process.
pub fn faces() -> Result<&'static Faces, String> {
    FACES.as_ref().map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_have_glyphs_and_bold_is_wider() -> Result<(), String> {
        let faces = faces()?;
        for c in "éèêàçôûÉÀ«»’œ–—".chars() {
            assert_ne!(faces.get(Style::Regular).glyph(c).0, 0, "no glyph for {c}");
        }
        let regular = faces.get(Style::Regular).width("Réalisé", 10.0);
        let bold = faces.get(Style::Bold).width("Réalisé", 10.0);
        assert!(regular > 20.0 && regular < 50.0, "{regular}");
        assert!(bold > regular);
        for c in "éàç«»’".chars() {
            assert_ne!(faces.get(Style::Oblique).glyph(c).0, 0, "no oblique glyph for {c}");
            assert_ne!(
                faces.get(Style::BoldOblique).glyph(c).0,
                0,
                "no bold oblique glyph for {c}"
            );
        }
        let glyphs = faces.get(Style::Regular).glyphs("é«");
        assert_eq!(glyphs.len(), 2);
        assert_eq!(glyphs[1].text_range, 2..4);
        Ok(())
    }
}
