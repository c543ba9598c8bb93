//! A zip archive (XLSX, DOCX) whose parts are read through a cap on their inflated size,
//! per part and in all: a part stops being read where the cap is, whatever its header says.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::rc::Rc;

use super::{INFLATED_MAX, PART_MAX, UploadError, megabytes};

pub struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes inflated so far from every part.
    inflated: Rc<Cell<u64>>,
    /// Set when a cap stopped a read, so that the reader's error says which.
    tripped: Rc<Cell<Option<Cap>>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cap {
    Part,
    Total,
}

/// A part being read: fails with an I/O error once a cap is reached.
struct Capped<R> {
    inner: R,
    read: u64,
    inflated: Rc<Cell<u64>>,
    tripped: Rc<Cell<Option<Cap>>>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        self.read += n64;
        self.inflated.set(self.inflated.get() + n64);
        let cap = if self.read > PART_MAX {
            Some(Cap::Part)
        } else if self.inflated.get() > INFLATED_MAX {
            Some(Cap::Total)
        } else {
            None
        };
        if let Some(cap) = cap {
            self.tripped.set(Some(cap));
            return Err(io::Error::other("inflated size over the limit"));
        }
        Ok(n)
    }
}

impl<'a> Archive<'a> {
    /// `what` names the kind of file in the message ("classeur Excel (.xlsx)").
    pub fn open(bytes: &'a [u8], what_fr: &str, what_en: &str) -> Result<Self, UploadError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            UploadError::unreadable(
                format!("Ce fichier n'est pas un {what_fr} valide (archive zip illisible)."),
                format!("This file is not a valid {what_en} (unreadable zip archive)."),
            )
        })?;
        Ok(Archive {
            zip,
            inflated: Rc::default(),
            tripped: Rc::default(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Reads part `name` (None when the archive has none) with `read`, which streams it.
    pub fn with_part<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&mut dyn BufRead) -> Result<T, UploadError>,
    ) -> Result<Option<T>, UploadError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let part = self.zip.by_index(index).map_err(|_| damaged(name))?;
        let mut reader = BufReader::new(Capped {
            inner: part,
            read: 0,
            inflated: self.inflated.clone(),
            tripped: self.tripped.clone(),
        });
        let result = read(&mut reader);
        // A cap reached shows as a reader's error of any kind: say which cap it was.
        match self.tripped.take() {
            Some(Cap::Part) => Err(UploadError::too_large(
                format!(
                    "La partie « {name} » du fichier dépasse {} Mo une fois décompressée : ce n'est pas un document de plan.",
                    megabytes(PART_MAX)
                ),
                format!(
                    "The part \"{name}\" of the file is over {} MB once inflated: this is not a plan document.",
                    megabytes(PART_MAX)
                ),
            )),
            Some(Cap::Total) => Err(UploadError::too_large(
                format!(
                    "Le fichier dépasse {} Mo une fois décompressé : ce n'est pas un document de plan.",
                    megabytes(INFLATED_MAX)
                ),
                format!(
                    "The file is over {} MB once inflated: this is not a plan document.",
                    megabytes(INFLATED_MAX)
                ),
            )),
            None => result.map(Some),
        }
    }

    /// A whole part as text (small parts: relationships, the workbook's sheet list).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, UploadError> {
        self.with_part(name, |reader| {
            let mut text = String::new();
            reader.read_to_string(&mut text).map_err(|_| damaged(name))?;
            Ok(text)
        })
    }
}

pub fn damaged(name: &str) -> UploadError {
    UploadError::unreadable(
        format!("La partie « {name} » du fichier est endommagée ou n'est pas du XML en UTF-8."),
        format!("The part \"{name}\" of the file is damaged or is not UTF-8 XML."),
    )
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_is_read_no_further_than_its_cap() {
        let bomb = vec![b' '; (PART_MAX + 1) as usize];
        let bytes = zip_of(&[("big.xml", &bomb), ("small.xml", b"<a/>")]);
        assert!(bytes.len() < 100_000, "compressed to {} bytes", bytes.len());
        let mut archive = Archive::open(&bytes, "classeur", "workbook").unwrap();
        let big = archive.with_part("big.xml", |r| {
            let mut sink = Vec::new();
            r.read_to_end(&mut sink).map_err(|_| damaged("big.xml"))?;
            Ok(sink.len())
        });
        assert!(matches!(big, Err(UploadError::TooLarge(_))), "{big:?}");
        assert_eq!(archive.text("small.xml").unwrap().as_deref(), Some("<a/>"));
        assert_eq!(archive.text("absent.xml").unwrap(), None);
    }

    #[test]
    fn the_parts_together_have_a_cap_too() {
        let part = vec![b' '; (PART_MAX - 10) as usize];
        let bytes = zip_of(&[("a", &part), ("b", &part), ("c", &part)]);
        let mut archive = Archive::open(&bytes, "classeur", "workbook").unwrap();
        assert!(archive.text("a").is_ok());
        assert!(archive.text("b").is_ok());
        assert!(matches!(archive.text("c"), Err(UploadError::TooLarge(_))));
    }

    #[test]
    fn what_is_not_a_zip_is_unreadable() {
        assert!(matches!(
            Archive::open(b"PK\x03\x04 not really", "classeur", "workbook"),
            Err(UploadError::Unreadable(_))
        ));
    }
}
