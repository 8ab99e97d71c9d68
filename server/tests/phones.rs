//! Made for villagers' phones: every resident page offers to read itself aloud (where the
//! browser can speak), staff pages do not.

mod common;

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
    assert!(!staff.contains("speechSynthesis"));
}
