//! Photos villagers attach: every image is decoded and re-encoded as a fresh JPEG, so EXIF
//! (GPS, camera, time), maker notes, embedded thumbnails and text chunks never reach storage.

use std::io::Cursor;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

/// At most this many photos per opinion.
pub const MAX_PHOTOS: usize = frontend::model::MAX_PHOTOS;
/// The largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// Longer edges are scaled down to this: plenty to read a notice or see a pothole.
const MAX_EDGE: u32 = 2048;
/// Decoding refuses images wider or taller than this (a decompression bomb guard).
const MAX_DIMENSION: u32 = 16_384;
/// …and allocations beyond this.
const MAX_DECODE_BYTES: u64 = 320 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

/// A photo as stored: a JPEG with no metadata.
#[derive(Clone, Debug)]
pub struct CleanPhoto {
    /// The re-encoded JPEG.
    pub jpeg: Vec<u8>,
    /// Width in pixels, after orientation.
    pub width: u32,
    /// Height in pixels, after orientation.
    pub height: u32,
}

/// Why a photo was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    /// Over [`MAX_PHOTO_BYTES`].
    #[error("photo too large")]
    TooLarge,
    /// Not a JPEG or PNG, or it does not decode.
    #[error("photo does not decode: {0}")]
    Unreadable(String),
    /// The worker thread died.
    #[error("photo task failed")]
    Task,
}

/// Decodes a JPEG or PNG, turns it upright by its EXIF orientation, scales it down, and
/// encodes a new JPEG from the pixels alone.
pub fn clean_photo(bytes: &[u8]) -> Result<CleanPhoto, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let unreadable = |e: image::ImageError| PhotoError::Unreadable(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png) => {}
        other => {
            return Err(PhotoError::Unreadable(format!(
                "unsupported format {other:?}"
            )));
        }
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    if picture.width().max(picture.height()) > MAX_EDGE {
        picture = picture.resize(MAX_EDGE, MAX_EDGE, FilterType::Triangle);
    }
    let pixels = picture.into_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&pixels)
        .map_err(unreadable)?;
    Ok(CleanPhoto {
        jpeg,
        width: pixels.width(),
        height: pixels.height(),
    })
}

/// Cleans photos on blocking threads, one per core at a time, so a burst of uploads cannot
/// take all memory.
#[derive(Clone)]
pub struct PhotoPool {
    permits: Arc<Semaphore>,
}

impl PhotoPool {
    /// A pool with one slot per available core.
    pub fn new() -> Self {
        let slots = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        PhotoPool {
            permits: Arc::new(Semaphore::new(slots)),
        }
    }

    /// Cleans one photo while holding a slot.
    pub async fn clean(&self, bytes: Vec<u8>) -> Result<CleanPhoto, PhotoError> {
        let _permit = self.permits.acquire().await.map_err(|_| PhotoError::Task)?;
        actix_web::web::block(move || clean_photo(&bytes))
            .await
            .map_err(|_| PhotoError::Task)?
    }
}

impl Default for PhotoPool {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 5) as u8, 90])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encode png");
        out
    }

    #[test]
    fn a_png_comes_out_as_a_plain_jpeg() {
        let clean = clean_photo(&png(40, 30)).expect("clean");
        assert_eq!(&clean.jpeg[..3], &[0xFF, 0xD8, 0xFF]);
        assert_eq!((clean.width, clean.height), (40, 30));
        assert!(!clean.jpeg.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn large_photos_are_scaled_down() {
        let clean = clean_photo(&png(3000, 1000)).expect("clean");
        assert_eq!(clean.width, MAX_EDGE);
        assert!(clean.height < 1000);
    }

    #[test]
    fn anything_else_is_refused() {
        assert!(matches!(
            clean_photo(b"not a picture at all"),
            Err(PhotoError::Unreadable(_))
        ));
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(matches!(clean_photo(gif), Err(PhotoError::Unreadable(_))));
        let mut truncated = png(40, 30);
        truncated.truncate(60);
        assert!(matches!(
            clean_photo(&truncated),
            Err(PhotoError::Unreadable(_))
        ));
        assert_eq!(
            clean_photo(&vec![0u8; MAX_PHOTO_BYTES + 1]).err(),
            Some(PhotoError::TooLarge)
        );
    }
}
