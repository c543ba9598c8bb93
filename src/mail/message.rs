//! One message as it leaves: plain text and HTML alternatives, the headers automated mail
//! carries (`Auto-Submitted`, one-click `List-Unsubscribe`, RFC 8058). Every header value is
//! encoded by lettre, so a name or a title can never add a header.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to_name: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link that turns this kind of mail off without signing in.
    pub unsubscribe: Option<String>,
    pub attachments: Vec<Attachment>,
}

/// A file sent with a message (a signed-off report's PDF and Excel files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

const AUTO_SUBMITTED: HeaderName = HeaderName::new_from_ascii_str("Auto-Submitted");
const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");

/// Line breaks and other controls out of a header's text (a title pasted with a newline).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl OutgoingMail {
    pub fn to_message(&self, from: &Mailbox) -> Result<Message, lettre::error::Error> {
        let address: Address = self.to.parse().map_err(|_| lettre::error::Error::MissingTo)?;
        let to = Mailbox::new(self.to_name.as_deref().map(one_line), address);
        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(one_line(&self.subject))
            .raw_header(HeaderValue::new(AUTO_SUBMITTED, "auto-generated".to_owned()));
        if let Some(link) = &self.unsubscribe {
            // A link is ASCII once percent-encoded; anything else is not sent as a header.
            if link.is_ascii() && !link.contains(['<', '>', '\r', '\n', ' ']) {
                builder = builder
                    .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE, format!("<{link}>")))
                    .raw_header(HeaderValue::new(
                        LIST_UNSUBSCRIBE_POST,
                        "List-Unsubscribe=One-Click".to_owned(),
                    ));
            }
        }
        let alternative = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(self.text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(self.html.clone()),
            );
        if self.attachments.is_empty() {
            return builder.multipart(alternative);
        }
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for file in &self.attachments {
            let content_type = ContentType::parse(file.content_type).map_err(|_| lettre::error::Error::MissingFrom)?;
            mixed = mixed.singlepart(
                lettre::message::Attachment::new(one_line(&file.filename)).body(file.bytes.clone(), content_type),
            );
        }
        builder.multipart(mixed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            to_name: Some("Marie\r\nBcc: intrus@example.com".to_owned()),
            to: "marie@example.org".to_owned(),
            subject: "Action assignée\r\nBcc: intrus@example.com".to_owned(),
            text: "Bonjour".to_owned(),
            html: "<p>Bonjour</p>".to_owned(),
            unsubscribe: Some("https://plan.example.org/unsubscribe/abc".to_owned()),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn no_text_of_ours_can_add_a_header() -> Result<(), lettre::error::Error> {
        let from: Mailbox = "Planaction <planaction@example.org>"
            .parse()
            .map_err(|_| lettre::error::Error::MissingFrom)?;
        let raw = String::from_utf8_lossy(&mail().to_message(&from)?.formatted()).into_owned();
        let headers = raw.split("\r\n\r\n").next().unwrap_or_default();
        assert!(
            !headers.lines().any(|l| l.to_lowercase().starts_with("bcc")),
            "{headers}"
        );
        assert!(headers.contains("Auto-Submitted: auto-generated"), "{headers}");
        assert!(
            headers.contains("List-Unsubscribe: <https://plan.example.org/unsubscribe/abc>"),
            "{headers}"
        );
        assert!(headers.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("multipart/alternative"));
        Ok(())
    }

    #[test]
    fn a_link_that_is_not_plain_ascii_is_not_a_header() -> Result<(), lettre::error::Error> {
        let from: Mailbox = "planaction@example.org"
            .parse()
            .map_err(|_| lettre::error::Error::MissingFrom)?;
        let mut odd = mail();
        odd.unsubscribe = Some("https://x/<y>\r\nBcc: a@b".to_owned());
        let raw = String::from_utf8_lossy(&odd.to_message(&from)?.formatted()).into_owned();
        assert!(!raw.contains("List-Unsubscribe"));
        Ok(())
    }

    #[test]
    fn attachments_follow_the_text_and_html() -> Result<(), lettre::error::Error> {
        let from: Mailbox = "planaction@example.org"
            .parse()
            .map_err(|_| lettre::error::Error::MissingFrom)?;
        let mut report = mail();
        report.attachments = vec![Attachment {
            filename: "rapport-2013-10.pdf\r\nBcc: a@b".to_owned(),
            content_type: "application/pdf",
            bytes: b"%PDF-1.7".to_vec(),
        }];
        let raw = String::from_utf8_lossy(&report.to_message(&from)?.formatted()).into_owned();
        assert!(raw.contains("multipart/mixed"), "{raw}");
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("Content-Type: application/pdf"), "{raw}");
        assert!(raw.contains("filename=\"rapport-2013-10.pdf Bcc: a@b\""), "{raw}");
        assert!(!raw.lines().any(|l| l.to_lowercase().starts_with("bcc")));
        Ok(())
    }
}
