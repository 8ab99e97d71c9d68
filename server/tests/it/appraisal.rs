//! Mass appraisal end to end: questionnaires, rounds, one-time slips (printed, scanned,
//! redeemed once, 50 phones at once), changing answers, closing and the suppressed results.

use crate::common;

use base64::Engine;
use common::appraisal::{all_rated, local, phone, send};
use common::{TestApp, csrf_in};
use mashangshuo::domain::day::{day_of_unix, today, unix_now};
use vocabulary::appraisal::answer_field;

/// Every `value` of the checkboxes named `subject` inside the element with `testid`.
fn subject_ids(html: &str, testid: &str) -> Vec<String> {
    let start = html
        .find(&format!("data-testid=\"{testid}\""))
        .expect("list");
    let end = start + html[start..].find("</fieldset>").expect("end");
    let mut ids = Vec::new();
    let mut rest = &html[start..end];
    while let Some(i) = rest.find("name=\"subject\" value=\"") {
        rest = &rest[i + 22..];
        ids.push(rest[..rest.find('"').expect("quote")].to_string());
    }
    ids
}

/// The text of every element with `class="{class}"`.
fn texts_of_class(html: &str, class: &str) -> Vec<String> {
    html.split(&format!("class=\"{class}\""))
        .skip(1)
        .map(|part| {
            let start = part.find('>').expect("tag end") + 1;
            part[start..start + part[start..].find('<').expect("text end")].to_string()
        })
        .collect()
}

/// A QR code's content, decoded from a `data:image/png;base64,…` URL.
fn decode_qr(data_url: &str) -> String {
    let encoded = data_url
        .strip_prefix("data:image/png;base64,")
        .expect("png data url");
    let png = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let image = image::load_from_memory(&png).expect("png").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let (_, content) = grids[0].decode().expect("qr decodes");
    content
}

/// A round of `questionnaire` over the first `n` organisations (or members), run by the demo
/// group from today for 30 days; returns its id and the subjects.
async fn open_round(
    app: &TestApp,
    questionnaire: &str,
    mode: &str,
    list: &str,
    n: usize,
) -> (String, Vec<String>) {
    let closes = day_of_unix(unix_now() + 30 * 86_400);
    open_round_on(app, questionnaire, mode, list, n, (&today(), &closes)).await
}

/// [`open_round`] with its first and last day.
async fn open_round_on(
    app: &TestApp,
    questionnaire: &str,
    mode: &str,
    list: &str,
    n: usize,
    (opens, closes): (&str, &str),
) -> (String, Vec<String>) {
    let (status, page) = app.get_text("/staff/appraisal").await;
    assert_eq!(status, 200);
    let csrf = csrf_in(&page);
    let subjects: Vec<String> = subject_ids(&page, list).into_iter().take(n).collect();
    assert_eq!(subjects.len(), n, "the demo area has enough to appraise");
    let name = format!("{opens}起群众评议");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("name", name.as_str()),
        ("questionnaire", questionnaire),
        ("mode", mode),
        ("opens_on", opens),
        ("closes_on", closes),
    ];
    fields.extend(subjects.iter().map(|s| ("subject", s.as_str())));
    let to = app.redirect_of("/staff/appraisal", &fields).await;
    let id = to.rsplit('/').next().expect("id").to_string();
    (id, subjects)
}

/// Prints `count` slips; returns their addresses as decoded from the QR codes.
async fn print_slips(app: &TestApp, round: &str, count: &str) -> Vec<String> {
    let (_, page) = app.get_text(&format!("/staff/appraisal/{round}")).await;
    let csrf = csrf_in(&page);
    let (status, sheet) = app
        .post_form(
            &format!("/staff/appraisal/{round}/slips"),
            &[("csrf", &csrf), ("count", count)],
        )
        .await;
    assert_eq!(status, 200, "{sheet}");
    let urls = texts_of_class(&sheet, "url");
    let images: Vec<&str> = sheet
        .split("src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').expect("quote")])
        .collect();
    assert_eq!(images.len(), urls.len());
    for (image, url) in images.iter().zip(&urls) {
        assert_eq!(&decode_qr(image), url, "the QR holds the printed address");
    }
    urls.iter().map(|u| local(app, u)).collect()
}

#[actix_web::test]
async fn a_slip_counts_once_and_the_results_hide_what_few_people_said() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let (round, subjects) =
        open_round(&app, "template:organisation", "slips", "round-units", 2).await;
    let slips = print_slips(&app, &round, "8").await;
    assert_eq!(slips.len(), 8);
    let dump = app.db.dump();
    let code = slips[0].rsplit('/').next().expect("code");
    assert!(
        !dump.windows(code.len()).any(|w| w == code.as_bytes()),
        "slip codes are stored only hashed"
    );

    let resident = phone();
    // The form behind a slip, in Chinese, with the four faces.
    let form = resident.get(&slips[0]).send().await.expect("request");
    assert_eq!(form.status().as_u16(), 200);
    let form = form.text().await.expect("body");
    assert!(form.contains("比较满意") && form.contains("😄"));
    assert!(form.contains("推进创先争优活动兑现公开承诺情况"));

    // Leaving out a required item keeps every choice, marks the gap and spends nothing.
    let mut partial = all_rated(&subjects, "satisfied");
    partial.pop();
    let (status, again) = send(&resident, &slips[0], &partial).await;
    assert_eq!(status, 422);
    assert!(again.contains("还有必答的项目没有选择"));
    assert!(again.contains("item missing"));
    assert!(again.contains("checked"));

    // Six people: all pleased with the first village; two displeased with the second.
    let mut keys = Vec::new();
    for (n, slip) in slips.iter().take(6).enumerate() {
        let mut answers = all_rated(&subjects[..1], "satisfied");
        let level = if n < 2 { "dissatisfied" } else { "satisfied" };
        answers.extend(all_rated(&subjects[1..], level));
        answers.push((
            answer_field(&subjects[0], "suggestions"),
            format!("建议{n}：修路"),
        ));
        let (status, thanks) = send(&resident, slip, &answers).await;
        assert_eq!(status, 200, "{thanks}");
        assert!(thanks.contains("谢谢您参加评议"));
        assert!(!thanks.contains("修路"), "the thank-you shows no answer");
        let key = texts_of_class(&thanks, "code")[0].clone();
        keys.push(key);
    }
    // A used slip, and a made-up one.
    let (status, used) = send(&resident, &slips[0], &all_rated(&subjects, "satisfied")).await;
    assert_eq!(status, 409);
    assert!(used.contains("这张评议卡已经用过了"));
    let unknown = slips[0].replace(code, "0000000000000000");
    let response = resident.get(&unknown).send().await.expect("request");
    assert_eq!(response.status().as_u16(), 404);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("这张评议卡无效")
    );

    // The first person changes their mind about the second village; knowing the slip alone
    // changes nothing.
    let (_, page) = app.get_text(&format!("/staff/appraisal/{round}")).await;
    let public = page
        .split("data-testid=\"public-form\"")
        .nth(1)
        .map(|_| ())
        .is_none();
    assert!(public, "slip rounds show no public form");
    let public_code = {
        let (_, thanks) = send(&resident, &slips[6], &all_rated(&subjects, "satisfied")).await;
        let at = thanks.find("/a/").expect("change link") + 3;
        thanks[at..at + 20].to_string()
    };
    let change_url = app.url(&format!("/a/{public_code}/change"));
    let mut changed = all_rated(&subjects, "satisfied");
    changed.push(("change".into(), code.to_string()));
    let (status, refused) = send(&resident, &change_url, &changed).await;
    assert_eq!(status, 422, "a slip code is not a change key");
    assert!(refused.contains("没有找到可以修改的答案"));
    changed.pop();
    changed.push(("change".into(), keys[0].clone()));
    let (status, _) = send(&resident, &change_url, &changed).await;
    assert_eq!(status, 200);

    // No results while the round runs.
    let (status, body) = app
        .get_text(&format!("/staff/appraisal/{round}/results"))
        .await;
    assert_eq!(status, 409, "{body}");

    close(&app, &round).await;
    let (status, _) = send(&resident, &slips[7], &all_rated(&subjects, "satisfied")).await;
    assert_eq!(status, 409, "a closed round takes no answers");

    let (status, results) = app
        .get_text(&format!("/staff/appraisal/{round}/results"))
        .await;
    assert_eq!(status, 200, "{results}");
    // 7 responses of 8 slips (6 + the one that found the public code).
    assert!(
        results.contains("收回 7 份，发卡 8 张，收回率 87.5%"),
        "{results}"
    );
    let overall = results
        .split("data-testid=\"results-item-overall\"")
        .nth(1)
        .expect("overall item");
    let overall = &overall[..overall.find("</table>").expect("end")];
    // The second village: one dissatisfied person is left after the change. That count, its
    // rate and every figure it could be worked out from (the village's satisfied count, then
    // the first village's, which the column total would give away) show as "—"; the zeros and
    // the number of answers (14) still show.
    let rows: Vec<&str> = overall.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "{overall}");
    let cells = |row: &str| -> Vec<String> {
        row.split("<td")
            .skip(1)
            .map(|c| {
                let start = c.find('>').expect("tag") + 1;
                c[start..start + c[start..].find('<').expect("end")].to_string()
            })
            .collect()
    };
    let (first, second, all) = (cells(rows[0]), cells(rows[1]), cells(rows[2]));
    assert_eq!(second[..4], ["—", "0", "0", "—"], "{overall}");
    assert_eq!(second[5], "—", "no rate that would reveal one person");
    assert_eq!(first[0], "—", "{overall}");
    assert_eq!(all[4], "14", "{overall}");
    assert_eq!(all[3], "—", "{overall}");
    assert!(results.contains("建议1：修路") && results.contains("<svg"));
    assert!(
        !results.contains("建议0"),
        "the changed answers replaced the first ones"
    );
}

#[actix_web::test]
async fn fifty_phones_sending_one_slip_at_once_count_once() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let (round, subjects) =
        open_round(&app, "template:organisation", "slips", "round-units", 1).await;
    let slip = print_slips(&app, &round, "1").await.remove(0);
    let answers = all_rated(&subjects, "fairly_satisfied");
    let sends = (0..50).map(|_| {
        let (slip, answers) = (slip.clone(), answers.clone());
        async move { send(&phone(), &slip, &answers).await.0 }
    });
    let statuses = futures_util::future::join_all(sends).await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        49,
        "{statuses:?}"
    );
    let (_, page) = app.get_text(&format!("/staff/appraisal/{round}")).await;
    assert!(page.contains("收回 1 份"), "exactly one response counted");
}

#[actix_web::test]
async fn a_copied_questionnaire_is_edited_and_used_and_open_rounds_take_anyone() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let (_, page) = app.get_text("/staff/questionnaires").await;
    let csrf = csrf_in(&page);
    let edit = app
        .redirect_of(
            "/staff/questionnaires",
            &[("csrf", &csrf), ("template", "member")],
        )
        .await;
    let (status, form) = app.get_text(&edit).await;
    assert_eq!(status, 200);
    assert!(form.contains("践行公开承诺情况"));
    // Reword the first item, drop the second, add a written question first.
    let fields = [
        ("csrf", csrf.as_str()),
        ("title", "党员评议表（本镇）"),
        ("key_0", "commitments"),
        ("text_0", "兑现承诺情况"),
        ("kind_0", "rating"),
        ("order_0", "2"),
        ("required_0", "on"),
        ("key_1", "post_excellence"),
        ("text_1", "立足本职岗位争优情况"),
        ("kind_1", "rating"),
        ("order_1", "3"),
        ("remove_1", "on"),
        ("key_2", "serving_people"),
        ("text_2", "联系和服务群众情况"),
        ("kind_2", "rating"),
        ("order_2", "4"),
        ("key_3", "overall"),
        ("text_3", "基本评价"),
        ("kind_3", "rating"),
        ("order_3", "5"),
        ("required_3", "on"),
        ("text_4", "您还想说什么"),
        ("kind_4", "text"),
        ("order_4", "1"),
    ];
    assert_eq!(app.redirect_of(&edit, &fields).await, edit);
    let (status, refused) = app
        .post_form(&edit, &[("csrf", &csrf), ("title", " "), ("text_0", "x")])
        .await;
    assert_eq!(status, 422);
    assert!(refused.contains("请写评议表的标题"));

    let id = edit.rsplit('/').next().expect("id");
    let (round, members) = open_round(&app, id, "open", "round-members", 2).await;
    let url = &public_form(&app, &round).await;
    let (status, poster) = app
        .get_text(&format!("/staff/appraisal/{round}/poster"))
        .await;
    assert_eq!(status, 200);
    assert!(poster.contains("<svg"));

    let resident = phone();
    let form = resident.get(url).send().await.expect("request");
    let form = form.text().await.expect("body");
    let words = form.find("您还想说什么").expect("the new item");
    assert!(
        words < form.find("兑现承诺情况").expect("reworded"),
        "reordered"
    );
    assert!(!form.contains("立足本职岗位争优情况"), "removed");
    // Two people answer through the poster; nothing is required but two items.
    for _ in 0..2 {
        let answers: Vec<(String, String)> = members
            .iter()
            .flat_map(|m| {
                [
                    (answer_field(m, "commitments"), "satisfied".to_string()),
                    (
                        answer_field(m, "overall"),
                        "basically_satisfied".to_string(),
                    ),
                ]
            })
            .collect();
        let (status, _) = send(&resident, url, &answers).await;
        assert_eq!(status, 200);
    }
    let (_, page) = app.get_text(&format!("/staff/appraisal/{round}")).await;
    assert!(page.contains("收回 2 份"));
}

/// The public form address of an open round, as the round page shows it.
async fn public_form(app: &TestApp, round: &str) -> String {
    let (_, page) = app.get_text(&format!("/staff/appraisal/{round}")).await;
    let public = page
        .split("data-testid=\"public-form\"")
        .nth(1)
        .expect("public form");
    let start = public.find("http").expect("url");
    local(
        app,
        &public[start..start + public[start..].find(['"', '<']).expect("end")],
    )
}

/// Closes a round through its page.
async fn close(app: &TestApp, round: &str) {
    let (_, page) = app.get_text(&format!("/staff/appraisal/{round}")).await;
    let csrf = csrf_in(&page);
    let path = format!("/staff/appraisal/{round}/close");
    app.redirect_of(&path, &[("csrf", &csrf)]).await;
}

#[actix_web::test]
async fn results_show_the_trend_against_the_previous_finished_round() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let day = today();
    let earlier = day_of_unix(unix_now() - 60 * 86_400);
    let resident = phone();
    let mut rounds = Vec::new();
    // Five people fully satisfied in the earlier round, five only basically satisfied now.
    for (opens, level) in [
        (earlier.as_str(), "satisfied"),
        (day.as_str(), "basically_satisfied"),
    ] {
        let (round, units) = open_round_on(
            &app,
            "template:organisation",
            "open",
            "round-units",
            1,
            (opens, &day),
        )
        .await;
        let url = public_form(&app, &round).await;
        for _ in 0..5 {
            let (status, _) = send(&resident, &url, &all_rated(&units, level)).await;
            assert_eq!(status, 200);
        }
        close(&app, &round).await;
        rounds.push(round);
    }
    let (status, results) = app
        .get_text(&format!("/staff/appraisal/{}/results", rounds[1]))
        .await;
    assert_eq!(status, 200);
    assert!(
        results.contains(&format!("与“{earlier}起群众评议”相比")),
        "{results}"
    );
    // 100 % → 0 %: minus 100 points on the unit's line and overall.
    assert_eq!(results.matches("−100.0").count(), 2, "{results}");
    let (_, first) = app
        .get_text(&format!("/staff/appraisal/{}/results", rounds[0]))
        .await;
    assert!(
        !first.contains("相比"),
        "the first round has nothing to compare with"
    );
}
