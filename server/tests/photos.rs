//! Photos: decoded and re-encoded, so GPS, camera and text metadata never reach storage; bad
//! files are refused with a clear message and nothing is stored.

mod common;

use common::TestApp;
use common::images::{
    FILE_NAME, GPS_SECONDS, MAKER, PNG_TEXT, contains, in_dump, jpeg_with_gps, png_with_text,
};
use reqwest::multipart::{Form, Part};

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
