//! The admin's work: units, groups, people, accounts, routing and boxes within their area, CSV
//! imports in UTF-8 and GBK with per-row reports, the admin pages, and password changes.

use crate::common;

use common::{TestApp, csrf_in};
use reqwest::Method;
use serde_json::{Value, json};

/// The unit called `name` in the admin's list.
fn unit<'a>(units: &'a Value, name: &str) -> &'a Value {
    units
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("no unit {name}"))
}

async fn post_csv(app: &TestApp, token: &str, kind: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/admin/import/{kind}")))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

#[actix_web::test]
async fn an_admin_maintains_units_groups_people_and_routing_in_their_area() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (status, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(status, 200);
    assert_eq!(unit(&units, "安城县")["depth"], 0);
    assert_eq!(unit(&units, "青山镇")["depth"], 1);
    assert_eq!(unit(&units, "张家村")["depth"], 2);
    assert_eq!(unit(&units, "张家村")["category"], "rural");
    assert_eq!(unit(&units, "青山镇")["group"]["head_name"], "刘国栋");
    let township = unit(&units, "青山镇")["id"]
        .as_str()
        .expect("id")
        .to_string();

    // A new village, its category given by the tables' Chinese label; the level follows.
    let (status, village) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/units",
            json!({ "parent_id": township, "name": "王家村", "kind": "", "category": "农村" }),
        )
        .await;
    assert_eq!(status, 201, "{village}");
    assert_eq!(
        (village["kind"].clone(), village["category"].clone()),
        (json!("village"), json!("rural"))
    );
    let village_id = village["id"].as_str().expect("id").to_string();
    for (body, want) in [
        (
            json!({ "parent_id": township, "name": "王家村", "kind": "" }),
            409,
        ),
        (
            json!({ "parent_id": township, "name": "王家支部", "kind": "branch" }),
            422,
        ),
        (
            json!({ "parent_id": township, "name": "", "kind": "" }),
            422,
        ),
        (
            json!({ "parent_id": township, "name": "某村", "kind": "", "category": "工厂" }),
            422,
        ),
    ] {
        let (status, answer) = app
            .staff_send(Method::POST, &admin, "/api/v1/admin/units", body.clone())
            .await;
        assert_eq!(status, want, "{body} → {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    // People, a group with its head; a head from another branch of the tree is refused.
    let (status, secretary) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/people",
            json!({ "unit_id": village_id, "name": "王文华", "post": "村党支部书记" }),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/people",
            json!({ "unit_id": village_id, "name": "王文华", "post": "村党支部书记" }),
        )
        .await;
    assert_eq!(status, 409);
    let (status, group) = app
        .staff_send(
            Method::PUT,
            &admin,
            &format!("/api/v1/admin/units/{village_id}/group"),
            json!({ "name": "王家村领导小组", "head_person_id": secretary["id"] }),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(group["head_name"], "王文华");
    let (status, _) = app
        .staff_send(
            Method::PUT,
            &admin,
            &format!("/api/v1/admin/units/{township}/group"),
            json!({ "name": "青山镇创先争优活动领导小组", "head_person_id": secretary["id"] }),
        )
        .await;
    assert_eq!(
        status, 422,
        "a village secretary cannot head the township group"
    );

    // A box in the new village now reaches the village's own group.
    let (status, new_box) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/boxes",
            json!({ "unit_id": village_id, "name": "王家村意见箱" }),
        )
        .await;
    assert_eq!(status, 201, "{new_box}");
    let url = new_box["url"].as_str().expect("url");
    let code = &url[url.find("/b/").expect("path") + 3..];
    let response = app
        .client
        .get(app.url(&format!("/api/v1/boxes/{code}")))
        .send()
        .await
        .expect("request");
    let info: Value = response.json().await.expect("json");
    assert_eq!(info["leading_group"], "王家村领导小组");
    assert!(info["targets"].to_string().contains("王文华"));

    // Routing: withdrawing the county rule sends 违反组织原则 back to the nearest group.
    let (_, rules) = app.staff_get(&admin, "/api/v1/admin/routing").await;
    assert_eq!(rules[0]["category"], "discipline");
    let county = unit(&units, "安城县")["id"].clone();
    let (status, _) = app
        .staff_send(
            Method::PUT,
            &admin,
            "/api/v1/admin/routing",
            json!({ "unit_id": county, "category": "discipline", "group_id": "" }),
        )
        .await;
    assert_eq!(status, 204);
    let (_, rules) = app.staff_get(&admin, "/api/v1/admin/routing").await;
    assert_eq!(rules, json!([]));

    // Withdrawn people are no longer offered to villagers.
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!(
                "/api/v1/admin/people/{}",
                secretary["id"].as_str().expect("id")
            ),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(status, 204);
    let response = app
        .client
        .get(app.url(&format!("/api/v1/boxes/{code}")))
        .send()
        .await
        .expect("request");
    let info: Value = response.json().await.expect("json");
    assert!(!info["targets"].to_string().contains("王文华"));

    // A leader rank for the statistics table 附件1; an unknown one is refused.
    let person = format!(
        "/api/v1/admin/people/{}",
        secretary["id"].as_str().expect("id")
    );
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &person,
            json!({ "leader_rank": "grassroots_secretary" }),
        )
        .await;
    assert_eq!(status, 204);
    let (_, people) = app.staff_get(&admin, "/api/v1/admin/people").await;
    let ranked = people
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["id"] == secretary["id"])
        .expect("listed");
    assert_eq!(ranked["leader_rank"], "grassroots_secretary");
    assert_eq!(ranked["active"], false, "the rank leaves the rest alone");
    let (status, refused) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &person,
            json!({ "leader_rank": "村长" }),
        )
        .await;
    assert_eq!(status, 422, "{refused}");

    // Another area's admin sees none of it and cannot touch it.
    let (_, user, password) = app.second_township().await;
    let other = app.api_login_as(&user, &password).await;
    let (status, _) = app.staff_get(&other, "/api/v1/admin/units").await;
    assert_eq!(status, 403, "a member is not an admin");
    let baishui_group = app
        .state
        .db(|conn| {
            use diesel::prelude::*;
            use mashangshuo::db::schema::leading_groups;
            Ok(leading_groups::table
                .filter(leading_groups::name.eq("白水镇领导小组"))
                .select(leading_groups::id)
                .first::<String>(conn)?)
        })
        .await
        .expect("group");
    let other_admin = app
        .add_staff("baishui-admin", "admin", Some(baishui_group))
        .await;
    let (_, theirs) = app.staff_get(&other_admin, "/api/v1/admin/units").await;
    assert!(!theirs.to_string().contains("青山镇"));
    let (status, _) = app
        .staff_send(
            Method::POST,
            &other_admin,
            "/api/v1/admin/people",
            json!({ "unit_id": village_id, "name": "越界", "post": "" }),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &other_admin,
            &format!(
                "/api/v1/admin/people/{}",
                secretary["id"].as_str().expect("id")
            ),
            json!({ "active": true }),
        )
        .await;
    assert_eq!(status, 404);
}

#[actix_web::test]
async fn accounts_get_drawn_passwords_and_role_changes_end_their_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let group = app.demo_group_id().await;
    // A member account belongs to someone of the directory.
    let (_, people) = app.staff_get(&admin, "/api/v1/admin/people").await;
    let person = common::entry_field(&people, "name", "张德明", "id");
    let (status, created) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/accounts",
            json!({ "username": "wang.ming", "display_name": "王明", "role": "member", "group_id": group, "person_id": person }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let password = created["password"].as_str().expect("password").to_string();
    assert!(password.len() >= 16);
    assert!(!created.to_string().contains("argon2"));
    let id = created["account"]["id"].as_str().expect("id").to_string();
    let member = app.api_login_as("wang.ming", &password).await;
    // It reads opinions once another member confirms it is 张德明's (account_confirmation.rs).
    let (status, _) = app.staff_get(&member, "/api/v1/staff/opinions").await;
    assert_eq!(status, 403);
    app.confirm_account(&id).await;
    let (status, _) = app.staff_get(&member, "/api/v1/staff/opinions").await;
    assert_eq!(status, 200);

    for (body, want) in [
        (
            json!({ "username": "wang.ming", "display_name": "重名", "role": "member", "group_id": group, "person_id": person }),
            409,
        ),
        (
            json!({ "username": "王明", "display_name": "王明", "role": "member", "group_id": group }),
            422,
        ),
        (
            json!({ "username": "someone", "display_name": "某人", "role": "boss", "group_id": group }),
            422,
        ),
        (
            json!({ "username": "someone", "display_name": "某人", "role": "member", "group_id": "nope" }),
            422,
        ),
    ] {
        let (status, _) = app
            .staff_send(Method::POST, &admin, "/api/v1/admin/accounts", body.clone())
            .await;
        assert_eq!(status, want, "{body}");
    }

    // A role change takes effect at once: the old token is revoked.
    let (status, changed) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{id}"),
            json!({ "role": "viewer" }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(changed["account"]["role"], "viewer");
    let (status, _) = app.staff_get(&member, "/api/v1/staff/opinions").await;
    assert_eq!(status, 401);
    let viewer = app.api_login_as("wang.ming", &password).await;
    let (status, _) = app.staff_get(&viewer, "/api/v1/staff/opinions").await;
    assert_eq!(status, 403);

    // A reset draws a new password; disabling locks the account out.
    let (_, reset) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{id}"),
            json!({ "reset_password": true }),
        )
        .await;
    let fresh = reset["password"].as_str().expect("new password");
    assert_ne!(fresh, password);
    let (status, _) = app.staff_get(&viewer, "/api/v1/staff/group").await;
    assert_eq!(status, 401);
    app.staff_send(
        Method::PATCH,
        &admin,
        &format!("/api/v1/admin/accounts/{id}"),
        json!({ "active": false }),
    )
    .await;
    let response = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .json(&json!({ "username": "wang.ming", "password": fresh }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);

    // An admin cannot lock themselves out.
    let (_, accounts) = app.staff_get(&admin, "/api/v1/admin/accounts").await;
    let own = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["username"] == "anxian-admin")
        .expect("admin")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, _) = app
        .staff_send(
            Method::PATCH,
            &admin,
            &format!("/api/v1/admin/accounts/{own}"),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(status, 422);

    // The trail names the role change and the account, never a password.
    let auditor = app
        .api_login_as(&app.demo.auditor.username, &app.demo.auditor.password)
        .await;
    let (_, trail) = app.staff_get(&auditor, "/api/v1/staff/audit").await;
    let entries = trail["entries"].to_string();
    assert!(entries.contains("change_role") && entries.contains("create_account"));
    assert!(!entries.contains(&password) && !entries.contains(fresh));
}

#[actix_web::test]
async fn csv_imports_are_all_or_nothing_with_a_report_per_row() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, before) = app.staff_get(&admin, "/api/v1/admin/units").await;

    // A file with mistakes: nothing is stored, every bad line is named.
    let bad = "上级,名称,类别\n青山镇,王家村,农村\n青山镇/不存在村,某支部,\n青山镇,张家村,\n青山镇,新村,工厂\n";
    let (status, report) = post_csv(&app, &admin, "units", bad.as_bytes().to_vec()).await;
    assert_eq!(status, 422);
    assert_eq!(report["imported"], 0);
    let lines: Vec<u64> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, vec![3, 4, 5]);
    let (_, after) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(before, after, "nothing was stored");

    // UTF-8 with a byte-order mark, units under units created by earlier rows, and a group.
    let good = "\u{feff}上级,名称,层级,类别,领导小组\n青山镇,王家村,,农村,王家村领导小组\n青山镇/王家村,王家村第一党支部,支部,,\n";
    let (status, report) = post_csv(&app, &admin, "units", good.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["imported"], 2);
    let (_, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(unit(&units, "王家村")["group"]["name"], "王家村领导小组");
    assert_eq!(unit(&units, "王家村第一党支部")["kind"], "branch");

    // People in GBK, as Excel saves CSV on Chinese Windows.
    let people =
        "单位,姓名,职务\n青山镇/王家村,王大山,村党支部书记\n青山镇/王家村,李小红,村委会主任\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(people);
    let (status, report) = post_csv(&app, &admin, "people", gbk.to_vec()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["imported"], 2);
    let (_, listed) = app.staff_get(&admin, "/api/v1/admin/people").await;
    assert!(listed.to_string().contains("王大山") && listed.to_string().contains("村委会主任"));
    // The same rows again are duplicates.
    let (status, report) = post_csv(&app, &admin, "people", gbk.to_vec()).await;
    assert_eq!(status, 422);
    assert_eq!(report["errors"].as_array().expect("errors").len(), 2);

    // Too large a file is refused with a clear message.
    let huge = vec![b'a'; 1024 * 1024 + 10];
    let response = app
        .client
        .post(app.url("/api/v1/admin/import/people"))
        .bearer_auth(&admin)
        .body(huge)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 413);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "import_too_large");
}

#[actix_web::test]
async fn the_admin_pages_work_without_javascript() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/staff/login"))
        .form(&[
            ("username", app.demo.admin.username.as_str()),
            ("password", app.demo.admin.password.as_str()),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"].to_str().expect("location"),
        "/staff/admin"
    );
    let (status, page) = app.get_text("/staff/admin").await;
    assert_eq!(status, 200);
    assert!(page.contains("张家村") && page.contains("刘国栋") && page.contains("违反组织原则"));
    let csrf = csrf_in(&page);
    let township = page
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains("青山镇<"))
        .and_then(|o| o.split('"').next())
        .expect("township option")
        .to_string();

    let (status, _) = app
        .post_form(
            "/staff/admin/units",
            &[
                ("csrf", &csrf),
                ("parent_id", &township),
                ("name", "赵家村"),
                ("kind", ""),
                ("category", "rural"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, page) = app
        .post_form(
            "/staff/admin/units",
            &[
                ("csrf", &csrf),
                ("parent_id", &township),
                ("name", "赵家村"),
                ("kind", ""),
                ("category", ""),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(page.contains("同一上级下已有同名单位"));
    let (status, _) = app
        .post_form(
            "/staff/admin/units",
            &[
                ("csrf", "forged"),
                ("parent_id", &township),
                ("name", "钱家村"),
            ],
        )
        .await;
    assert_eq!(status, 403);

    // Import through the page: the report lists the bad line.
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(
                "单位,姓名\n青山镇/赵家村,赵一\n青山镇/无此村,钱二\n"
                    .as_bytes()
                    .to_vec(),
            )
            .file_name("people.csv")
            .mime_str("text/csv")
            .expect("mime"),
        );
    let response = app
        .client
        .post(app.url("/staff/admin/import/people"))
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("第 3 行") && page.contains("无此村"));

    // An account created on the page shows its password once.
    let (status, page) = app.get_text("/staff/admin/accounts").await;
    assert_eq!(status, 200);
    let group = app.demo_group_id().await;
    let (status, page) = app
        .post_form(
            "/staff/admin/accounts",
            &[
                ("csrf", &csrf_in(&page)),
                ("username", "page-user"),
                ("display_name", "页面用户"),
                ("role", "viewer"),
                ("group_id", &group),
                ("person_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"new-password\""));
    for path in ["/staff/admin/people", "/staff/admin/import", "/staff/boxes"] {
        let (status, page) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            page.contains("/staff/admin/accounts"),
            "{path} has the admin menu"
        );
    }
}

#[actix_web::test]
async fn changing_ones_password_ends_every_session() {
    let app = TestApp::spawn().await;
    let token = app.api_login().await;
    let (status, body) = app
        .staff_send(
            Method::PUT,
            &token,
            "/api/v1/staff/password",
            json!({ "current": "wrong", "new": "a much longer password" }),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (422, json!("password_wrong"))
    );
    let (status, _) = app
        .staff_send(
            Method::PUT,
            &token,
            "/api/v1/staff/password",
            json!({ "current": app.demo.reviewer.password, "new": "short" }),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .staff_send(
            Method::PUT,
            &token,
            "/api/v1/staff/password",
            json!({ "current": app.demo.reviewer.password, "new": "a much longer password" }),
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.staff_get(&token, "/api/v1/staff/opinions").await;
    assert_eq!(status, 401);
    app.api_login_as(&app.demo.reviewer.username, "a much longer password")
        .await;
}

#[actix_web::test]
async fn an_admin_renames_and_moves_units_within_the_level_rules() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let (_, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    let id = |name: &str| unit(&units, name)["id"].as_str().expect("id").to_string();
    let (county, qingshan, zhang, li) = (id("安城县"), id("青山镇"), id("张家村"), id("李家湾村"));
    let (status, other) = app
        .staff_send(
            Method::POST,
            &admin,
            "/api/v1/admin/units",
            json!({ "parent_id": county, "name": "河西镇", "kind": "township" }),
        )
        .await;
    assert_eq!(status, 201, "{other}");
    let hexi = other["id"].as_str().expect("id").to_string();
    let patch = |unit: &str, body: Value| {
        let path = format!("/api/v1/admin/units/{unit}");
        let admin = admin.clone();
        let app = &app;
        async move { app.staff_send(Method::PATCH, &admin, &path, body).await }
    };

    // A village renamed after a merger, then moved to the other township.
    let (status, renamed) = patch(&zhang, json!({ "name": "张家新村" })).await;
    assert_eq!((status, renamed["name"].as_str()), (200, Some("张家新村")));
    let (status, moved) = patch(&zhang, json!({ "parent_id": hexi })).await;
    assert_eq!(
        (status, moved["parent_id"].as_str()),
        (200, Some(hexi.as_str()))
    );
    let (_, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(unit(&units, "张家新村")["parent_id"], hexi.as_str());
    // New opinions from its box now go to the county group: 河西镇 has no group of its own.
    let (_, info) = app
        .staff_get(&admin, &format!("/api/v1/boxes/{}", app.box_code(0)))
        .await;
    assert_eq!(info["township"], "河西镇");
    assert_eq!(info["leading_group"], "安城县创先争优活动领导小组");

    // Refused: a sibling's name, a parent of the wrong level, below itself, the area's top.
    for (unit_id, body, code) in [
        (
            &li,
            json!({ "parent_id": hexi, "name": "张家新村" }),
            "unit_exists",
        ),
        (&li, json!({ "parent_id": county }), "unit_kind_invalid"),
        (&qingshan, json!({ "parent_id": li }), "unit_move_invalid"),
        (&county, json!({ "parent_id": hexi }), "unit_move_invalid"),
        (&li, json!({ "parent_id": "nowhere" }), "parent_not_found"),
        (&li, json!({ "name": " " }), ""),
    ] {
        let (status, body) = patch(unit_id, body).await;
        if code.is_empty() {
            assert_eq!(status, 200, "an empty name keeps the old one: {body}");
            assert_eq!(body["name"], "李家湾村");
        } else {
            assert_eq!(body["code"], code, "{body}");
            assert!(status == 409 || status == 422, "{status}");
        }
    }
    // The form on the page does the same.
    app.client
        .post(app.url("/staff/login"))
        .form(&[
            ("username", app.demo.admin.username.as_str()),
            ("password", app.demo.admin.password.as_str()),
        ])
        .send()
        .await
        .expect("login");
    let (_, page) = app.get_text("/staff/admin").await;
    assert!(page.contains("data-testid=\"unit-change-form\""));
    let csrf = csrf_in(&page);
    let (status, _) = app
        .post_form(
            "/staff/admin/units/change",
            &[
                ("csrf", &csrf),
                ("unit_id", &li),
                ("name", "李家湾社区"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(unit(&units, "李家湾社区")["parent_id"], qingshan.as_str());
}
