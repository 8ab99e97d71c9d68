//! Merging (归纳整理) and the rectification ledger (整改台账): suggestions with scores, one issue
//! for many opinions, one reply reaching every receipt, measures and the seeds' figures.

use crate::common;
use vocabulary::model::Category;

use common::{TestApp, csrf_in};
use reqwest::Method;
use serde_json::{Value, json};

const ROAD_1: &str = "村东头的水泥路坏了一年多,下雨天全是泥坑,孩子上学要绕远路,希望尽快修路。";
const ROAD_2: &str = "我们村东头那条水泥路破损严重,一下雨就是泥坑,请镇里安排修路。";
const ROAD_3: &str = "东头的路面坑坑洼洼,下雨泥坑积水,老人走路摔过跤,盼望早日修好这条水泥路。";
const SUBSIDY: &str = "低保名额评定不公开,有的家庭条件好也评上了,希望公示低保名单。";

/// The ids of the stored opinions with these texts, in the same order.
async fn ids_of(app: &TestApp, texts: &[&str]) -> Vec<String> {
    let all = app.all_opinions().await;
    texts
        .iter()
        .map(|t| {
            all.iter()
                .find(|o| o.body == *t)
                .map(|o| o.id.to_string())
                .expect("stored")
        })
        .collect()
}

fn texts_of(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|s| s["opinion"]["text"].as_str().expect("text").to_string())
        .collect()
}

#[actix_web::test]
async fn similar_opinions_merge_into_one_issue_whose_reply_reaches_every_receipt() {
    let app = TestApp::spawn().await;
    let mut receipts = Vec::new();
    for text in [ROAD_1, SUBSIDY, ROAD_2, ROAD_3] {
        receipts.push(app.submit(0, text).await);
    }
    app.release_waiting().await;
    let token = app.api_login().await;

    // The workspace suggests the three road opinions together, with scores, and not the other.
    let (status, groups) = app.staff_get(&token, "/api/v1/staff/similar").await;
    assert_eq!(status, 200);
    let groups = groups.as_array().expect("groups").clone();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let suggested = texts_of(&groups[0]["opinions"]);
    assert_eq!(suggested.len(), 3);
    assert!(!suggested.iter().any(|t| t == SUBSIDY));
    let scores: Vec<u64> = groups[0]["opinions"]
        .as_array()
        .expect("opinions")
        .iter()
        .map(|o| o["score"].as_u64().expect("score"))
        .collect();
    assert_eq!(scores[0], 100, "the first is the reference");
    assert!(
        scores[1..].iter().all(|s| (30..100).contains(s)),
        "{scores:?}"
    );
    assert!(!groups[0]["keywords"].as_array().expect("words").is_empty());

    // Merge two of them; the third is offered to join the issue from its own page.
    let ids = ids_of(&app, &[ROAD_1, ROAD_2, ROAD_3, SUBSIDY]).await;
    let (status, created) = app
        .staff_send(
            Method::POST,
            &token,
            "/api/v1/staff/issues",
            json!({ "title": "村东头水泥路破损", "opinions": [ids[0], ids[1]] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let issue = created["id"].as_str().expect("id").to_string();
    let (_, around) = app
        .staff_get(
            &token,
            &format!("/api/v1/staff/opinions/{}/similar", ids[2]),
        )
        .await;
    let offered = around["issues"].as_array().expect("issues");
    assert_eq!(offered.len(), 1, "{around}");
    assert_eq!(offered[0]["id"], issue.as_str());
    assert!(offered[0]["score"].as_u64().expect("score") >= 30);
    let (status, _) = app
        .staff_send(
            Method::POST,
            &token,
            &format!("/api/v1/staff/issues/{issue}/opinions"),
            json!({ "opinions": [ids[2]] }),
        )
        .await;
    assert_eq!(status, 204);
    let (_, unrelated) = app
        .staff_get(
            &token,
            &format!("/api/v1/staff/opinions/{}/similar", ids[3]),
        )
        .await;
    assert!(unrelated["issues"].as_array().expect("issues").is_empty());
    assert!(
        unrelated["opinions"]
            .as_array()
            .expect("opinions")
            .is_empty()
    );

    // An opinion merged once cannot be merged again, nor handled on its own.
    let (status, refused) = app
        .staff_send(
            Method::POST,
            &token,
            "/api/v1/staff/issues",
            json!({ "title": "重复", "opinions": [ids[0], ids[3]] }),
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("opinion_not_mergeable"))
    );
    let (status, refused) = app
        .staff_send(
            Method::PATCH,
            &token,
            &format!("/api/v1/staff/opinions/{}", ids[0]),
            json!({ "state": "closed" }),
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("merged_elsewhere"))
    );
    let (_, lone) = app
        .staff_get(&token, &format!("/api/v1/staff/opinions/{}", ids[3]))
        .await;
    assert!(lone["issue_id"].is_null(), "nothing was half-merged");

    // One reply and state on the issue reach all three villagers; the fourth sees nothing.
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &token,
            &format!("/api/v1/staff/issues/{issue}"),
            json!({ "state": "rectifying", "reply": "已列入今冬村道硬化计划。" }),
        )
        .await;
    assert_eq!(status, 204);
    for (i, receipt) in receipts.iter().enumerate() {
        let (_, seen) = app.receipt_status(receipt).await;
        if i == 1 {
            assert_eq!(
                (seen["merged"].as_bool(), seen["state"].as_str()),
                (Some(false), Some("new"))
            );
            assert!(seen["issue_reply"].is_null());
        } else {
            assert_eq!(seen["merged"], true, "{seen}");
            assert_eq!(seen["state"], "rectifying");
            assert_eq!(seen["issue_reply"], "已列入今冬村道硬化计划。");
        }
    }
    let (_, page) = app.post_form("/r", &[("receipt", &receipts[0])]).await;
    assert!(page.contains("data-testid=\"merged-note\""));
    assert!(page.contains("已列入今冬村道硬化计划。"));
    let (_, found) = app
        .staff_get(&token, &format!("/api/v1/staff/issues/{issue}"))
        .await;
    assert_eq!(found["opinion_count"], 3);
    assert_eq!(found["opinions"].as_array().expect("opinions").len(), 3);
    assert_eq!(found["category"], "suggestion");

    // Taking one out leaves the count at two and that villager's page unmerged.
    let (status, _) = app
        .staff_send(
            Method::DELETE,
            &token,
            &format!("/api/v1/staff/issues/{issue}/opinions/{}", ids[2]),
            Value::Null,
        )
        .await;
    assert_eq!(status, 204);
    let (_, found) = app
        .staff_get(&token, &format!("/api/v1/staff/issues/{issue}"))
        .await;
    assert_eq!(found["opinion_count"], 2);
    let (_, seen) = app.receipt_status(&receipts[3]).await;
    assert_eq!(seen["merged"], false);

    // Closing the issue closes its opinions, so retention runs for them.
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &token,
            &format!("/api/v1/staff/issues/{issue}"),
            json!({ "state": "closed" }),
        )
        .await;
    assert_eq!(status, 204);
    let stored = app.all_opinions().await;
    for id in &ids[..2] {
        let o = stored.iter().find(|o| &o.id == id).expect("opinion");
        assert_eq!(o.state, vocabulary::model::OpinionState::Closed);
        assert!(o.closed_on.is_some());
    }
    let (status, refused) = app
        .staff_send(
            Method::PATCH,
            &token,
            &format!("/api/v1/staff/issues/{issue}"),
            json!({ "state": "rejected" }),
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("issue_state_invalid"))
    );

    // Every step is in the audit trail, by id.
    let auditor = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    let (_, trail) = app
        .staff_get(&auditor, "/api/v1/staff/audit?limit=200")
        .await;
    let trail = trail["entries"].to_string();
    for action in [
        "create_issue",
        "merge_opinion",
        "detach_opinion",
        "handle_issue",
    ] {
        assert!(trail.contains(action), "{action}");
    }
    assert!(!trail.contains("水泥路"), "entries hold ids, never text");
}

/// The text cells of an `.xlsx` workbook (its shared strings).
fn workbook_strings(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let mut xml = String::new();
    archive
        .by_name("xl/sharedStrings.xml")
        .expect("shared strings")
        .read_to_string(&mut xml)
        .expect("utf-8");
    xml.split("<t>")
        .skip(1)
        .chain(xml.split("<t xml:space=\"preserve\">").skip(1))
        .filter_map(|s| s.split("</t>").next())
        .map(str::to_string)
        .collect()
}

/// Merges the opinions with these texts into an issue; returns its id.
async fn merge(app: &TestApp, token: &str, title: &str, texts: &[&str]) -> String {
    let ids = ids_of(app, texts).await;
    let (status, created) = app
        .staff_send(
            Method::POST,
            token,
            "/api/v1/staff/issues",
            json!({ "title": title, "opinions": ids }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("id").to_string()
}

/// Adds a measure due in a week; returns its id.
async fn add_measure(app: &TestApp, token: &str, issue: &str, text: &str) -> String {
    let due =
        mashangshuo::domain::day::day_of_unix(mashangshuo::domain::day::unix_now() + 7 * 24 * 3600);
    let (status, created) = app
        .staff_send(
            Method::POST,
            token,
            &format!("/api/v1/staff/issues/{issue}/measures"),
            json!({ "text": text, "responsible": "张德明(张家村党支部书记)", "due_on": due }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().expect("id").to_string()
}

#[actix_web::test]
async fn the_ledger_reports_the_seeds_figures_and_measures_keep_evidence() {
    let app = TestApp::spawn().await;
    for text in [
        ROAD_1,
        ROAD_2,
        SUBSIDY,
        "村里的路灯坏了好几盏,晚上出门看不见。",
    ] {
        app.insert_released(0, Category::Suggestion, text).await;
    }
    let token = app.api_login().await;
    let road = merge(&app, &token, "村道破损", &[ROAD_1, ROAD_2]).await;
    let subsidy = merge(&app, &token, "低保评定不公开", &[SUBSIDY]).await;
    let first = add_measure(&app, &token, &road, "硬化村东头道路 800 米").await;
    add_measure(&app, &token, &road, "雨季前清理排水沟").await;
    let third = add_measure(&app, &token, &subsidy, "低保名单在村务公开栏公示 7 天").await;
    for (measure, evidence) in [(&first, "验收单已存档"), (&third, "公示照片已存档")] {
        let (status, _) = app
            .staff_send(
                Method::PATCH,
                &token,
                &format!("/api/v1/staff/measures/{measure}"),
                json!({ "evidence": evidence, "done": true }),
            )
            .await;
        assert_eq!(status, 204);
    }

    // Bad measures are refused with a reason, and nothing is added.
    for (body, code) in [
        (
            json!({ "text": "", "responsible": "李秀英", "due_on": "2099-01-01" }),
            "measure_text_invalid",
        ),
        (
            json!({ "text": "整改", "responsible": " ", "due_on": "2099-01-01" }),
            "measure_responsible_invalid",
        ),
        (
            json!({ "text": "整改", "responsible": "李秀英", "due_on": "2020-01-01" }),
            "measure_due_invalid",
        ),
        (
            json!({ "text": "整改", "responsible": "李秀英", "due_on": "2099-02-30" }),
            "measure_due_invalid",
        ),
    ] {
        let (status, refused) = app
            .staff_send(
                Method::POST,
                &token,
                &format!("/api/v1/staff/issues/{road}/measures"),
                body,
            )
            .await;
        assert_eq!((status, refused["code"].as_str()), (422, Some(code)));
    }

    let (status, ledger) = app.staff_get(&token, "/api/v1/staff/ledger").await;
    assert_eq!(status, 200, "{ledger}");
    assert_eq!(
        ledger["figures"],
        json!({ "problems_found": 2, "opinions_merged": 3, "measures_set": 3, "measures_done": 2,
                "measures_in_progress": 1, "measures_overdue": 0 })
    );
    let issues = ledger["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 2);
    let road_row = issues
        .iter()
        .find(|i| i["id"] == road.as_str())
        .expect("road");
    let measure = |text: &str| {
        road_row["measures"]
            .as_array()
            .expect("measures")
            .iter()
            .find(|m| m["text"] == text)
            .expect("measure")
            .clone()
    };
    let done = measure("硬化村东头道路 800 米");
    assert_eq!(done["evidence"], "验收单已存档");
    assert!(done["done_on"].is_string());
    assert!(measure("雨季前清理排水沟")["done_on"].is_null());

    // Reopening a measure moves it back to in progress.
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &token,
            &format!("/api/v1/staff/measures/{first}"),
            json!({ "done": false }),
        )
        .await;
    assert_eq!(status, 204);
    let (_, ledger) = app.staff_get(&token, "/api/v1/staff/ledger").await;
    assert_eq!(ledger["figures"]["measures_done"], 1);
    assert_eq!(ledger["figures"]["measures_in_progress"], 2);

    // A period before anything was found is empty; a reversed one is refused.
    let (_, past) = app
        .staff_get(&token, "/api/v1/staff/ledger?from=2020-01-01&to=2020-12-31")
        .await;
    assert_eq!(past["figures"]["problems_found"], 0);
    let (status, refused) = app
        .staff_get(&token, "/api/v1/staff/ledger?from=2026-12-01&to=2026-01-01")
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("period_invalid"))
    );

    // A viewer reads the figures only; an auditor nothing.
    let group = app.demo_group_id().await;
    let viewer = app
        .add_staff("qingshan-viewer", "viewer", Some(group))
        .await;
    let (status, theirs) = app.staff_get(&viewer, "/api/v1/staff/ledger").await;
    assert_eq!(status, 200);
    assert_eq!(theirs["figures"]["problems_found"], 2);
    assert!(theirs["issues"].as_array().expect("issues").is_empty());
    let auditor = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    assert_eq!(app.staff_get(&auditor, "/api/v1/staff/ledger").await.0, 403);

    // The pages show the sentence of the seeds, and the export is a workbook.
    app.page_login().await;
    let (status, page) = app.get_text("/staff/ledger").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("梳理发现问题2个，制定整改措施3条，已落实整改1条，正在落实的2条"),
        "{page}"
    );
    assert!(page.contains("硬化村东头道路 800 米"));
    let response = app
        .client
        .get(app.url("/staff/ledger.xlsx"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let cells = workbook_strings(&response.bytes().await.expect("body"));
    for expected in [
        "硬化村东头道路 800 米",
        "验收单已存档",
        "低保评定不公开",
        "张德明(张家村党支部书记)",
    ] {
        assert!(cells.iter().any(|c| c == expected), "{expected}: {cells:?}");
    }
}

#[actix_web::test]
async fn an_issue_holding_an_opinion_about_a_member_shows_her_only_the_rest() {
    let app = TestApp::spawn().await;
    // The demo reviewer `qingshan` is 赵敏; a colleague merges an opinion about her.
    let (_, info) = app
        .client
        .get(app.url(&format!("/api/v1/boxes/{}", app.box_code(0))))
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .map(|b| ((), b))
        .expect("box");
    let zhao = info["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|c| c["label"].as_str().is_some_and(|l| l.contains("赵敏")))
        .expect("赵敏 is offered")["value"]
        .clone();
    let about_her = "镇纪委书记处理村道修路款的事情不公开,村民有意见。";
    let response = app
        .client
        .post(app.url(&format!("/api/v1/boxes/{}/opinions", app.box_code(0))))
        .json(&json!({ "category": "conduct", "text": about_her, "about": zhao, "box_token": app.box_token(0).await }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    app.submit(0, ROAD_1).await;
    app.release_waiting().await;
    let group = app.demo_group_id().await;
    let colleague = app.add_staff("colleague", "member", Some(group)).await;
    let zhao_token = app.api_login().await;
    let issue = merge(&app, &colleague, "修路款使用不公开", &[about_her, ROAD_1]).await;
    add_measure(&app, &colleague, &issue, "公开修路款收支明细").await;

    let (_, theirs) = app.staff_get(&colleague, "/api/v1/staff/issues").await;
    assert_eq!(theirs[0]["opinion_count"], 2);
    // She sees the issue only through the road opinion, counted as if it were alone.
    let (_, hers) = app.staff_get(&zhao_token, "/api/v1/staff/issues").await;
    assert_eq!(hers[0]["opinion_count"], 1, "{hers}");
    let (status, view) = app
        .staff_get(&zhao_token, &format!("/api/v1/staff/issues/{issue}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["opinion_count"], 1);
    assert_eq!(view["opinions"].as_array().expect("opinions").len(), 1);
    assert!(!view.to_string().contains("镇纪委书记"), "{view}");
    // She cannot change it: a change would reach the opinion about her.
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/api/v1/staff/issues/{issue}"),
            json!({ "state": "closed" }),
        ),
        (
            Method::POST,
            format!("/api/v1/staff/issues/{issue}/measures"),
            json!({ "text": "x", "responsible": "y", "due_on": "2099-01-01" }),
        ),
    ] {
        assert_eq!(
            app.staff_send(method, &zhao_token, &path, body).await.0,
            404,
            "{path}"
        );
    }
    let (_, ledger) = app.staff_get(&zhao_token, "/api/v1/staff/ledger").await;
    assert_eq!(ledger["issues"][0]["opinion_count"], 1, "{ledger}");
    // The road opinion she may see shows its issue with the same count.
    let road = ids_of(&app, &[ROAD_1]).await.remove(0);
    let (status, around) = app
        .staff_get(
            &zhao_token,
            &format!("/api/v1/staff/opinions/{road}/similar"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(around["hidden_issue"], false);
    assert_eq!(around["issue"]["opinion_count"], 1, "{around}");
    // Nor do her pages or her export show the opinion about her.
    app.page_login().await;
    for path in [
        "/staff/issues".to_string(),
        "/staff/ledger".to_string(),
        format!("/staff/opinions/{road}"),
        format!("/staff/issues/{issue}"),
    ] {
        let (status, page) = app.get_text(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!page.contains("镇纪委书记处理"), "{path}");
    }
    let export = app
        .client
        .get(app.url("/staff/ledger.xlsx"))
        .send()
        .await
        .expect("request")
        .bytes()
        .await
        .expect("body");
    let hers = workbook_strings(&export);
    assert!(hers.contains(&"序号".to_string()), "{hers:?}");
    assert!(!hers.iter().any(|s| s.contains("镇纪委书记")), "{hers:?}");
    assert!(!hers.iter().any(|s| s == "2"), "counted as one: {hers:?}");
    let theirs = app
        .client
        .get(app.url("/api/v1/staff/ledger"))
        .bearer_auth(&colleague)
        .send()
        .await
        .expect("request")
        .json::<Value>()
        .await
        .expect("ledger");
    assert_eq!(theirs["figures"]["problems_found"], 1);
}

#[actix_web::test]
async fn the_merge_forms_work_without_javascript() {
    let app = TestApp::spawn().await;
    for text in [ROAD_1, ROAD_2, SUBSIDY] {
        app.insert_released(0, Category::Suggestion, text).await;
    }
    app.page_login().await;
    let (status, similar) = app.get_text("/staff/similar").await;
    assert_eq!(status, 200);
    assert!(similar.contains("data-testid=\"similar-group\""));
    assert!(similar.contains("data-testid=\"similarity\""));
    let csrf = csrf_in(&similar);
    let ids = ids_of(&app, &[ROAD_1, ROAD_2]).await;
    // Repeated `opinion` fields, as the checkboxes send them.
    let response = app
        .client
        .post(app.url("/staff/issues"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "村东头水泥路破损"),
            ("opinion", ids[0].as_str()),
            ("opinion", ids[1].as_str()),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("redirect")
        .to_string();
    assert!(location.starts_with("/staff/issues/"), "{location}");
    let (status, page) = app.get_text(&location).await;
    assert_eq!(status, 200);
    assert!(page.contains("村东头水泥路破损"));
    assert!(page.contains("data-testid=\"issue-count\""));
    assert_eq!(page.matches("data-testid=\"issue-opinion\"").count(), 2);

    // A measure with a past deadline is refused on the issue's page, in Chinese.
    let issue = app
        .all_opinions()
        .await
        .into_iter()
        .find_map(|o| o.issue_id)
        .expect("issue");
    let (status, refused) = app
        .post_form(
            &format!("/staff/issues/{issue}/measures"),
            &[
                ("csrf", &csrf),
                ("text", "修路"),
                ("responsible", "张德明"),
                ("due_on", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(refused.contains("完成时限应是今天或以后的日期"));
    // Nothing selected, or a forged token, merges nothing.
    let (status, _) = app
        .post_form("/staff/issues", &[("csrf", &csrf), ("title", "空")])
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .post_form(
            "/staff/issues",
            &[("csrf", "forged"), ("title", "x"), ("opinion", &ids[0])],
        )
        .await;
    assert_eq!(status, 403);
    let (_, queue) = app.get_text("/staff").await;
    assert_eq!(queue.matches("data-testid=\"merged-badge\"").count(), 2);
}
