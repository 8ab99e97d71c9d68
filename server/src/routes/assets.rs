//! The WASM bundle under `/pkg`: content-hashed names, so it is cached for a year.

use actix_web::http::header::{self, AcceptEncoding, ContentEncoding, Encoding, Header};
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

/// The compressed copies `scripts/build-wasm.sh` writes next to each file: the encoding and
/// the file suffix.
const PRECOMPRESSED: [(ContentEncoding, &str); 2] = [
    (ContentEncoding::Brotli, "br"),
    (ContentEncoding::Gzip, "gz"),
];

/// The copy to send: the browser's most preferred of brotli, gzip and none (`q=0` refuses one).
fn negotiated(req: &HttpRequest) -> Option<(ContentEncoding, &'static str)> {
    let offered = AcceptEncoding::parse(req).ok()?;
    let supported = [Encoding::brotli(), Encoding::gzip(), Encoding::identity()];
    match offered.negotiate(supported.iter())? {
        Encoding::Known(chosen) => PRECOMPRESSED.into_iter().find(|(e, _)| *e == chosen),
        Encoding::Unknown(_) => None,
    }
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
    if let Some((encoding, suffix)) = negotiated(&req)
        && let Ok(file) =
            actix_files::NamedFile::open_async(dir.join(format!("{name}.{suffix}"))).await
    {
        chosen = Some(
            file.set_content_type(mime.clone())
                .set_content_encoding(encoding),
        );
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
