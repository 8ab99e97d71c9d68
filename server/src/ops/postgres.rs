//! Running PostgreSQL's own tools, `pg_dump` and `pg_restore` (from `PATH`), without putting
//! the database password on their command line.

use std::path::Path;
use std::process::{Command, Stdio};

use super::OpsError;
use super::manifest::PG_DUMP_MAGIC;

/// A PostgreSQL URL split for a child process: the URL without its password (for the command
/// line, which other users can read) and the password (for `PGPASSWORD`).
struct ToolTarget {
    url: String,
    password: Option<String>,
}

fn tool_target(url: &str) -> ToolTarget {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return ToolTarget {
            url: url.to_string(),
            password: None,
        };
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return ToolTarget {
            url: url.to_string(),
            password: None,
        };
    };
    let user_info = &authority[..at];
    let Some((user, password)) = user_info.split_once(':') else {
        return ToolTarget {
            url: url.to_string(),
            password: None,
        };
    };
    ToolTarget {
        url: format!("{}{user}{}", &url[..scheme_end], &url[scheme_end + at..]),
        password: Some(percent_decode(password)),
    }
}

/// Decodes `%XX` escapes (a URL's password may hold them).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A command for `program` aimed at the database `url`.
fn tool(program: &str, url: &str) -> (Command, String) {
    let target = tool_target(url);
    let mut command = Command::new(program);
    if let Some(password) = target.password {
        command.env("PGPASSWORD", password);
    }
    command.stdin(Stdio::null());
    (command, target.url)
}

/// Runs a prepared tool command and turns a failure into a message with its error output.
fn run(mut command: Command, program: &str) -> Result<(), OpsError> {
    let output = command.output().map_err(|e| {
        OpsError::Tool(format!(
            "cannot run {program} (install PostgreSQL's client tools, e.g. \
             `apt-get install postgresql-client`): {e}"
        ))
    })?;
    if output.status.success() {
        return Ok(());
    }
    Err(OpsError::Tool(format!(
        "{program} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    )))
}

/// `pg_dump --format=custom` of the database at `url` into `file`, reading the snapshot
/// `snapshot` exported by a transaction that stays open meanwhile (empty: its own snapshot).
pub fn dump(url: &str, snapshot: Option<&str>, file: &Path) -> Result<(), OpsError> {
    let (mut command, url) = tool("pg_dump", url);
    command.arg("--format=custom").arg("--file").arg(file);
    if let Some(snapshot) = snapshot {
        command.arg(format!("--snapshot={snapshot}"));
    }
    command.arg("--dbname").arg(url);
    run(command, "pg_dump")?;
    check_archive(file)
}

/// `pg_restore` of an archive into the (empty) database at `url`, in one transaction: all of
/// it or nothing.
pub fn restore(url: &str, file: &Path) -> Result<(), OpsError> {
    let (mut command, url) = tool("pg_restore", url);
    command
        .args([
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
        ])
        .arg("--dbname")
        .arg(url)
        .arg(file);
    run(command, "pg_restore")
}

/// Checks that `file` starts as a `pg_dump --format=custom` archive does.
pub fn check_archive(file: &Path) -> Result<(), OpsError> {
    let mut start = [0u8; 5];
    let mut opened = std::fs::File::open(file).map_err(OpsError::io(file))?;
    let read = std::io::Read::read(&mut opened, &mut start).map_err(OpsError::io(file))?;
    if read < PG_DUMP_MAGIC.len() || start != PG_DUMP_MAGIC {
        return Err(OpsError::Corrupt(format!(
            "{} is not a pg_dump custom-format archive (it must start with PGDMP; make it \
             with pg_dump --format=custom)",
            file.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let t = tool_target("postgres://app:s%40cr%3At@db.internal:5432/mss?sslmode=require");
        assert_eq!(t.url, "postgres://app@db.internal:5432/mss?sslmode=require");
        assert_eq!(t.password.as_deref(), Some("s@cr:t"));
        let t = tool_target("postgres://postgres@127.0.0.1:5432/postgres");
        assert_eq!(t.url, "postgres://postgres@127.0.0.1:5432/postgres");
        assert_eq!(t.password, None);
        let t = tool_target("postgresql://localhost/mss");
        assert_eq!(t.url, "postgresql://localhost/mss");
        assert_eq!(
            percent_decode("%+1%zz%4"),
            "%+1%zz%4",
            "only two hex digits decode"
        );
    }

    /// Percent-encodes every byte but ASCII letters and digits, as a URL's password may be.
    fn encoded(password: &str) -> String {
        password
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn any_password_leaves_the_url_whole(
            user in "[a-z][a-z0-9_]{0,8}",
            password in "\\PC{1,24}",
            rest in "[a-z0-9.:/?=&%_-]{0,40}",
        ) {
            let url = format!("postgres://{user}:{}@db{rest}", encoded(&password));
            let target = tool_target(&url);
            proptest::prop_assert_eq!(target.password.as_deref(), Some(password.as_str()));
            proptest::prop_assert_eq!(target.url, format!("postgres://{user}@db{rest}"));
        }

        #[test]
        fn any_text_splits_without_panicking(url in "\\PC{0,80}") {
            let target = tool_target(&url);
            proptest::prop_assert!(target.url.len() <= url.len());
            proptest::prop_assert_eq!(target.password.is_some(), target.url.len() < url.len());
        }
    }
}
