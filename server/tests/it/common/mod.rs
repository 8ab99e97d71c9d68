//! Test harness: a real server on port 0 with a fresh database per test — a temp SQLite file,
//! or, when `DATABASE_URL` is a PostgreSQL URL, a throwaway database created and dropped here.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use diesel::{Connection, RunQueryDsl, pg::PgConnection};
use mashangshuo::config::Config;
use mashangshuo::demo::{self, DemoOutput};
use mashangshuo::domain::roles::Role;
use mashangshuo::startup::{Application, prepare};
use mashangshuo::state::AppState;
use rand::RngExt;
use vocabulary::model::{Category, GroupId, OpinionState};
use vocabulary::org::{UnitCategory, UnitKind};

pub mod appraisal;
pub mod hostile;
pub mod images;
pub mod process;
pub mod sheets;

/// A fixed deployment secret for tests (64 hex digits).
pub const TEST_SECRET: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";

/// A fresh database for one test, removed on drop.
pub struct TestDb {
    /// The URL the server gets.
    pub url: String,
    /// The temp folder (SQLite file, data dir).
    pub dir: tempfile::TempDir,
    /// Admin URL and database name, for PostgreSQL.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// Creates the database chosen by `DATABASE_URL` (SQLite when unset).
    pub fn create() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
        {
            Some(admin) => {
                let suffix: u64 = rand::rng().random();
                let name = format!("mss_test_{suffix:016x}");
                let mut conn =
                    PgConnection::establish(&admin).expect("connect to the test PostgreSQL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .expect("create test database");
                let url = replace_db_name(&admin, &name);
                TestDb {
                    url,
                    dir,
                    postgres: Some((admin, name)),
                }
            }
            None => {
                let url = format!("sqlite://{}", dir.path().join("mss.db").display());
                TestDb {
                    url,
                    dir,
                    postgres: None,
                }
            }
        }
    }

    /// The boxes stored in this database (seeded by a server started on it).
    pub async fn boxes(&self) -> Vec<mashangshuo::db::boxes::OpinionBox> {
        let pool = mashangshuo::db::connect(&self.url, 1).expect("pool");
        actix_web::web::block(move || {
            let mut conn = pool.get().expect("connection");
            mashangshuo::db::boxes::OpinionBox::all(&mut conn)
        })
        .await
        .expect("thread")
        .expect("boxes")
    }

    /// Whether this test runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Every stored byte of the database, for privacy scans: SQLite files, or all PostgreSQL rows as text.
    pub fn dump(&self) -> Vec<u8> {
        match &self.postgres {
            None => {
                let mut all = Vec::new();
                for entry in std::fs::read_dir(self.dir.path()).expect("read temp dir") {
                    let path = entry.expect("entry").path();
                    if path.is_file() {
                        all.extend(std::fs::read(&path).expect("read file"));
                    }
                }
                all
            }
            Some(_) => {
                #[derive(diesel::QueryableByName)]
                struct Row {
                    #[diesel(sql_type = diesel::sql_types::Text)]
                    line: String,
                }
                let mut conn = PgConnection::establish(&self.url).expect("connect");
                let tables: Vec<Row> = diesel::sql_query(
                    "SELECT tablename AS line FROM pg_tables WHERE schemaname = 'public'",
                )
                .load(&mut conn)
                .expect("list tables");
                let mut all = Vec::new();
                for t in tables {
                    let rows: Vec<Row> = diesel::sql_query(format!(
                        "SELECT row_to_json(t)::text AS line FROM \"{}\" t",
                        t.line
                    ))
                    .load(&mut conn)
                    .expect("dump table");
                    for r in rows {
                        all.extend(r.line.into_bytes());
                    }
                }
                all
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The `box_token` the box page at `base` with `code` hands out (its form's hidden field).
pub async fn box_token_at(client: &reqwest::Client, base: &str, code: &str) -> String {
    let page = client
        .get(format!("{base}/b/{code}"))
        .send()
        .await
        .expect("box page")
        .text()
        .await
        .expect("box page body");
    box_token_in(&page).unwrap_or_else(|| panic!("no box_token on the page of box {code}"))
}

/// Sends an opinion with one photo (a JPEG with GPS metadata, named `file_name`) to box `code`
/// of the server at `base` through the multipart API, with a token from the box page.
pub async fn send_with_photo(
    client: &reqwest::Client,
    base: &str,
    code: &str,
    text: &str,
    file_name: &str,
) -> reqwest::Response {
    let photo = reqwest::multipart::Part::bytes(images::jpeg_with_gps(24, 16))
        .file_name(file_name.to_string())
        .mime_str("image/jpeg")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("category", "other")
        .text("text", text.to_string())
        .text("box_token", box_token_at(client, base, code).await)
        .part("photo", photo);
    client
        .post(format!("{base}/api/v1/boxes/{code}/opinions"))
        .multipart(form)
        .send()
        .await
        .expect("submit with a photo")
}

/// The string `field` of the entry of a JSON list whose `key` is `value`; panics when none is.
pub fn entry_field(list: &serde_json::Value, key: &str, value: &str, field: &str) -> String {
    list.as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry[key] == value)
        .and_then(|entry| entry[field].as_str())
        .unwrap_or_else(|| panic!("no entry with {key} = {value} and a {field} in {list}"))
        .to_string()
}

/// The value of the `box_token` field in a page, if it has one.
pub fn box_token_in(page: &str) -> Option<String> {
    let at = page.find("name=\"box_token\"")?;
    let rest = &page[at..];
    let start = rest.find("value=\"")? + "value=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

/// The environment a test server gets.
pub fn test_env(db: &TestDb, bind: &str, public_url: &str) -> HashMap<&'static str, String> {
    HashMap::from([
        ("DATABASE_URL", db.url.clone()),
        ("MASHANGSHUO_BIND", bind.to_string()),
        ("MASHANGSHUO_PUBLIC_URL", public_url.to_string()),
        ("MASHANGSHUO_DATA_DIR", db.dir.path().display().to_string()),
        (
            "MASHANGSHUO_SITE_ROOT",
            db.dir.path().join("site").display().to_string(),
        ),
        ("MASHANGSHUO_DEMO", "off".to_string()),
        ("MASHANGSHUO_SECRET", TEST_SECRET.to_string()),
        // Tests release batches themselves (`TestApp::release_waiting`), never on a timer.
        ("MASHANGSHUO_JOB_INTERVAL_SECS", "0".to_string()),
    ])
}

/// A running server with demo data, and an HTTP client.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The demo reviewer and boxes.
    pub demo: DemoOutput,
    /// A second state on the same database, for setting up fixtures.
    pub state: AppState,
    /// A client that keeps cookies (for the staff pages) and does not follow redirects.
    pub client: reqwest::Client,
    /// The database, dropped with the app.
    pub db: TestDb,
}

impl TestApp {
    /// Starts a server on a fresh database with the demo seeded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// Starts a server with extra environment variables.
    pub async fn spawn_with(extra: &[(&'static str, &str)]) -> TestApp {
        let db = TestDb::create();
        // The public URL is only known after binding; QR tests use the configured one.
        let mut env = test_env(&db, "127.0.0.1:0", "https://township.example");
        env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
        let config = Config::from_lookup(|k| env.get(k).cloned()).expect("config");
        let app = Application::build(config.clone()).await.expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_until_stopped());
        let (state, _) = prepare(config).await.expect("state");
        let demo = demo::run(&state).await.expect("demo");
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            address,
            demo,
            state,
            client,
            db,
        }
    }

    /// Runs the maintenance job as if a day had passed, releasing every waiting opinion to
    /// the reviewers, as the server's timer would.
    pub async fn release_waiting(&self) -> mashangshuo::jobs::Report {
        let later = mashangshuo::domain::day::unix_now() + 2 * 24 * 3600;
        mashangshuo::jobs::run_once(&self.state, later)
            .await
            .expect("maintenance job")
            .expect("the job lock is free")
    }

    /// The id of the demo township's leading group.
    pub async fn demo_group_id(&self) -> String {
        self.state
            .db(|conn| {
                use diesel::prelude::*;
                use mashangshuo::db::schema::{leading_groups, units};
                Ok(leading_groups::table
                    .inner_join(units::table)
                    .filter(units::name.eq("青山镇"))
                    .select(leading_groups::id)
                    .first::<String>(conn)?)
            })
            .await
            .expect("group id")
    }

    /// Stores a released opinion directly (for volume tests that the submit rate limit would
    /// slow down); returns its id.
    pub async fn insert_released(
        &self,
        box_index: usize,
        category: Category,
        text: &str,
    ) -> String {
        let mut ids = self
            .insert_released_many(box_index, category, text, 1)
            .await;
        ids.pop().expect("one opinion")
    }

    /// Stores `count` released opinions with the same text directly, in one transaction;
    /// returns their ids.
    pub async fn insert_released_many(
        &self,
        box_index: usize,
        category: Category,
        text: &str,
        count: usize,
    ) -> Vec<String> {
        use mashangshuo::db::opinions::Opinion;
        let code = mashangshuo::domain::codes::BoxCode::parse(&self.box_code(box_index))
            .expect("a box code");
        let group = self.demo_group_id().await;
        let text = text.to_string();
        self.state
            .db(move |conn| {
                conn.write_transaction(|conn| {
                    let found = mashangshuo::db::boxes::OpinionBox::by_code(conn, &code)?;
                    let day = mashangshuo::domain::day::today();
                    let mut ids = Vec::with_capacity(count);
                    for _ in 0..count {
                        let id = mashangshuo::db::new_id();
                        let opinion = Opinion {
                            id: id.clone().into(),
                            box_id: found.id.clone(),
                            leading_group_id: group.clone().into(),
                            category,
                            body: text.clone(),
                            state: OpinionState::New,
                            received_on: day.clone(),
                            receipt_hash: mashangshuo::db::new_id(),
                            // A tag no receipt code has (tags are 32-bit, never negative).
                            receipt_tag: Some(-1),
                            reply: None,
                            replied_on: None,
                            mask_counts: "{}".into(),
                            contact_name: None,
                            contact_phone: None,
                            released_on: Some(day.clone()),
                            release_by: None,
                            closed_on: None,
                            due_on: None,
                            target_person_id: None,
                            target_unit_id: None,
                            escalation: None,
                            issue_id: None,
                        };
                        Opinion::insert(conn, &opinion, &[])?;
                        ids.push(id);
                    }
                    // As the release would: reviewers see them once whom they name is known.
                    mashangshuo::db::subjects::derive_backlog(conn)?;
                    Ok::<_, mashangshuo::db::DbError>(ids)
                })
            })
            .await
            .expect("insert opinions")
    }

    /// Adds a staff account; returns its bearer token. A member account belongs to a new person
    /// of its group's unit (named after the account) and is confirmed, as reading opinions needs.
    pub async fn add_staff(&self, username: &str, role: &str, group: Option<String>) -> String {
        use mashangshuo::db::staff::Staff;
        let password = format!("{username}'s password");
        let hash = self
            .state
            .hasher
            .hash_password(&password)
            .await
            .expect("hash");
        let mut account = Staff {
            id: mashangshuo::db::new_id().into(),
            username: username.to_string(),
            display_name: username.to_string(),
            password_hash: hash,
            leading_group_id: group.map(GroupId::from),
            active: true,
            role: Role::parse(role).expect("a known role"),
            person_id: None,
        };
        let is_member = role == "member";
        self.state
            .db(move |conn| {
                let member_of = account.leading_group_id.clone().filter(|_| is_member);
                if let Some(group) = member_of {
                    let unit = mashangshuo::db::units::LeadingGroup::find(conn, &group)?.unit_id;
                    account.person_id = Some(add_person(conn, &unit, &account.username)?);
                }
                Staff::insert(conn, &account)?;
                if account.person_id.is_some() {
                    Staff::confirm(conn, &account.id, None, &mashangshuo::domain::day::today())?;
                }
                Ok(())
            })
            .await
            .expect("staff");
        self.api_login_as(username, &password).await
    }

    /// Records a second member's confirmation of the account `id` directly, for tests about
    /// something else than the confirmation.
    pub async fn confirm_account(&self, id: &str) {
        let id = id.to_string();
        self.state
            .db(move |conn| {
                mashangshuo::db::staff::Staff::confirm(
                    conn,
                    &id,
                    None,
                    &mashangshuo::domain::day::today(),
                )
            })
            .await
            .expect("confirm");
    }

    /// Records a second member's confirmation of the account named `username`, for tests about
    /// something else than the confirmation.
    pub async fn confirm_username(&self, username: &str) {
        let username = username.to_string();
        let id = self
            .state
            .db(move |conn| {
                Ok(mashangshuo::db::staff::Staff::by_username(conn, &username)?
                    .expect("account")
                    .id)
            })
            .await
            .expect("account");
        self.confirm_account(&id).await;
    }

    /// Adds a second township (白水镇) with its group, a village box and a member `baishui`;
    /// returns (box code, username, password).
    pub async fn second_township(&self) -> (String, String, String) {
        use mashangshuo::db::boxes::OpinionBox;
        use mashangshuo::db::new_id;
        use mashangshuo::db::staff::Staff;
        use mashangshuo::db::units::{LeadingGroup, Unit};
        let password = "another township's password";
        let hash = self
            .state
            .hasher
            .hash_password(password)
            .await
            .expect("hash");
        let code = mashangshuo::domain::codes::new_box_code();
        let box_code = code.clone();
        self.state
            .db(move |conn| {
                let township = Unit {
                    id: new_id().into(),
                    parent_id: None,
                    name: "白水镇".into(),
                    kind: UnitKind::Township,
                    category: None,
                };
                let village = Unit {
                    id: new_id().into(),
                    parent_id: Some(township.id.clone()),
                    name: "白水村".into(),
                    kind: UnitKind::Village,
                    category: Some(UnitCategory::Rural),
                };
                Unit::insert(conn, &township)?;
                Unit::insert(conn, &village)?;
                let group = LeadingGroup {
                    id: new_id().into(),
                    unit_id: township.id.clone(),
                    name: "白水镇领导小组".into(),
                    head_person_id: None,
                };
                LeadingGroup::insert(conn, &group)?;
                OpinionBox::insert(
                    conn,
                    &OpinionBox {
                        id: new_id().into(),
                        code: box_code,
                        unit_id: village.id,
                        name: "白水村意见箱".into(),
                    },
                )?;
                let person = add_person(conn, &township.id, "白水审阅人")?;
                let id = new_id();
                Staff::insert(
                    conn,
                    &Staff {
                        id: id.clone().into(),
                        username: "baishui".into(),
                        display_name: "白水镇审阅人".into(),
                        password_hash: hash,
                        leading_group_id: Some(group.id),
                        active: true,
                        role: Role::Member,
                        person_id: Some(person),
                    },
                )?;
                Staff::confirm(conn, &id, None, &mashangshuo::domain::day::today())
            })
            .await
            .expect("fixture");
        (code, "baishui".into(), password.into())
    }

    /// The ids of every staff account.
    pub async fn all_staff_ids(&self) -> Vec<String> {
        self.state
            .db(|conn| {
                use diesel::prelude::*;
                use mashangshuo::db::schema::staff;
                Ok(staff::table.select(staff::id).load::<String>(conn)?)
            })
            .await
            .expect("staff ids")
    }

    /// Every opinion row as stored, waiting or released.
    pub async fn all_opinions(&self) -> Vec<mashangshuo::db::opinions::Opinion> {
        self.state
            .db(|conn| {
                use diesel::prelude::*;
                use mashangshuo::db::opinions::Opinion;
                use mashangshuo::db::schema::opinions;
                let mut all = mashangshuo::db::waiting::all(conn)?;
                all.extend(
                    opinions::table
                        .select(Opinion::as_select())
                        .load::<Opinion>(conn)?,
                );
                Ok(all)
            })
            .await
            .expect("load opinions")
    }

    /// The full URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The path of demo box `i` (`/b/{code}`).
    pub fn box_path(&self, i: usize) -> String {
        let url = &self.demo.boxes[i].url;
        url[url.find("/b/").expect("box url")..].to_string()
    }

    /// The code of demo box `i`.
    pub fn box_code(&self, i: usize) -> String {
        self.box_path(i).trim_start_matches("/b/").to_string()
    }

    /// Sends an opinion through the API; returns status and body.
    pub async fn post_opinion(
        &self,
        box_index: usize,
        category: &str,
        text: &str,
    ) -> (u16, serde_json::Value) {
        let body = serde_json::json!({ "category": category, "text": text });
        self.post_opinion_json(box_index, &body).await
    }

    /// A fresh token from the box page with this code, as a browser or script gets it.
    pub async fn box_token_for(&self, code: &str) -> String {
        box_token_at(&self.client, &self.address, code).await
    }

    /// A fresh token from demo box `i`'s page.
    pub async fn box_token(&self, box_index: usize) -> String {
        self.box_token_for(&self.box_code(box_index)).await
    }

    /// Sends a whole opinion body (contact, submission key…) through the API; returns status
    /// and body. A body without `box_token` gets a fresh one from the box page first.
    pub async fn post_opinion_json(
        &self,
        box_index: usize,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let mut body = body.clone();
        if let Some(fields) = body.as_object_mut()
            && !fields.contains_key("box_token")
        {
            fields.insert("box_token".into(), self.box_token(box_index).await.into());
        }
        let body = &body;
        let request = self
            .client
            .post(self.url(&format!(
                "/api/v1/boxes/{}/opinions",
                self.box_code(box_index)
            )))
            .json(body);
        status_and_json(request).await
    }

    /// Sends an opinion and returns its receipt, asserting success.
    pub async fn submit(&self, box_index: usize, text: &str) -> String {
        let (status, body) = self.post_opinion(box_index, "suggestion", text).await;
        assert_eq!(status, 201, "{body}");
        body["receipt"].as_str().expect("receipt").to_string()
    }

    /// Signs the demo reviewer in through the API; returns the bearer token.
    pub async fn api_login(&self) -> String {
        self.api_login_as(&self.demo.reviewer.username, &self.demo.reviewer.password)
            .await
    }

    /// Signs in through the API with the given credentials; panics unless it works.
    pub async fn api_login_as(&self, username: &str, password: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/staff/login"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// Signs the demo reviewer in through the sign-in form (the client keeps the cookie).
    pub async fn page_login(&self) {
        let response = self
            .client
            .post(self.url("/staff/login"))
            .form(&[
                ("username", self.demo.reviewer.username.as_str()),
                ("password", self.demo.reviewer.password.as_str()),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 303);
    }

    /// A new client (cookies kept, redirects not followed) signed in through the sign-in form
    /// as `username`, for a second staff member beside the app's own client.
    pub async fn signed_in_client(&self, username: &str, password: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let response = client
            .post(self.url("/staff/login"))
            .form(&[("username", username), ("password", password)])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status().as_u16(), 303, "{username} signs in");
        client
    }

    /// Looks a receipt up through the API; returns status and body.
    pub async fn receipt_status(&self, receipt: &str) -> (u16, serde_json::Value) {
        let request = self
            .client
            .post(self.url("/api/v1/receipts/status"))
            .json(&serde_json::json!({ "receipt": receipt }));
        status_and_json(request).await
    }

    /// The demo admin's bearer token.
    pub async fn admin_token(&self) -> String {
        self.api_login_as(&self.demo.admin.username, &self.demo.admin.password)
            .await
    }

    /// The id of the person of the directory called `name`, as the admin `admin` lists them.
    pub async fn person_id(&self, admin: &str, name: &str) -> String {
        let (status, people) = self.staff_get(admin, "/api/v1/admin/people").await;
        assert_eq!(status, 200, "{people}");
        entry_field(&people, "name", name, "id")
    }

    /// Creates, through the admin API, a member account of the demo township group linked to
    /// `person`, not yet confirmed by the group; returns (account id, drawn password).
    pub async fn create_member(
        &self,
        admin: &str,
        username: &str,
        person: &str,
    ) -> (String, String) {
        let group = self.demo_group_id().await;
        let (status, created) = self
            .staff_send(
                reqwest::Method::POST,
                admin,
                "/api/v1/admin/accounts",
                serde_json::json!({
                    "username": username, "display_name": username, "role": "member",
                    "group_id": group, "person_id": person,
                }),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        (
            created["account"]["id"].as_str().expect("id").to_string(),
            created["password"].as_str().expect("password").to_string(),
        )
    }

    /// Whether the audit trail, read by the demo auditor, holds `action` on `target`.
    pub async fn audited(&self, action: &str, target: &str) -> bool {
        let auditor = self
            .api_login_as(&self.demo.auditor.username, &self.demo.auditor.password)
            .await;
        let (status, trail) = self.staff_get(&auditor, "/api/v1/staff/audit").await;
        assert_eq!(status, 200, "{trail}");
        trail["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == action && e["target"] == target)
    }

    /// GETs an API path with a bearer token; returns status and body.
    pub async fn staff_get(&self, token: &str, path: &str) -> (u16, serde_json::Value) {
        status_and_json(self.client.get(self.url(path)).bearer_auth(token)).await
    }

    /// Sends JSON with a bearer token (`PATCH`, `POST`, `PUT`); returns status and body.
    pub async fn staff_send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(&body);
        status_and_json(request).await
    }

    /// POSTs form fields to a path; returns status and body text.
    /// Posts a form that must answer 303; returns the path it redirects to, without its query.
    pub async fn redirect_of(&self, path: &str, fields: &[(&str, &str)]) -> String {
        let response = self
            .client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 303, "{path}");
        let to = response.headers()["location"].to_str().expect("ascii");
        to.split('?').next().expect("path").to_string()
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        // A box form carries the token its page handed out, as a browser's would.
        let mut fields: Vec<(&str, String)> =
            fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
        if let Some(code) = path.strip_prefix("/b/")
            && !fields.iter().any(|(k, _)| *k == "box_token")
        {
            let code = code.split('?').next().unwrap_or(code);
            fields.push(("box_token", self.box_token_for(code).await));
        }
        let response = self
            .client
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .expect("request");
        (
            response.status().as_u16(),
            response.text().await.expect("body"),
        )
    }

    /// Downloads a file through the signed-in session: status, media type and bytes.
    pub async fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, kind, response.bytes().await.expect("body").to_vec())
    }

    /// GETs a path and returns status and body text.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request");
        (
            response.status().as_u16(),
            response.text().await.expect("body"),
        )
    }
}

/// Sends a request; returns its status and JSON body (`Null` when the body is not JSON).
async fn status_and_json(request: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// The CSRF token in a staff page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let alt = "value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).or_else(|| {
        // Attribute order may differ: find the hidden input and its value.
        let i = html.find("name=\"csrf\"")?;
        let tag_start = html[..i].rfind('<')?;
        let v = html[tag_start..].find(alt)? + tag_start + alt.len();
        Some(v)
    });
    let start = start.expect("csrf field");
    html[start..start + html[start..].find('"').expect("end")].to_string()
}

/// A path in the temp dir.
pub fn temp_path(db: &TestDb, name: &str) -> PathBuf {
    db.dir.path().join(name)
}

/// A receipt in four groups, as a villager copies it.
pub fn group(receipt: &str) -> String {
    vocabulary::model::group_receipt(receipt)
}

/// The receipt code shown on a page (grouped, `1234 5678 9012 3456`).
pub fn receipt_in(html: &str) -> String {
    let marker = "data-testid=\"receipt\"";
    let at = html.find(marker).expect("receipt on the page");
    let start = at + html[at..].find('>').expect("tag end") + 1;
    html[start..start + html[start..].find('<').expect("text end")].to_string()
}

/// Adds a person called `name` to `unit`; returns their id.
fn add_person(
    conn: &mut mashangshuo::db::DbConnection,
    unit: &str,
    name: &str,
) -> Result<vocabulary::model::PersonId, mashangshuo::db::DbError> {
    let person = mashangshuo::db::people::Person {
        id: mashangshuo::db::new_id().into(),
        unit_id: unit.to_string().into(),
        name: name.to_string(),
        post: String::new(),
        active: true,
        leader_rank: None,
    };
    mashangshuo::db::people::Person::insert(conn, &person)?;
    Ok(person.id)
}
