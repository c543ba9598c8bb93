//! Mail through a real SMTP server (aiosmtpd, from PyPI), read back as a mail client reads it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use planaction::mail::{MailSettings, Mailer, OutgoingMail, SendError};

use crate::helpers::TestResult;

/// An SMTP server on a free port of this machine, writing each message it accepts to a
/// Maildir; stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
    child: Child,
}

/// A program of the tests' Python environment.
fn tool(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/python-tools/bin")
        .join(name)
}

/// A port of this machine that nothing listens on.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("free port: {e}"))
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        Self::run(|port, maildir| {
            let mut command = Command::new(tool("aiosmtpd"));
            command
                .args([
                    "-n",
                    "-l",
                    &format!("127.0.0.1:{port}"),
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                ])
                .arg(maildir);
            command
        })
        .await
    }

    /// A server that refuses with 550 every recipient whose address starts with "refuse".
    pub async fn refusing() -> SmtpServer {
        Self::run(|port, maildir| {
            let mut command = Command::new(tool("python"));
            command
                .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api/refusing_smtp.py"))
                .arg(port.to_string())
                .arg(maildir);
            command
        })
        .await
    }

    async fn run(command: impl FnOnce(u16, &std::path::Path) -> Command) -> SmtpServer {
        let port = free_port();
        let maildir = std::env::temp_dir().join(format!("planaction-mail-{}", uuid::Uuid::new_v4()));
        let child = command(port, &maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("an SMTP server (scripts/ensure-python-tools installs it): {e}"));
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        SmtpServer { port, maildir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, as files.
    pub fn received(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.maildir.join("new"))
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// A received message as a mail client shows it.
#[derive(Debug, serde::Deserialize)]
pub struct Received {
    pub subject: String,
    pub to: String,
    pub auto_submitted: Option<String>,
    pub list_unsubscribe: Option<String>,
    pub list_unsubscribe_post: Option<String>,
    pub text: String,
    pub html: String,
    /// Each attachment: (file name, content type, bytes in base64).
    pub attachments: Vec<(String, String, String)>,
}

impl Received {
    /// The first link of the text that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let at = self.text.find(prefix)?;
        let rest = &self.text[at..];
        Some(rest.split_whitespace().next().unwrap_or(rest).to_owned())
    }
}

pub fn read_message(file: &std::path::Path) -> Received {
    let script = "import email, email.policy, sys, json, base64\n\
                  m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
                  h = lambda n: None if m[n] is None else str(m[n])\n\
                  a = [(p.get_filename(), p.get_content_type(), base64.b64encode(p.get_content() if isinstance(p.get_content(), bytes) else p.get_content().encode()).decode()) for p in m.iter_attachments()]\n\
                  print(json.dumps({'subject': h('subject'), 'to': h('to'), 'auto_submitted': h('auto-submitted'), \
                  'list_unsubscribe': h('list-unsubscribe'), 'list_unsubscribe_post': h('list-unsubscribe-post'), \
                  'text': m.get_body(('plain',)).get_content(), 'html': m.get_body(('html',)).get_content(), 'attachments': a}))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// A real SMTP server and a mailer sending to it.
pub struct Postbox {
    pub server: SmtpServer,
    pub mailer: Mailer,
}

impl Postbox {
    pub async fn open() -> Postbox {
        Self::on(SmtpServer::start().await)
    }

    pub fn on(server: SmtpServer) -> Postbox {
        let mailer = Mailer::from_settings(&settings(Some(server.url())))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("a mailer"));
        Postbox { server, mailer }
    }

    /// One delivery pass.
    pub async fn deliver(&self, app: &crate::helpers::TestApp) -> planaction::notifications::Delivered {
        planaction::notifications::deliver_due(&app.pool, &self.mailer, 100)
            .await
            .unwrap_or_else(|e| panic!("delivery: {e}"))
    }

    /// Every message received, in the order received.
    pub fn messages(&self) -> Vec<Received> {
        self.server.received().iter().map(|f| read_message(f)).collect()
    }

    /// The messages received for `address`.
    pub fn for_address(&self, address: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.to.contains(address)).collect()
    }
}

/// A header and the text part of a received message, decoded by Python's email package
/// (what a mail client does).
fn read_as_a_client(file: &std::path::Path) -> Vec<String> {
    let script = "import email, email.policy, sys\n\
                  m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
                  print(m['subject']); print(m['to']); print(m['auto-submitted']); print(m['list-unsubscribe-post'])\n\
                  print(m.get_body(('plain',)).get_content().strip()); print(m.get_body(('html',)).get_content().strip())";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e}"));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

pub fn settings(url: Option<String>) -> MailSettings {
    MailSettings {
        smtp_url: url.map(Into::into),
        from: "Planaction RQDS <planaction@rqds.example>".to_owned(),
        public_url: "https://plan.rqds.example/".to_owned(),
    }
}

fn assignment() -> OutgoingMail {
    OutgoingMail {
        to_name: Some("Marie Tremblay".to_owned()),
        to: "marie@rqds.example".to_owned(),
        subject: "Action assignée : « Rencontres de la Tournée des régions »".to_owned(),
        text: "Bonjour Marie,\n\nL'action « Rencontres de la Tournée des régions » vous est assignée.".to_owned(),
        html: "<p>Bonjour Marie,</p><p>L'action « Rencontres de la Tournée des régions » vous est assignée.</p>"
            .to_owned(),
        unsubscribe: Some("https://plan.rqds.example/unsubscribe/t0k3n".to_owned()),
        attachments: Vec::new(),
    }
}

#[tokio::test]
async fn a_message_reaches_a_real_smtp_server_as_written() -> TestResult {
    let server = SmtpServer::start().await;
    let Some(mailer) = Mailer::from_settings(&settings(Some(server.url())))? else {
        panic!("a mailer, SMTP_URL being set");
    };
    assert_eq!(mailer.public_url, "https://plan.rqds.example");
    mailer.send(&assignment()).await?;
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let read = read_as_a_client(&received[0]);
    assert_eq!(
        read,
        [
            "Action assignée : « Rencontres de la Tournée des régions »",
            "Marie Tremblay <marie@rqds.example>",
            "auto-generated",
            "List-Unsubscribe=One-Click",
            "Bonjour Marie,",
            "",
            "L'action « Rencontres de la Tournée des régions » vous est assignée.",
            "<p>Bonjour Marie,</p><p>L'action « Rencontres de la Tournée des régions » vous est assignée.</p>",
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_server_that_does_not_answer_is_a_temporary_failure_and_no_url_sends_nothing() -> TestResult {
    let port = free_port();
    let Some(mailer) = Mailer::from_settings(&settings(Some(format!("smtp://127.0.0.1:{port}"))))? else {
        panic!("a mailer");
    };
    let refused = mailer.send(&assignment()).await;
    assert!(matches!(refused, Err(SendError::Temporary(_))), "{refused:?}");
    assert!(Mailer::from_settings(&settings(None))?.is_none());
    assert!(Mailer::from_settings(&settings(Some("http://nope".to_owned()))).is_err());
    Ok(())
}

/// Makes every waiting message due now, as if its backoff had passed.
async fn time_passes(app: &crate::helpers::TestApp) -> TestResult {
    let mut conn = app.pool.get().await?;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE mail_outbox SET next_attempt_at = now() WHERE state = 'waiting'"),
        &mut conn,
    )
    .await?;
    Ok(())
}

/// An assignment, through the API, queues a message in its own transaction; the delivery
/// sends it to the assignee once; a server that is down delays it, and it arrives once the
/// server is back, never twice.
#[tokio::test]
async fn an_assignment_reaches_the_delegate_once_even_when_the_server_was_down() -> TestResult {
    use planaction::auth::Role;
    use planaction::notifications::{Delivered, deliver_due};

    let app = crate::helpers::TestApp::spawn().await;
    let (_, action) = app.seed_with_an_action().await;
    let member = app.account(Role::Member);
    let assigned = app
        .post(
            &format!("/api/v1/actions/{action}/assignees"),
            serde_json::json!({"user_id": member.id}),
        )
        .await;
    assert_eq!(assigned.status, 201, "{}", assigned.body);

    // The server is down: the message waits, with what went wrong.
    let port = free_port();
    let Some(mailer) = Mailer::from_settings(&settings(Some(format!("smtp://127.0.0.1:{port}"))))? else {
        panic!("a mailer");
    };
    let done = deliver_due(&app.pool, &mailer, 10).await?;
    assert_eq!(
        done,
        Delivered {
            retried: 1,
            ..Delivered::default()
        }
    );
    // Not due again before its backoff.
    assert_eq!(deliver_due(&app.pool, &mailer, 10).await?, Delivered::default());

    // Back up (on another port: the same server, as far as the message knows).
    let server = SmtpServer::start().await;
    let Some(mailer) = Mailer::from_settings(&settings(Some(server.url())))? else {
        panic!("a mailer");
    };
    time_passes(&app).await?;
    // Two instances at once: the message is taken by one of them only.
    let (a, b) = tokio::join!(deliver_due(&app.pool, &mailer, 10), deliver_due(&app.pool, &mailer, 10));
    assert_eq!(a?.sent + b?.sent, 1);
    assert_eq!(deliver_due(&app.pool, &mailer, 10).await?, Delivered::default());
    let received = server.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let read = read_as_a_client(&received[0]);
    // Python decodes the subject's non-breaking spaces as spaces; the *italics* markers are gone.
    assert!(
        read[0].starts_with("Action assignée : « Consultation du MESS"),
        "{read:?}"
    );
    assert!(!read[0].contains('*'), "{read:?}");
    assert!(read[1].contains(&member.email), "{read:?}");
    assert_eq!(read[2], "auto-generated");
    assert!(
        read[4].starts_with(&format!("Bonjour {},", member.display_name)),
        "{read:?}"
    );
    assert!(
        read.iter()
            .any(|l| l.contains(&format!("https://plan.rqds.example/actions/{action}"))),
        "{read:?}"
    );

    // The board records a status update: the assignee is told what moved; the board, its
    // author, is not; a status update by the assignee tells nobody else (nobody follows yet).
    let board = app.as_role(Role::Board);
    for (who, status) in [(&board, "completed"), (&app.as_role(Role::Member), "in_progress")] {
        let body = serde_json::json!({"status": status, "note": "6 régions visitées"});
        let reply = who.record_status(&action, body).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    assert_eq!(
        deliver_due(&app.pool, &mailer, 10).await?,
        Delivered {
            sent: 1,
            ..Delivered::default()
        }
    );
    let received = server.received();
    assert_eq!(received.len(), 2, "{received:?}");
    let read = received
        .iter()
        .map(|f| read_as_a_client(f))
        .find(|r| r[0].starts_with("État mis à jour"));
    let read = read.unwrap_or_else(|| panic!("the status update's message"));
    assert!(read[1].contains(&member.email), "{read:?}");
    let lead = &read[6];
    assert!(
        lead.starts_with("Compte board a mis à jour l'état de l'action"),
        "{read:?}"
    );
    assert!(
        lead.contains("En cours → Complété («\u{a0}6 régions visitées\u{a0}»)"),
        "{read:?}"
    );
    Ok(())
}

/// `planaction notifications run`: one delivery pass from the command line (for cron and
/// for people), through the same outbox.
#[tokio::test]
async fn the_command_line_sends_what_is_due() -> TestResult {
    let app = crate::helpers::TestApp::spawn().await;
    let (_, action) = app.seed_with_an_action().await;
    let member = app.account_id(planaction::auth::Role::Member);
    let assigned = app
        .post(
            &format!("/api/v1/actions/{action}/assignees"),
            serde_json::json!({"user_id": member}),
        )
        .await;
    assert_eq!(assigned.status, 201, "{}", assigned.body);
    let server = SmtpServer::start().await;
    let run = |smtp: Option<String>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_planaction"));
        command
            .args(["notifications", "run"])
            .env("DATABASE_URL", &app.db.url)
            .env_remove("SMTP_URL");
        if let Some(url) = smtp {
            command.env("SMTP_URL", url);
        }
        command.output()
    };
    let without = run(None)?;
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("SMTP_URL is not set"));
    let output = run(Some(server.url()))?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Courriels : 1 envoyé(s), 0 reporté(s)"), "{said}");
    assert_eq!(server.received().len(), 1);
    let again = run(Some(server.url()))?;
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 envoyé(s)"));
    assert_eq!(server.received().len(), 1, "nothing sent twice");

    // As of a day: the reminders due then. The action's échéancier ends on a day of the plan;
    // as of 14 days before "Fin novembre 2013", one reminder goes out, once.
    let added = app
        .post(
            &format!("/api/v1/actions/{action}/deadlines"),
            serde_json::json!({"label": "Fin novembre 2013"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let as_of = |day: &str| {
        Command::new(env!("CARGO_BIN_EXE_planaction"))
            .args(["notifications", "run", "--as-of", day])
            .env("DATABASE_URL", &app.db.url)
            .env("SMTP_URL", server.url())
            .output()
    };
    let reminded = as_of("2013-11-16")?;
    assert!(
        reminded.status.success(),
        "{}",
        String::from_utf8_lossy(&reminded.stderr)
    );
    let before = server.received().len();
    assert!(
        before >= 2,
        "the reminder was sent: {}",
        String::from_utf8_lossy(&reminded.stdout)
    );
    as_of("2013-11-17")?;
    assert_eq!(server.received().len(), before, "not again the next day");
    let wrong = as_of("2013-13-01")?;
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("AAAA-MM-JJ"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    Ok(())
}
