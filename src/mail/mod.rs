//! Mail that is really sent: SMTP through lettre (STARTTLS or TLS), configured by
//! `SMTP_URL`, `MAIL_FROM` and `PUBLIC_URL`. Without `SMTP_URL` the service runs as before
//! and says at start that no mail will be sent.

pub mod message;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

pub use message::{Attachment, OutgoingMail};

#[derive(Debug, Clone, clap::Args)]
pub struct MailSettings {
    /// SMTP server: `smtps://user:password@host:465` (TLS), `smtp://user:password@host:587?tls=required`
    /// (STARTTLS), `smtp://127.0.0.1:2525` (no encryption: a server on this machine). No mail is
    /// sent without it.
    #[arg(long = "smtp-url", env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<SecretString>,
    /// The sender of every message.
    #[arg(
        long = "mail-from",
        env = "MAIL_FROM",
        default_value = "Planaction <planaction@localhost>"
    )]
    pub from: String,
    /// The address the links in messages point to (the page and the API as people reach them).
    #[arg(long = "public-url", env = "PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
}

/// Why a message was not sent: worth trying again later, or never (the server refused the
/// address or the message for good: an SMTP 5xx).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("temporary: {0}")]
    Temporary(String),
    #[error("permanent: {0}")]
    Permanent(String),
}

/// The SMTP server messages go through, and who they come from.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    pub public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish()
    }
}

impl Mailer {
    /// The mailer the settings describe; none without `SMTP_URL`.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Option<Mailer>> {
        let Some(url) = &settings.smtp_url else {
            tracing::warn!("SMTP_URL is not set: no mail will be sent (set it to smtp://host:port to send mail)");
            return Ok(None);
        };
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM « {} » is not an address: {e}", settings.from))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|e| anyhow::anyhow!("SMTP_URL is not an SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        tracing::info!(from = %from, "mail is sent through the SMTP server of SMTP_URL");
        Ok(Some(Mailer {
            transport,
            from,
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
        }))
    }

    /// Sends one message; a refusal says whether trying again may help.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let message = mail
            .to_message(&self.from)
            .map_err(|e| SendError::Permanent(format!("the message cannot be written: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
    }
}
