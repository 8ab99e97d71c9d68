//! Photos: decoded and re-encoded, so GPS, camera and text metadata never reach storage; bad
//! files are refused with a clear message and nothing is stored.

use crate::common;

use common::TestApp;
use common::hostile;
use common::images::{
    FILE_NAME, GPS_SECONDS, MAKER, PNG_TEXT, contains, in_dump, jpeg_with_gps, png_with_text,
};
use reqwest::multipart::{Form, Part};

/// The opinion typed with hostile photos; it must come back in the refilled form.
const TYPED: &str = "村口的路灯坏了三个月，晚上看不见路";
/// The contact name typed (实名); it must come back too.
const TYPED_NAME: &str = "王小明";

fn opinion_form(text: &str, photos: Vec<(Vec<u8>, &str, &str)>) -> Form {
    let form = Form::new()
        .text("category", "suggestion")
        .text("text", text.to_string());
    with_photos(form, photos)
}

/// `form` with the photos appended as the file input sends them.
fn with_photos(mut form: Form, photos: Vec<(Vec<u8>, &str, &str)>) -> Form {
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
    let form = with_token(&app.client, &app.address, path, form).await;
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

/// `form` with the token of the box that `path` posts to, when that box has a page.
async fn with_token(client: &reqwest::Client, base: &str, path: &str, form: Form) -> Form {
    let path = path.split('?').next().unwrap_or(path);
    let code = match path.strip_prefix("/b/") {
        Some(code) => code,
        None => path
            .trim_start_matches("/api/v1/boxes/")
            .trim_end_matches("/opinions"),
    };
    let page = client
        .get(format!("{base}/b/{code}"))
        .send()
        .await
        .expect("box page")
        .text()
        .await
        .expect("box page body");
    match common::box_token_in(&page) {
        Some(token) => form.text("box_token", token),
        None => form,
    }
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
            "照片无法读取",
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

/// The box form as a browser sends it: the text fields first, then the file input's photos.
fn typed_form(photos: Vec<(Vec<u8>, &str, &str)>) -> Form {
    let form = Form::new()
        .text("category", "suggestion")
        .text("text", TYPED)
        .text("identity", "named")
        .text("contact_name", TYPED_NAME)
        .text("contact_phone", "13800138000");
    with_photos(form, photos)
}

/// How many photo rows are stored.
async fn photo_rows(app: &TestApp) -> i64 {
    app.state
        .db(|conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::opinion_photos;
            Ok(opinion_photos::table.count().get_result::<i64>(conn)?)
        })
        .await
        .expect("count photos")
}

/// Photo parts as sent: bytes, file name, declared type.
type Photos = Vec<(Vec<u8>, &'static str, &'static str)>;

/// Hostile photos, each with the status and the words of the message it must get.
fn hostile_cases() -> Vec<(&'static str, Photos, u16, &'static str)> {
    let png = |bytes: Vec<u8>| vec![(bytes, "photo.png", "image/png")];
    let jpg = |bytes: Vec<u8>| vec![(bytes, "IMG_0001.jpg", "image/jpeg")];
    let truncated_png = hostile::png(40, 30)[..60].to_vec();
    let truncated_jpeg = hostile::jpeg(64, 48)[..150].to_vec();
    let empty = hostile::png_of(&[
        hostile::png_chunk(b"IHDR", &hostile::ihdr(0, 0, 8, 2)),
        hostile::png_chunk(b"IDAT", &hostile::zlib_zeros(0)),
    ]);
    let mut cases = vec![
        ("truncated PNG", png(truncated_png), 422, "照片无法读取"),
        ("truncated JPEG", jpg(truncated_jpeg), 422, "照片无法读取"),
        ("0×0 PNG", png(empty), 422, "照片无法读取"),
        (
            "PNG declaring 65535×65535",
            png(hostile::png_declaring(65_535, 65_535)),
            413,
            "像素太多",
        ),
        (
            "16000×16000 bomb",
            png(hostile::png_bomb(16_000, 16_000)),
            413,
            "像素太多",
        ),
        (
            "progressive JPEG needing 270 MB",
            jpg(hostile::jpeg_flat(6000, 5000, &[128, 128, 128], true)),
            413,
            "像素太多",
        ),
        (
            "JPEG with 60 MB of EXIF",
            jpg(hostile::jpeg_with_exif_of(
                &hostile::jpeg(32, 32),
                60_000_000,
            )),
            413,
            "8 MB",
        ),
        (
            "four photos",
            (0..4).flat_map(|_| png(hostile::png(10, 10))).collect(),
            422,
            "最多只能附 3 张",
        ),
    ];
    for (name, bytes) in hostile::other_formats() {
        let case = match name {
            "gif" => "GIF renamed .jpg",
            "webp" => "WebP renamed .jpg",
            _ => "SVG renamed .jpg",
        };
        cases.push((case, jpg(bytes), 422, "JPG 或 PNG"));
    }
    cases
}

#[actix_web::test]
async fn an_unknown_box_is_answered_before_any_photo_is_read() {
    let app = TestApp::spawn().await;
    let unknown = "0123456789abcdef0123";
    let photos = || {
        vec![
            (b"not a picture".to_vec(), "a.jpg", "image/jpeg"),
            (vec![0xFF; 9 * 1024 * 1024], "big.jpg", "image/jpeg"),
        ]
    };
    // Decoding would answer 422 (unreadable), reading 413 (too large): the box comes first.
    let (status, body) = post_upload(
        &app,
        &format!("/api/v1/boxes/{unknown}/opinions"),
        typed_form(photos()),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(error["code"], "box_not_found", "{body}");
    let (status, page) = post_upload(&app, &format!("/b/{unknown}"), typed_form(photos())).await;
    assert_eq!(status, 404);
    assert!(page.contains("这个意见箱不存在"), "{page}");
    assert!(app.all_opinions().await.is_empty());
    assert_eq!(photo_rows(&app).await, 0);
}

#[actix_web::test]
async fn hostile_photos_get_a_clear_message_the_typed_form_back_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let api = api_path(&app);
    for (case, photos, status, words) in hostile_cases() {
        let (got, body) = post_upload(&app, &api, typed_form(photos.clone())).await;
        assert_eq!(got, status, "{case} (API): {body}");
        let error: serde_json::Value = serde_json::from_str(&body).expect("json error");
        let message = error["message"].as_str().expect("message");
        assert!(message.contains(words), "{case} (API): {message}");

        let (got, page) = post_upload(&app, &app.box_path(0), typed_form(photos)).await;
        assert_eq!(got, status, "{case} (form)");
        assert!(page.contains(words), "{case} (form): the message is shown");
        assert!(
            page.contains(TYPED),
            "{case} (form): the typed text is kept"
        );
        assert!(
            page.contains(TYPED_NAME),
            "{case} (form): the contact is kept"
        );
        assert!(
            page.contains("data-testid=\"photos-again\""),
            "{case} (form): asked to choose the photos again"
        );
    }
    assert!(app.all_opinions().await.is_empty(), "no opinion stored");
    assert_eq!(photo_rows(&app).await, 0, "no photo stored");
}

#[actix_web::test]
async fn unusual_but_sound_photos_are_kept() {
    let app = TestApp::spawn().await;
    let api = api_path(&app);
    let plain = hostile::png(40, 30);
    let cases = [
        (
            "CMYK JPEG",
            hostile::jpeg_flat(16, 8, &[255, 0, 255, 255], false),
            (16, 8),
        ),
        (
            "16-bit PNG",
            hostile::png_16bit(3000, 40, [65_535, 0, 32_896]),
            (2048, 27),
        ),
        (
            "animated PNG",
            hostile::apng(20, 10, [10, 200, 30], [250, 0, 0]),
            (20, 10),
        ),
        (
            "zTXt inflating to 1 GB",
            hostile::with_chunk(&plain, b"zTXt", &hostile::ztxt_inflating_to(1 << 30)),
            (40, 30),
        ),
        (
            "iCCP inflating to 1 GB",
            hostile::with_chunk(&plain, b"iCCP", &hostile::iccp_inflating_to(1 << 30)),
            (40, 30),
        ),
    ];
    for (case, bytes, _) in &cases {
        let form = typed_form(vec![(bytes.clone(), "p.jpg", "image/jpeg")]);
        let (status, body) = post_upload(&app, &api, form).await;
        assert_eq!(status, 201, "{case}: {body}");
    }
    let token = app.api_login().await;
    app.release_waiting().await;
    let mut sizes = Vec::new();
    for opinion in app.all_opinions().await {
        let (_, detail) = app
            .staff_get(&token, &format!("/api/v1/staff/opinions/{}", opinion.id))
            .await;
        let photo = &detail["photos"][0];
        sizes.push((photo["width"].as_u64(), photo["height"].as_u64()));
    }
    sizes.sort();
    let mut want: Vec<_> = cases
        .iter()
        .map(|(_, _, (w, h))| (Some(*w), Some(*h)))
        .collect();
    want.sort();
    assert_eq!(sizes, want);
}

#[actix_web::test]
async fn two_bombs_at_once_leave_the_server_small() {
    const LIMIT_KIB: u64 = 256 * 1024;
    let db = common::TestDb::create();
    let server = common::process::start(&db, "auto");
    let boxes = db.boxes().await;
    let url = format!(
        "http://127.0.0.1:{}/api/v1/boxes/{}/opinions",
        server.port, boxes[0].code
    );
    // Every picture is made first: an idle pooled connection could time out while one is drawn.
    let photo = phone_photo(4000, 3000);
    let photo_mb = photo.len() / 1_000_000;
    let bomb = hostile::png_bomb(16_000, 16_000);
    let largest = hostile::png_bomb(6000, 5000);
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{}", server.port);
    let path = format!("/api/v1/boxes/{}/opinions", boxes[0].code);
    let send = |photo: Vec<u8>| {
        let (client, url, base, path) = (&client, &url, &base, &path);
        async move {
            let form = with_token(
                client,
                base,
                path,
                typed_form(vec![(photo, "photo.png", "image/png")]),
            )
            .await;
            client.post(url).multipart(form).send().await
        }
    };
    let status =
        |response: reqwest::Result<reqwest::Response>| response.expect("request").status().as_u16();
    let token = common::box_token_at(&client, &base, &boxes[0].code).await;
    let (status_json, _) = post_json(&client, &url, &token).await;
    assert_eq!(status_json, 201, "a first opinion warms the server up");
    let idle = server.peak_memory_kib();

    let (a, b) = futures_util::join!(send(bomb.clone()), send(bomb));
    for response in [a, b] {
        let response = response.expect("request");
        assert_eq!(response.status().as_u16(), 413);
        let body = response.text().await.expect("body");
        assert!(body.contains("像素太多"), "{body}");
    }
    let after_bombs = server.peak_memory_kib();
    assert!(
        after_bombs < LIMIT_KIB,
        "two bombs took the server to {after_bombs} KiB"
    );

    // An ordinary 12-megapixel phone photo, for the figures in the README.
    assert_eq!(status(send(photo).await), 201);
    let after_photo = server.peak_memory_kib();

    // The largest pictures allowed (6000 × 5000, 90 MB decoded) take turns: each needs most of
    // the decode budget, so the two together never take much more than the budget.
    let before = server.memory_now_kib();
    let (a, b) = futures_util::join!(send(largest.clone()), send(largest));
    assert_eq!((status(a), status(b)), (201, 201));
    let after_largest = server.peak_memory_kib();
    let budget_kib = u64::from(mashangshuo::photos::DECODE_BUDGET_MIB) * 1024;
    assert!(
        after_largest < before + budget_kib + 16 * 1024,
        "two of the largest photos took the server from {before} to {after_largest} KiB"
    );

    // And an ordinary photo is still accepted afterwards.
    assert_eq!(status(send(jpeg_with_gps(400, 300)).await), 201);
    eprintln!(
        "VmHWM: idle {idle} KiB; after two 16000×16000 bombs at once {after_bombs} KiB; \
         after a 12 MP photo ({photo_mb} MB) {after_photo} KiB; after two 6000×5000 photos at once {after_largest} KiB (VmRSS before {before} KiB)"
    );
    server.stop();
}

/// Sends a plain JSON opinion; returns its status.
async fn post_json(client: &reqwest::Client, url: &str, token: &str) -> (u16, String) {
    let response = client
        .post(url)
        .json(&serde_json::json!({ "category": "suggestion", "text": "先来一条", "box_token": token }))
        .send()
        .await
        .expect("request");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// A photo like a phone's: a baseline JPEG full of fine detail, so it is several MB.
fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_F491_u32;
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed & 0x3F) as u8;
        image::Rgb([
            (x / 16) as u8 ^ noise,
            (y / 12) as u8 ^ noise,
            ((x + y) / 28) as u8 ^ noise,
        ])
    });
    hostile::encoded(
        image::DynamicImage::ImageRgb8(picture),
        image::ImageFormat::Jpeg,
    )
}
