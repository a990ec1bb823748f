//! Outgoing email: sign-in links and other notices, sent through an SMTP relay or written to an
//! outbox folder.
//!
//! With no relay configured, every message becomes one `.eml` file in the outbox folder
//! (`DATA_DIR/outbox/` by default) and the log names the file. That is the default on purpose:
//! development and demos need no mail set-up at all, and a developer signs in by opening the newest
//! file (or the path in the log) and clicking the link in it. Production sets an SMTP URL (see
//! [`Mailer::new`] for the forms it takes).
//!
//! `url` reads the SMTP URL a relay is configured with, `message` builds the message itself.

use std::fmt;
use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

mod message;
pub(crate) mod url;

pub use message::{Email, List, Rich};
use url::{Security, SmtpUrl, is_local};

/// Where outgoing mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP relay.
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        /// The relay for people to read, password masked: `smtp://user:****@host:587 (STARTTLS)`.
        relay: String,
    },
    /// One `.eml` file per message in `dir`, created when the first message is written.
    Outbox { dir: PathBuf, from: Mailbox },
}

/// Why mail could not be set up or sent. Messages never contain passwords: URLs in them are masked.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid SMTP URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("invalid {role} address `{address}`: {reason}")]
    InvalidAddress {
        /// Which address: "sender" or "recipient".
        role: &'static str,
        address: String,
        reason: String,
    },
    #[error("could not build the email: {0}")]
    Build(String),
    #[error("could not send the email through the SMTP relay {relay}: {source}")]
    Send {
        relay: String,
        #[source]
        source: lettre::transport::smtp::Error,
    },
    #[error("could not write the email to the outbox folder {}: {reason}", dir.display())]
    Outbox { dir: PathBuf, reason: String },
}

impl Mailer {
    /// A mailer for `smtp_url`, or for the outbox folder `outbox_dir` when there is no URL.
    /// `from` is the sender, as `noreply@example.org` or `muster <noreply@example.org>`.
    ///
    /// SMTP URLs take the form `scheme://[user[:password]@]host[:port][?tls=MODE]`, with
    /// characters such as `/ ? # @ %` in the user name or password percent-encoded:
    /// - `smtp://user:pass@mail.example.org` or `...:587`: STARTTLS, required (port 587 by
    ///   default); the connection fails rather than continue unencrypted;
    /// - `smtps://user:pass@mail.example.org` or `...:465`: TLS from the first byte (port 465);
    /// - `smtp://localhost:2525`, `smtp://127.0.0.1:2525` or `smtp://[::1]:2525`: plain, no TLS
    ///   (port 25 by default): a relay on this machine, which cannot offer a certificate for
    ///   its name and whose traffic never leaves the machine;
    /// - `?tls=none` (plain), `?tls=opportunistic` (STARTTLS when offered) or `?tls=required`
    ///   override that choice on `smtp://` URLs. Plain to another machine logs a warning.
    ///
    /// Must be called within a Tokio runtime when `smtp_url` is set: the relay's connection pool
    /// starts a background task.
    pub fn new(
        smtp_url: Option<&str>,
        outbox_dir: PathBuf,
        from: &str,
    ) -> Result<Mailer, MailError> {
        let from = from
            .trim()
            .parse::<Mailbox>()
            .map_err(|e| MailError::InvalidAddress {
                role: "sender",
                address: from.to_string(),
                reason: e.to_string(),
            })?;
        let Some(url) = smtp_url else {
            return Ok(Mailer::Outbox {
                dir: outbox_dir,
                from,
            });
        };
        let url = SmtpUrl::parse(url)?;
        if url.security == Security::Plain && !is_local(&url.host) {
            tracing::warn!(
                relay = %url.shown,
                "the SMTP relay is on another machine and the URL asks for no TLS: mail (and any password) crosses the network unencrypted"
            );
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.for_lettre)
            .map_err(|e| MailError::InvalidUrl {
                url: url.shown.clone(),
                // lettre's own text starts "Connection error", which misleads here.
                reason: std::error::Error::source(&e)
                    .map_or_else(|| e.to_string(), |s| s.to_string()),
            })?
            .build();
        Ok(Mailer::Smtp {
            transport,
            from,
            relay: format!("{} ({})", url.shown, url.security.describe()),
        })
    }

    /// Sends one plain-text UTF-8 message: through the relay, or as a new `.eml` file in the outbox
    /// folder (created if missing), whose path is logged at info level. Outbox files are 0600 and
    /// new folders 0700: a message may hold a live sign-in link.
    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        let outbox = matches!(self, Mailer::Outbox { .. });
        self.deliver(self.message(email, outbox)?, &email.to_address)
            .await
    }

    /// Sends a [`Rich`] message (HTML and plain text, with automatic-mail headers), as
    /// [`Mailer::send`] does.
    pub async fn send_rich(&self, rich: &Rich) -> Result<(), MailError> {
        let outbox = matches!(self, Mailer::Outbox { .. });
        self.deliver(self.rich_message(rich, outbox)?, &rich.email.to_address)
            .await
    }

    async fn deliver(&self, message: lettre::Message, to: &str) -> Result<(), MailError> {
        match self {
            Mailer::Smtp {
                transport, relay, ..
            } => {
                transport
                    .send(message)
                    .await
                    .map_err(|source| MailError::Send {
                        relay: relay.clone(),
                        source,
                    })?;
                // The recipient's domain only: logs never hold an address in full.
                let domain = to.rsplit_once('@').map_or("", |(_, domain)| domain);
                tracing::debug!(domain, relay = %relay, "email sent");
            }
            Mailer::Outbox { dir, .. } => {
                let (folder, formatted) = (dir.clone(), message.formatted());
                let path = tokio::task::spawn_blocking(move || write_eml(&folder, &formatted))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|written| written.map_err(|e| e.to_string()))
                    .map_err(|reason| MailError::Outbox {
                        dir: dir.clone(),
                        reason,
                    })?;
                tracing::info!(path = %path.display(), "email written to the outbox");
            }
        }
        Ok(())
    }

    /// Where mail goes, for logs and `muster config`: `SMTP relay smtp://user:****@host:587
    /// (STARTTLS)` or `outbox folder data/outbox`. Never contains a password.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { relay, .. } => format!("SMTP relay {relay}"),
            Mailer::Outbox { dir, .. } => format!("outbox folder {}", dir.display()),
        }
    }
}

/// What a failed send means for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It will never go (a 5xx refusal, a bad address, a message that cannot be built).
    Permanent,
    /// This message was refused for now (a 4xx reply): try it again later.
    Later,
    /// The relay (or the outbox folder) could not be reached: nothing is wrong with the message.
    Unreachable,
}

impl MailError {
    /// Whether retrying could help, and whose problem it is.
    pub fn verdict(&self) -> Verdict {
        match self {
            MailError::InvalidAddress { .. }
            | MailError::Build(_)
            | MailError::InvalidUrl { .. } => Verdict::Permanent,
            MailError::Send { source, .. } if source.is_permanent() => Verdict::Permanent,
            MailError::Send { source, .. } if source.is_transient() => Verdict::Later,
            MailError::Send { .. } | MailError::Outbox { .. } => Verdict::Unreachable,
        }
    }
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// 128 random bits in hex: a Message-ID's local part, an outbox file's name.
fn random_hex() -> Result<String, getrandom::Error> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random)?;
    Ok(random.iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes one message as a new `<random>.eml` file in `dir` (created if missing), readable by
/// muster's own user only; returns its path.
fn write_eml(dir: &std::path::Path, formatted: &[u8]) -> std::io::Result<PathBuf> {
    use std::io::Write;
    crate::files::create_dir_all(dir)?;
    let name = random_hex().map_err(|e| std::io::Error::other(e.to_string()))?;
    let path = dir.join(format!("{name}.eml"));
    crate::files::create_new(&path)?.write_all(formatted)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn bad_addresses_are_named() {
        let e = Mailer::new(None, PathBuf::from("x"), "not an address").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid sender address `not an address`"),
            "{e}"
        );
    }

    fn sign_in_email(url: &str) -> Email {
        Email {
            to_address: "zoe@force.police.uk".into(),
            to_name: "Zoë Hart".into(),
            subject: "Your muster sign-in link".into(),
            text: format!(
                "Hello Zoë,\n\nOpen this link to sign in to muster:\n\n{url}\n\nIt works once.\n"
            ),
        }
    }

    #[tokio::test]
    async fn the_outbox_holds_one_readable_eml_per_message() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data").join("outbox");
        let mailer = Mailer::new(None, dir.clone(), "muster <noreply@example.org>").unwrap();
        let url = format!(
            "http://127.0.0.1:8080/signin/{}",
            "abcdef0123456789".repeat(4)
        );
        mailer.send(&sign_in_email(&url)).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(
            eml.contains("Subject: Your muster sign-in link\r\n"),
            "{eml}"
        );
        assert!(
            eml.contains("From: muster <noreply@example.org>\r\n"),
            "{eml}"
        );
        assert!(eml.contains("<zoe@force.police.uk>"), "{eml}");
        assert!(
            eml.contains("Content-Type: text/plain; charset=utf-8\r\n"),
            "{eml}"
        );
        assert!(eml.contains("Content-Transfer-Encoding: 8bit\r\n"), "{eml}");
        assert!(
            Regex::new(r"(^|\r\n)Message-ID: <[0-9a-f]{32}@example\.org>\r\n")
                .unwrap()
                .is_match(&eml),
            "{eml}"
        );
        assert!(eml.contains("Hello Zoë,\r\n"), "{eml}");
        assert!(eml.contains(&format!("\r\n{url}\r\n")), "{eml}");

        let ascii = Email {
            text: format!("Open:\n{url}\n"),
            ..sign_in_email(&url)
        };
        mailer.send(&ascii).await.unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
    }

    #[tokio::test]
    async fn a_bad_recipient_is_an_error_before_anything_is_written() {
        let temp = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(None, temp.path().join("outbox"), "noreply@example.org").unwrap();
        let email = Email {
            to_address: "nobody".into(),
            ..sign_in_email("http://x")
        };
        let e = mailer.send(&email).await.unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid recipient address `nobody`"),
            "{e}"
        );
        assert!(!temp.path().join("outbox").exists());
    }
}
