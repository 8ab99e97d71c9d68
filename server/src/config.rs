//! Configuration from the environment, passed through application state.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use rand::RngExt;

use crate::domain::appraisal::SatisfactionFormula;
use crate::domain::burst::BurstRate;
use crate::domain::client_addr::TrustedProxies;
use crate::domain::due::{DuePolicy, parse_due};
use crate::domain::release::{ReleasePolicy, parse_times};

/// A serving process's request threads run at this nice value by default, its hashing threads
/// at normal priority (`hash_threads`).
const DEFAULT_REQUEST_NICE: i64 = 8;

/// Everything the server needs to know about its deployment.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://path`, a plain file path, or `postgres://…`.
    pub database_url: String,
    /// Address to listen on; port 0 picks a free one.
    pub bind: SocketAddr,
    /// The base URL the QR codes encode, without a trailing slash.
    pub public_url: String,
    /// Folder for the SQLite file, the secret key file and QR images.
    pub data_dir: PathBuf,
    /// Folder holding `pkg/` (the WASM bundle and its manifest).
    pub site_root: PathBuf,
    /// Whether `serve` seeds demo data into an empty database.
    pub demo: DemoMode,
    /// Deployment secret: keys receipt hashes and signs staff sessions.
    pub secret: Secret,
    /// Lifetime of a staff session, in seconds.
    pub session_ttl_secs: i64,
    /// Size of the database connection pool.
    pub pool_size: u32,
    /// Argon2id hashes run at once (each holds 19 MiB while it runs).
    pub hash_slots: usize,
    /// Nice value of a serving process's threads other than the hashing threads (0 to 19; 0
    /// leaves every thread at normal priority).
    pub request_nice: i32,
    /// Whether cookies get the `Secure` flag (set when served over HTTPS).
    pub secure_cookies: bool,
    /// How waiting opinions are batched before reviewers see them.
    pub release: ReleasePolicy,
    /// Seconds between runs of the maintenance job; 0 turns it off.
    pub job_interval_secs: u64,
    /// Counts of fewer people than this are hidden in every view and export.
    pub min_group_size: u32,
    /// Days to resolve a released opinion, by category.
    pub due: DuePolicy,
    /// Which levels the appraisal's satisfaction rate (满意率) counts.
    pub satisfaction: SatisfactionFormula,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` headers name the client.
    pub trusted_proxies: TrustedProxies,
    /// Answers per window to a poster round above which answers are held (待核).
    pub appraisal_burst: BurstRate,
    /// Opinions a box takes in a rolling hour before the rest are held (待核) for a check.
    pub box_hourly_budget: u32,
    /// Whether `/metrics` answers (`MASHANGSHUO_METRICS=on`); off, it is not found.
    pub metrics: bool,
}

/// When demo data is seeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoMode {
    /// Seed (and print the credentials) when the database has no units yet.
    Auto,
    /// Never seed on `serve`.
    Off,
}

/// A secret that never shows in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps key material.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The key material, for the code that needs it.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field("site_root", &self.site_root)
            .field("demo", &self.demo)
            .field("secret", &self.secret)
            .field("session_ttl_secs", &self.session_ttl_secs)
            .field("pool_size", &self.pool_size)
            .field("hash_slots", &self.hash_slots)
            .field("request_nice", &self.request_nice)
            .field("secure_cookies", &self.secure_cookies)
            .field("release", &self.release)
            .field("job_interval_secs", &self.job_interval_secs)
            .field("min_group_size", &self.min_group_size)
            .field("satisfaction", &self.satisfaction)
            .field("due", &self.due)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("appraisal_burst", &self.appraisal_burst)
            .field("box_hourly_budget", &self.box_hourly_budget)
            .field("metrics", &self.metrics)
            .finish()
    }
}

/// A configuration value that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A variable had a value that does not parse.
    #[error("{name} is not valid: {reason}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The secret key file could not be read or created.
    #[error("secret key file {path}: {source}")]
    SecretFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl Config {
    /// Reads the configuration from environment variables (see README), falling back to the
    /// `KEY=VALUE` file named by `MASHANGSHUO_CONFIG` when there is one.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(env_lookup()?)
    }

    /// Reads the configuration through `lookup`, which maps a variable name to its value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir = data_dir_of(&lookup);
        let database_url = database_url_of(&lookup, &data_dir);
        let bind_text = lookup("MASHANGSHUO_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.parse().map_err(|e| ConfigError::Invalid {
            name: "MASHANGSHUO_BIND",
            reason: format!("{e}"),
        })?;
        let public_url = lookup("MASHANGSHUO_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "MASHANGSHUO_PUBLIC_URL",
                reason: "must start with http:// or https://".into(),
            });
        }
        let demo = match lookup("MASHANGSHUO_DEMO").as_deref() {
            None | Some("") | Some("auto") => DemoMode::Auto,
            Some("off") => DemoMode::Off,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "MASHANGSHUO_DEMO",
                    reason: format!("expected auto or off, got {other}"),
                });
            }
        };
        let secret = match configured_secret(&lookup)? {
            Some(secret) => secret,
            None => load_or_create_secret(&data_dir.join(SECRET_FILE))?,
        };
        let number = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(v) => v.parse().map_err(|e| ConfigError::Invalid {
                    name,
                    reason: format!("{e}"),
                }),
            }
        };
        let session_ttl_secs = number("MASHANGSHUO_SESSION_TTL_SECS", 8 * 3600)?;
        let pool_size = number("MASHANGSHUO_DB_POOL", 8)?.clamp(1, 64) as u32;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let hash_slots = number("MASHANGSHUO_HASH_SLOTS", cores as i64)?.clamp(1, 64) as usize;
        let request_nice =
            number("MASHANGSHUO_REQUEST_NICE", DEFAULT_REQUEST_NICE)?.clamp(0, 19) as i32;
        let at_least = |name: &'static str, default: i64, min: i64| -> Result<i64, ConfigError> {
            let value = number(name, default)?;
            if value < min {
                return Err(ConfigError::Invalid {
                    name,
                    reason: format!("must be at least {min}"),
                });
            }
            Ok(value)
        };
        let release = ReleasePolicy {
            batch_size: at_least("MASHANGSHUO_BATCH_SIZE", 3, 1)?.min(1000) as u32,
            max_wait_secs: at_least("MASHANGSHUO_BATCH_MAX_WAIT_HOURS", 24, 1)?.min(24 * 30) * 3600,
            times: parse_times(&lookup("MASHANGSHUO_RELEASE_TIMES").unwrap_or_default()).map_err(
                |reason| ConfigError::Invalid {
                    name: "MASHANGSHUO_RELEASE_TIMES",
                    reason,
                },
            )?,
        };
        let min_group_size = at_least("MASHANGSHUO_MIN_GROUP_SIZE", 5, 2)?.min(100) as u32;
        let due =
            parse_due(&lookup("MASHANGSHUO_DUE_DAYS").unwrap_or_default()).map_err(|reason| {
                ConfigError::Invalid {
                    name: "MASHANGSHUO_DUE_DAYS",
                    reason,
                }
            })?;
        let satisfaction = match lookup("MASHANGSHUO_SATISFACTION") {
            None => SatisfactionFormula::default(),
            Some(text) => {
                SatisfactionFormula::parse(&text).map_err(|reason| ConfigError::Invalid {
                    name: "MASHANGSHUO_SATISFACTION",
                    reason,
                })?
            }
        };
        let trusted_proxies =
            TrustedProxies::parse(&lookup("MASHANGSHUO_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|reason| ConfigError::Invalid {
                    name: "MASHANGSHUO_TRUSTED_PROXIES",
                    reason,
                })?;
        let appraisal_burst = match lookup("MASHANGSHUO_APPRAISAL_BURST") {
            None => BurstRate::default(),
            Some(text) => BurstRate::parse(&text).map_err(|reason| ConfigError::Invalid {
                name: "MASHANGSHUO_APPRAISAL_BURST",
                reason,
            })?,
        };
        let box_hourly_budget =
            at_least("MASHANGSHUO_BOX_HOURLY_BUDGET", 60, 1)?.min(100_000) as u32;
        let job_interval_secs = at_least("MASHANGSHUO_JOB_INTERVAL_SECS", 60, 0)?.min(3600) as u64;
        let metrics = match lookup("MASHANGSHUO_METRICS").as_deref().map(str::trim) {
            None | Some("" | "off") => false,
            Some("on") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "MASHANGSHUO_METRICS",
                    reason: format!("expected on or off, got {other:?}"),
                });
            }
        };
        Ok(Config {
            secure_cookies: public_url.starts_with("https://"),
            database_url,
            bind,
            public_url,
            site_root: PathBuf::from(
                lookup("MASHANGSHUO_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            ),
            data_dir,
            demo,
            secret,
            session_ttl_secs,
            pool_size,
            hash_slots,
            request_nice,
            release,
            job_interval_secs,
            min_group_size,
            due,
            satisfaction,
            trusted_proxies,
            appraisal_burst,
            box_hourly_budget,
            metrics,
        })
    }
}

/// The name of the secret key file in the data directory.
pub const SECRET_FILE: &str = "secret.key";

/// Where a deployment keeps its data, read without creating anything: `restore` must find
/// the data directory as it is (a [`Config`] would create a new `secret.key` in it).
pub struct Storage {
    /// `sqlite://path`, a plain file path, or `postgres://…`.
    pub database_url: String,
    /// Folder for the SQLite file, the secret key file and QR images.
    pub data_dir: PathBuf,
    /// `MASHANGSHUO_SECRET`, else `{data}/secret.key` when that file exists.
    pub secret: Option<Secret>,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Storage")
            .field("database_url", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("secret", &self.secret)
            .finish()
    }
}

impl Storage {
    /// Reads `DATABASE_URL`, `MASHANGSHUO_DATA_DIR` and the secret as [`Config::from_env`] does.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(env_lookup()?)
    }

    /// Reads them through `lookup`, which maps a variable name to its value.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir = data_dir_of(&lookup);
        let database_url = database_url_of(&lookup, &data_dir);
        let secret = match configured_secret(&lookup)? {
            Some(secret) => Some(secret),
            None => read_secret_file(&data_dir.join(SECRET_FILE))?,
        };
        Ok(Storage {
            database_url,
            data_dir,
            secret,
        })
    }
}

/// The environment, falling back to the `KEY=VALUE` file named by `MASHANGSHUO_CONFIG`.
fn env_lookup() -> Result<impl Fn(&str) -> Option<String>, ConfigError> {
    let file = match std::env::var_os("MASHANGSHUO_CONFIG") {
        Some(path) => read_config_file(std::path::Path::new(&path))?,
        None => HashMap::new(),
    };
    Ok(move |name: &str| std::env::var(name).ok().or_else(|| file.get(name).cloned()))
}

/// `MASHANGSHUO_DATA_DIR`, `data` by default.
fn data_dir_of(lookup: &impl Fn(&str) -> Option<String>) -> PathBuf {
    PathBuf::from(lookup("MASHANGSHUO_DATA_DIR").unwrap_or_else(|| "data".into()))
}

/// `DATABASE_URL`, by default the SQLite file `mashangshuo.db` in the data directory.
fn database_url_of(lookup: &impl Fn(&str) -> Option<String>, data_dir: &std::path::Path) -> String {
    lookup("DATABASE_URL")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("mashangshuo.db").display()))
}

/// `MASHANGSHUO_SECRET` when set: at least 32 bytes in hex.
fn configured_secret(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Secret>, ConfigError> {
    let Some(hex_key) = lookup("MASHANGSHUO_SECRET").filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let bytes = hex::decode(hex_key.trim()).map_err(|e| ConfigError::Invalid {
        name: "MASHANGSHUO_SECRET",
        reason: format!("expected hex: {e}"),
    })?;
    if bytes.len() < 32 {
        return Err(ConfigError::Invalid {
            name: "MASHANGSHUO_SECRET",
            reason: "needs at least 32 bytes (64 hex digits)".into(),
        });
    }
    Ok(Some(Secret::new(bytes)))
}

/// Reads the key file when it exists; `None` when it does not.
pub fn read_secret_file(path: &std::path::Path) -> Result<Option<Secret>, ConfigError> {
    let io = |source| ConfigError::SecretFile {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::read(path) {
        Ok(bytes) if bytes.len() >= 32 => Ok(Some(Secret::new(bytes))),
        Ok(_) => Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "shorter than 32 bytes",
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(e)),
    }
}

/// Reads a `KEY=VALUE` configuration file (dotenv syntax).
fn read_config_file(path: &std::path::Path) -> Result<HashMap<String, String>, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: "MASHANGSHUO_CONFIG",
        reason,
    };
    let entries =
        dotenvy::from_path_iter(path).map_err(|e| invalid(format!("{}: {e}", path.display())))?;
    entries
        .map(|entry| entry.map_err(|e| invalid(format!("{}: {e}", path.display()))))
        .collect()
}

/// Reads the 32-byte key file, creating it from the CSPRNG on first use.
fn load_or_create_secret(path: &std::path::Path) -> Result<Secret, ConfigError> {
    let io = |source| ConfigError::SecretFile {
        path: path.to_path_buf(),
        source,
    };
    if let Some(secret) = read_secret_file(path)? {
        return Ok(secret);
    }
    if let Some(parent) = path.parent() {
        crate::files::create_private_dir(parent).map_err(io)?;
    }
    let key: [u8; 32] = rand::rng().random();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, &key).map_err(io)?;
            file.sync_all().map_err(io)?;
            Ok(Secret::new(key.to_vec()))
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read(path).map(Secret::new).map_err(io)
        }
        Err(e) => Err(io(e)),
    }
}

/// Hides the password part of a database URL.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://…@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_passwords_stay_out_of_debug() {
        let config = Config::from_lookup(|name| match name {
            "DATABASE_URL" => Some("postgres://app:hunter2@db/mss".into()),
            "MASHANGSHUO_SECRET" => Some("ab".repeat(32)),
            _ => None,
        })
        .expect("valid config");
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains(&"ab".repeat(32)), "{shown}");
    }

    #[test]
    fn request_threads_are_lowered_to_nice_8_unless_told_otherwise() {
        let with = |nice: Option<&str>| {
            Config::from_lookup(|name| match name {
                "MASHANGSHUO_SECRET" => Some("ab".repeat(32)),
                "MASHANGSHUO_REQUEST_NICE" => nice.map(str::to_owned),
                _ => None,
            })
        };
        assert_eq!(with(None).expect("default").request_nice, 8);
        assert_eq!(with(Some("0")).expect("off").request_nice, 0);
        assert_eq!(with(Some("40")).expect("clamped").request_nice, 19);
        let err = with(Some("low")).expect_err("not a number");
        assert!(
            err.to_string().contains("MASHANGSHUO_REQUEST_NICE"),
            "{err}"
        );
    }

    #[test]
    fn rejects_bad_values_with_the_variable_name() {
        let err =
            Config::from_lookup(|name| (name == "MASHANGSHUO_BIND").then(|| "nowhere".into()))
                .expect_err("bad bind");
        assert!(err.to_string().contains("MASHANGSHUO_BIND"));
    }

    #[test]
    fn a_bad_trusted_proxy_or_burst_rate_names_its_variable() {
        for (name, value) in [
            ("MASHANGSHUO_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.0/40"),
            ("MASHANGSHUO_APPRAISAL_BURST", "lots"),
        ] {
            let err = Config::from_lookup(|n| match n {
                "MASHANGSHUO_SECRET" => Some("ab".repeat(32)),
                _ if n == name => Some(value.into()),
                _ => None,
            })
            .expect_err("bad value");
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn a_config_file_is_read_in_dotenv_syntax() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mashangshuo.env");
        std::fs::write(
            &path,
            "# deployment\nMASHANGSHUO_BIND=127.0.0.1:9999\nMASHANGSHUO_DEMO=off\n",
        )
        .expect("write");
        let file = read_config_file(&path).expect("read");
        assert_eq!(
            file.get("MASHANGSHUO_BIND").map(String::as_str),
            Some("127.0.0.1:9999")
        );
        assert_eq!(file.len(), 2);
        let err = read_config_file(&dir.path().join("missing.env")).expect_err("missing file");
        assert!(err.to_string().contains("MASHANGSHUO_CONFIG"));
    }
}
