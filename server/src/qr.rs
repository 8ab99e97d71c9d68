//! QR codes for box URLs, as SVG (for posters) and PNG (for printing shops and chat).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Failures while drawing a QR code.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    /// The data does not fit in a QR code.
    #[error("qr: {0}")]
    Encode(#[from] qrcode::types::QrError),
    /// PNG encoding failed.
    #[error("png: {0}")]
    Png(#[from] image::ImageError),
}

/// Medium error correction survives a crease or a little rain on a poster.
fn encode(url: &str) -> Result<QrCode, QrError> {
    Ok(QrCode::with_error_correction_level(
        url.as_bytes(),
        EcLevel::M,
    )?)
}

/// An SVG drawing of the QR code for `url`, scalable to any print size.
pub fn svg(url: &str) -> Result<String, QrError> {
    let code = encode(url)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// A PNG of the QR code for `url`, at least `min_pixels` wide.
pub fn png(url: &str, min_pixels: u32) -> Result<Vec<u8>, QrError> {
    let code = encode(url)?;
    let img = code
        .render::<image::Luma<u8>>()
        .min_dimensions(min_pixels, min_pixels)
        .quiet_zone(true)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_and_png_are_produced() {
        let url = "https://example.org/b/0123456789abcdef0123";
        let drawing = svg(url).expect("svg");
        assert!(drawing.contains("<svg"));
        let bytes = png(url, 600).expect("png");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoded = image::load_from_memory(&bytes).expect("decodes");
        assert!(decoded.width() >= 600);
    }
}
