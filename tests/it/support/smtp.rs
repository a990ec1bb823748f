//! A real SMTP server for tests: aiosmtpd (Debian's `python3-aiosmtpd`, run with
//! `/usr/bin/python3`) on a free port of 127.0.0.1, saving every message it receives into a
//! Maildir in a temporary folder, where [`SmtpServer::wait_for_message`] reads it back.
//!
//! Without aiosmtpd the test prints `skipped: ...` and returns early, unless
//! `MUSTER_REQUIRE_SERVICES=1`, when a missing server is a failure (as for PostgreSQL).

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PYTHON: &str = "/usr/bin/python3";
const START_TIMEOUT: Duration = Duration::from_secs(10);
const MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A running aiosmtpd, killed when dropped.
pub struct SmtpServer {
    pub port: u16,
    child: tokio::process::Child,
    /// Holds `maildir/` (aiosmtpd's Maildir) and `aiosmtpd.log` (its output).
    dir: tempfile::TempDir,
    /// Messages already returned by `wait_for_message`.
    seen: Mutex<HashSet<PathBuf>>,
}

impl SmtpServer {
    /// Starts `python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox MAILDIR` on a
    /// free port and waits (up to 10 s) for its `220` greeting, or returns `None` after printing
    /// `skipped: {test}: no SMTP server (install python3-aiosmtpd)`; panics instead when
    /// `MUSTER_REQUIRE_SERVICES=1`.
    pub async fn start(test: &str) -> Option<SmtpServer> {
        Self::start_with(test, Relay::default()).await
    }

    /// [`SmtpServer::start`] with a relay that behaves as `relay` says.
    pub async fn start_with(test: &str, relay: Relay) -> Option<SmtpServer> {
        let deadline = Instant::now() + START_TIMEOUT;
        // A few tries, in case another process takes the free port between our look and its bind.
        let mut why = String::new();
        for _ in 0..3 {
            match Self::try_start(deadline, &relay).await {
                Ok(server) => return Some(server),
                Err(e) => why = e,
            }
            if Instant::now() >= deadline || why.contains("No module named aiosmtpd") {
                break;
            }
        }
        if std::env::var("MUSTER_REQUIRE_SERVICES").as_deref() == Ok("1") {
            panic!(
                "{test}: no SMTP server and MUSTER_REQUIRE_SERVICES=1 (install python3-aiosmtpd): {why}"
            );
        }
        eprintln!("skipped: {test}: no SMTP server (install python3-aiosmtpd)");
        eprintln!("  ({why})");
        None
    }

    async fn try_start(deadline: Instant, relay: &Relay) -> Result<SmtpServer, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temp dir: {e}"))?;
        let port = match relay.port {
            Some(port) => port,
            None => free_port()?,
        };
        std::fs::write(
            dir.path().join("muster_relay.py"),
            HANDLER
                .replace("DELAY", &format!("{}", relay.delay.as_secs_f64()))
                .replace("REFUSE", &python_str(relay.refuse_prefix.as_deref()))
                .replace("DEFER", &python_str(relay.defer_prefix.as_deref())),
        )
        .map_err(|e| format!("cannot write the handler: {e}"))?;
        let log_path = dir.path().join("aiosmtpd.log");
        let log =
            std::fs::File::create(&log_path).map_err(|e| format!("cannot create a log: {e}"))?;
        let log2 = log
            .try_clone()
            .map_err(|e| format!("cannot share the log: {e}"))?;
        let mut child = tokio::process::Command::new(PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "muster_relay.Relay"])
            .arg(dir.path().join("maildir"))
            .env("PYTHONPATH", dir.path())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot run {PYTHON}: {e}"))?;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                return Err(format!("aiosmtpd exited ({status}): {}", log.trim()));
            }
            if greets(port).await {
                return Ok(SmtpServer {
                    port,
                    child,
                    dir,
                    seen: Mutex::new(HashSet::new()),
                });
            }
            if Instant::now() >= deadline {
                let _ = child.start_kill();
                return Err(format!(
                    "aiosmtpd did not answer on port {port} within {} s",
                    START_TIMEOUT.as_secs()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many messages arrived, to anyone.
    pub fn count(&self) -> usize {
        self.all().len()
    }

    /// Every message received so far, decoded as [`SmtpServer::wait_for_message`] returns them,
    /// oldest first.
    pub fn all(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter_map(|path| std::fs::read(path).ok())
            .map(|raw| decode_message(&raw))
            .collect()
    }

    /// The Maildir's messages, oldest first.
    fn files(&self) -> Vec<PathBuf> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&new)
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let entry = entry.ok()?;
                Some((entry.metadata().ok()?.modified().ok()?, entry.path()))
            })
            .collect();
        files.sort();
        files.into_iter().map(|(_, path)| path).collect()
    }

    /// The URL to give `Mailer::new`: plain SMTP, the default for 127.0.0.1.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Waits (up to 10 s) for the next message to `to` (by envelope recipient or `To:` header)
    /// that this method has not returned yet, oldest first, and returns it as text: the headers,
    /// unfolded and with encoded words (`=?utf-8?...?=`) decoded, a blank line, then the body
    /// decoded from quoted-printable or base64 if it was sent so. Line endings are `\n`. Panics
    /// when nothing comes.
    pub async fn wait_for_message(&self, to: &str) -> String {
        self.wait_for_message_about(to, "").await
    }

    /// [`SmtpServer::wait_for_message`] for the next message to `to` whose subject contains
    /// `subject`, passing over others (they stay unreturned).
    pub async fn wait_for_message_about(&self, to: &str, subject: &str) -> String {
        let new = self.dir.path().join("maildir").join("new");
        let deadline = Instant::now() + MESSAGE_TIMEOUT;
        loop {
            for path in self.files() {
                if self.seen.lock().unwrap().contains(&path) {
                    continue;
                }
                let Ok(raw) = std::fs::read(&path) else {
                    continue;
                };
                let message = decode_message(&raw);
                if addressed_to(&message, to)
                    && header(&message, "Subject").is_some_and(|s| s.contains(subject))
                {
                    self.seen.lock().unwrap().insert(path);
                    return message;
                }
            }
            if Instant::now() >= deadline {
                panic!(
                    "no message to {to} reached the SMTP server within {} s (maildir {}: {})",
                    MESSAGE_TIMEOUT.as_secs(),
                    new.display(),
                    self.received().join("; ")
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The recipients of every message received so far, for failure messages.
    fn received(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        let messages: Vec<String> = std::fs::read_dir(&new)
            .into_iter()
            .flatten()
            .filter_map(|entry| std::fs::read(entry.ok()?.path()).ok())
            .map(|raw| header(&decode_message(&raw), "X-RcptTo").unwrap_or_default())
            .collect();
        if messages.is_empty() {
            let log = std::fs::read_to_string(self.dir.path().join("aiosmtpd.log"));
            vec![format!(
                "none received; aiosmtpd log: {}",
                log.unwrap_or_default().trim()
            )]
        } else {
            messages
                .into_iter()
                .map(|to| format!("one to {to}"))
                .collect()
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// How the test relay behaves.
#[derive(Debug, Clone, Default)]
pub struct Relay {
    /// Listen on this port (default: a free one).
    pub port: Option<u16>,
    /// Wait this long before answering each message's data.
    pub delay: Duration,
    /// Refuse for good (550) recipients whose address starts with this.
    pub refuse_prefix: Option<String>,
    /// Refuse for now (450), every time, recipients whose address starts with this.
    pub defer_prefix: Option<String>,
}

/// `text` as a Python string literal, or `None`.
fn python_str(text: Option<&str>) -> String {
    text.map_or("None".into(), |t| format!("{t:?}"))
}

/// A free port on 127.0.0.1 (free when looked at).
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// aiosmtpd's Maildir handler, slowed down and refusing some recipients as [`Relay`] says.
const HANDLER: &str = r#"
import asyncio
from aiosmtpd.handlers import Mailbox

class Relay(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refuse = REFUSE
        if refuse and address.startswith(refuse):
            return "550 5.1.1 <%s>: no such mailbox" % address
        defer = DEFER
        if defer and address.startswith(defer):
            return "450 4.2.1 <%s>: mailbox busy, try later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if DELAY > 0:
            await asyncio.sleep(DELAY)
        return await super().handle_DATA(server, session, envelope)
"#;

/// Whether something on `port` answers with an SMTP greeting.
async fn greets(port: u16) -> bool {
    let attempt = async {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()?;
        let mut buf = [0u8; 512];
        let mut got = Vec::new();
        while !got.contains(&b'\n') {
            stream.readable().await.ok()?;
            match stream.try_read(&mut buf) {
                Ok(0) => return None,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(_) => return None,
            }
        }
        Some(got.starts_with(b"220"))
    };
    tokio::time::timeout(Duration::from_secs(1), attempt)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

/// Whether `message` (as from [`decode_message`]) went to `to`.
fn addressed_to(message: &str, to: &str) -> bool {
    let to = to.to_ascii_lowercase();
    let envelope = header(message, "X-RcptTo").unwrap_or_default();
    envelope
        .split(',')
        .any(|r| r.trim().eq_ignore_ascii_case(&to))
        || header(message, "To").is_some_and(|h| h.to_ascii_lowercase().contains(&to))
}

/// The first header called `name` in a decoded message.
pub fn header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\n\n").next().unwrap_or_default();
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// A raw message as text: unfolded, decoded headers, a blank line, the decoded body.
pub fn decode_message(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut headers: Vec<String> = Vec::new();
    for line in head.lines() {
        match headers.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => last.push_str(line),
            _ => headers.push(line.to_string()),
        }
    }
    let headers: Vec<String> = headers.iter().map(|h| decode_words(h)).collect();
    let encoding = headers
        .iter()
        .find_map(|h| {
            let (key, value) = h.split_once(':')?;
            key.eq_ignore_ascii_case("Content-Transfer-Encoding")
                .then(|| value.trim().to_ascii_lowercase())
        })
        .unwrap_or_default();
    let body = match encoding.as_str() {
        "quoted-printable" => String::from_utf8_lossy(&decode_quoted_printable(body)).into_owned(),
        "base64" => String::from_utf8_lossy(&decode_base64(body)).into_owned(),
        _ => body.to_string(),
    };
    format!("{}\n\n{}", headers.join("\n"), body.replace("\r\n", "\n"))
}

/// RFC 2047 encoded words (`=?utf-8?B?...?=`, `=?utf-8?Q?...?=`) decoded; whitespace between two
/// encoded words dropped, as the RFC says.
fn decode_words(header: &str) -> String {
    let mut out = String::new();
    let mut rest = header;
    let mut pending_space = String::new();
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some((decoded, len)) = encoded_word(rest) {
            if !after_word {
                out.push_str(&pending_space);
            }
            pending_space.clear();
            out.push_str(&decoded);
            rest = &rest[len..];
            after_word = true;
        } else {
            let c = rest.chars().next().unwrap();
            if c == ' ' || c == '\t' {
                pending_space.push(c);
            } else {
                out.push_str(&pending_space);
                pending_space.clear();
                out.push(c);
                after_word = false;
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out + &pending_space
}

/// The decoded text and length of the encoded word at the start of `s`, if there is one.
fn encoded_word(s: &str) -> Option<(String, usize)> {
    let inner = s.strip_prefix("=?")?;
    let (charset, inner) = inner.split_once('?')?;
    let (kind, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let text = &inner[..end];
    if text.contains([' ', '\t']) {
        return None;
    }
    let charset = charset.to_ascii_lowercase();
    if !["utf-8", "us-ascii", "iso-8859-1"].contains(&charset.as_str()) {
        return None;
    }
    let bytes = match kind {
        "B" | "b" => decode_base64(text),
        "Q" | "q" => decode_quoted_printable(&text.replace('_', " ")),
        _ => return None,
    };
    let decoded = if charset == "iso-8859-1" {
        bytes.iter().map(|&b| b as char).collect()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Some((decoded, 2 + charset.len() + 1 + kind.len() + 1 + end + 2))
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let next = &bytes[i + 1..];
            if next.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if next.starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = next
                .get(..2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn decode_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
