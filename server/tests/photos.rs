//! Photos: decoded and re-encoded, so GPS, camera and text metadata never reach storage; bad
//! files are refused with a clear message and nothing is stored.

mod common;

use std::io::Cursor;

use common::TestApp;
use reqwest::multipart::{Form, Part};

const MAKER: &str = "SENTINEL-MAKER-7731";
const FILE_NAME: &str = "IMG_20261122_153045_SENTINEL.jpg";
const PNG_TEXT: &str = "SENTINEL-PNG-TEXT-4410";
/// GPS seconds of latitude, as a rational numerator: distinctive bytes to look for.
const GPS_SECONDS: u32 = 51_234_567;

/// A small picture, `width` × `height`, with a gradient so it is not trivially compressible.
fn picture(width: u32, height: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 9) as u8, (y * 4) as u8, 120])
    }))
}

/// A JPEG with an EXIF block: camera maker, orientation 6 (turn 90° clockwise), and GPS.
fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
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
fn png_with_text() -> Vec<u8> {
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

fn crc32(bytes: &[u8]) -> u32 {
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

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether a database dump holds `needle`, raw or hex-encoded (PostgreSQL dumps `bytea` as hex).
fn in_dump(dump: &[u8], needle: &[u8]) -> bool {
    contains(dump, needle) || contains(dump, hex::encode(needle).as_bytes())
}

fn opinion_form(text: &str, photos: Vec<(Vec<u8>, &str, &str)>) -> Form {
    let mut form = Form::new()
        .text("category", "suggestion")
        .text("text", text.to_string());
    for (bytes, name, mime) in photos {
        let part = Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .expect("mime");
        form = form.part("photo", part);
    }
    form
}

async fn post_upload(app: &TestApp, path: &str, form: Form) -> (u16, String) {
    let response = app
        .client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .expect("request");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

fn api_path(app: &TestApp) -> String {
    format!("/api/v1/boxes/{}/opinions", app.box_code(0))
}

#[actix_web::test]
async fn gps_and_camera_data_never_reach_storage() {
    let app = TestApp::spawn().await;
    let original = jpeg_with_gps(40, 20);
    assert!(contains(&original, MAKER.as_bytes()));
    let form = opinion_form(
        "垃圾堆在河边,见照片",
        vec![(original, FILE_NAME, "image/jpeg")],
    );
    let (status, body) = post_upload(&app, &api_path(&app), form).await;
    assert_eq!(status, 201, "{body}");
    app.release_waiting().await;

    let token = app.api_login().await;
    let id = app.all_opinions().await[0].id.clone();
    let (_, detail) = app
        .staff_get(&token, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    assert_eq!(
        detail["photos"],
        serde_json::json!([{ "number": 1, "width": 20, "height": 40 }]),
        "turned upright by its orientation, then the orientation tag dropped"
    );
    let response = app
        .client
        .get(app.url(&format!("/api/v1/staff/opinions/{id}/photos/1")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let stored = response.bytes().await.expect("body");
    assert_eq!(&stored[..2], &[0xFF, 0xD8]);
    assert!(!contains(&stored, b"Exif"), "no EXIF block");
    assert!(!contains(&stored, MAKER.as_bytes()));
    assert!(!contains(&stored, &GPS_SECONDS.to_le_bytes()), "no GPS");

    let everything = app.db.dump();
    assert!(
        in_dump(&everything, &[0xFF, 0xD8, 0xFF]),
        "the photo itself is in the dump, so the scan below can see inside it"
    );
    for needle in [MAKER.as_bytes(), FILE_NAME.as_bytes(), b"Exif\0\0"] {
        assert!(
            !in_dump(&everything, needle),
            "{} reached the database",
            String::from_utf8_lossy(needle)
        );
    }
    assert!(!in_dump(&everything, &GPS_SECONDS.to_le_bytes()));
}

#[actix_web::test]
async fn the_plain_form_takes_photos_and_drops_png_text() {
    let app = TestApp::spawn().await;
    let form = opinion_form(
        "路灯坏了",
        vec![
            (png_with_text(), "a.png", "image/png"),
            (Vec::new(), "", "application/octet-stream"),
        ],
    );
    let (status, page) = post_upload(&app, &app.box_path(0), form).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("data-testid=\"receipt\""),
        "receipt page: {page}"
    );
    app.release_waiting().await;
    app.page_login().await;
    let id = app.all_opinions().await[0].id.clone();
    let (_, detail) = app.get_text(&format!("/staff/opinions/{id}")).await;
    assert!(
        detail.contains(&format!("/staff/opinions/{id}/photos/1")),
        "one photo shown: the empty file input was ignored"
    );
    assert!(!detail.contains("photos/2"));
    let response = app
        .client
        .get(app.url(&format!("/staff/opinions/{id}/photos/1")))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let stored = response.bytes().await.expect("body");
    assert!(!contains(&stored, PNG_TEXT.as_bytes()));
    assert!(!in_dump(&app.db.dump(), PNG_TEXT.as_bytes()));
}

#[actix_web::test]
async fn bad_photos_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let api = api_path(&app);
    let cases = [
        (
            vec![(b"just some text".to_vec(), "x.jpg", "image/jpeg")],
            422,
            "打不开",
        ),
        (
            (0..4)
                .map(|_| (png_with_text(), "p.png", "image/png"))
                .collect(),
            422,
            "最多只能附 3 张",
        ),
        (
            vec![(vec![0xFF; 9 * 1024 * 1024], "big.jpg", "image/jpeg")],
            413,
            "8 MB",
        ),
        (
            (0..3)
                .map(|_| (vec![0xFF; 8 * 1024 * 1024 + 1], "big.jpg", "image/jpeg"))
                .collect(),
            413,
            "8 MB",
        ),
    ];
    for (photos, status, words) in cases {
        let (got, body) = post_upload(&app, &api, opinion_form("有照片", photos)).await;
        assert_eq!(got, status, "{body}");
        let message: serde_json::Value = serde_json::from_str(&body).expect("json error");
        assert!(
            message["message"]
                .as_str()
                .expect("message")
                .contains(words),
            "{body}"
        );
    }
    // Without JavaScript: the form comes back with the text kept and a note to pick photos again.
    let (status, page) = post_upload(
        &app,
        &app.box_path(0),
        opinion_form(
            "照片坏了但字还在",
            vec![(b"nope".to_vec(), "x.jpg", "image/jpeg")],
        ),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("照片坏了但字还在"));
    assert!(page.contains("data-testid=\"photos-again\""));
    assert!(app.all_opinions().await.is_empty(), "nothing half-stored");
}

#[actix_web::test]
async fn photos_are_only_for_the_groups_reviewers_once_released() {
    let app = TestApp::spawn().await;
    let form = opinion_form("桥", vec![(jpeg_with_gps(16, 16), "b.jpg", "image/jpeg")]);
    let (status, _) = post_upload(&app, &api_path(&app), form).await;
    assert_eq!(status, 201);
    let id = app.all_opinions().await[0].id.clone();
    let path = format!("/api/v1/staff/opinions/{id}/photos/1");
    let (status, _) = app.staff_get("not-a-token", &path).await;
    assert_eq!(status, 401);
    let token = app.api_login().await;
    let (status, _) = app.staff_get(&token, &path).await;
    assert_eq!(status, 404, "still waiting for its batch");
    app.release_waiting().await;
    let (status, _) = app.staff_get(&token, &path).await;
    assert_eq!(status, 200);
    let (status, _) = app
        .staff_get(&token, &format!("/api/v1/staff/opinions/{id}/photos/2"))
        .await;
    assert_eq!(status, 404);
}
