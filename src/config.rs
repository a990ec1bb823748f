//! Configuration, in layers: built-in defaults, then `muster.toml`, then the environment
//! (`MUSTER_*`, `DATABASE_URL`, `REDIS_URL`), then command-line flags. Each value remembers the
//! layer it came from, so a bad value is reported with its key and its origin, and `muster config`
//! can show where everything came from.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: Setting<SocketAddr>,
    pub database_url: Setting<String>,
    pub redis_url: Option<Setting<String>>,
    /// The prefix of every Redis key and pub/sub channel, so deployments can share one Redis.
    pub redis_prefix: Setting<String>,
    pub data_dir: Setting<PathBuf>,
    pub packs_dir: Setting<PathBuf>,
    /// The address people reach muster at, for links in emails; `http://LISTEN` by default.
    pub base_url: Setting<String>,
    /// The SMTP relay; without one, mail is written to `DATA_DIR/outbox/`.
    pub smtp_url: Option<Setting<String>>,
    pub mail_from: Setting<String>,
    /// Extra safeguarding patterns a force adds (label, regular expression), from `muster.toml`.
    pub safeguarding_patterns: Vec<(String, String)>,
    /// The proxies in front of muster whose `X-Forwarded-For` names the client; none by default.
    pub trusted_proxies: Setting<Vec<IpAddr>>,
    /// Where Prometheus scrapes `/metrics`, apart from the site; none by default (no metrics served).
    pub metrics_listen: Option<Setting<SocketAddr>>,
    /// How `muster serve` writes its log to stderr.
    pub log_format: Setting<LogFormat>,
}

/// The log's format: plain text for people (the default), or one JSON object per line for a log
/// collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        })
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

/// The layer a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Env(&'static str),
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::Flag(flag) => write!(f, "command-line flag {flag}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("`{key}` = {value:?} (from {origin}) is not valid: {reason}")]
    Invalid {
        key: &'static str,
        value: String,
        origin: Origin,
        reason: String,
    },
    #[error("cannot read the configuration file {0}: {1}")]
    Unreadable(PathBuf, String),
    #[error("the configuration file {0} is not valid: {1}")]
    Malformed(PathBuf, String),
}

/// Flags that override everything else; `None` when not given.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub listen: Option<String>,
    pub database_url: Option<String>,
}

/// The keys `muster.toml` may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLayer {
    listen: Option<String>,
    database_url: Option<String>,
    redis_url: Option<String>,
    redis_prefix: Option<String>,
    data_dir: Option<PathBuf>,
    packs_dir: Option<PathBuf>,
    base_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    trusted_proxies: Option<Vec<String>>,
    metrics_listen: Option<String>,
    log_format: Option<String>,
    #[serde(default)]
    safeguarding: SafeguardingLayer,
}

/// `[safeguarding]` in `muster.toml`: patterns a force adds to the checker, e.g.
/// `patterns = [{ label = "a Niche occurrence number", regex = "\\bOCC\\d{8}\\b" }]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SafeguardingLayer {
    #[serde(default)]
    patterns: Vec<PatternLayer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternLayer {
    label: String,
    regex: String,
}

/// The default configuration file, read when present.
pub const DEFAULT_FILE: &str = "muster.toml";

impl Config {
    /// Loads the configuration from the real environment.
    pub fn load(overrides: &Overrides) -> Result<Config, ConfigError> {
        Self::load_from(overrides, |name| {
            std::env::var(name).ok().filter(|v| !v.is_empty())
        })
    }

    /// Loads the configuration with `env` standing for the environment (so tests need not touch it).
    pub fn load_from(
        overrides: &Overrides,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let (file, file_path) = read_file(overrides, &env)?;
        let from_file = |v: Option<String>| v.map(|v| (v, Origin::File(file_path.clone())));
        let from_env = |var: &'static str| env(var).map(|v| (v, Origin::Env(var)));
        let pick = |flag: Option<(String, Origin)>,
                    env: Option<(String, Origin)>,
                    file: Option<(String, Origin)>| { flag.or(env).or(file) };

        let listen = pick(
            overrides
                .listen
                .clone()
                .map(|v| (v, Origin::Flag("--listen"))),
            from_env("MUSTER_LISTEN"),
            from_file(file.listen),
        )
        .unwrap_or(("127.0.0.1:8080".into(), Origin::Default));
        let listen = Setting {
            value: listen.0.parse().map_err(|e: std::net::AddrParseError| {
                ConfigError::Invalid {
                    key: "listen",
                    value: listen.0.clone(),
                    origin: listen.1.clone(),
                    reason: format!("{e}; write an address and port such as 127.0.0.1:8080"),
                }
            })?,
            origin: listen.1,
        };

        let path_setting = |env_var: &'static str, file_value: Option<PathBuf>, default: &str| {
            match env(env_var) {
                Some(v) => Setting {
                    value: PathBuf::from(v),
                    origin: Origin::Env(env_var),
                },
                None => match file_value {
                    Some(v) => Setting {
                        value: v,
                        origin: Origin::File(file_path.clone()),
                    },
                    None => Setting {
                        value: PathBuf::from(default),
                        origin: Origin::Default,
                    },
                },
            }
        };
        let data_dir = path_setting("MUSTER_DATA_DIR", file.data_dir, "data");
        let packs_dir = path_setting("MUSTER_PACKS_DIR", file.packs_dir, "challenges");

        let database_url = pick(
            overrides
                .database_url
                .clone()
                .map(|v| (v, Origin::Flag("--database-url"))),
            from_env("DATABASE_URL"),
            from_file(file.database_url),
        )
        .map(|(value, origin)| Setting { value, origin })
        .unwrap_or_else(|| Setting {
            value: format!("sqlite://{}", data_dir.value.join("muster.db").display()),
            origin: Origin::Default,
        });
        let scheme_ok = ["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|s| database_url.value.starts_with(s));
        if !scheme_ok {
            return Err(ConfigError::Invalid {
                key: "database_url",
                value: mask_url(&database_url.value),
                origin: database_url.origin,
                reason: "use sqlite://PATH or postgres://USER@HOST/DATABASE".into(),
            });
        }

        let redis_url = pick(None, from_env("REDIS_URL"), from_file(file.redis_url))
            .map(|(value, origin)| Setting { value, origin });
        if let Some(redis) = &redis_url
            && !(redis.value.starts_with("redis://") || redis.value.starts_with("rediss://"))
        {
            return Err(ConfigError::Invalid {
                key: "redis_url",
                value: mask_url(&redis.value),
                origin: redis.origin.clone(),
                reason: "use redis://HOST:PORT".into(),
            });
        }
        let redis_prefix = pick(
            None,
            from_env("MUSTER_REDIS_PREFIX"),
            from_file(file.redis_prefix),
        )
        .map(|(value, origin)| Setting { value, origin })
        .unwrap_or_else(|| Setting {
            value: "muster".into(),
            origin: Origin::Default,
        });
        let prefix_ok = !redis_prefix.value.is_empty()
            && redis_prefix.value.len() <= 64
            && redis_prefix
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c));
        if !prefix_ok {
            return Err(ConfigError::Invalid {
                key: "redis_prefix",
                value: redis_prefix.value.clone(),
                origin: redis_prefix.origin,
                reason: "use 1 to 64 letters, digits and - _ : . (such as muster-west-midlands)"
                    .into(),
            });
        }
        let base_url = pick(None, from_env("MUSTER_BASE_URL"), from_file(file.base_url))
            .map(|(value, origin)| Setting { value, origin })
            .unwrap_or_else(|| Setting {
                value: format!("http://{}", listen.value),
                origin: Origin::Default,
            });
        if !(base_url.value.starts_with("http://") || base_url.value.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                key: "base_url",
                value: base_url.value.clone(),
                origin: base_url.origin,
                reason: "use the address people open, such as https://muster.example.org".into(),
            });
        }
        let smtp_url = pick(None, from_env("MUSTER_SMTP_URL"), from_file(file.smtp_url))
            .map(|(value, origin)| Setting { value, origin });
        let mail_from = pick(
            None,
            from_env("MUSTER_MAIL_FROM"),
            from_file(file.mail_from),
        )
        .map(|(value, origin)| Setting { value, origin })
        .unwrap_or_else(|| Setting {
            value: "muster <muster@localhost>".into(),
            origin: Origin::Default,
        });
        let trusted_proxies = pick(
            None,
            from_env("MUSTER_TRUSTED_PROXIES"),
            from_file(file.trusted_proxies.map(|list| list.join(","))),
        )
        .unwrap_or((String::new(), Origin::Default));
        let trusted_proxies = Setting {
            value: trusted_proxies
                .0
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse().map_err(|_| ConfigError::Invalid {
                        key: "trusted_proxies",
                        value: trusted_proxies.0.clone(),
                        origin: trusted_proxies.1.clone(),
                        reason: format!(
                            "`{p}` is not an IP address; list the proxies' addresses, such as 127.0.0.1,::1"
                        ),
                    })
                })
                .collect::<Result<_, _>>()?,
            origin: trusted_proxies.1,
        };
        let metrics_listen = pick(
            None,
            from_env("MUSTER_METRICS_LISTEN"),
            from_file(file.metrics_listen),
        )
        .map(|(value, origin)| {
            Ok(Setting {
                value: value.parse::<SocketAddr>().map_err(|e| {
                    ConfigError::Invalid {
                        key: "metrics_listen",
                        value: value.clone(),
                        origin: origin.clone(),
                        reason: format!(
                            "{e}; write an address and port such as 127.0.0.1:9090, apart from listen"
                        ),
                    }
                })?,
                origin,
            })
        })
        .transpose()?;
        if let Some(metrics) = &metrics_listen
            && metrics.value == listen.value
            && listen.value.port() != 0
        {
            return Err(ConfigError::Invalid {
                key: "metrics_listen",
                value: metrics.value.to_string(),
                origin: metrics.origin.clone(),
                reason: "it is the site's own address (listen); give Prometheus a port of its own"
                    .into(),
            });
        }
        let log_format = pick(
            None,
            from_env("MUSTER_LOG_FORMAT"),
            from_file(file.log_format),
        )
        .unwrap_or(("text".into(), Origin::Default));
        let log_format = Setting {
            value: match log_format.0.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(ConfigError::Invalid {
                        key: "log_format",
                        value: log_format.0.clone(),
                        origin: log_format.1,
                        reason: "use text or json".into(),
                    });
                }
            },
            origin: log_format.1,
        };
        let safeguarding_patterns = file
            .safeguarding
            .patterns
            .into_iter()
            .map(|p| (p.label, p.regex))
            .collect();
        Ok(Config {
            listen,
            database_url,
            redis_url,
            redis_prefix,
            data_dir,
            packs_dir,
            base_url,
            smtp_url,
            mail_from,
            safeguarding_patterns,
            trusted_proxies,
            metrics_listen,
            log_format,
        })
    }

    /// The effective configuration for people to read, secrets masked, one `key = value  # origin`
    /// line per setting.
    pub fn describe(&self) -> String {
        let line = |key: &str, value: String, origin: &Origin| {
            format!("{key:<13} = {value:<40} # {origin}\n")
        };
        let mut out = String::new();
        out += &line("listen", self.listen.value.to_string(), &self.listen.origin);
        out += &line(
            "database_url",
            mask_url(&self.database_url.value),
            &self.database_url.origin,
        );
        out += &match &self.redis_url {
            Some(r) => line("redis_url", mask_url(&r.value), &r.origin),
            None => line(
                "redis_url",
                "(none: leaderboards in process)".into(),
                &Origin::Default,
            ),
        };
        out += &line(
            "redis_prefix",
            self.redis_prefix.value.clone(),
            &self.redis_prefix.origin,
        );
        out += &line(
            "data_dir",
            self.data_dir.value.display().to_string(),
            &self.data_dir.origin,
        );
        out += &line(
            "packs_dir",
            self.packs_dir.value.display().to_string(),
            &self.packs_dir.origin,
        );
        out += &line(
            "base_url",
            self.base_url.value.clone(),
            &self.base_url.origin,
        );
        out += &match &self.smtp_url {
            Some(s) => line("smtp_url", mask_url(&s.value), &s.origin),
            None => line(
                "smtp_url",
                format!(
                    "(none: mail written to {})",
                    self.data_dir.value.join("outbox").display()
                ),
                &Origin::Default,
            ),
        };
        out += &line(
            "mail_from",
            self.mail_from.value.clone(),
            &self.mail_from.origin,
        );
        out += &line(
            "trusted_proxies",
            match self.trusted_proxies.value.as_slice() {
                [] => "(none: the client is the connection's peer)".into(),
                proxies => proxies
                    .iter()
                    .map(IpAddr::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            },
            &self.trusted_proxies.origin,
        );
        out += &match &self.metrics_listen {
            Some(m) => line("metrics_listen", m.value.to_string(), &m.origin),
            None => line(
                "metrics_listen",
                "(none: no /metrics)".into(),
                &Origin::Default,
            ),
        };
        out += &line(
            "log_format",
            self.log_format.value.to_string(),
            &self.log_format.origin,
        );
        out += &format!(
            "{:<13} = {} extra pattern(s)\n",
            "safeguarding",
            self.safeguarding_patterns.len()
        );
        out
    }
}

fn read_file(
    overrides: &Overrides,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<(FileLayer, PathBuf), ConfigError> {
    let (path, required) = match overrides
        .config_file
        .clone()
        .or_else(|| env("MUSTER_CONFIG").map(PathBuf::from))
    {
        Some(path) => (path, true),
        None => (PathBuf::from(DEFAULT_FILE), false),
    };
    if !required && !Path::new(&path).exists() {
        return Ok((FileLayer::default(), path));
    }
    let text = crate::pack::read_text(&path)
        .map_err(|d| ConfigError::Unreadable(path.clone(), d.message.clone()))?;
    let layer =
        toml::from_str(&text).map_err(|e| ConfigError::Malformed(path.clone(), e.to_string()))?;
    Ok((layer, path))
}

/// Hides the password in a URL: `postgres://muster:****@db/muster`.
pub fn mask_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:****@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)], overrides: Overrides) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load_from(&overrides, |name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_use_embedded_sqlite_under_data() {
        let config = load(&[], Overrides::default()).unwrap();
        assert_eq!(config.listen.value.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url.value, "sqlite://data/muster.db");
        assert_eq!(config.database_url.origin, Origin::Default);
        assert!(config.redis_url.is_none());
    }

    #[test]
    fn file_then_environment_then_flags() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("muster.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\ndata_dir = \"/var/lib/muster\"\nredis_url = \"redis://r:6379\"\n").unwrap();
        let overrides = Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        };
        let config = load(
            &[("DATABASE_URL", "postgres://m:secret@db/muster")],
            overrides.clone(),
        )
        .unwrap();
        assert_eq!(config.listen.value.to_string(), "0.0.0.0:9000");
        assert_eq!(config.listen.origin, Origin::File(file.clone()));
        assert_eq!(config.database_url.origin, Origin::Env("DATABASE_URL"));
        assert_eq!(config.redis_url.unwrap().value, "redis://r:6379");
        let flagged = Overrides {
            listen: Some("127.0.0.1:1".into()),
            ..overrides
        };
        let config = load(&[("MUSTER_LISTEN", "127.0.0.1:2")], flagged).unwrap();
        assert_eq!(config.listen.value.to_string(), "127.0.0.1:1");
        assert_eq!(config.listen.origin, Origin::Flag("--listen"));
        assert_eq!(
            config.database_url.value,
            "sqlite:///var/lib/muster/muster.db"
        );
    }

    #[test]
    fn a_bad_value_names_its_key_and_origin() {
        let err = load(&[("MUSTER_LISTEN", "localhost")], Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "`listen` = \"localhost\" (from environment variable MUSTER_LISTEN) is not valid"
            ),
            "{err}"
        );
        let err = load(
            &[("DATABASE_URL", "mysql://u:pw@h/d")],
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("database_url") && err.contains("u:****@h/d") && !err.contains("pw"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_in_the_file_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("muster.toml");
        std::fs::write(&file, "listn = \"0.0.0.0:9000\"\n").unwrap();
        let err = load(
            &[],
            Overrides {
                config_file: Some(file),
                ..Overrides::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `listn`"), "{err}");
    }

    #[test]
    fn secrets_are_masked_when_described() {
        let config = load(
            &[("DATABASE_URL", "postgres://muster:hunter2@db:5432/muster")],
            Overrides::default(),
        )
        .unwrap();
        let text = config.describe();
        assert!(
            text.contains("postgres://muster:****@db:5432/muster"),
            "{text}"
        );
        assert!(!text.contains("hunter2"));
    }

    #[test]
    fn trusted_proxies_are_none_by_default_and_checked() {
        assert!(
            load(&[], Overrides::default())
                .unwrap()
                .trusted_proxies
                .value
                .is_empty()
        );
        let config = load(
            &[("MUSTER_TRUSTED_PROXIES", "127.0.0.1, ::1")],
            Overrides::default(),
        )
        .unwrap();
        let expected: Vec<IpAddr> = vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
        assert_eq!(config.trusted_proxies.value, expected);
        assert!(config.describe().contains("127.0.0.1,::1"));
        let err = load(
            &[("MUSTER_TRUSTED_PROXIES", "127.0.0.1,proxy")],
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("`trusted_proxies` = \"127.0.0.1,proxy\" (from environment variable MUSTER_TRUSTED_PROXIES)")
                && err.contains("`proxy` is not an IP address"),
            "{err}"
        );
    }

    #[test]
    fn metrics_listen_and_log_format_are_checked_with_their_origin() {
        let config = load(&[], Overrides::default()).unwrap();
        assert!(config.metrics_listen.is_none());
        assert_eq!(config.log_format.value, LogFormat::Text);
        let config = load(
            &[
                ("MUSTER_METRICS_LISTEN", "127.0.0.1:9090"),
                ("MUSTER_LOG_FORMAT", "json"),
            ],
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(
            config.metrics_listen.unwrap().value.to_string(),
            "127.0.0.1:9090"
        );
        assert_eq!(config.log_format.value, LogFormat::Json);
        let err = load(&[("MUSTER_LOG_FORMAT", "yaml")], Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "`log_format` = \"yaml\" (from environment variable MUSTER_LOG_FORMAT) is not valid: use text or json"
            ),
            "{err}"
        );
        let err = load(&[("MUSTER_METRICS_LISTEN", "9090")], Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "`metrics_listen` = \"9090\" (from environment variable MUSTER_METRICS_LISTEN) is not valid"
            ),
            "{err}"
        );
        let err = load(
            &[("MUSTER_METRICS_LISTEN", "127.0.0.1:8080")],
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("the site's own address"), "{err}");
    }

    #[test]
    fn the_redis_prefix_defaults_to_muster_and_is_checked() {
        let config = load(&[], Overrides::default()).unwrap();
        assert_eq!(config.redis_prefix.value, "muster");
        let config = load(
            &[("MUSTER_REDIS_PREFIX", "muster-wmp")],
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(config.redis_prefix.value, "muster-wmp");
        let err = load(&[("MUSTER_REDIS_PREFIX", "a b")], Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "`redis_prefix` = \"a b\" (from environment variable MUSTER_REDIS_PREFIX)"
            ),
            "{err}"
        );
    }
}
