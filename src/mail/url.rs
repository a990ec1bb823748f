//! SMTP URLs: `smtp://` and `smtps://` with a user, a password, a port and a `tls=` setting,
//! checked and resolved to explicit settings, the password masked wherever a person may see it.

use super::MailError;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Security {
    Plain,
    Opportunistic,
    StartTls,
    Tls,
}

impl Security {
    pub(super) fn describe(self) -> &'static str {
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
pub(super) struct SmtpUrl {
    pub(super) security: Security,
    pub(super) host: String,
    /// The URL to hand lettre, with the explicit port and `tls` setting. Contains the password.
    pub(super) for_lettre: String,
    /// `scheme://user:****@host:port[/ehlo-name]`, for people.
    pub(super) shown: String,
}

impl SmtpUrl {
    pub(super) fn parse(url: &str) -> Result<SmtpUrl, MailError> {
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
pub(crate) fn is_local(host: &str) -> bool {
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
    use std::path::PathBuf;

    use super::*;
    use crate::mail::Mailer;

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
}
