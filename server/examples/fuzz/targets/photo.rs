//! `photo`: `photos::clean_photo` (and `measure_photo`) on PNG and JPEG files: small valid
//! seeds (8- and 16-bit, grey, alpha, palette, interlaced, EXIF orientations, edges just over
//! the 2048 limit), PNGs built chunk by chunk with honest checksums (so mutations get past the
//! CRC check and reach the decoder), and mutations that know the chunk and marker layout.
//!
//! Invariants: no panic; a refusal is "too large", "too many pixels" or "unreadable", never a
//! failed task, and is the same from `measure_photo`; a cleaned photo is a JPEG of at most 2048
//! pixels a side, with no EXIF or other APPn or comment segment, that decodes again to the
//! dimensions reported.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};
use mashangshuo::photos::{PhotoError, clean_photo, measure_photo};
use rand::RngExt;
use rand::rngs::SmallRng;

use super::pick;
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "photo",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: Some(mutate_structure),
        max_len: 512 * 1024,
        check,
    }
}

/// The longest edge of a cleaned photo.
const MAX_EDGE: u32 = 2048;

const DICTIONARY: &[&[u8]] = &[
    b"\x89PNG\r\n\x1a\n",
    b"IHDR",
    b"IDAT",
    b"IEND",
    b"PLTE",
    b"tRNS",
    b"iCCP",
    b"tEXt",
    b"zTXt",
    b"iTXt",
    b"eXIf",
    b"acTL",
    b"fcTL",
    b"fdAT",
    b"\x00\x00\xff\xff",
    b"\xff\xd8",
    b"\xff\xd9",
    b"\xff\xc0",
    b"\xff\xc2",
    b"\xff\xc4",
    b"\xff\xda",
    b"\xff\xdb",
    b"\xff\xdd",
    b"\xff\xe1",
    b"\xff\xee",
    b"\xff\xfe",
    b"Exif\0\0",
    b"MM\0*",
    b"II*\0",
    b"\x01\x12",
    b"Adobe",
    b"GIF89a",
    b"RIFF\0\0\0\0WEBP",
    b"<svg",
];

// --- building files ----------------------------------------------------------------------

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, tag: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(tag);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// `data` in a zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A PNG from its header fields, raw scanline data and extra chunks before the pixels.
fn png(ihdr: [u32; 5], raw: &[u8], extra: &[(&[u8; 4], Vec<u8>)], idat_parts: usize) -> Vec<u8> {
    let [width, height, depth, color, interlace] = ihdr;
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[depth as u8, color as u8, 0, 0, interlace as u8]);
    chunk(&mut out, b"IHDR", &header);
    for (tag, data) in extra {
        chunk(&mut out, tag, data);
    }
    let z = zlib_stored(raw);
    let part = z.len().div_ceil(idat_parts.max(1)).max(1);
    for piece in z.chunks(part) {
        chunk(&mut out, b"IDAT", piece);
    }
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The bytes per scanline (without the filter byte) of a PNG.
fn row_bytes(width: u32, depth: u32, color: u32) -> usize {
    let channels = match color {
        0 | 3 => 1,
        2 => 3,
        4 => 2,
        _ => 4,
    };
    (width as usize * channels * depth as usize).div_ceil(8)
}

/// A random PNG built from its parts: header fields, palette, transparency, text and profile
/// chunks, animation control, scanlines with random filters; sometimes declaring a size the
/// data does not have.
fn random_png(rng: &mut SmallRng) -> Vec<u8> {
    let (color, depths): (u32, &[u32]) = *pick(
        rng,
        &[
            &(0, &[1, 2, 4, 8, 16][..]),
            &(2, &[8, 16][..]),
            &(3, &[1, 2, 4, 8][..]),
            &(4, &[8, 16][..]),
            &(6, &[8, 16][..]),
        ],
    );
    let depth = depths[rng.random_range(0..depths.len())];
    let width = rng.random_range(1..48u32);
    let height = rng.random_range(1..48u32);
    let interlace = u32::from(rng.random_ratio(1, 5));
    let mut raw = Vec::new();
    for _ in 0..height {
        raw.push(rng.random_range(0..5u8));
        raw.extend((0..row_bytes(width, depth, color)).map(|_| rng.random::<u8>()));
    }
    let mut extra: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();
    if color == 3 || rng.random_ratio(1, 10) {
        let entries = rng.random_range(1..=256usize);
        extra.push((b"PLTE", (0..entries * 3).map(|_| rng.random()).collect()));
    }
    if rng.random_ratio(1, 5) {
        let n = rng.random_range(0..10);
        extra.push((b"tRNS", (0..n).map(|_| rng.random()).collect()));
    }
    if rng.random_ratio(1, 4) {
        let tag = pick(
            rng,
            &[
                b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"eXIf", b"acTL", b"gAMA",
            ],
        );
        let mut data = b"Comment\0".to_vec();
        data.extend((0..rng.random_range(0..64)).map(|_| rng.random::<u8>()));
        extra.push((tag, data));
    }
    let (w, h) = if rng.random_ratio(1, 6) {
        *pick(
            rng,
            &[
                &(65_535, 65_535),
                &(16_000, 16_000),
                &(12_000, 1),
                &(12_001, 1),
                &(5_000, 5_000),
                &(0, 10),
                &(2_049, 1),
                &(u32::MAX, 1),
            ],
        )
    } else {
        (width, height)
    };
    png(
        [w, h, depth, color, interlace],
        &raw,
        &extra,
        rng.random_range(1..4),
    )
}

/// `image` encodes `picture` as `format`.
fn encode(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let _ = picture.write_to(&mut out, format);
    out.into_inner()
}

/// A JPEG with an EXIF APP1 segment whose orientation tag is `orientation`.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn gradient(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 5) as u8, ((x ^ y) * 3) as u8])
    }))
}

fn seeds() -> Vec<Vec<u8>> {
    let small = gradient(17, 9);
    let jpeg = encode(&small, ImageFormat::Jpeg);
    let mut seeds = vec![
        encode(&small, ImageFormat::Png),
        encode(
            &DynamicImage::ImageRgba8(small.to_rgba8()),
            ImageFormat::Png,
        ),
        encode(
            &DynamicImage::ImageLuma16(small.to_luma16()),
            ImageFormat::Png,
        ),
        encode(
            &DynamicImage::ImageRgb16(small.to_rgb16()),
            ImageFormat::Png,
        ),
        encode(
            &DynamicImage::ImageLumaA8(small.to_luma_alpha8()),
            ImageFormat::Png,
        ),
        encode(
            &DynamicImage::ImageLuma8(small.to_luma8()),
            ImageFormat::Jpeg,
        ),
        jpeg.clone(),
        encode(&DynamicImage::new_rgb8(2049, 3), ImageFormat::Png),
        encode(&DynamicImage::new_rgb8(3, 2049), ImageFormat::Jpeg),
        encode(&DynamicImage::new_rgb8(4100, 1), ImageFormat::Png),
        encode(&DynamicImage::new_rgb8(3000, 2000), ImageFormat::Png),
    ];
    for orientation in [0, 1, 3, 5, 6, 8, 9, 65_535] {
        seeds.push(with_orientation(&jpeg, orientation));
    }
    let mut rng = <SmallRng as rand::SeedableRng>::seed_from_u64(25);
    for _ in 0..8 {
        seeds.push(random_png(&mut rng));
    }
    seeds
}

fn generate(rng: &mut SmallRng) -> Vec<u8> {
    if rng.random_ratio(1, 4) {
        let picture = gradient(rng.random_range(1..40), rng.random_range(1..40));
        let jpeg = encode(&picture, ImageFormat::Jpeg);
        if rng.random_bool(0.5) {
            return with_orientation(&jpeg, rng.random_range(0..10));
        }
        return jpeg;
    }
    random_png(rng)
}

// --- mutations that know the layout ------------------------------------------------------

/// PNG: change a chunk's data (or a header field) and fix its CRC, drop, duplicate or reorder a
/// chunk. JPEG: change a segment's bytes, its length, or the frame's size and type.
fn mutate_structure(data: &mut Vec<u8>, rng: &mut SmallRng) -> bool {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        mutate_png(data, rng)
    } else if data.starts_with(b"\xff\xd8") {
        mutate_jpeg(data, rng)
    } else {
        false
    }
}

/// The chunks of a PNG: (start of the length field, data length).
fn png_chunks(data: &[u8]) -> Vec<(usize, usize)> {
    let mut at = 8;
    let mut out = Vec::new();
    while at + 12 <= data.len() {
        let len = u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize;
        if at + 12 + len > data.len() {
            break;
        }
        out.push((at, len));
        at += 12 + len;
    }
    out
}

fn mutate_png(data: &mut Vec<u8>, rng: &mut SmallRng) -> bool {
    let chunks = png_chunks(data);
    if chunks.is_empty() {
        return false;
    }
    let (at, len) = chunks[rng.random_range(0..chunks.len())];
    match rng.random_range(0..5) {
        // Change the data (a header field, usually) and fix the CRC.
        0 | 1 => {
            if len > 0 {
                let i = at + 8 + rng.random_range(0..len);
                data[i] = match rng.random_range(0..3) {
                    0 => rng.random(),
                    1 => *pick(rng, &[&0u8, &1, &2, &3, &4, &6, &7, &8, &16, &0xff]),
                    _ => data[i] ^ (1 << rng.random_range(0..8)),
                };
            }
        }
        // Drop the chunk.
        2 => {
            data.drain(at..at + 12 + len);
            return true;
        }
        // Duplicate the chunk.
        3 => {
            let copy = data[at..at + 12 + len].to_vec();
            data.splice(at..at, copy);
            return true;
        }
        // Insert an ancillary chunk with random data.
        _ => {
            let tag = pick(
                rng,
                &[
                    b"tEXt", b"zTXt", b"iCCP", b"eXIf", b"acTL", b"fcTL", b"PLTE", b"tRNS",
                    b"IDAT", b"IHDR",
                ],
            );
            let mut new = Vec::new();
            let body: Vec<u8> = (0..rng.random_range(0..40)).map(|_| rng.random()).collect();
            chunk(&mut new, tag, &body);
            data.splice(at..at, new);
            return true;
        }
    }
    let crc = crc32(&data[at + 4..at + 8 + len]);
    data[at + 8 + len..at + 12 + len].copy_from_slice(&crc.to_be_bytes());
    true
}

/// The segments of a JPEG before its first scan: (marker position, segment length).
fn jpeg_segments(data: &[u8]) -> Vec<(usize, usize)> {
    let mut at = 2;
    let mut out = Vec::new();
    while at + 4 <= data.len() && data[at] == 0xFF {
        let marker = data[at + 1];
        let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        out.push((at, len));
        if marker == 0xDA || len < 2 {
            break;
        }
        at += 2 + len;
    }
    out
}

fn mutate_jpeg(data: &mut Vec<u8>, rng: &mut SmallRng) -> bool {
    let segments = jpeg_segments(data);
    if segments.is_empty() {
        return false;
    }
    let (at, len) = segments[rng.random_range(0..segments.len())];
    let marker = data[at + 1];
    match rng.random_range(0..4) {
        // A frame header: change the size, the type, the component count or sampling.
        0 if (0xC0..=0xCF).contains(&marker) && len >= 8 && at + 2 + len <= data.len() => {
            match rng.random_range(0..4) {
                0 => {
                    let v: u16 = *pick(rng, &[&0u16, &1, &2048, &2049, &12_000, &12_001, &65_535]);
                    let field = at + 5 + 2 * rng.random_range(0..2usize);
                    data[field..field + 2].copy_from_slice(&v.to_be_bytes());
                }
                1 => data[at + 1] = *pick(rng, &[&0xC0u8, &0xC1, &0xC2, &0xC3, &0xC9, &0xCA]),
                2 => data[at + 9] = rng.random_range(0..6),
                _ => {
                    let i = at + 2 + rng.random_range(2..len);
                    data[i] = *pick(rng, &[&0x11u8, &0x22, &0x44, &0x41, &0x14, &0x00, &0xFF]);
                }
            }
        }
        // Change the segment's declared length.
        1 => {
            let v: u16 = *pick(
                rng,
                &[
                    &0u16,
                    &1,
                    &2,
                    &3,
                    &0xFFFF,
                    &(len as u16).wrapping_add(1),
                    &(len as u16).saturating_sub(1),
                ],
            );
            data[at + 2..at + 4].copy_from_slice(&v.to_be_bytes());
        }
        // Insert an APPn or COM segment with random content.
        2 => {
            let marker = *pick(rng, &[&0xE1u8, &0xE2, &0xEE, &0xFE, &0xE0]);
            let body: Vec<u8> = (0..rng.random_range(0..64)).map(|_| rng.random()).collect();
            let mut segment = vec![0xFF, marker];
            segment.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
            segment.extend_from_slice(&body);
            data.splice(at..at, segment);
        }
        // Drop the segment.
        _ if at + 2 + len <= data.len() => {
            data.drain(at..at + 2 + len);
        }
        _ => return false,
    }
    true
}

// --- the check ---------------------------------------------------------------------------

fn check(bytes: &[u8]) -> Verdict {
    let measured = measure_photo(bytes);
    let cleaned = clean_photo(bytes);
    match (&measured, &cleaned) {
        (Err(a), Err(b)) => ensure(a == b, || {
            format!("measure_photo refused with {a:?} but clean_photo with {b:?}")
        })?,
        (Err(a), Ok(_)) => {
            return Err(format!(
                "measure_photo refused ({a:?}) what clean_photo took"
            ));
        }
        _ => {}
    }
    match cleaned {
        Ok(clean) => {
            let plan = measured.map_err(|e| format!("measured as {e:?}"))?;
            ensure(
                (1..=MAX_EDGE).contains(&clean.width) && (1..=MAX_EDGE).contains(&clean.height),
                || format!("cleaned to {}x{}", clean.width, clean.height),
            )?;
            let long_in = plan.width.max(plan.height);
            let long_out = clean.width.max(clean.height);
            ensure(long_out == long_in.min(MAX_EDGE), || {
                format!(
                    "{}x{} cleaned to {}x{}",
                    plan.width, plan.height, clean.width, clean.height
                )
            })?;
            no_metadata(&clean.jpeg)?;
            let again = image::load_from_memory_with_format(&clean.jpeg, ImageFormat::Jpeg)
                .map_err(|e| format!("the cleaned JPEG does not decode: {e}"))?;
            ensure(
                (again.width(), again.height()) == (clean.width, clean.height),
                || {
                    format!(
                        "the cleaned JPEG is {}x{}, reported {}x{}",
                        again.width(),
                        again.height(),
                        clean.width,
                        clean.height
                    )
                },
            )?;
            Ok(signature((0u8, plan.format, clean.width == plan.width)))
        }
        Err(PhotoError::Task) => Err("clean_photo failed as a task".into()),
        Err(e) => Ok(signature((
            1u8,
            std::mem::discriminant(&e),
            bytes.get(..2).map(<[u8]>::to_vec),
        ))),
    }
}

/// A cleaned JPEG carries no APP1–APP15 segment (EXIF, XMP, ICC, Adobe, …) and no comment.
fn no_metadata(jpeg: &[u8]) -> Result<(), String> {
    ensure(jpeg.starts_with(&[0xFF, 0xD8]), || {
        "the cleaned photo is not a JPEG".into()
    })?;
    for (at, _) in jpeg_segments(jpeg) {
        let marker = jpeg[at + 1];
        ensure(!(0xE1..=0xEF).contains(&marker) && marker != 0xFE, || {
            format!("the cleaned JPEG has a segment {marker:#04x}")
        })?;
    }
    Ok(())
}
