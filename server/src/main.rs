//! `scr-portal`: serve the portal, run migrations, or manage the staff directory.

use clap::Parser;
use server::cli::{Cli, Command};
use server::db::Db;
use server::startup::Application;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(cli.settings.log_format, &cli.settings.log_filter);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("scr-portal: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(cli.settings).await.map_err(|e| e.to_string())?;
            tracing::info!(port = app.port(), "listening");
            app.run_until(shutdown_signal()).await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            Db::connect(cli.settings.database_url.expose(), 1).await.map_err(|e| e.to_string())?;
            println!("Migrations are up to date.");
            Ok(())
        }
        Command::Staff(cmd) => {
            let db = Db::connect(cli.settings.database_url.expose(), 1).await.map_err(|e| e.to_string())?;
            server::cli::commands::staff_command(&db, cmd).await
        }
        Command::Areas(cmd) => {
            let db = Db::connect(cli.settings.database_url.expose(), 1).await.map_err(|e| e.to_string())?;
            server::cli::commands::areas_command(&db, cmd).await
        }
        Command::Sources(cmd) => {
            let db = Db::connect(cli.settings.database_url.expose(), 1).await.map_err(|e| e.to_string())?;
            server::cli::commands::sources_command(&db, cmd).await
        }
        Command::BankHolidays(cmd) => {
            let db = Db::connect(cli.settings.database_url.expose(), 1).await.map_err(|e| e.to_string())?;
            server::cli::commands::bank_holidays_command(&db, cmd).await
        }
        Command::Audit(cmd) => {
            let db = Db::connect(cli.settings.database_url.expose(), 1).await.map_err(|e| e.to_string())?;
            server::cli::commands::audit_command(&db, cmd).await
        }
    }
}

/// Ctrl-C or SIGTERM: stop taking new connections and finish the ones in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
