//! Structured logs that carry no personal data: route patterns, statuses and durations only.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing_subscriber::filter::{FilterExt, filter_fn};
use tracing_subscriber::layer::{Filter, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Installs the global subscriber writing to stderr (`RUST_LOG` filters; default `info`).
/// Whatever `RUST_LOG` says, other crates log at `info` at most: at `debug` and `trace` the
/// HTTP, TLS and database crates write request lines, headers and bodies, which would put a
/// box code, a receipt or an opinion's text next to a timestamp.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .with_filter(capped(filter));
    // A second call (several servers in one test process) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// `filter`, with every other crate than ours held to `info` at most.
fn capped<S>(filter: EnvFilter) -> impl Filter<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    filter.and(filter_fn(|meta| {
        is_own_target(meta.target()) || *meta.level() <= tracing::Level::INFO
    }))
}

/// Whether a log target is this project's own code, whose lines never carry a code or text.
fn is_own_target(target: &str) -> bool {
    ["mashangshuo", "frontend"]
        .iter()
        .any(|own| target == *own || target.starts_with(&format!("{own}::")))
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
        // Appraisal answers by slip and by poster, and the public notice board.
        || route.starts_with("/s/")
        || route.starts_with("/a/")
        || route.starts_with("/t/")
}

#[cfg(test)]
mod tests {
    use super::{is_own_target, is_resident_route};

    #[test]
    fn dependencies_never_log_below_info_even_at_trace() {
        use std::sync::{Arc, Mutex};
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::{EnvFilter, Layer};

        #[derive(Clone)]
        struct Capture(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Capture {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0
                    .lock()
                    .map_err(|_| std::io::Error::other("poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Arc::new(Mutex::new(Vec::new()));
        let writer = Capture(out.clone());
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_filter(super::capped(EnvFilter::new("trace")));
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "actix_http::h1::dispatcher", "GET /b/box-code-sentinel");
            tracing::debug!(target: "h2::codec", "receipt-sentinel");
            tracing::info!(target: "actix_server::builder", "starting 2 workers");
            tracing::trace!("our own trace line");
        });
        let text = String::from_utf8_lossy(&out.lock().expect("log")).to_string();
        assert!(!text.contains("sentinel"), "{text}");
        assert!(text.contains("starting 2 workers"), "{text}");
        assert!(text.contains("our own trace line"), "{text}");
    }

    #[test]
    fn only_our_own_targets_log_below_info() {
        assert!(is_own_target("mashangshuo::service::resident"));
        assert!(is_own_target("frontend"));
        for target in [
            "actix_http::h1::dispatcher",
            "h2::codec",
            "diesel",
            "mashangshuo_x",
        ] {
            assert!(!is_own_target(target), "{target}");
        }
    }

    #[test]
    fn resident_routes_are_recognised() {
        for route in [
            "/",
            "/b/{code}",
            "/r",
            "/api/v1/boxes/{code}/opinions",
            "/api/v1/receipts/status",
            "/pkg/{name}",
            "/s/{code}",
            "/a/{code}",
            "/a/{code}/change",
            "/t/{unit}",
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
