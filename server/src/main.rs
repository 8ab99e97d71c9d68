//! The `mashangshuo` command: `serve`, `migrate`, `demo`, `maintain`, `audit`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mashangshuo::config::Config;
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
    Migrate,
    /// Seed demo data when absent, give the demo reviewer a new password, print them as JSON.
    Demo,
    /// Run the maintenance job once (release due batches), for deployments that set
    /// MASHANGSHUO_JOB_INTERVAL_SECS=0 and use cron instead; prints what it did as JSON.
    Maintain,
    /// Check the audit trail's hash chain; prints the head hash and the first broken entry as
    /// JSON, and exits with status 1 when the chain is broken (also `mashangshuo verify`).
    #[command(alias = "verify")]
    Audit,
}

fn main() -> ExitCode {
    // Before anything is written: the database, its logs, the secret and exports stay private.
    mashangshuo::files::private_umask();
    telemetry::init();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    actix_web::rt::System::new().block_on(async move {
        let outcome = match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate(config).await,
            Command::Demo => seed_demo(config).await,
            Command::Maintain => maintain(config).await,
            Command::Audit => return verify_audit(config).await,
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

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}
