//! The `mashangshuo` command: `serve`, `migrate`, `demo`, `maintain`, `audit`, `backup`,
//! `restore`, `create-admin`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mashangshuo::config::{Config, Storage};
use mashangshuo::ops::{self, OpsError};
use mashangshuo::startup::{Application, prepare};
use mashangshuo::{db, demo, jobs, telemetry};

/// 码上说: anonymous back-to-back opinions by QR code. Configured by environment variables (see README).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default). Seeds demo data into an empty database unless MASHANGSHUO_DEMO=off.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate {
        /// List the pending migrations as JSON without applying them.
        #[arg(long)]
        dry_run: bool,
    },
    /// Seed demo data when absent, give the demo reviewer a new password, print them as JSON.
    Demo,
    /// Run the maintenance job once (release due batches), for deployments that set
    /// MASHANGSHUO_JOB_INTERVAL_SECS=0 and use cron instead; prints what it did as JSON.
    Maintain,
    /// Check the audit trail's hash chain; prints the head hash and the first broken entry as
    /// JSON, and exits with status 1 when the chain is broken (also `mashangshuo verify`).
    #[command(alias = "verify")]
    Audit,
    /// Back up the live database into DIR (new or empty): a consistent copy (SQLite), or a
    /// `pg_dump --format=custom` archive (PostgreSQL), the demo QR images, and manifest.json
    /// with checksums and the secret's fingerprint; prints the manifest.
    Backup {
        /// The folder to write, e.g. /var/backups/mashangshuo/2026-12-06.
        dir: PathBuf,
        /// Also copy the deployment secret: whoever holds the backup can then look receipts up.
        #[arg(long)]
        include_secret: bool,
        /// PostgreSQL: record this archive, made with `pg_dump --format=custom`, instead of
        /// running pg_dump.
        #[arg(long, value_name = "FILE")]
        pg_dump: Option<PathBuf>,
    },
    /// Restore the backup in DIR into an empty data directory (SQLite) or an empty database
    /// (PostgreSQL), after checking it whole; prints what it restored. Exit status 3: corrupt
    /// backup, 4: it does not match (schema newer than this binary, another secret), 5: the
    /// target holds data.
    Restore {
        /// The backup folder (with manifest.json).
        dir: PathBuf,
        /// Restore although the configured secret is not the backup's: receipts handed out
        /// before stop resolving, staff are signed out, unused appraisal slips stop working.
        #[arg(long)]
        new_secret: bool,
    },
    /// Create an admin account (the first one when MASHANGSHUO_DEMO=off), with the top unit
    /// and its leading group when absent; prints a drawn password once as JSON.
    CreateAdmin {
        /// Sign-in name: 3–32 letters, digits, `-`, `_` or `.`.
        username: String,
        /// The top unit the admin manages (created with its leading group when absent), e.g.
        /// 安城县; may be left out when the database has exactly one.
        #[arg(long)]
        unit: Option<String>,
        /// The level of a top unit created now: county or township.
        #[arg(long, default_value = "county")]
        kind: String,
        /// The name of the leading group created for a new top unit (default: UNIT领导小组).
        #[arg(long)]
        group: Option<String>,
        /// The name shown on pages (default: UNIT系统管理员).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of stdin instead of drawing one.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn main() -> ExitCode {
    // Before anything is written: the database, its logs, the secret and exports stay private.
    mashangshuo::files::private_umask();
    mashangshuo::memory::return_large_blocks();
    telemetry::init();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    // A restore reads the data directory as it is: a `Config` would create a secret in it.
    if let Command::Restore { dir, new_secret } = &command {
        return match Storage::from_env() {
            Ok(storage) => restore(&storage, dir, *new_secret),
            Err(e) => {
                eprintln!("configuration error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Migrate { dry_run: true } => {
            return finish(ops::migrations::plan(&config.database_url));
        }
        Command::Backup {
            dir,
            include_secret,
            pg_dump,
        } => {
            let options = ops::backup::BackupOptions {
                include_secret,
                pg_dump_file: pg_dump,
            };
            return finish(ops::backup::backup(&config, &dir, &options));
        }
        _ => {}
    }
    actix_web::rt::System::new().block_on(async move {
        let outcome = match command {
            Command::Serve => serve(config).await,
            Command::Migrate { .. } => migrate(config).await,
            Command::Demo => seed_demo(config).await,
            Command::Maintain => maintain(config).await,
            Command::Audit => return verify_audit(config).await,
            Command::CreateAdmin {
                username,
                unit,
                kind,
                group,
                display_name,
                password_stdin,
            } => {
                let new =
                    match admin_request(username, unit, &kind, group, display_name, password_stdin)
                    {
                        Ok(new) => new,
                        Err(e) => return finish::<()>(Err(e)),
                    };
                return finish(create_admin(config, new).await);
            }
            Command::Backup { .. } | Command::Restore { .. } => Ok(()),
        };
        match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                tracing::error!("{message}");
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn serve(config: Config) -> Result<(), String> {
    let mut app = Application::build(config)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(seeded) = app.take_demo() {
        print_json(&seeded)?;
    }
    app.lower_request_priority();
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn migrate(config: Config) -> Result<(), String> {
    let pool = db::connect(&config.database_url, 1).map_err(|e| e.to_string())?;
    actix_web::web::block(move || db::migrate(&pool))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn seed_demo(mut config: Config) -> Result<(), String> {
    config.demo = mashangshuo::config::DemoMode::Off;
    let (state, _) = prepare(config).await.map_err(|e| e.to_string())?;
    let output = demo::run(&state).await.map_err(|e| e.to_string())?;
    print_json(&output)
}

async fn maintain(mut config: Config) -> Result<(), String> {
    config.demo = mashangshuo::config::DemoMode::Off;
    let (state, _) = prepare(config).await.map_err(|e| e.to_string())?;
    let report = jobs::run_once(&state, mashangshuo::domain::day::unix_now())
        .await
        .map_err(|e| e.to_string())?;
    print_json(&serde_json::json!({ "ran": report.is_some(), "report": report }))
}

async fn verify_audit(config: Config) -> ExitCode {
    let checked = actix_web::web::block(move || {
        let pool = db::connect(&config.database_url, 1).map_err(|e| e.to_string())?;
        db::migrate(&pool).map_err(|e| e.to_string())?;
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        mashangshuo::service::audit::check(&mut conn).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    match checked {
        Ok(check) => {
            let intact = check.intact;
            if let Err(e) = print_json(&check) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
            if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Restores a backup and prints what it restored; with a new secret, says on stderr what
/// stopped working.
fn restore(storage: &Storage, dir: &std::path::Path, new_secret: bool) -> ExitCode {
    let options = ops::restore::RestoreOptions { new_secret };
    let outcome = ops::restore::restore(storage, dir, &options);
    if let Ok(report) = &outcome
        && let Some(broken) = report.stopped_working
    {
        eprintln!("warning: restored under a new secret: {broken}");
    }
    finish(outcome)
}

/// Checks `create-admin`'s arguments and reads the password from stdin when asked to.
fn admin_request(
    username: String,
    unit: Option<String>,
    kind: &str,
    group: Option<String>,
    display_name: Option<String>,
    password_stdin: bool,
) -> Result<ops::admin::NewAdmin, OpsError> {
    let kind = vocabulary::org::UnitKind::parse(kind).ok_or_else(|| {
        OpsError::Refused(format!("--kind must be county or township, not {kind}"))
    })?;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| OpsError::Refused(format!("cannot read the password from stdin: {e}")))?;
        Some(line.trim_end_matches(['\n', '\r']).to_string())
    } else {
        None
    };
    Ok(ops::admin::NewAdmin {
        username,
        unit,
        kind,
        group,
        display_name,
        password,
    })
}

async fn create_admin(
    mut config: Config,
    new: ops::admin::NewAdmin,
) -> Result<ops::admin::CreatedAdmin, OpsError> {
    config.demo = mashangshuo::config::DemoMode::Off;
    let (state, _) = prepare(config).await?;
    ops::admin::create_admin(&state, new).await
}

/// Prints an operation's result as JSON, or its error with the error's exit status.
fn finish<T: serde::Serialize>(outcome: Result<T, OpsError>) -> ExitCode {
    let printed = outcome.and_then(|value| print_json(&value).map_err(OpsError::Refused));
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}
