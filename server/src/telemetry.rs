//! Structured logs that carry no personal data: route patterns, statuses and durations only.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber writing to stderr (`RUST_LOG` filters; default `info`).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second call (several servers in one test process) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

/// Logs each request as method, route pattern (never the concrete path, which may hold codes),
/// status and duration. No address, header, cookie or query string is read. Resident routes are
/// logged only when the server failed: a timestamped line per submission would tell the operator
/// the minute an opinion arrived, which the database deliberately does not keep.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_string());
    let response = next.call(req).await?;
    if is_resident_route(&route) && !response.status().is_server_error() {
        return Ok(response);
    }
    tracing::info!(
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    Ok(response)
}

/// Routes a resident uses; their successful requests leave no log line.
fn is_resident_route(route: &str) -> bool {
    route == "/"
        || route == "/privacy"
        || route == "(unmatched)"
        || route.starts_with("/b/")
        || route == "/r"
        || route.starts_with("/r/")
        || route.starts_with("/pkg/")
        || route.starts_with("/api/v1/boxes/")
        || route.starts_with("/api/v1/receipts/")
}

#[cfg(test)]
mod tests {
    use super::is_resident_route;

    #[test]
    fn resident_routes_are_recognised() {
        for route in [
            "/",
            "/b/{code}",
            "/r",
            "/api/v1/boxes/{code}/opinions",
            "/api/v1/receipts/status",
            "/pkg/{name}",
        ] {
            assert!(is_resident_route(route), "{route}");
        }
        for route in [
            "/staff",
            "/staff/opinions/{id}",
            "/api/v1/staff/opinions",
            "/healthz",
        ] {
            assert!(!is_resident_route(route), "{route}");
        }
    }
}
