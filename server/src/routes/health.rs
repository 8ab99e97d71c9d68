//! Probes for the proxy and the operators: `/readyz` (database and maintenance job) and
//! `/metrics` (Prometheus text, when `MASHANGSHUO_METRICS=on`). `/healthz` stays in `mod.rs`.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::day::unix_now;
use crate::service::health;
use crate::state::AppState;

/// `GET /readyz`: 200 when the database answers and the maintenance job ran on time, 503 with
/// the reason otherwise; JSON either way.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let readiness = health::readiness(&state, unix_now()).await;
    let mut response = if readiness.ready {
        HttpResponse::Ok()
    } else {
        HttpResponse::ServiceUnavailable()
    };
    response
        .insert_header(("Cache-Control", "no-store"))
        .json(readiness)
}

/// `GET /metrics`: aggregate gauges in the Prometheus text format; not found unless the
/// operator turned it on.
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if !state.config.metrics {
        return super::not_found(req).await;
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(health::metrics_text(&state, unix_now()).await)
}
