//! Hostile pictures, built byte by byte: decompression bombs, impossible headers, odd colour
//! types, animations, oversized metadata, other formats under a `.jpg` name. Shared by the unit
//! tests in `src/photos.rs` (through `#[path]`) and the integration tests; nothing here is a
//! binary fixture.

use std::io::Cursor;

/// The eight bytes every PNG starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// CRC-32 (IEEE), as PNG chunks carry it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One PNG chunk: length, type, data, CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend(&typed);
    out.extend(crc32(&typed).to_be_bytes());
    out
}

/// An `IHDR` chunk's data: `color_type` 2 is RGB, 6 RGBA, 0 grey.
pub fn ihdr(width: u32, height: u32, bit_depth: u8, color_type: u8) -> Vec<u8> {
    let mut data = width.to_be_bytes().to_vec();
    data.extend(height.to_be_bytes());
    data.extend([bit_depth, color_type, 0, 0, 0]);
    data
}

/// A PNG made of these chunks (signature first, `IEND` last).
pub fn png_of(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = PNG_SIGNATURE.to_vec();
    for chunk in chunks {
        out.extend(chunk);
    }
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// Writes bits least significant first, as DEFLATE does.
struct DeflateBits {
    out: Vec<u8>,
    acc: u64,
    len: u32,
}

impl DeflateBits {
    fn new() -> Self {
        DeflateBits {
            out: Vec::new(),
            acc: 0,
            len: 0,
        }
    }

    /// `count` bits of `value`, least significant first (header fields and extra bits).
    fn bits(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.len;
        self.len += count;
        while self.len >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.len -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, length: u32) {
        let reversed = code.reverse_bits() >> (32 - length);
        self.bits(reversed, length);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.len > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A zlib stream of `count` zero bytes in one dynamic-Huffman block where a 258-byte repeat
/// costs two bits: about 1 KB per MB, the way real decompression bombs are made.
pub fn zlib_zeros(count: u64) -> Vec<u8> {
    let mut w = DeflateBits::new();
    w.bits(1, 1); // BFINAL
    w.bits(2, 2); // dynamic Huffman
    w.bits(286 - 257, 5); // HLIT: literal/length codes 0..=285
    w.bits(0, 5); // HDIST: one distance code
    w.bits(18 - 4, 4); // HCLEN: code-length codes in the first 18 places of the order
    // Order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: 18 gets 1 bit, 2 and 1 get 2 bits.
    let lengths = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2];
    for l in lengths {
        w.bits(l, 3);
    }
    // Code-length codes: 18 → 0, 1 → 10, 2 → 11.
    let two = |w: &mut DeflateBits| w.code(0b11, 2);
    let one = |w: &mut DeflateBits| w.code(0b10, 2);
    let zeros = |w: &mut DeflateBits, n: u32| {
        w.code(0, 1);
        w.bits(n - 11, 7);
    };
    two(&mut w); // literal 0: 2 bits
    zeros(&mut w, 138); // 1..=138
    zeros(&mut w, 117); // 139..=255
    two(&mut w); // 256 (end of block): 2 bits
    zeros(&mut w, 28); // 257..=284
    one(&mut w); // 285 (length 258): 1 bit
    one(&mut w); // distance code 0 (distance 1): 1 bit
    // Literal/length codes: 285 → 0, literal 0 → 10, end of block → 11. Distance 0 → 0.
    let mut left = count;
    if left > 0 {
        w.code(0b10, 2);
        left -= 1;
    }
    while left >= 258 {
        w.code(0, 1);
        w.code(0, 1);
        left -= 258;
    }
    for _ in 0..left {
        w.code(0b10, 2);
    }
    w.code(0b11, 2);
    let mut out = vec![0x78, 0x01];
    out.extend(w.finish());
    // Adler-32 of zeros: a stays 1, b gains 1 per byte.
    let adler = (((count % 65_521) as u32) << 16) | 1;
    out.extend(adler.to_be_bytes());
    out
}

/// A complete, valid black RGB PNG of `width` × `height` whose pixels compress about 1000:1:
/// 16 000 × 16 000 is a 750 KB file that decodes to 768 MB.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let raw = u64::from(height) * (1 + 3 * u64::from(width));
    png_of(&[
        png_chunk(b"IHDR", &ihdr(width, height, 8, 2)),
        png_chunk(b"IDAT", &zlib_zeros(raw)),
    ])
}

/// A PNG whose header declares `width` × `height` RGB pixels, followed by a few pixels only.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    png_of(&[
        png_chunk(b"IHDR", &ihdr(width, height, 8, 2)),
        png_chunk(b"IDAT", &zlib_zeros(64)),
    ])
}

/// A small picture with a gradient.
pub fn gradient(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 5) as u8, 90])
    })
}

/// `picture` encoded as `format`.
pub fn encoded(picture: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

/// A plain gradient PNG.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(
        image::DynamicImage::ImageRgb8(gradient(width, height)),
        image::ImageFormat::Png,
    )
}

/// A plain gradient JPEG.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(
        image::DynamicImage::ImageRgb8(gradient(width, height)),
        image::ImageFormat::Jpeg,
    )
}

/// A 16-bit RGB PNG, one colour all over (`rgb` in 16-bit units).
pub fn png_16bit(width: u32, height: u32, rgb: [u16; 3]) -> Vec<u8> {
    let picture = image::ImageBuffer::from_pixel(width, height, image::Rgb(rgb));
    encoded(
        image::DynamicImage::ImageRgb16(picture),
        image::ImageFormat::Png,
    )
}

/// The chunks of a PNG after its signature, as (type, data).
pub fn png_chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut at = PNG_SIGNATURE.len();
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
        let kind = [png[at + 4], png[at + 5], png[at + 6], png[at + 7]];
        chunks.push((kind, png[at + 8..at + 8 + len].to_vec()));
        at += 12 + len;
    }
    chunks
}

/// The pixel data (all `IDAT` chunks joined) of a PNG.
fn idat_of(png: &[u8]) -> Vec<u8> {
    png_chunks(png)
        .into_iter()
        .filter(|(kind, _)| kind == b"IDAT")
        .flat_map(|(_, data)| data)
        .collect()
}

/// An animated PNG of two frames: `first` everywhere, then `second` everywhere.
pub fn apng(width: u32, height: u32, first: [u8; 3], second: [u8; 3]) -> Vec<u8> {
    let frame = |rgb: [u8; 3]| {
        idat_of(&encoded(
            image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
                width,
                height,
                image::Rgb(rgb),
            )),
            image::ImageFormat::Png,
        ))
    };
    let fctl = |sequence: u32| {
        let mut data = sequence.to_be_bytes().to_vec();
        data.extend(width.to_be_bytes());
        data.extend(height.to_be_bytes());
        data.extend([0u8; 8]); // x, y offsets
        data.extend(1u16.to_be_bytes()); // delay 1/10 s
        data.extend(10u16.to_be_bytes());
        data.extend([0, 0]); // dispose none, blend source
        png_chunk(b"fcTL", &data)
    };
    let mut actl = 2u32.to_be_bytes().to_vec();
    actl.extend(0u32.to_be_bytes());
    let mut fdat = 2u32.to_be_bytes().to_vec();
    fdat.extend(frame(second));
    png_of(&[
        png_chunk(b"IHDR", &ihdr(width, height, 8, 2)),
        png_chunk(b"acTL", &actl),
        fctl(0),
        png_chunk(b"IDAT", &frame(first)),
        fctl(1),
        png_chunk(b"fdAT", &fdat),
    ])
}

/// `png` with an extra chunk placed right after `IHDR`.
pub fn with_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let after_ihdr = PNG_SIGNATURE.len() + 12 + 13;
    let mut out = png[..after_ihdr].to_vec();
    out.extend(png_chunk(kind, data));
    out.extend(&png[after_ihdr..]);
    out
}

/// An `iCCP` chunk's data whose profile inflates to `inflated` zero bytes.
pub fn iccp_inflating_to(inflated: u64) -> Vec<u8> {
    let mut data = b"bomb\0\0".to_vec();
    data.extend(zlib_zeros(inflated));
    data
}

/// A `tEXt` chunk's data of `len` bytes of text.
pub fn text_of(len: usize) -> Vec<u8> {
    let mut data = b"Comment\0".to_vec();
    data.resize(len, b'x');
    data
}

/// A `zTXt` chunk's data whose text inflates to `inflated` zero bytes.
pub fn ztxt_inflating_to(inflated: u64) -> Vec<u8> {
    let mut data = b"Comment\0\0".to_vec();
    data.extend(zlib_zeros(inflated));
    data
}

/// Writes bits most significant first with JPEG's byte stuffing (0xFF → 0xFF 0x00).
struct JpegBits {
    out: Vec<u8>,
    acc: u32,
    len: u32,
}

impl JpegBits {
    fn put(&mut self, value: u32, count: u32) {
        for i in (0..count).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.len += 1;
            if self.len == 8 {
                self.byte();
            }
        }
    }

    fn byte(&mut self) {
        let b = self.acc as u8;
        self.out.push(b);
        if b == 0xFF {
            self.out.push(0);
        }
        self.acc = 0;
        self.len = 0;
    }

    fn finish(mut self) -> Vec<u8> {
        while self.len != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

/// A JPEG segment: marker, length, data.
fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend(((data.len() + 2) as u16).to_be_bytes());
    out.extend(data);
    out
}

/// A JPEG of `width` × `height` whose components are each one flat value (`values`, one per
/// component: 1 grey, 3 YCbCr, 4 CMYK as Adobe stores it, i.e. 255 = no ink), built by hand:
/// DC coefficients only, all components 1×1 in one interleaved scan. `progressive` writes a
/// progressive frame (SOF2) with its first (DC) scan only, which decoders complete with zeros.
pub fn jpeg_flat(width: u16, height: u16, values: &[u8], progressive: bool) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut dqt = vec![0u8];
    dqt.extend([1u8; 64]);
    out.extend(segment(0xDB, &dqt));
    let mut sof = vec![8];
    sof.extend(height.to_be_bytes());
    sof.extend(width.to_be_bytes());
    sof.push(values.len() as u8);
    for i in 0..values.len() {
        sof.extend([i as u8 + 1, 0x11, 0]);
    }
    out.extend(segment(if progressive { 0xC2 } else { 0xC0 }, &sof));
    // DC: the standard luminance table, categories 0..=11. AC: end-of-block only, code "0".
    let mut dht = vec![0x00, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    dht.extend(0u8..=11);
    dht.extend([0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend(segment(0xC4, &dht));
    let mut sos = vec![values.len() as u8];
    for i in 0..values.len() {
        sos.extend([i as u8 + 1, 0x00]);
    }
    sos.extend(if progressive { [0, 0, 0] } else { [0, 63, 0] });
    out.extend(segment(0xDA, &sos));
    // The standard DC codes by category, as (code, length).
    let dc_codes: [(u32, u32); 12] = [
        (0b00, 2),
        (0b010, 3),
        (0b011, 3),
        (0b100, 3),
        (0b101, 3),
        (0b110, 3),
        (0b1110, 4),
        (0b11110, 5),
        (0b111110, 6),
        (0b1111110, 7),
        (0b11111110, 8),
        (0b111111110, 9),
    ];
    let mut bits = JpegBits {
        out: Vec::new(),
        acc: 0,
        len: 0,
    };
    let blocks = usize::from(width.div_ceil(8)) * usize::from(height.div_ceil(8));
    for block in 0..blocks {
        for &value in values {
            // The DC coefficient of a flat block is 8 × (value − 128); later blocks repeat it.
            let diff = if block == 0 {
                8 * (i32::from(value) - 128)
            } else {
                0
            };
            let category = 32 - diff.unsigned_abs().leading_zeros();
            let (code, length) = dc_codes[category as usize];
            bits.put(code, length);
            if category > 0 {
                let extra = if diff < 0 { diff - 1 } else { diff };
                bits.put(extra as u32 & ((1 << category) - 1), category);
            }
            if !progressive {
                bits.put(0, 1); // end of block: no AC coefficients
            }
        }
    }
    out.extend(bits.finish());
    out.extend([0xFF, 0xD9]);
    out
}

/// A grey JPEG whose frame header declares `width` × `height`, with the pixels of 8 × 8 only.
pub fn jpeg_declaring(width: u16, height: u16) -> Vec<u8> {
    let mut out = jpeg_flat(8, 8, &[128], false);
    let sof = out
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("SOF0");
    out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    out
}

/// `jpeg` with APP1 "Exif" segments (each the 64 KB maximum) inserted after SOI until the file
/// is at least `total` bytes.
pub fn jpeg_with_exif_of(jpeg: &[u8], total: usize) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    let mut payload = b"Exif\0\0".to_vec();
    payload.resize(65_533, 0x5A);
    while out.len() + jpeg.len() < total {
        out.extend(segment(0xE1, &payload));
    }
    out.extend(&jpeg[2..]);
    out
}

/// The first bytes of formats that are not accepted, as a phone might label them `.jpg`.
pub fn other_formats() -> Vec<(&'static str, Vec<u8>)> {
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let mut webp = b"RIFF".to_vec();
    webp.extend(30u32.to_le_bytes());
    webp.extend(b"WEBPVP8L");
    webp.extend(18u32.to_le_bytes());
    webp.extend([
        0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x08, 0x88, 0x88, 0x88, 0x08, 0, 0, 0, 0, 0,
    ]);
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>"#.to_vec();
    vec![("gif", gif), ("webp", webp), ("svg", svg)]
}
