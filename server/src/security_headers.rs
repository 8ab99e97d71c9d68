//! The headers every response carries, above all a strict Content-Security-Policy: only our own
//! files, this build's inline page script and loader, and our own stylesheets may run or apply.

use actix_web::middleware::DefaultHeaders;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use frontend::components::{Assets, inline_scripts};
use frontend::style::INLINE_STYLES;
use sha2::{Digest, Sha256};

/// Browser features no page of ours uses, denied to every page and anything it could embed.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()";

/// A year, for `Strict-Transport-Security`.
const HSTS: &str = "max-age=31536000";

/// The Content-Security-Policy of every response: no inline script or style but the exact
/// ones this build writes (by their SHA-256), WASM allowed to compile, nothing from another
/// origin, no plugins, no `<base>`, forms only to us, never framed.
pub fn content_security_policy(assets: Option<&Assets>) -> String {
    let scripts: Vec<String> = inline_scripts(assets).iter().map(|s| hash(s)).collect();
    let styles: Vec<String> = INLINE_STYLES.iter().map(|s| hash(s)).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self' {}; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        scripts.join(" "),
        styles.join(" ")
    )
}

/// A CSP source expression for an inline element's exact text.
fn hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The security headers, computed once at start-up and added to every response that does not
/// set its own. `https` (the public URL's scheme) adds `Strict-Transport-Security`.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: String,
    https: bool,
}

impl SecurityHeaders {
    /// The headers for this build's bundle (`assets`) and public URL.
    pub fn new(assets: Option<&Assets>, public_url: &str) -> Self {
        SecurityHeaders {
            csp: content_security_policy(assets),
            https: public_url.starts_with("https://"),
        }
    }

    /// The middleware that adds them.
    pub fn middleware(&self) -> DefaultHeaders {
        let headers = DefaultHeaders::new()
            .add(("Content-Security-Policy", self.csp.as_str()))
            .add(("X-Content-Type-Options", "nosniff"))
            .add(("Referrer-Policy", "no-referrer"))
            .add(("X-Frame-Options", "DENY"))
            .add(("Cross-Origin-Opener-Policy", "same-origin"))
            .add(("Permissions-Policy", PERMISSIONS_POLICY));
        if self.https {
            headers.add(("Strict-Transport-Security", HSTS))
        } else {
            headers
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_never_allows_inline_script_by_keyword() {
        let assets = Assets {
            js: "m.0123456789.js".into(),
            wasm: "m.0123456789_bg.wasm".into(),
        };
        let csp = content_security_policy(Some(&assets));
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} missing from {csp}");
        }
        // The page script and the loader, then three stylesheets.
        assert_eq!(csp.matches("'sha256-").count(), 2 + 3, "{csp}");
        assert_eq!(
            content_security_policy(None).matches("'sha256-").count(),
            1 + 3
        );
    }

    #[test]
    fn hashes_are_of_the_exact_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
