//! Building one message: a plain-text UTF-8 email to one person, or ([`Rich`]) the same with an
//! HTML alternative and the headers automatic mail should carry (`Auto-Submitted`, and for
//! reminders `Precedence: bulk`, `List-Id` and RFC 8058 one-click `List-Unsubscribe`).
//!
//! Bodies are plain UTF-8 text, kept readable on the wire where possible: ASCII text with lines
//! shorter than the 998-octet limit goes as `7bit`, untouched, so a long sign-in URL stays on one
//! line for anyone (or any test) reading the raw message. lettre's own choice would switch to
//! quoted-printable at 76 characters and break such a URL with soft line breaks. Non-ASCII text
//! goes as `8bit` to the outbox and with lettre's choice (quoted-printable or base64) to a relay,
//! which works with every relay, 8BITMIME or not; mail clients decode both.

use lettre::message::header::{
    self, ContentTransferEncoding, ContentType, HeaderName, HeaderValue,
};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::{MailError, Mailer, random_hex};

/// One plain-text message to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to_address: String,
    /// The display name in the `To:` header; may be empty.
    pub to_name: String,
    pub subject: String,
    pub text: String,
}

/// A message muster writes by itself: plain text with an HTML alternative (no remote images,
/// nothing that tracks), marked `Auto-Submitted: auto-generated` so that auto-responders stay
/// quiet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rich {
    pub email: Email,
    pub html: String,
    /// For reminders: the list they belong to, and how to leave it.
    pub list: Option<List>,
}

/// A kind of reminder in a cohort, as a mailing list: `List-Id`, and one-click unsubscribe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// `List-Id`'s identifier, e.g. `released.cohort-3.muster.example.org`.
    pub id: String,
    /// Its readable name, e.g. `Day released, Cohort A`.
    pub name: String,
    /// The URL a POST to unsubscribes (RFC 8058), with no session.
    pub unsubscribe: String,
}

impl Mailer {
    /// The message for `email` from this mailer's sender; `outbox` allows an `8bit` body.
    pub(super) fn message(&self, email: &Email, outbox: bool) -> Result<Message, MailError> {
        self.build(email, None, outbox)
    }

    /// The multipart message for `rich`, with its automatic-mail headers.
    pub(super) fn rich_message(&self, rich: &Rich, outbox: bool) -> Result<Message, MailError> {
        self.build(&rich.email, Some(rich), outbox)
    }

    fn build(
        &self,
        email: &Email,
        rich: Option<&Rich>,
        outbox: bool,
    ) -> Result<Message, MailError> {
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
        let builder = Message::builder()
            .message_id(Some(format!("<{random}@{}>", from.email.domain())))
            .from(from.clone())
            .to(to)
            .subject(email.subject.as_str())
            .header(header::MIME_VERSION_1_0);
        let built = match rich {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(text_body(&email.text, outbox)),
            Some(rich) => {
                let mut builder = builder.raw_header(raw("Auto-Submitted", "auto-generated"));
                if let Some(list) = &rich.list {
                    builder = builder
                        .raw_header(raw("Precedence", "bulk"))
                        .raw_header(raw(
                            "List-Id",
                            &format!("\"{}\" <{}>", list.name.replace('"', "'"), list.id),
                        ))
                        .raw_header(raw("List-Unsubscribe", &format!("<{}>", list.unsubscribe)))
                        .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
                }
                builder.multipart(
                    MultiPart::alternative()
                        .singlepart(
                            SinglePart::builder()
                                .header(ContentType::TEXT_PLAIN)
                                .body(text_body(&email.text, outbox)),
                        )
                        .singlepart(SinglePart::html(rich.html.clone())),
                )
            }
        };
        built.map_err(|e| MailError::Build(e.to_string()))
    }
}

/// A header lettre has no type for.
fn raw(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
