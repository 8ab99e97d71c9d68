//! Photos villagers attach: every image is decoded and re-encoded as a fresh JPEG, so EXIF
//! (GPS, camera, time), maker notes, embedded thumbnails and text chunks never reach storage.
//!
//! A photo is measured before it is decoded: its format is sniffed from its first bytes (never
//! from the file name or the declared type), its dimensions and colour type are read from the
//! header, and the memory decoding would take is estimated. Anything over the per-photo limits is
//! refused before a single pixel is decoded; the rest waits for its share of a process-wide
//! decode budget, so several large photos are cleaned one after another rather than at once.

use std::io::Cursor;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;
use image::error::LimitErrorKind;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

/// At most this many photos per opinion.
pub const MAX_PHOTOS: usize = vocabulary::model::MAX_PHOTOS;
/// The largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// Photos wider or taller than this are refused from their header.
pub const MAX_DIMENSION: u32 = 12_000;
/// The largest decoded picture accepted, in bytes (`ImageDecoder::total_bytes`): 32 megapixels
/// of 8-bit RGB, 16 of 16-bit RGB.
pub const MAX_DECODED_BYTES: u64 = 96 * MIB;
/// All photos being decoded at one time may take this much memory, in MiB; a photo whose
/// estimate is larger is refused.
pub const DECODE_BUDGET_MIB: u32 = 128;
/// What the PNG decoder may allocate for metadata chunks (`iCCP`, `tEXt`, `zTXt`, `iTXt`, `eXIf`).
const METADATA_BYTES: u64 = 16 * MIB;
/// Longer edges are scaled down to this: plenty to read a notice or see a pothole.
const MAX_EDGE: u32 = 2048;
const JPEG_QUALITY: u8 = 82;
const MIB: u64 = 1024 * 1024;

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
    /// Its header declares more pixels than may be decoded (dimensions or decode memory).
    #[error("photo has too many pixels: {0}")]
    TooManyPixels(String),
    /// Not a JPEG or PNG, or it does not decode.
    #[error("photo does not decode: {0}")]
    Unreadable(String),
    /// The worker thread died.
    #[error("photo task failed")]
    Task,
}

/// What a photo's header says, and the memory decoding it will take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoPlan {
    /// JPEG or PNG, sniffed from the content.
    pub format: ImageFormat,
    /// Width in pixels, as stored (before orientation).
    pub width: u32,
    /// Height in pixels, as stored.
    pub height: u32,
    /// The decoded picture's size in bytes (`ImageDecoder::total_bytes`).
    pub decoded_bytes: u64,
    /// Estimated peak memory of cleaning it, in MiB: the decoded picture, a progressive JPEG's
    /// coefficients, the scaled-down copies and the decoder's copy of the file.
    pub budget_mib: u32,
}

/// Decodes a JPEG or PNG, scales it down, turns it upright by its EXIF orientation, and encodes
/// a new JPEG from the pixels alone. Refuses, before decoding, anything over the limits above.
pub fn clean_photo(bytes: &[u8]) -> Result<CleanPhoto, PhotoError> {
    let plan = measure_photo(bytes)?;
    decode_photo(bytes, &plan)
}

/// Reads a photo's header only: its format, dimensions and the memory decoding it would take.
/// Refuses a photo that is too large in bytes, not a JPEG or PNG, empty, or over the pixel limits.
pub fn measure_photo(bytes: &[u8]) -> Result<PhotoPlan, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let (format, decoder) = open(bytes)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(PhotoError::Unreadable(format!("{width}x{height} pixels")));
    }
    let decoded_bytes = decoder.total_bytes();
    if decoded_bytes > MAX_DECODED_BYTES {
        return Err(PhotoError::TooManyPixels(format!(
            "{width}x{height} decodes to {decoded_bytes} bytes"
        )));
    }
    let coefficients = match format {
        ImageFormat::Jpeg => jpeg_coefficient_bytes(bytes, width, height),
        _ => 0,
    };
    let (thumb_width, thumb_height) = scaled_size(width, height);
    let thumb_pixels = u64::from(thumb_width) * u64::from(thumb_height);
    let pixel_bytes = u64::from(decoder.color_type().bytes_per_pixel());
    // While the full picture is held: the JPEG decoder's coefficients, then the scaled copy;
    // the decoder's copy of the file and the metadata it reads (EXIF, ICC profile, text) are
    // counted as the file's size twice over.
    let total = decoded_bytes + coefficients + thumb_pixels * pixel_bytes + 2 * bytes.len() as u64;
    let budget_mib = u32::try_from(total.div_ceil(MIB)).unwrap_or(u32::MAX);
    if budget_mib > DECODE_BUDGET_MIB {
        return Err(PhotoError::TooManyPixels(format!(
            "{width}x{height} needs {budget_mib} MiB to decode"
        )));
    }
    Ok(PhotoPlan {
        format,
        width,
        height,
        decoded_bytes,
        budget_mib,
    })
}

/// Decodes a measured photo and re-encodes it; the caller has reserved `plan.budget_mib`.
pub fn decode_photo(bytes: &[u8], plan: &PhotoPlan) -> Result<CleanPhoto, PhotoError> {
    let (format, mut decoder) = open(bytes)?;
    if (format, decoder.dimensions(), decoder.total_bytes())
        != (plan.format, (plan.width, plan.height), plan.decoded_bytes)
    {
        return Err(PhotoError::Unreadable("header changed".into()));
    }
    let orientation = decoder.orientation().map_err(refusal)?;
    // The full-size picture lives only in this block: scaled down with integer box averaging
    // (no floating-point copy), then dropped before the small one is turned and converted.
    let mut picture = {
        let full = DynamicImage::from_decoder(decoder).map_err(refusal)?;
        let (width, height) = scaled_size(plan.width, plan.height);
        if (width, height) == (plan.width, plan.height) {
            full
        } else {
            full.thumbnail_exact(width, height)
        }
    };
    picture.apply_orientation(orientation);
    let pixels = picture.into_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&pixels)
        .map_err(refusal)?;
    Ok(CleanPhoto {
        jpeg,
        width: pixels.width(),
        height: pixels.height(),
    })
}

/// A decoder for a JPEG or PNG that has read the header (and, for PNG, the metadata chunks
/// before the pixels) but no pixel.
fn open(bytes: &[u8]) -> Result<(ImageFormat, impl ImageDecoder + '_), PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    let format = match reader.format() {
        Some(format @ (ImageFormat::Jpeg | ImageFormat::Png)) => format,
        other => {
            return Err(PhotoError::Unreadable(format!(
                "unsupported format {other:?}"
            )));
        }
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(METADATA_BYTES);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(refusal)?;
    Ok((format, decoder))
}

/// How a decoding error is reported: over the dimension limit is "too many pixels", anything
/// else (including metadata over its allowance) is "unreadable".
fn refusal(error: ImageError) -> PhotoError {
    match &error {
        ImageError::Limits(limit) if limit.kind() == LimitErrorKind::DimensionError => {
            PhotoError::TooManyPixels(error.to_string())
        }
        _ => PhotoError::Unreadable(error.to_string()),
    }
}

/// The size a picture is scaled to: the long edge at most [`MAX_EDGE`], proportions kept
/// (the same arithmetic as `DynamicImage::thumbnail`).
fn scaled_size(width: u32, height: u32) -> (u32, u32) {
    if width.max(height) <= MAX_EDGE {
        return (width, height);
    }
    let ratio = f64::from(MAX_EDGE) / f64::from(width.max(height));
    let side = |n: u32| ((f64::from(n) * ratio).round() as u32).clamp(1, MAX_EDGE);
    (side(width), side(height))
}

/// The coefficient buffers the JPEG decoder holds for the whole picture when it cannot turn
/// each row of blocks into pixels at once: progressive JPEGs, and baseline ones whose first scan
/// lacks some components. Two bytes per coefficient, 64 per block, blocks padded to whole MCUs.
fn jpeg_coefficient_bytes(bytes: &[u8], width: u32, height: u32) -> u64 {
    let blocks = |n: u32, per: u8| u64::from(n.div_ceil(8 * u32::from(per.max(1))));
    let frame = jpeg_frame(bytes).unwrap_or_else(|| JpegFrame {
        // Not found by this simple walk: assume the worst the decoder supports.
        progressive: true,
        sampling: vec![(1, 1); 4],
        first_scan: 0,
    });
    if !frame.progressive && frame.first_scan >= frame.sampling.len() {
        return 0;
    }
    let h_max = frame.sampling.iter().map(|s| s.0).max().unwrap_or(1);
    let v_max = frame.sampling.iter().map(|s| s.1).max().unwrap_or(1);
    let (mcu_x, mcu_y) = (blocks(width, h_max), blocks(height, v_max));
    frame
        .sampling
        .iter()
        .map(|&(h, v)| mcu_x * u64::from(h) * mcu_y * u64::from(v) * 64 * 2)
        .sum()
}

/// What a JPEG's frame header and first scan header say about the decoder's working memory.
#[derive(Debug, PartialEq, Eq)]
struct JpegFrame {
    /// A progressive frame (SOF2, SOF6, SOF10, SOF14).
    progressive: bool,
    /// Each component's horizontal and vertical sampling factors.
    sampling: Vec<(u8, u8)>,
    /// How many components the first scan carries.
    first_scan: usize,
}

/// Walks a JPEG's marker segments up to its first scan; `None` if they do not parse.
fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
    let mut at = 2; // after SOI
    let mut frame: Option<JpegFrame> = None;
    loop {
        // Markers are 0xFF, any number of fill bytes 0xFF, then the marker code.
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            continue; // no length
        }
        if marker == 0xD9 {
            return None; // EOI before any scan
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        let data = bytes.get(at + 2..at + length.max(2))?;
        at += length;
        match marker {
            // Every SOFn except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let count = usize::from(*data.get(5)?);
                let sampling = (0..count)
                    .map(|i| data.get(6 + 3 * i + 1).map(|hv| (hv >> 4, hv & 0x0F)))
                    .collect::<Option<Vec<_>>>()?;
                frame = Some(JpegFrame {
                    progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                    sampling,
                    first_scan: 0,
                });
            }
            0xDA => {
                let mut found = frame?;
                found.first_scan = usize::from(*data.first()?);
                return Some(found);
            }
            _ => {}
        }
    }
}

/// Cleans photos on blocking threads: one per core at a time, and only as many at once as fit
/// in [`DECODE_BUDGET_MIB`], so a burst of large uploads waits its turn instead of taking all
/// memory.
#[derive(Clone)]
pub struct PhotoPool {
    /// One slot per core, held while reading a header or decoding.
    slots: Arc<Semaphore>,
    /// One permit per MiB of decode memory.
    memory: Arc<Semaphore>,
}

impl PhotoPool {
    /// A pool with one slot per available core and the whole decode budget.
    pub fn new() -> Self {
        let slots = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        PhotoPool {
            slots: Arc::new(Semaphore::new(slots)),
            memory: Arc::new(Semaphore::new(DECODE_BUDGET_MIB as usize)),
        }
    }

    /// Measures one photo, waits until its decode memory is free, then cleans it.
    pub async fn clean(&self, bytes: Vec<u8>) -> Result<CleanPhoto, PhotoError> {
        let (bytes, plan) = {
            let _slot = self.slots.acquire().await.map_err(|_| PhotoError::Task)?;
            actix_web::web::block(move || {
                let plan = unpanicked(|| measure_photo(&bytes));
                (bytes, plan)
            })
            .await
            .map_err(|_| PhotoError::Task)?
        };
        let plan = plan?;
        let _memory = self
            .memory
            .acquire_many(plan.budget_mib)
            .await
            .map_err(|_| PhotoError::Task)?;
        let _slot = self.slots.acquire().await.map_err(|_| PhotoError::Task)?;
        actix_web::web::block(move || unpanicked(|| decode_photo(&bytes, &plan)))
            .await
            .map_err(|_| PhotoError::Task)?
    }
}

/// Runs a decoder step; a panic inside the image decoders (a bug a hostile file found) is
/// logged and the photo reported unreadable, rather than failing the whole submission.
fn unpanicked<T>(
    step: impl FnOnce() -> Result<T, PhotoError> + std::panic::UnwindSafe,
) -> Result<T, PhotoError> {
    std::panic::catch_unwind(step).unwrap_or_else(|_| {
        tracing::error!("an image decoder panicked on a photo");
        Err(PhotoError::Unreadable("decoder panicked".into()))
    })
}

impl Default for PhotoPool {
    fn default() -> Self {
        Self::new()
    }
}

/// Hostile pictures built byte by byte, shared with the integration tests.
#[cfg(test)]
#[allow(dead_code)]
#[path = "../tests/it/common/hostile.rs"]
mod hostile;

#[cfg(test)]
mod tests {
    use super::hostile::*;
    use super::*;

    /// The colour at the centre of a cleaned photo.
    fn centre(clean: &CleanPhoto) -> [u8; 3] {
        let picture = image::load_from_memory_with_format(&clean.jpeg, ImageFormat::Jpeg)
            .expect("our own JPEG decodes")
            .into_rgb8();
        picture
            .get_pixel(picture.width() / 2, picture.height() / 2)
            .0
    }

    fn near(got: [u8; 3], want: [u8; 3]) -> bool {
        got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 6)
    }

    fn too_many_pixels(result: Result<CleanPhoto, PhotoError>) -> bool {
        matches!(result, Err(PhotoError::TooManyPixels(_)))
    }

    fn unreadable(result: Result<CleanPhoto, PhotoError>) -> bool {
        matches!(result, Err(PhotoError::Unreadable(_)))
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
        assert_eq!((clean.width, clean.height), (MAX_EDGE, 683));
        let clean = clean_photo(&jpeg(1000, 3000)).expect("clean");
        assert_eq!((clean.width, clean.height), (683, MAX_EDGE));
        let clean = clean_photo(&png(1, MAX_EDGE * 3)).expect("a one-pixel line");
        assert_eq!((clean.width, clean.height), (1, MAX_EDGE));
    }

    #[test]
    fn other_formats_under_a_jpeg_name_are_unreadable() {
        assert!(unreadable(clean_photo(b"not a picture at all")));
        assert!(unreadable(clean_photo(b"")));
        for (name, bytes) in other_formats() {
            assert!(unreadable(clean_photo(&bytes)), "{name}");
        }
        assert_eq!(
            clean_photo(&vec![0u8; MAX_PHOTO_BYTES + 1]).err(),
            Some(PhotoError::TooLarge)
        );
    }

    #[test]
    fn truncated_and_corrupt_pngs_are_unreadable() {
        let whole = png(40, 30);
        for cut in [8, 20, 33, 60, whole.len() - 20, whole.len() - 12] {
            assert!(unreadable(clean_photo(&whole[..cut])), "cut at {cut}");
        }
        let mut bad_crc = whole.clone();
        let idat = bad_crc.len() - 20;
        bad_crc[idat] ^= 0x55;
        assert!(unreadable(clean_photo(&bad_crc)));
        // Pixel data that is not zlib at all, with a correct CRC.
        let garbage = png_of(&[
            png_chunk(b"IHDR", &ihdr(40, 30, 8, 2)),
            png_chunk(b"IDAT", &[0xAB; 300]),
        ]);
        assert!(unreadable(clean_photo(&garbage)));
        let bad_depth = png_of(&[
            png_chunk(b"IHDR", &ihdr(40, 30, 7, 2)),
            png_chunk(b"IDAT", &zlib_zeros(30 * 121)),
        ]);
        assert!(unreadable(clean_photo(&bad_depth)));
    }

    #[test]
    fn truncated_and_corrupt_jpegs_are_refused_or_shown_as_far_as_they_go() {
        let whole = jpeg(64, 48);
        for cut in [2, 3, 40, 150] {
            assert!(unreadable(clean_photo(&whole[..cut])), "cut at {cut}");
        }
        // Cut inside the pixels: like phones' galleries, the part that arrived is shown and the
        // rest is grey.
        let clean = clean_photo(&whole[..whole.len() - 200]).expect("partial picture");
        assert_eq!((clean.width, clean.height), (64, 48));
        let mut no_components = jpeg_flat(16, 16, &[128, 128, 128], false);
        let sof = no_components
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("SOF0");
        no_components[sof + 9] = 0;
        assert!(unreadable(clean_photo(&no_components)));
        let mut no_tables = jpeg_flat(16, 16, &[128, 128, 128], false);
        let dht = no_tables
            .windows(2)
            .position(|w| w == [0xFF, 0xC4])
            .expect("DHT");
        no_tables[dht + 1] = 0xEE; // DHT becomes an APP14 segment: no Huffman tables
        assert!(unreadable(clean_photo(&no_tables)));
    }

    #[test]
    fn empty_pictures_are_refused() {
        for (w, h) in [(0, 0), (0, 10), (10, 0)] {
            let empty = png_of(&[
                png_chunk(b"IHDR", &ihdr(w, h, 8, 2)),
                png_chunk(b"IDAT", &zlib_zeros(0)),
            ]);
            assert!(unreadable(clean_photo(&empty)), "{w}x{h}");
        }
        assert!(unreadable(clean_photo(&jpeg_flat(0, 8, &[128], false))));
    }

    #[test]
    fn the_bomb_generator_makes_real_pictures() {
        let bomb = png_bomb(300, 200);
        let clean = clean_photo(&bomb).expect("a small bomb is a black picture");
        assert_eq!((clean.width, clean.height), (300, 200));
        assert!(near(centre(&clean), [0, 0, 0]));
        let big = png_bomb(16_000, 16_000);
        assert!(big.len() < 800 * 1024, "{} bytes", big.len());
    }

    #[test]
    fn impossible_headers_are_refused_before_decoding() {
        // Only a few pixels follow these headers: decoding would fail as truncated, so "too many
        // pixels" shows that the header alone decided.
        for (w, h) in [
            (65_535, 65_535),
            (16_000, 16_000),
            (MAX_DIMENSION + 1, 1),
            (1, MAX_DIMENSION + 1),
            (MAX_DIMENSION, MAX_DIMENSION),
            (6_000, 6_000),
            (u32::MAX >> 1, u32::MAX >> 1),
        ] {
            assert!(
                too_many_pixels(clean_photo(&png_declaring(w, h))),
                "{w}x{h}"
            );
        }
        assert!(too_many_pixels(clean_photo(&png_bomb(16_000, 16_000))));
        assert!(too_many_pixels(clean_photo(&jpeg_declaring(
            65_535, 65_535
        ))));
        assert!(too_many_pixels(clean_photo(&jpeg_declaring(
            16_000, 16_000
        ))));
        // 16-bit pixels take twice the memory: 4096 × 4096 × 6 bytes is 96 MiB, just within.
        let plan = measure_photo(&png_declaring(4096, 4096)).expect("48 MiB of 8-bit RGB");
        assert_eq!(plan.decoded_bytes, 48 * MIB);
        let sixteen = |w| {
            png_of(&[
                png_chunk(b"IHDR", &ihdr(w, 4096, 16, 2)),
                png_chunk(b"IDAT", &zlib_zeros(64)),
            ])
        };
        let plan = measure_photo(&sixteen(4096)).expect("96 MiB of 16-bit RGB");
        assert_eq!(plan.decoded_bytes, MAX_DECODED_BYTES);
        assert!(too_many_pixels(clean_photo(&sixteen(4097))));
    }

    #[test]
    fn progressive_jpegs_count_their_coefficients() {
        // 6000 × 5000 decodes to 90 MB either way; the progressive one also holds 180 MB of
        // coefficients, which is over the whole budget.
        let baseline = measure_photo(&jpeg_flat(6000, 5000, &[128, 128, 128], false))
            .expect("within the budget");
        assert_eq!(baseline.decoded_bytes, 90_000_000);
        assert!(baseline.budget_mib <= DECODE_BUDGET_MIB);
        let progressive = jpeg_flat(6000, 5000, &[128, 128, 128], true);
        assert!(too_many_pixels(clean_photo(&progressive)));
        // A small progressive JPEG decodes as usual.
        let clean = clean_photo(&jpeg_flat(64, 48, &[200, 128, 128], true)).expect("clean");
        assert!(
            near(centre(&clean), [200, 200, 200]),
            "{:?}",
            centre(&clean)
        );
    }

    #[test]
    fn the_jpeg_frame_walk_reads_sampling_and_scans() {
        let ours = jpeg_flat(16, 16, &[1, 2, 3, 4], true);
        assert_eq!(
            jpeg_frame(&ours),
            Some(JpegFrame {
                progressive: true,
                sampling: vec![(1, 1); 4],
                first_scan: 4,
            })
        );
        let encoded = jpeg(64, 48);
        let frame = jpeg_frame(&encoded).expect("image's own JPEG");
        assert!(!frame.progressive);
        assert_eq!(frame.first_scan, frame.sampling.len());
        assert_eq!(jpeg_coefficient_bytes(&encoded, 64, 48), 0);
        assert_eq!(jpeg_frame(&encoded[..20]), None);
        assert_eq!(jpeg_frame(b"\xFF\xD8\xFF\xD9"), None);
        // Unparsed: the worst case is assumed, four full-size components.
        assert_eq!(jpeg_coefficient_bytes(b"", 16, 16), 4 * 4 * 64 * 2);
    }

    #[test]
    fn a_cmyk_jpeg_is_turned_into_rgb() {
        // Adobe stores CMYK inverted: 255 means no ink. No cyan, full magenta, no yellow, no
        // black: magenta.
        let clean = clean_photo(&jpeg_flat(16, 8, &[255, 0, 255, 255], false)).expect("CMYK");
        assert_eq!((clean.width, clean.height), (16, 8));
        assert!(near(centre(&clean), [255, 0, 255]), "{:?}", centre(&clean));
        let clean = clean_photo(&jpeg_flat(16, 8, &[255, 255, 255, 0], false)).expect("CMYK");
        assert!(near(centre(&clean), [0, 0, 0]), "full black");
    }

    #[test]
    fn a_16_bit_png_is_accepted_and_scaled_in_16_bits() {
        let clean = clean_photo(&png_16bit(3000, 40, [65_535, 0, 32_896])).expect("16-bit RGB PNG");
        assert_eq!((clean.width, clean.height), (MAX_EDGE, 27));
        assert!(near(centre(&clean), [255, 0, 128]), "{:?}", centre(&clean));
    }

    #[test]
    fn an_animated_png_gives_its_first_frame() {
        let clean = clean_photo(&apng(20, 10, [10, 200, 30], [250, 0, 0])).expect("APNG");
        assert_eq!((clean.width, clean.height), (20, 10));
        assert!(near(centre(&clean), [10, 200, 30]), "{:?}", centre(&clean));
    }

    #[test]
    fn huge_metadata_chunks_are_read_within_bounds_or_refused() {
        let plain = png(40, 30);
        // An ICC profile that inflates to 1 GB: inflating stops at the metadata allowance, the
        // profile is ignored, the picture is kept.
        let iccp = with_chunk(&plain, b"iCCP", &iccp_inflating_to(1 << 30));
        assert!(iccp.len() < MAX_PHOTO_BYTES);
        let clean = clean_photo(&iccp).expect("ICC profile ignored");
        assert_eq!((clean.width, clean.height), (40, 30));
        // A compressed text that would inflate to 1 GB is kept compressed and dropped.
        let ztxt = with_chunk(&plain, b"zTXt", &ztxt_inflating_to(1 << 30));
        let clean = clean_photo(&ztxt).expect("zTXt is never inflated");
        assert_eq!((clean.width, clean.height), (40, 30));
        // Plain text as large as a photo may be is read, counted, and dropped.
        let text = with_chunk(
            &plain,
            b"tEXt",
            &text_of(MAX_PHOTO_BYTES - plain.len() - 64),
        );
        assert!(text.len() <= MAX_PHOTO_BYTES);
        let clean = clean_photo(&text).expect("7 MB of text");
        assert!(!clean.jpeg.windows(8).any(|w| w == b"xxxxxxxx"));
        // Several large text chunks: each is counted against the metadata allowance (16 MiB,
        // twice the largest file), so text cannot take more memory than that.
        let mut many = plain.clone();
        for _ in 0..3 {
            many = with_chunk(&many, b"tEXt", &text_of(2_600_000));
        }
        assert!(many.len() <= MAX_PHOTO_BYTES);
        let clean = clean_photo(&many).expect("three text chunks of 2.6 MB");
        assert_eq!((clean.width, clean.height), (40, 30));
    }

    #[test]
    fn a_jpeg_with_a_huge_exif_block_is_refused_by_size() {
        let photo = jpeg_with_exif_of(&jpeg(32, 32), MAX_PHOTO_BYTES + 1);
        assert_eq!(clean_photo(&photo).err(), Some(PhotoError::TooLarge));
        // Within the size limit the EXIF is read (for the orientation) and dropped.
        let photo = jpeg_with_exif_of(&jpeg(32, 32), 4 * 1024 * 1024);
        let clean = clean_photo(&photo).expect("4 MB of EXIF");
        assert!(!clean.jpeg.windows(4).any(|w| w == b"Exif"));
    }

    #[test]
    fn the_budget_of_an_ordinary_phone_photo_lets_two_run_at_once() {
        let plan = measure_photo(&jpeg_flat(4000, 3000, &[128, 128, 128], false)).expect("12 MP");
        assert_eq!(plan.decoded_bytes, 36_000_000);
        assert!(plan.budget_mib * 2 <= DECODE_BUDGET_MIB, "{plan:?}");
    }
}
