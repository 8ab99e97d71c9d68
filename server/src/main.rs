//! The `mashangshuo` command: `serve`, `migrate`, `demo`.

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
}

fn main() -> ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = actix_web::rt::System::new().block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => migrate(config).await,
            Command::Demo => seed_demo(config).await,
            Command::Maintain => maintain(config).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
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

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}
