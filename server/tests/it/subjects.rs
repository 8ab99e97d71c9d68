//! Recusal by construction: whom an opinion is about is derived from its text before any
//! reviewer sees it, only grows, binds to the person rather than the account, and shows through
//! nowhere (queue, page, issues, badges, filters, counts, search, ledger, statistics, trail).

use crate::common;
use vocabulary::model::Category;

use common::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_string())
        .collect()
}

/// Creates a member account of the township group linked to `person` through the admin API;
/// returns (account id, bearer token).
async fn member_of(app: &TestApp, admin: &str, username: &str, person: &str) -> (String, String) {
    let (id, token, _) = member_with_password(app, admin, username, person).await;
    (id, token)
}

/// [`member_of`], with the drawn password too.
async fn member_with_password(
    app: &TestApp,
    admin: &str,
    username: &str,
    person: &str,
) -> (String, String, String) {
    let (id, password) = app.create_member(admin, username, person).await;
    // The group's confirmation is tested in `account_confirmation.rs`.
    app.confirm_account(&id).await;
    let token = app.api_login_as(username, &password).await;
    (id, token, password)
}

/// Proposes removing `person` from the opinion's subjects; the status and the answer.
async fn propose_removal(app: &TestApp, token: &str, id: &str, person: &str) -> (u16, Value) {
    app.staff_send(
        Method::POST,
        token,
        &format!("/api/v1/staff/subjects/{id}/removals"),
        json!({ "person_id": person }),
    )
    .await
}

/// Confirms the proposed removal `change` of the opinion's subjects; the status.
async fn confirm_removal(app: &TestApp, token: &str, id: &str, change: &str) -> u16 {
    let path = format!("/api/v1/staff/subjects/{id}/removals/{change}");
    app.staff_send(Method::POST, token, &path, json!({}))
        .await
        .0
}

/// Adds a person to the township through the admin API; returns their id.
async fn add_person(app: &TestApp, admin: &str, name: &str, post: &str) -> String {
    let (_, units) = app.staff_get(admin, "/api/v1/admin/units").await;
    let township = common::entry_field(&units, "name", "青山镇", "id");
    let (status, person) = app
        .staff_send(
            Method::POST,
            admin,
            "/api/v1/admin/people",
            json!({ "unit_id": township, "name": name, "post": post }),
        )
        .await;
    assert_eq!(status, 201, "{person}");
    person["id"].as_str().expect("id").to_string()
}

fn count_of(counts: &Value, state: &str) -> i64 {
    counts
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["state"] == state)
        .and_then(|c| c["count"].as_i64())
        .expect("count")
}

async fn visible(app: &TestApp, token: &str, id: &str) -> bool {
    let (status, _) = app
        .staff_get(token, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    assert!(status == 200 || status == 404, "{status}");
    status == 200
}

#[actix_web::test]
async fn a_member_named_in_the_text_sees_it_nowhere() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let (_, colleague) = member_of(&app, &admin, "colleague", &liu).await;
    // 石桥村 hears only of the discipline secretary; 张家村 of roads.
    let hidden = app
        .insert_released(2, Category::Conduct, "镇纪委书记收了好处,低保名额给了亲戚")
        .await;
    let by_name = app
        .insert_released(0, Category::Conduct, "赵 敏 也知道这件事,一起处理")
        .await;
    let seen = app
        .insert_released(0, Category::Suggestion, "村里的路三年没修了,一起处理")
        .await;

    // Queue, page, photos, counts, search.
    let (_, queue) = app.staff_get(&zhao, "/api/v1/staff/opinions").await;
    assert_eq!(ids(&queue), vec![seen.clone()]);
    for id in [&hidden, &by_name] {
        assert!(!visible(&app, &zhao, id).await);
        let (status, _) = app
            .staff_get(&zhao, &format!("/api/v1/staff/opinions/{id}/photos/1"))
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .staff_get(&zhao, &format!("/api/v1/staff/subjects/{id}"))
            .await;
        assert_eq!(status, 404);
    }
    let (_, counts) = app.staff_get(&zhao, "/api/v1/staff/opinions/counts").await;
    assert_eq!(count_of(&counts, "new"), 1);
    let search = "/api/v1/staff/opinions?q=%E5%A5%BD%E5%A4%84";
    let (_, found) = app.staff_get(&zhao, search).await;
    assert!(ids(&found).is_empty(), "search finds nothing: {found}");
    let (_, found) = app.staff_get(&colleague, search).await;
    assert_eq!(
        ids(&found),
        vec![hidden.clone()],
        "the colleague's search does"
    );
    let (_, theirs) = app.staff_get(&colleague, "/api/v1/staff/opinions").await;
    assert_eq!(ids(&theirs).len(), 3, "the rest of the group has them all");
    let (_, subjects) = app
        .staff_get(&colleague, &format!("/api/v1/staff/subjects/{hidden}"))
        .await;
    assert!(
        subjects["subjects"].to_string().contains("赵敏"),
        "{subjects}"
    );

    // A merged issue holding a hidden opinion: the badge and the issue show only what she sees.
    let (status, created) = app
        .staff_send(
            Method::POST,
            &colleague,
            "/api/v1/staff/issues",
            json!({ "title": "一起处理的问题", "opinions": [hidden, by_name, seen] }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let issue = created["id"].as_str().expect("issue id").to_string();
    let (_, mine) = app
        .staff_get(&zhao, &format!("/api/v1/staff/opinions/{seen}"))
        .await;
    assert_eq!(mine["issue_id"], issue.as_str());
    let (status, view) = app
        .staff_get(&zhao, &format!("/api/v1/staff/issues/{issue}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["opinion_count"], 1);
    assert_eq!(ids(&view["opinions"]), vec![seen.clone()]);
    let (_, list) = app.staff_get(&zhao, "/api/v1/staff/issues").await;
    assert_eq!(list[0]["opinion_count"], 1, "{list}");
    let (_, ledger) = app.staff_get(&zhao, "/api/v1/staff/ledger").await;
    assert_eq!(ledger["issues"][0]["opinion_count"], 1, "{ledger}");
    let (_, theirs) = app
        .staff_get(&colleague, &format!("/api/v1/staff/issues/{issue}"))
        .await;
    assert_eq!(theirs["opinion_count"], 3);
    let (status, _) = app
        .client
        .delete(app.url(&format!("/api/v1/staff/issues/{issue}/opinions/{hidden}")))
        .bearer_auth(&zhao)
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .expect("request");
    assert_eq!(status, 404, "she cannot take out what she cannot see");

    // Statistics count only what she sees.
    let (_, stats) = app.staff_get(&zhao, "/api/v1/staff/group").await;
    let (_, all) = app.staff_get(&colleague, "/api/v1/staff/group").await;
    assert_ne!(stats["stats"], all["stats"], "her figures leave it out");

    // The village filter of her inbox lists only villages of what she sees.
    let (_, detail) = app
        .staff_get(&colleague, &format!("/api/v1/staff/opinions/{hidden}"))
        .await;
    let village = detail["village"].as_str().expect("village").to_string();
    app.page_login().await;
    let (_, inbox) = app.get_text("/staff").await;
    assert!(
        !inbox.contains(&format!("<option value=\"{village}\"")),
        "{village} is not offered"
    );
    assert!(inbox.contains("<option value=\"张家村\""));
    let (status, _) = app.get_text(&format!("/staff/opinions/{hidden}")).await;
    assert_eq!(status, 404);
    let (_, page) = app.get_text(&format!("/staff/issues/{issue}")).await;
    assert!(!page.contains("镇纪委书记收了好处"));

    // An auditor linked to her never sees those opinions in the trail.
    let zhao_person = app.person_id(&admin, "赵敏").await;
    let group = app.demo_group_id().await;
    let (status, created) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/accounts",
            json!({
                "username": "zhao-auditor",
                "display_name": "赵敏(审计)",
                "role": "auditor",
                "group_id": group,
                "person_id": zhao_person,
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let password = created["password"].as_str().expect("password");
    let auditor = app.api_login_as("zhao-auditor", password).await;
    let (_, trail) = app.staff_get(&auditor, "/api/v1/staff/audit").await;
    let targets = trail["entries"].to_string();
    assert!(targets.contains(&seen), "the trail still works");
    assert!(!targets.contains(&hidden) && !targets.contains(&by_name));
}

#[actix_web::test]
async fn subjects_are_derived_before_release() {
    let app = TestApp::spawn_with(&[("MASHANGSHUO_MIN_GROUP_SIZE", "2")]).await;
    for text in ["纪委书记不回电话", "路灯坏了半年"] {
        app.submit(0, text).await;
    }
    let zhao = app.api_login().await;
    app.release_waiting().await;
    let (_, queue) = app.staff_get(&zhao, "/api/v1/staff/opinions").await;
    assert_eq!(queue.as_array().expect("queue").len(), 1, "{queue}");
    assert_eq!(queue[0]["text"], "路灯坏了半年");
}

#[actix_web::test]
async fn the_accused_acting_first_cannot_keep_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let (_, colleague) = member_of(&app, &admin, "colleague", &liu).await;
    // Nothing in the text names her.
    let id = app
        .insert_released(0, Category::Conduct, "镇上有人把低保给了亲戚")
        .await;
    assert!(visible(&app, &zhao, &id).await);
    let (_, detail) = app
        .staff_get(&zhao, &format!("/api/v1/staff/opinions/{id}"))
        .await;
    let choice = |name: &str| {
        detail["target_choices"]
            .as_array()
            .expect("choices")
            .iter()
            .find(|c| c["label"].as_str().is_some_and(|l| l.contains(name)))
            .map(|c| c["value"].clone())
            .expect("choice")
    };
    let (zhang, zhao_value) = (choice("张德明"), choice("赵敏"));
    // She acts first and tags it as about someone else.
    let path = format!("/api/v1/staff/opinions/{id}/target");
    let (status, _) = app
        .staff_send(Method::PUT, &zhao, &path, json!({ "about": zhang }))
        .await;
    assert_eq!(status, 204);
    assert!(visible(&app, &zhao, &id).await);
    // A colleague adds her: the first tag does not stop it.
    let (status, _) = app
        .staff_send(
            Method::PUT,
            &colleague,
            &path,
            json!({ "about": zhao_value }),
        )
        .await;
    assert_eq!(status, 204);
    assert!(!visible(&app, &zhao, &id).await);
    // She cannot tag it away again: she cannot reach it.
    let (status, _) = app
        .staff_send(Method::PUT, &zhao, &path, json!({ "about": zhang }))
        .await;
    assert_eq!(status, 404);
    // A colleague's later tag about someone else adds, and never brings it back.
    let (status, _) = app
        .staff_send(Method::PUT, &colleague, &path, json!({ "about": zhang }))
        .await;
    assert_eq!(status, 204);
    assert!(!visible(&app, &zhao, &id).await);
    assert!(visible(&app, &colleague, &id).await);
}

#[actix_web::test]
async fn recusal_binds_to_the_person_not_the_account() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let zhao_person = app.person_id(&admin, "赵敏").await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let named = app
        .insert_released(0, Category::Conduct, "赵敏的亲戚占了低保")
        .await;
    let declared = app
        .insert_released(0, Category::Suggestion, "我表哥的事")
        .await;
    let plain = app
        .insert_released(0, Category::Suggestion, "路灯坏了")
        .await;
    let (status, _) = app
        .staff_send(
            Method::POST,
            &zhao,
            &format!("/api/v1/staff/opinions/{declared}/recusal"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);

    // A fresh account for the same person inherits both.
    let (_, second) = member_of(&app, &admin, "zhao2", &zhao_person).await;
    let (_, queue) = app.staff_get(&second, "/api/v1/staff/opinions").await;
    assert_eq!(ids(&queue), vec![plain.clone()]);

    // Re-linking another account to her: it loses them at once.
    let (colleague_id, colleague) = member_of(&app, &admin, "colleague", &liu).await;
    assert!(visible(&app, &colleague, &named).await);
    let (status, body) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{colleague_id}"),
            json!({ "person_id": zhao_person }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // Re-linked, it reads nothing until the group confirms the new link; then not these.
    let (status, _) = app.staff_get(&colleague, "/api/v1/staff/opinions").await;
    assert_eq!(status, 403);
    app.confirm_account(&colleague_id).await;
    assert!(!visible(&app, &colleague, &named).await);
    assert!(!visible(&app, &colleague, &declared).await);

    // A member account must be someone; nobody links their own account.
    let group = app.demo_group_id().await;
    let (status, _) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/accounts",
            json!({ "username": "nobody", "display_name": "无名", "role": "member", "group_id": group }),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{colleague_id}"),
            json!({ "person_id": "" }),
        )
        .await;
    assert_eq!(status, 422, "a member cannot be unlinked");
    let (_, me) = app.staff_get(&admin, "/api/v1/admin/accounts").await;
    let admin_id = common::entry_field(&me, "username", &app.demo.admin.username, "id");
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{admin_id}"),
            json!({ "person_id": liu }),
        )
        .await;
    assert_eq!(status, 422, "nobody links their own account");

    // The group sees whose each account is and who linked it; the trail has it.
    let (status, accounts) = app
        .staff_get(&zhao, "/api/v1/staff/subjects/accounts")
        .await;
    assert_eq!(status, 200);
    let colleague_row = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["username"] == "colleague")
        .expect("colleague")
        .clone();
    assert_eq!(colleague_row["person"], "赵敏");
    assert_eq!(colleague_row["linked_by"], app.demo.admin.username.as_str());
    assert!(app.audited("link_account", &colleague_id).await);
}

#[actix_web::test]
async fn a_person_added_later_becomes_a_subject_of_what_names_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = app
        .insert_released(0, Category::Conduct, "钱大伟天天在镇上喝酒")
        .await;
    let qian = add_person(&app, &admin, "钱大伟", "镇武装部长").await;
    let (_, qian_token) = member_of(&app, &admin, "qian", &qian).await;
    assert!(!visible(&app, &qian_token, &id).await);
}

#[actix_web::test]
async fn removing_a_wrong_match_takes_two_members() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let zhao_person = app.person_id(&admin, "赵敏").await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let chen = add_person(&app, &admin, "陈二", "镇宣传委员").await;
    let (_, first) = member_of(&app, &admin, "first", &liu).await;
    let (_, second) = member_of(&app, &admin, "second", &chen).await;
    // 赵敏 is named, but only as the one the villager already told.
    let id = app
        .insert_released(0, Category::Suggestion, "已经跟赵敏反映过,村口路灯还是不亮")
        .await;
    assert!(!visible(&app, &zhao, &id).await);

    let (status, proposed) = propose_removal(&app, &first, &id, &zhao_person).await;
    assert_eq!(status, 201, "{proposed}");
    let change = proposed["id"].as_str().expect("id").to_string();
    assert!(
        !visible(&app, &zhao, &id).await,
        "a proposal alone changes nothing"
    );
    let status = confirm_removal(&app, &first, &id, &change).await;
    assert_eq!(status, 409, "one member alone cannot");
    let status = confirm_removal(&app, &zhao, &id, &change).await;
    assert_eq!(status, 404, "the person named cannot");
    assert!(!visible(&app, &zhao, &id).await);
    let status = confirm_removal(&app, &second, &id, &change).await;
    assert_eq!(status, 204);
    assert!(visible(&app, &zhao, &id).await);

    // The villager's own choice and a declared conflict cannot be removed.
    let declared = app
        .insert_released(0, Category::Suggestion, "我表哥的事")
        .await;
    let (status, _) = app
        .staff_send(
            Method::POST,
            &first,
            &format!("/api/v1/staff/opinions/{declared}/recusal"),
            json!({}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = propose_removal(&app, &second, &declared, &liu).await;
    assert_eq!(status, 409);

    let auditor = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    let (_, trail) = app.staff_get(&auditor, "/api/v1/staff/audit").await;
    let actions: Vec<String> = trail["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["target"] == id.as_str())
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect();
    assert!(actions.contains(&"propose_subject_removal".to_string()));
    assert!(actions.contains(&"confirm_subject_removal".to_string()));
}

/// Posts a staff form with a signed-in client; returns the status.
async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> u16 {
    client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[actix_web::test]
async fn the_opinion_page_lists_subjects_and_takes_the_four_eyes_forms() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao_person = app.person_id(&admin, "赵敏").await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let chen = add_person(&app, &admin, "陈二", "镇宣传委员").await;
    let (_, _, first_password) = member_with_password(&app, &admin, "first", &liu).await;
    let (_, _, second_password) = member_with_password(&app, &admin, "second", &chen).await;
    let first = app.signed_in_client("first", &first_password).await;
    let second = app.signed_in_client("second", &second_password).await;
    let id = app
        .insert_released(0, Category::Suggestion, "已经跟赵敏反映过,路灯还是不亮")
        .await;
    let path = format!("/staff/opinions/{id}");

    let (status, html) = page(&app, &first, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"subjects\""));
    assert!(html.contains("赵敏"));
    assert!(html.contains("data-testid=\"propose-removal\""));
    let csrf = common::csrf_in(&html);
    let removals = format!("{path}/subjects/removals");
    let forged = [("csrf", "forged"), ("person_id", zhao_person.as_str())];
    assert_eq!(post_form(&app, &first, &removals, &forged).await, 403);
    let fields = [("csrf", csrf.as_str()), ("person_id", zhao_person.as_str())];
    assert_eq!(post_form(&app, &first, &removals, &fields).await, 303);

    let (_, html) = page(&app, &first, &path).await;
    let start = html
        .find(&format!("{removals}/"))
        .expect("a confirmation form");
    let confirm: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let csrf = common::csrf_in(&html);
    assert_eq!(
        post_form(&app, &first, &confirm, &[("csrf", &csrf)]).await,
        409,
        "not by whoever proposed it"
    );
    app.page_login().await;
    assert_eq!(app.get_text(&path).await.0, 404, "still hidden from her");
    let (_, html) = page(&app, &second, &path).await;
    let csrf = common::csrf_in(&html);
    assert_eq!(
        post_form(&app, &second, &confirm, &[("csrf", &csrf)]).await,
        303
    );
    assert_eq!(
        app.get_text(&path).await.0,
        200,
        "a second member removed it"
    );

    // The group page lists whose each account is and who linked it.
    let (_, group) = app.get_text("/staff/group").await;
    assert!(group.contains("data-testid=\"group-accounts\""));
    assert!(group.contains("陈二"));
    assert!(group.contains(app.demo.admin.username.as_str()));
}

#[actix_web::test]
async fn a_member_of_the_level_above_can_confirm_a_removal() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let zhao = app.api_login().await;
    let zhao_person = app.person_id(&admin, "赵敏").await;
    let liu = app.person_id(&admin, "刘国栋").await;
    let county_head = app.person_id(&admin, "陈志远").await;
    let (_, accounts) = app.staff_get(&admin, "/api/v1/admin/accounts").await;
    let county_group =
        common::entry_field(&accounts, "username", &app.demo.admin.username, "group_id");
    let (status, created) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/accounts",
            json!({
                "username": "county2", "display_name": "县里", "role": "member",
                "group_id": county_group, "person_id": county_head,
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    app.confirm_account(created["account"]["id"].as_str().expect("id"))
        .await;
    let county = app
        .api_login_as("county2", created["password"].as_str().expect("password"))
        .await;
    let (_, first) = member_of(&app, &admin, "first", &liu).await;
    let id = app
        .insert_released(0, Category::Suggestion, "已经跟赵敏反映过,路灯还是不亮")
        .await;
    // The county member does not handle it, so cannot read it.
    assert!(!visible(&app, &county, &id).await);
    let (status, proposed) = propose_removal(&app, &first, &id, &zhao_person).await;
    assert_eq!(status, 201);
    let change = proposed["id"].as_str().expect("id");
    let (status, listed) = app
        .staff_get(&county, &format!("/api/v1/staff/subjects/{id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(listed["proposals"][0]["id"], change);
    assert!(!visible(&app, &zhao, &id).await);
    assert_eq!(confirm_removal(&app, &county, &id, change).await, 204);
    assert!(visible(&app, &zhao, &id).await);
}
