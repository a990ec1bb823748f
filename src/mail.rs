//! Outgoing email: sign-in links and other notices, sent through an SMTP relay or written to an
//! outbox folder.
//!
//! With no relay configured, every message becomes one `.eml` file in the outbox folder
//! (`DATA_DIR/outbox/` by default) and the log names the file. That is the default on purpose:
//! development and demos need no mail set-up at all, and a developer signs in by opening the newest
//! file (or the path in the log) and clicking the link in it. Production sets an SMTP URL (see
//! [`Mailer::new`] for the forms it takes).
//!
//! Bodies are plain UTF-8 text, kept readable on the wire where possible: ASCII text with lines
//! shorter than the 998-octet limit goes as `7bit`, untouched, so a long sign-in URL stays on one
//! line for anyone (or any test) reading the raw message. lettre's own choice would switch to
//! quoted-printable at 76 characters and break such a URL with soft line breaks. Non-ASCII text
//! goes as `8bit` to the outbox and with lettre's choice (quoted-printable or base64) to a relay,
//! which works with every relay, 8BITMIME or not; mail clients decode both.

use std::fmt;
use std::path::PathBuf;

use lettre::message::header::{self, ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

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

/// One plain-text message to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to_address: String,
    /// The display name in the `To:` header; may be empty.
    pub to_name: String,
    pub subject: String,
    pub text: String,
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
        let message = self.message(email, outbox)?;
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
                tracing::debug!(to = %email.to_address, relay = %relay, "email sent");
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

    fn message(&self, email: &Email, outbox: bool) -> Result<Message, MailError> {
        let (Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. }) = self;
        let address =
            email
                .to_address
                .trim()
                .parse::<Address>()
                .map_err(|e| MailError::InvalidAddress {
                    role: "recipient",
                    address: email.to_address.clone(),
                    reason: e.to_string(),
                })?;
        let name = email.to_name.trim();
        let to = Mailbox::new((!name.is_empty()).then(|| name.to_string()), address);
        // A Message-ID on the sender's domain: some providers mark mail without one as spam, and
        // lettre's default would use this machine's host name.
        let random = random_hex().map_err(|e| MailError::Build(e.to_string()))?;
        Message::builder()
            .message_id(Some(format!("<{random}@{}>", from.email.domain())))
            .from(from.clone())
            .to(to)
            .subject(email.subject.as_str())
            .header(header::MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .body(text_body(&email.text, outbox))
            .map_err(|e| MailError::Build(e.to_string()))
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

/// The body for `text` with CRLF line endings: `7bit` when it is ASCII (`8bit` when it is not and
/// `eight_bit` allows) and every line fits the 998-octet limit, otherwise lettre's choice.
fn text_body(text: &str, eight_bit: bool) -> Body {
    let crlf = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n");
    let fits = !crlf.contains('\0') && crlf.split("\r\n").all(|line| line.len() <= 998);
    match (fits, crlf.is_ascii()) {
        (true, true) => {
            Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::SevenBit)
        }
        (true, false) if eight_bit => {
            Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit)
        }
        _ => Body::new(crlf),
    }
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    Plain,
    Opportunistic,
    StartTls,
    Tls,
}

impl Security {
    fn describe(self) -> &'static str {
        match self {
            Security::Plain => "no TLS",
            Security::Opportunistic => "STARTTLS if offered",
            Security::StartTls => "STARTTLS",
            Security::Tls => "TLS",
        }
    }
}

/// An SMTP URL, checked and resolved to explicit settings.
#[derive(Debug)]
struct SmtpUrl {
    security: Security,
    host: String,
    /// The URL to hand lettre, with the explicit port and `tls` setting. Contains the password.
    for_lettre: String,
    /// `scheme://user:****@host:port[/ehlo-name]`, for people.
    shown: String,
}

impl SmtpUrl {
    fn parse(url: &str) -> Result<SmtpUrl, MailError> {
        let url = url.trim();
        let invalid = |reason: &str| MailError::InvalidUrl {
            url: mask(url),
            reason: reason.to_string(),
        };
        let expected =
            "use smtp://HOST[:PORT] (STARTTLS; plain for localhost) or smtps://HOST[:PORT] (TLS)";
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(invalid(&format!("no scheme; {expected}")));
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "smtp" && scheme != "smtps" {
            let valid = !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            return Err(invalid(&if valid {
                format!("unknown scheme `{scheme}`; {expected}")
            } else {
                format!("unknown scheme; {expected}")
            }));
        }
        // The last `@` ends the user info, as in the URL parser lettre uses.
        let (userinfo, rest) = match rest.rsplit_once('@') {
            Some((userinfo, rest)) => (Some(userinfo), rest),
            None => (None, rest),
        };
        if let Some(userinfo) = userinfo
            && userinfo.contains(['/', '?', '#'])
        {
            return Err(invalid(
                "the user name or password contains `/`, `?` or `#`: percent-encode them (%2F, %3F, %23)",
            ));
        }
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (rest, query) = rest.split_once('?').map_or((rest, ""), |(r, q)| (r, q));
        let (hostport, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let (host, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
            let Some((inside, after)) = bracketed.split_once(']') else {
                return Err(invalid("an IPv6 address needs its closing `]`"));
            };
            let port = match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| invalid("unexpected text after `]`"))?,
                ),
            };
            (format!("[{inside}]"), port)
        } else {
            match hostport.split_once(':') {
                Some((host, port)) => (host.to_string(), Some(port)),
                None => (hostport.to_string(), None),
            }
        };
        if host.is_empty() || host == "[]" {
            return Err(invalid(&format!("no host name; {expected}")));
        }
        let port = match port {
            None | Some("") => None,
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => Some(port),
                _ => return Err(invalid("the port must be a number from 1 to 65535")),
            },
        };

        let mut tls = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if key != "tls" {
                return Err(invalid(&format!(
                    "unknown parameter `{key}`: the only one understood is tls=none, tls=opportunistic or tls=required"
                )));
            }
            tls = Some(match value {
                "none" => Security::Plain,
                "opportunistic" => Security::Opportunistic,
                "required" => Security::StartTls,
                _ => return Err(invalid("tls= takes none, opportunistic or required")),
            });
        }
        let security = match (scheme.as_str(), tls) {
            ("smtps", None) => Security::Tls,
            ("smtps", Some(_)) => {
                return Err(invalid(
                    "smtps:// always uses TLS: remove ?tls=, or use smtp:// with it",
                ));
            }
            (_, Some(security)) => security,
            (_, None) if is_local(&host) => Security::Plain,
            (_, None) => Security::StartTls,
        };
        let port = port.unwrap_or(match security {
            Security::Plain => 25,
            Security::Opportunistic | Security::StartTls => 587,
            Security::Tls => 465,
        });
        let tls_query = match security {
            Security::Plain | Security::Tls => "",
            Security::Opportunistic => "?tls=opportunistic",
            Security::StartTls => "?tls=required",
        };
        let userinfo_at = userinfo.map(|u| format!("{u}@")).unwrap_or_default();
        Ok(SmtpUrl {
            security,
            for_lettre: format!("{scheme}://{userinfo_at}{host}:{port}{path}{tls_query}"),
            shown: format!(
                "{scheme}://{}{host}:{port}{path}",
                userinfo.map(mask_userinfo).unwrap_or_default()
            ),
            host,
        })
    }
}

/// Whether `host` names this machine, where plain SMTP is the default.
fn is_local(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]"
}

/// `user:****@` for `user:password`; the user name is masked too when it is the password (some
/// relays use one API token as both).
fn mask_userinfo(userinfo: &str) -> String {
    match userinfo.split_once(':') {
        Some((user, password)) if user == password => "****:****@".to_string(),
        Some((user, _)) => format!("{user}:****@"),
        None => format!("{userinfo}@"),
    }
}

/// `url` with any password masked, however malformed it is: everything before the last `@` is
/// treated as user info.
fn mask(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((userinfo, rest)) => format!("{scheme}://{}{rest}", mask_userinfo(userinfo)),
            None => url.to_string(),
        },
        None => match url.rsplit_once('@') {
            Some((_, rest)) => format!("****@{rest}"),
            None => url.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    const SECRET: &str = "hunter2-pw";

    fn parse(url: &str) -> Result<SmtpUrl, MailError> {
        SmtpUrl::parse(url)
    }

    fn error(url: &str) -> String {
        let e = parse(url).expect_err(url);
        assert!(matches!(e, MailError::InvalidUrl { .. }), "{url}: {e:?}");
        let (shown, debug) = (e.to_string(), format!("{e:?}"));
        assert!(
            !shown.contains("hunter2") && !debug.contains("hunter2"),
            "{url} leaks: {shown} / {debug}"
        );
        shown
    }

    #[test]
    fn a_bad_scheme_says_which_schemes_work() {
        let e = error(&format!("http://me:{SECRET}@mail.example.org"));
        assert!(e.contains("unknown scheme `http`"), "{e}");
        assert!(e.contains("smtp://") && e.contains("smtps://"), "{e}");
        assert!(e.contains("me:****@mail.example.org"), "{e}");
        let e = error("mail.example.org:587");
        assert!(e.contains("no scheme"), "{e}");
    }

    #[test]
    fn errors_never_show_the_password() {
        for url in [
            format!("smtp://me:{SECRET}@mail.example.org:notaport"),
            format!("smtp://me:{SECRET}@mail.example.org:70000"),
            format!("smtp://me:{SECRET}@mail.example.org?tls=bogus"),
            format!("smtp://me:{SECRET}@mail.example.org?tlz=none"),
            format!("smtps://me:{SECRET}@mail.example.org?tls=none"),
            format!("smtp://me:{SECRET}@"),
            format!("smtp://me:{SECRET}/x@mail.example.org"),
            format!("smtp://me:{SECRET}?x@mail.example.org"),
            format!("smtp://me:{SECRET}@[::1"),
            format!("me:{SECRET}@mail.example.org"),
            format!("ftp:me:{SECRET}@mail.example.org"),
            format!("smtp://{SECRET}:{SECRET}@mail.example.org:0"),
        ] {
            error(&url);
        }
        assert!(
            error("smtp://mail.example.org?tls=bogus").contains("none, opportunistic or required")
        );
        assert!(error("smtp://u:p/w@mail.example.org").contains("percent-encode"));
        assert!(error("smtps://mail.example.org?tls=required").contains("always uses TLS"));
        assert!(error("smtp://mail.example.org?tlz=none").contains("unknown parameter `tlz`"));
        assert!(error("smtp://:25").contains("no host name"));
    }

    #[test]
    fn tls_by_default_plain_only_on_this_machine_or_when_asked() {
        let cases = [
            (
                "smtp://me:pw@mail.example.org",
                Security::StartTls,
                "smtp://me:****@mail.example.org:587",
            ),
            (
                "smtp://mail.example.org:2587",
                Security::StartTls,
                "smtp://mail.example.org:2587",
            ),
            (
                "SMTPS://mail.example.org",
                Security::Tls,
                "smtps://mail.example.org:465",
            ),
            (
                "smtps://me:pw@mail.example.org:2465",
                Security::Tls,
                "smtps://me:****@mail.example.org:2465",
            ),
            (
                "smtp://localhost:2525",
                Security::Plain,
                "smtp://localhost:2525",
            ),
            ("smtp://127.0.0.1", Security::Plain, "smtp://127.0.0.1:25"),
            ("smtp://[::1]:2525", Security::Plain, "smtp://[::1]:2525"),
            (
                "smtp://relay.internal:25?tls=none",
                Security::Plain,
                "smtp://relay.internal:25",
            ),
            (
                "smtp://relay.internal?tls=opportunistic",
                Security::Opportunistic,
                "smtp://relay.internal:587",
            ),
            (
                "smtp://localhost:2525?tls=required",
                Security::StartTls,
                "smtp://localhost:2525",
            ),
            (
                "smtp://api:api@mail.example.org/muster.example.org",
                Security::StartTls,
                "smtp://****:****@mail.example.org:587/muster.example.org",
            ),
        ];
        for (url, security, shown) in cases {
            let parsed = parse(url).expect(url);
            assert_eq!(
                (parsed.security, parsed.shown.as_str()),
                (security, shown),
                "{url}"
            );
        }
        assert_eq!(
            parse("smtp://me:p%40ss@mail.example.org")
                .unwrap()
                .for_lettre,
            "smtp://me:p%40ss@mail.example.org:587?tls=required"
        );
        assert_eq!(
            parse("smtp://127.0.0.1:2525?tls=none").unwrap().for_lettre,
            "smtp://127.0.0.1:2525"
        );
    }

    #[tokio::test]
    async fn describe_masks_the_password() {
        let mailer = Mailer::new(
            Some(&format!("smtp://me:{SECRET}@mail.example.org")),
            PathBuf::from("unused"),
            "muster <noreply@example.org>",
        )
        .unwrap();
        assert_eq!(
            mailer.describe(),
            "SMTP relay smtp://me:****@mail.example.org:587 (STARTTLS)"
        );
        assert!(!format!("{mailer:?}").contains("hunter2"));
        let mailer = Mailer::new(
            Some("smtp://127.0.0.1:2525"),
            PathBuf::from("unused"),
            "noreply@example.org",
        )
        .unwrap();
        assert_eq!(
            mailer.describe(),
            "SMTP relay smtp://127.0.0.1:2525 (no TLS)"
        );
        let mailer =
            Mailer::new(None, PathBuf::from("data/outbox"), "noreply@example.org").unwrap();
        assert_eq!(mailer.describe(), "outbox folder data/outbox");
    }

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

    #[test]
    fn long_ascii_lines_stay_whole_and_others_are_encoded() {
        let line = "x".repeat(200);
        let body = text_body(&format!("a\n{line}\n"), false);
        assert_eq!(body.encoding(), ContentTransferEncoding::SevenBit);
        assert_eq!(body.into_vec(), format!("a\r\n{line}\r\n").into_bytes());
        assert_eq!(
            text_body("Hello Zoë, welcome", false).encoding(),
            ContentTransferEncoding::QuotedPrintable
        );
        assert_eq!(
            text_body("Zoë", true).encoding(),
            ContentTransferEncoding::EightBit
        );
        assert_ne!(
            text_body(&"y".repeat(1200), false).encoding(),
            ContentTransferEncoding::SevenBit
        );
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
