//! Public notices (通报): the group writes one with a finished round's results and the ledger's
//! figures, publishes it on the township's page (linked from the box page), the figures stay as
//! published, and withdrawing takes it down.

use crate::common;
use vocabulary::model::Category;

use common::appraisal::{close_api, finished_round, open_round_api};
use common::{TestApp, csrf_in};
use mashangshuo::domain::day::today;
use reqwest::Method;

/// The public board's path, as linked from the first demo box's page.
async fn board_path(app: &TestApp) -> String {
    let (status, page) = app.get_text(&app.box_path(0)).await;
    assert_eq!(status, 200);
    let marker = "data-testid=\"notice-board-link\"";
    let link = &page[..page.find(marker).expect("the box page links its board")];
    let href = &link[link.rfind("href=\"").expect("href") + 6..];
    href[..href.find('"').expect("quote")].to_string()
}

/// A published figure sits between tags; this finds it without caring about the markup.
fn shows(page: &str, text: &str) -> bool {
    page.contains(text)
}

#[actix_web::test]
async fn a_published_notice_shows_the_round_and_the_ledger_as_they_were_until_withdrawn() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let token = app.api_login().await;
    let (round, _) = finished_round(&app, &token, 2, &["satisfied"; 6]).await;
    // One issue of two opinions with one measure, still in progress.
    let first = app
        .insert_released(0, Category::Suggestion, "通报测试意见一")
        .await;
    let second = app
        .insert_released(0, Category::Suggestion, "通报测试意见二")
        .await;
    let (status, created) = app
        .staff_send(
            Method::POST,
            &token,
            "/api/v1/staff/issues",
            serde_json::json!({ "title": "村道破损", "opinions": [first, second] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let issue = created["id"].as_str().expect("id").to_string();
    let (status, created) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("/api/v1/staff/issues/{issue}/measures"),
            serde_json::json!({ "text": "修补村道", "responsible": "张德明", "due_on": "2099-01-01" }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let measure = created["id"].as_str().expect("id").to_string();

    let board = board_path(&app).await;
    assert!(board.starts_with("/t/"), "{board}");
    let (status, empty) = app.get_text(&board).await;
    assert_eq!(status, 200);
    assert!(shows(&empty, "这里还没有公布的通报"));

    // A draft with the group's text, the round and this year's ledger: the group sees the
    // figures, the public sees nothing yet.
    let (_, page) = app.get_text("/staff/notices").await;
    let csrf = csrf_in(&page);
    let notice = app
        .redirect_of(
            "/staff/notices",
            &[
                ("csrf", &csrf),
                ("title", "关于上半年群众评议和整改情况的通报"),
                ("body", "感谢群众参与评议。\n下半年继续整改。"),
                ("round", &round),
                ("ledger", "true"),
            ],
        )
        .await;
    let (status, preview) = app.get_text(&notice).await;
    assert_eq!(status, 200);
    assert!(shows(&preview, "100%"), "{preview}");
    assert!(shows(
        &preview,
        "梳理发现问题1个，制定整改措施1条，已落实整改0条，正在落实的1条"
    ));
    let (_, still_empty) = app.get_text(&board).await;
    assert!(
        !shows(&still_empty, "关于上半年群众评议"),
        "drafts stay private"
    );

    // Published: title, paragraphs, a line per organisation with its rate, the ledger sentence
    // and a QR code back to the page for the printed poster.
    app.redirect_of(&format!("{notice}/publish"), &[("csrf", &csrf)])
        .await;
    let (status, public) = app.get_text(&board).await;
    assert_eq!(status, 200);
    for text in [
        "关于上半年群众评议和整改情况的通报",
        "<p>感谢群众参与评议。</p>",
        "<p>下半年继续整改。</p>",
        "收回 6 份",
        &format!("群众评议结果：{}起群众评议", today()),
        "100%",
        "梳理发现问题1个，制定整改措施1条，已落实整改0条，正在落实的1条",
        "扫码查看通报",
        &format!("https://township.example{board}"),
    ] {
        assert!(shows(&public, text), "the board shows {text}");
    }
    let results = &public[public.find("notice-results").expect("results table")..];
    let results = &results[..results.find("</table>").expect("end")];
    assert_eq!(
        results.matches("<tr>").count(),
        4,
        "header, two units, total"
    );
    assert!(public[public.find("board-qr").expect("qr")..].contains("<svg"));
    assert!(
        !shows(&public, "通报测试意见"),
        "no opinion text is published"
    );
    let (_, english) = app.get_text(&format!("{board}?lang=en")).await;
    assert!(shows(&english, "public notices"));

    // The measure is done later: the published figures stay as they were.
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &token,
            &format!("/api/v1/staff/measures/{measure}"),
            serde_json::json!({ "evidence": "已修好", "done": true }),
        )
        .await;
    assert_eq!(status, 204);
    let (_, public) = app.get_text(&board).await;
    assert!(
        shows(&public, "已落实整改0条"),
        "published figures are frozen"
    );

    // A published notice cannot be edited; withdrawn, it leaves the board and shows live
    // figures again.
    let (status, refused) = app
        .post_form(
            &notice,
            &[("csrf", &csrf), ("title", "改过的标题"), ("body", "改")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(shows(&refused, "这份通报已经公布，不能再改"));
    app.redirect_of(&format!("{notice}/withdraw"), &[("csrf", &csrf)])
        .await;
    let (_, public) = app.get_text(&board).await;
    assert!(shows(&public, "这里还没有公布的通报"));
    let (_, preview) = app.get_text(&notice).await;
    assert!(shows(&preview, "已落实整改1条"));
}

#[actix_web::test]
async fn a_notice_is_refused_with_a_reason_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let token = app.api_login().await;
    let (_, page) = app.get_text("/staff/notices").await;
    let csrf = csrf_in(&page);
    let (status, refused) = app
        .post_form(
            "/staff/notices",
            &[("csrf", &csrf), ("title", " "), ("body", "写好的正文")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(shows(&refused, "请写通报标题"));
    assert!(shows(&refused, "写好的正文"), "the text typed is kept");
    let (status, refused) = app
        .post_form("/staff/notices", &[("csrf", &csrf), ("title", "空通报")])
        .await;
    assert_eq!(status, 422);
    assert!(shows(&refused, "通报里还没有内容"));

    // A round still running cannot be published.
    let (_, overview) = app.staff_get(&token, "/api/v1/staff/appraisal").await;
    let unit = overview["units"][0]["id"]
        .as_str()
        .expect("unit")
        .to_string();
    let day = today();
    let running =
        open_round_api(&app, &token, "template:organisation", &[unit], (&day, &day)).await;
    let (status, refused) = app
        .post_form(
            "/staff/notices",
            &[("csrf", &csrf), ("title", "通报"), ("round", &running)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(shows(&refused, "只能公布本小组已经结束的评议的结果"));

    // An unknown board is a Chinese not-found page.
    let (status, missing) = app.get_text("/t/no-such-township").await;
    assert_eq!(status, 404);
    assert!(missing.contains("lang=\"zh-CN\""));
}

#[actix_web::test]
async fn a_round_about_members_publishes_no_names() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let token = app.api_login().await;
    let (_, overview) = app.staff_get(&token, "/api/v1/staff/appraisal").await;
    let member = &overview["members"][0];
    let (id, name) = (
        member["id"].as_str().expect("id").to_string(),
        member["label"].as_str().expect("label").to_string(),
    );
    let day = today();
    let round = open_round_api(&app, &token, "template:member", &[id], (&day, &day)).await;
    close_api(&app, &token, &round).await;
    let (_, page) = app.get_text("/staff/notices").await;
    let csrf = csrf_in(&page);
    let notice = app
        .redirect_of(
            "/staff/notices",
            &[
                ("csrf", &csrf),
                ("title", "党员评议通报"),
                ("round", &round),
            ],
        )
        .await;
    app.redirect_of(&format!("{notice}/publish"), &[("csrf", &csrf)])
        .await;
    let board = board_path(&app).await;
    let (_, public) = app.get_text(&board).await;
    assert!(shows(&public, "党员评议只公布总体结果"));
    let person = name.split(['（', '(', ' ', '·']).next().expect("name");
    assert!(!shows(&public, person), "{person} is not named");
}
