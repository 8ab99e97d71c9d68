//! The WASM bundle under `/pkg`: content-hashed names, so it is cached for a year.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use frontend::components::Assets;

use crate::state::AppState;

/// Reads `pkg/manifest.json` under the site root; `None` when the bundle was not built.
pub fn load_manifest(site_root: &std::path::Path) -> Option<Assets> {
    let path = site_root.join("pkg").join("manifest.json");
    let text = std::fs::read_to_string(&path).ok()?;
    match serde_json::from_str(&text) {
        Ok(assets) => Some(assets),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "unreadable WASM manifest; pages will not hydrate");
            None
        }
    }
}

/// `GET /pkg/{name}`: a file of the bundle; hashed names are cached for a year.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    let safe = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\']);
    let path = state.config.site_root.join("pkg").join(&name);
    let file = if safe {
        actix_files::NamedFile::open_async(path).await.ok()
    } else {
        None
    };
    let Some(file) = file else {
        return HttpResponse::NotFound()
            .content_type("text/plain")
            .body("not found");
    };
    let mut response = file.use_etag(true).into_response(&req);
    if name != "manifest.json" {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}
