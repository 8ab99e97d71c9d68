//! Box QR codes encode `{public URL}/b/{code}` and come as SVG, PNG and an A4 poster.

use crate::common;

use common::TestApp;

#[actix_web::test]
async fn a_reviewer_downloads_scannable_codes_and_a_poster() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let (_, boxes) = app.staff_get(&token, "/api/v1/staff/boxes").await;
    let boxes = boxes.as_array().expect("list");
    assert_eq!(boxes.len(), 3);
    let first = &boxes[0];
    let url = first["url"].as_str().expect("url");
    assert!(url.starts_with("https://township.example/b/"), "{url}");
    let id = first["id"].as_str().expect("id");

    app.page_login().await;
    let png = app
        .client
        .get(app.url(&format!("/staff/boxes/{id}/qr.png")))
        .send()
        .await
        .expect("request");
    assert_eq!(png.headers()["content-type"], "image/png");
    let bytes = png.bytes().await.expect("bytes");
    let image = image::load_from_memory(&bytes).expect("png").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().expect("decodes");
    assert_eq!(content, url, "the QR encodes the box URL");

    let svg = app
        .client
        .get(app.url(&format!("/staff/boxes/{id}/qr.svg")))
        .send()
        .await
        .expect("request");
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.expect("svg").contains("<svg"));

    let (status, poster) = app.get_text(&format!("/staff/boxes/{id}/poster")).await;
    assert_eq!(status, 200);
    assert!(poster.contains("size:A4"));
    assert!(poster.contains("<svg"));
    assert!(poster.contains("青山镇"));
    assert!(poster.contains(first["name"].as_str().expect("name")));
    assert!(poster.contains("背对背"), "the privacy promise");
}

#[actix_web::test]
async fn box_codes_are_random_and_stable() {
    let app = TestApp::spawn().await;
    let before: Vec<String> = app.demo.boxes.iter().map(|b| b.url.clone()).collect();
    let again = mashangshuo::demo::run(&app.state)
        .await
        .expect("demo again");
    let after: Vec<String> = again.boxes.iter().map(|b| b.url.clone()).collect();
    assert_eq!(before, after, "re-running the demo keeps the printed codes");
    assert_ne!(
        again.reviewer.password, app.demo.reviewer.password,
        "a fresh password every run"
    );
    for i in 0..3 {
        let code = app.box_code(i);
        assert_eq!(code.len(), 20, "80 bits");
        assert!(mashangshuo::domain::codes::is_box_code(&code));
    }
    assert!(
        std::path::Path::new(&app.demo.boxes[0].qr_png).exists(),
        "the demo writes the QR image"
    );
}
