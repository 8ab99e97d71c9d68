//! Made for villagers' phones: every resident page offers to read itself aloud (where the
//! browser can speak), staff pages do not (their page script only wires print buttons).

use crate::common;

use common::TestApp;

#[actix_web::test]
async fn resident_pages_offer_to_read_aloud_and_staff_pages_do_not() {
    let app = TestApp::spawn().await;
    let (_, box_page) = app.get_text(&app.box_path(0)).await;
    let at = box_page
        .find("data-testid=\"notice-board-link\"")
        .expect("board link");
    let href = &box_page[box_page[..at].rfind("href=\"").expect("href") + 6..];
    let board = href[..href.find('"').expect("quote")].to_string();
    for path in [
        "/",
        "/privacy",
        "/r",
        app.box_path(0).as_str(),
        board.as_str(),
    ] {
        let (status, page) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("id=\"read-aloud\""), "{path} has the button");
        assert!(page.contains("🔊 朗读本页"), "{path} labels it in Chinese");
        assert!(page.contains("speechSynthesis"), "{path} has the script");
    }
    let (_, english) = app.get_text("/r?lang=en").await;
    assert!(english.contains("Read aloud"));
    app.page_login().await;
    let (status, staff) = app.get_text("/staff").await;
    assert_eq!(status, 200);
    assert!(!staff.contains("id=\"read-aloud\""));
}

#[actix_web::test]
async fn the_bundle_is_served_precompressed_with_long_caching() {
    let app = TestApp::spawn().await;
    let pkg = app.db.dir.path().join("site").join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    let name = "mashangshuo.0123456789.js";
    std::fs::write(pkg.join(name), "console.log('plain')").expect("js");
    std::fs::write(pkg.join(format!("{name}.br")), b"brotli bytes").expect("br");
    std::fs::write(pkg.join(format!("{name}.gz")), b"gzip bytes").expect("gz");
    let get = |encoding: &'static str| {
        app.client
            .get(app.url(&format!("/pkg/{name}")))
            .header("Accept-Encoding", encoding)
            .send()
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br", Some("br"), "brotli bytes"),
        ("gzip", Some("gzip"), "gzip bytes"),
        ("br;q=0, gzip", Some("gzip"), "gzip bytes"),
        ("identity", None, "console.log('plain')"),
    ] {
        let response = get(accept).await.expect("request");
        assert_eq!(response.status().as_u16(), 200, "{accept}");
        let headers = response.headers().clone();
        let header = |h: &str| {
            headers
                .get(h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        assert_eq!(header("content-encoding").as_deref(), encoding, "{accept}");
        assert!(header("content-type").expect("type").contains("javascript"));
        assert_eq!(header("vary").as_deref(), Some("Accept-Encoding"));
        assert!(
            header("cache-control")
                .expect("cache")
                .contains("immutable")
        );
        assert_eq!(response.text().await.expect("body"), body, "{accept}");
    }
    let missing = app
        .client
        .get(app.url("/pkg/nothing.js"))
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status().as_u16(), 404);
}

#[actix_web::test]
async fn categories_carry_icons_and_the_receipt_is_easy_to_keep() {
    let app = TestApp::spawn().await;
    let (_, box_page) = app.get_text(&app.box_path(0)).await;
    for category in vocabulary::model::Category::ALL {
        let label = category.label(vocabulary::i18n::Lang::Zh);
        assert!(
            box_page.contains(category.icon()) && box_page.contains(label),
            "{label} has its icon"
        );
    }
    // Sent without JavaScript: the receipt in large grouped digits, with the advice to copy it
    // down or take a screenshot.
    let (status, receipt) = app
        .post_form(
            &app.box_path(0),
            &[("category", "suggestion"), ("text", "村口的路灯坏了")],
        )
        .await;
    assert_eq!(status, 200, "{receipt}");
    let tag = &receipt[receipt
        .find("data-testid=\"receipt\"")
        .expect("the receipt")..];
    let code = &tag[tag.find('>').expect("tag end") + 1..tag.find('<').expect("text end")];
    assert_eq!(code.split(' ').count(), 4, "four groups of four: {code}");
    assert!(
        tag[..tag.find('>').expect("tag end")].contains("class=\"code\""),
        "large digits"
    );
    assert!(receipt.contains("截图"), "the screenshot tip");
}
