//! Test images carrying metadata that must never be stored: EXIF with GPS and a camera maker,
//! PNG text chunks; and byte searches over database dumps.

use std::io::Cursor;

use super::hostile::crc32;

/// The camera maker written into the test JPEG's EXIF block.
pub const MAKER: &str = "SENTINEL-MAKER-7731";
/// A camera-style file name, holding the time the photo was taken.
pub const FILE_NAME: &str = "IMG_20261122_153045_SENTINEL.jpg";
/// The text chunk written into the test PNG.
pub const PNG_TEXT: &str = "SENTINEL-PNG-TEXT-4410";
/// GPS seconds of latitude, as a rational numerator: distinctive bytes to look for.
pub const GPS_SECONDS: u32 = 51_234_567;

/// A small picture, `width` × `height`, with a gradient so it is not trivially compressible.
pub fn picture(width: u32, height: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 9) as u8, (y * 4) as u8, 120])
    }))
}

/// A JPEG with an EXIF block: camera maker, orientation 6 (turn 90° clockwise), and GPS.
pub fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let mut plain = Vec::new();
    picture(width, height)
        .write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    let mut tiff = Vec::new();
    let u16le = |v: u16| v.to_le_bytes();
    let u32le = |v: u32| v.to_le_bytes();
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = Vec::new();
        e.extend(u16le(tag));
        e.extend(u16le(kind));
        e.extend(u32le(count));
        e.extend(value);
        e
    };
    // Layout: header 8, IFD0 (3 entries) 42, GPS IFD (4 entries) 54, maker 20, two rationals ×3.
    let (ifd0, gps_ifd, maker_at, lat_at, lon_at) = (8u32, 50u32, 104u32, 124u32, 148u32);
    tiff.extend(b"II*\0");
    tiff.extend(u32le(ifd0));
    tiff.extend(u16le(3));
    tiff.extend(entry(0x010F, 2, 20, u32le(maker_at)));
    tiff.extend(entry(0x0112, 3, 1, [6, 0, 0, 0]));
    tiff.extend(entry(0x8825, 4, 1, u32le(gps_ifd)));
    tiff.extend(u32le(0));
    tiff.extend(u16le(4));
    tiff.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, 5, 3, u32le(lat_at)));
    tiff.extend(entry(0x0003, 2, 2, *b"E\0\0\0"));
    tiff.extend(entry(0x0004, 5, 3, u32le(lon_at)));
    tiff.extend(u32le(0));
    tiff.extend(MAKER.as_bytes());
    tiff.push(0);
    for (num, den) in [(31, 1), (14, 1), (GPS_SECONDS, 1_000_000)] {
        tiff.extend(u32le(num));
        tiff.extend(u32le(den));
    }
    for (num, den) in [(121, 1), (28, 1), (GPS_SECONDS + 1, 1_000_000)] {
        tiff.extend(u32le(num));
        tiff.extend(u32le(den));
    }
    assert_eq!(tiff.len(), 172);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(tiff);
    let mut out = plain[..2].to_vec();
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

/// A PNG with a `tEXt` chunk holding a sentinel.
pub fn png_with_text() -> Vec<u8> {
    let mut plain = Vec::new();
    picture(30, 20)
        .write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Png)
        .expect("encode png");
    let data = format!("Comment\0{PNG_TEXT}");
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"tEXt".to_vec();
    typed.extend(data.as_bytes());
    chunk.extend(&typed);
    chunk.extend(crc32(&typed).to_be_bytes());
    // After the 8-byte signature and the 25-byte IHDR chunk.
    let mut out = plain[..33].to_vec();
    out.extend(chunk);
    out.extend(&plain[33..]);
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether a database dump holds `needle`, raw or hex-encoded (PostgreSQL dumps `bytea` as hex).
pub fn in_dump(dump: &[u8], needle: &[u8]) -> bool {
    contains(dump, needle) || contains(dump, hex::encode(needle).as_bytes())
}
