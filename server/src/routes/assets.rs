//! The WASM bundle under `/pkg`: content-hashed names, so it is cached for a year.

use actix_web::http::header::{self, ContentEncoding};
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

/// The encodings of the compressed copies `scripts/build-wasm.sh` writes next to each file,
/// best first: (the `Accept-Encoding` token, the file suffix, the header value).
const PRECOMPRESSED: [(&str, &str, ContentEncoding); 2] = [
    ("br", "br", ContentEncoding::Brotli),
    ("gzip", "gz", ContentEncoding::Gzip),
];

/// Whether the request accepts `coding` (a `q=0` refuses it).
fn accepts(req: &HttpRequest, coding: &str) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let mut fields = part.split(';').map(str::trim);
            let named = fields
                .next()
                .is_some_and(|c| c.eq_ignore_ascii_case(coding));
            let refused = fields.any(|f| f.replace(' ', "") == "q=0");
            named && !refused
        })
}

/// `GET /pkg/{name}`: a file of the bundle, its brotli or gzip copy when the browser takes it
/// (so nothing is compressed per request); hashed names are cached for a year.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> HttpResponse {
    let name = name.into_inner();
    let safe = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\']);
    if !safe {
        return not_found();
    }
    let dir = state.config.site_root.join("pkg");
    let mime = actix_files::file_extension_to_mime(
        std::path::Path::new(&name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default(),
    );
    let mut chosen = None;
    for (coding, suffix, encoding) in PRECOMPRESSED {
        if !accepts(&req, coding) {
            continue;
        }
        let path = dir.join(format!("{name}.{suffix}"));
        if let Ok(file) = actix_files::NamedFile::open_async(path).await {
            chosen = Some(
                file.set_content_type(mime.clone())
                    .set_content_encoding(encoding),
            );
            break;
        }
    }
    let file = match chosen {
        Some(file) => file,
        None => match actix_files::NamedFile::open_async(dir.join(&name)).await {
            Ok(file) => file,
            Err(_) => return not_found(),
        },
    };
    let mut response = file.use_etag(true).into_response(&req);
    let headers = response.headers_mut();
    headers.insert(
        header::VARY,
        header::HeaderValue::from_static("Accept-Encoding"),
    );
    if name != "manifest.json" {
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain")
        .body("not found")
}
