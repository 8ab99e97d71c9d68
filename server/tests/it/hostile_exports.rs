//! Exports are inert: units, people, a leading group, issues, measures, a questionnaire and
//! rounds named with spreadsheet formulas through the real API, then every CSV and XLSX export
//! downloaded and read back. A CSV cell never starts like a formula (what people typed comes
//! back behind a `'`); a workbook holds no formula, link, defined name or header code, and what
//! people typed is a plain string cell.

use crate::common;
use vocabulary::model::Category;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::TestApp;
use common::sheets::read_csv;
use mashangshuo::domain::day::{day_of_unix, today, unix_now};
use reqwest::Method;
use serde_json::{Value, json};

/// What a hostile admin or reviewer types: formulas, a DDE call, and formulas behind a tab, a
/// carriage return or a space.
const HOSTILE: [&str; 8] = [
    "=HYPERLINK(\"http://evil\",\"x\")",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=2",
    " =3",
    "=cmd|'/C calc'!A0",
];

/// The first characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// What the server keeps of a typed name (names are trimmed).
fn stored(typed: &str) -> String {
    typed.trim().to_string()
}

/// A payload as a unit name: `/` separates a unit's path in imports, so the link and the DDE
/// call use `\` instead (which spreadsheets follow just the same).
fn as_unit(typed: &str) -> String {
    typed.replace('/', "\\")
}

/// `'` before each text, as a CSV cell that people typed comes back.
fn quoted(texts: &[String]) -> Vec<String> {
    texts.iter().map(|t| format!("'{t}")).collect()
}

/// Whether a spreadsheet could read a CSV cell as a formula: a trigger first, or first after
/// leading whitespace.
fn formula_like(cell: &str) -> bool {
    cell.starts_with(TRIGGERS) || cell.trim_start().starts_with(TRIGGERS)
}

/// Downloads a file with a signed-in client; asserts 200 and the media type.
async fn download(client: &reqwest::Client, app: &TestApp, path: &str, kind: &str) -> Vec<u8> {
    let response = client.get(app.url(path)).send().await.expect("request");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(media.contains(kind), "{path}: {media}");
    response.bytes().await.expect("body").to_vec()
}

/// A CSV export's cells; asserts that none of them starts like a formula.
fn inert_csv(path: &str, bytes: &[u8]) -> Vec<String> {
    let cells: Vec<String> = read_csv(bytes).into_iter().flatten().collect();
    assert!(!cells.is_empty(), "{path} is empty");
    for cell in &cells {
        assert!(
            !formula_like(cell),
            "{path}: {cell:?} would run as a formula"
        );
    }
    cells
}

/// An XLSX export's string cells; asserts that it holds no formula, link, defined name or
/// header/footer, and that every text cell is a plain string.
fn inert_xlsx(path: &str, bytes: Vec<u8>) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.clone())).expect("xlsx is a zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        assert!(!name.contains("externalLink"), "{path}: {name}");
        let mut xml = String::new();
        if entry.read_to_string(&mut xml).is_err() {
            continue;
        }
        for tag in [
            "<f>",
            "<f ",
            "<hyperlink",
            "<definedName",
            "<oddHeader",
            "<oddFooter",
            "<comment",
        ] {
            assert!(!xml.contains(tag), "{path}: {name} holds {tag}");
        }
        assert!(
            !xml.contains("TargetMode=\"External\""),
            "{path}: {name} links outside"
        );
    }
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    assert!(workbook.defined_names().is_empty(), "{path}: defined names");
    let mut strings = Vec::new();
    for name in workbook.sheet_names() {
        let formulas = workbook.worksheet_formula(&name).expect("formulas");
        let found: Vec<&String> = formulas.used_cells().map(|(_, _, f)| f).collect();
        assert!(found.is_empty(), "{path}/{name}: formulas {found:?}");
        let cells = workbook.worksheet_range(&name).expect("sheet");
        for (_, _, value) in cells.used_cells() {
            match value {
                Data::String(s) => strings.push(s.clone()),
                Data::Float(_) | Data::Int(_) | Data::Empty => {}
                other => panic!("{path}/{name}: unexpected cell {other:?}"),
            }
        }
    }
    strings
}

/// Asserts that each of `texts` is a whole cell of the export, as given.
fn has_cells(path: &str, cells: &[String], texts: &[String]) {
    for text in texts {
        assert!(
            cells.iter().any(|c| c == text),
            "{path}: no cell {text:?} in {cells:?}"
        );
    }
}

/// Asserts that each of `texts` is inside some cell of the export.
fn has_inside(path: &str, cells: &[String], texts: &[String]) {
    for text in texts {
        assert!(
            cells.iter().any(|c| c.contains(text.as_str())),
            "{path}: {text:?} not in {cells:?}"
        );
    }
}

/// Sends JSON with a bearer token and asserts that it succeeds.
async fn send(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let (status, answer) = app.staff_send(method.clone(), token, path, body).await;
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {answer}"
    );
    answer
}

/// The id in a created object.
fn id(created: &Value) -> String {
    created["id"].as_str().expect("id").to_string()
}

/// A signed-in page client for the county reviewer.
async fn county_client(app: &TestApp) -> reqwest::Client {
    let county = &app.demo.county_reviewer;
    app.signed_in_client(&county.username, &county.password)
        .await
}

/// Opens a round of `questionnaire` over `subjects` named `name`, and closes it at once.
async fn closed_round(
    app: &TestApp,
    token: &str,
    name: &str,
    questionnaire: &str,
    subjects: &[String],
) -> String {
    let closes = day_of_unix(unix_now() + 30 * 86_400);
    let round = send(
        app,
        token,
        Method::POST,
        "/api/v1/staff/appraisal/rounds",
        json!({ "name": name, "questionnaire": questionnaire, "mode": "open",
                "opens_on": today(), "closes_on": closes, "subjects": subjects }),
    )
    .await;
    let round = id(&round);
    send(
        app,
        token,
        Method::POST,
        &format!("/api/v1/staff/appraisal/rounds/{round}/close"),
        Value::Null,
    )
    .await;
    round
}

#[actix_web::test]
async fn every_export_writes_what_people_typed_as_inert_text() {
    let app = TestApp::spawn().await;
    let hostile: Vec<String> = HOSTILE.iter().map(|h| stored(h)).collect();
    let unit_names: Vec<String> = HOSTILE.iter().map(|h| stored(&as_unit(h))).collect();

    // Opinions to merge into issues, stored while the township still has its demo name.
    let mut opinions = Vec::new();
    for (i, _) in HOSTILE.iter().enumerate() {
        let text = format!("第{i}条意见：村里的路灯坏了好几盏，晚上出门看不见。");
        opinions.push(app.insert_released(0, Category::Suggestion, &text).await);
    }

    // The county admin names townships, villages, people and the township's group.
    let admin = app
        .api_login_as(&app.demo.admin.username, &app.demo.admin.password)
        .await;
    let (status, units) = app.staff_get(&admin, "/api/v1/admin/units").await;
    assert_eq!(status, 200);
    let unit_id = |name: &str| {
        id(units
            .as_array()
            .expect("units")
            .iter()
            .find(|u| u["name"] == name)
            .expect("unit"))
    };
    let (county, township) = (unit_id("安城县"), unit_id("青山镇"));
    send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/v1/admin/units/{township}"),
        json!({ "name": as_unit(HOSTILE[0]) }),
    )
    .await;
    send(
        &app,
        &admin,
        Method::PUT,
        &format!("/api/v1/admin/units/{township}/group"),
        json!({ "name": HOSTILE[7] }),
    )
    .await;
    for name in &HOSTILE[1..] {
        send(
            &app,
            &admin,
            Method::POST,
            "/api/v1/admin/units",
            json!({ "parent_id": county, "name": as_unit(name), "kind": "" }),
        )
        .await;
    }
    let mut villages = Vec::new();
    for name in HOSTILE {
        let village = send(
            &app,
            &admin,
            Method::POST,
            "/api/v1/admin/units",
            json!({ "parent_id": township, "name": as_unit(name), "kind": "", "category": "农村" }),
        )
        .await;
        villages.push(id(&village));
    }
    // Person names are short: every payload but the long link.
    let mut people = Vec::new();
    for name in &HOSTILE[1..] {
        let person = send(
            &app,
            &admin,
            Method::POST,
            "/api/v1/admin/people",
            json!({ "unit_id": villages[1], "name": name, "post": "" }),
        )
        .await;
        people.push(id(&person));
    }

    // The township reviewer merges issues and sets measures with those words.
    let token = app.api_login().await;
    let due = day_of_unix(unix_now() + 7 * 86_400);
    for (typed, opinion) in HOSTILE.iter().zip(&opinions) {
        let issue = send(
            &app,
            &token,
            Method::POST,
            "/api/v1/staff/issues",
            json!({ "title": typed, "opinions": [opinion] }),
        )
        .await;
        let measure = send(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/staff/issues/{}/measures", id(&issue)),
            json!({ "text": typed, "responsible": typed, "due_on": due }),
        )
        .await;
        send(
            &app,
            &token,
            Method::PATCH,
            &format!("/api/v1/staff/measures/{}", id(&measure)),
            json!({ "evidence": typed, "done": true }),
        )
        .await;
    }

    // A questionnaire whose items are the payloads, and two finished rounds named with them.
    let copy = send(
        &app,
        &token,
        Method::POST,
        "/api/v1/staff/questionnaires",
        json!({ "template": "organisation" }),
    )
    .await;
    let questionnaire = id(&copy);
    let items: Vec<Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, text)| json!({ "key": format!("item_{i}"), "text": text, "kind": "rating", "required": false }))
        .collect();
    send(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/staff/questionnaires/{questionnaire}"),
        json!({ "title": HOSTILE[0], "subject": "organisation", "items": items }),
    )
    .await;
    let units_round = closed_round(&app, &token, HOSTILE[0], &questionnaire, &villages).await;
    let people_round = closed_round(&app, &token, HOSTILE[3], "template:member", &people).await;

    // The township's downloads.
    app.page_login().await;
    let client = &app.client;
    let csv = "text/csv";
    let xlsx = "spreadsheetml";

    for table in ["leaders", "organisations", "members"] {
        let path = format!("/staff/tables/{table}.csv");
        let cells = inert_csv(&path, &download(client, &app, &path, csv).await);
        has_inside(&path, &cells, &unit_names[..1]);
    }
    let path = "/staff/tables.xlsx";
    let cells = inert_xlsx(path, download(client, &app, path, xlsx).await);
    has_inside(path, &cells, &unit_names[..1]);

    let path = "/staff/ledger.xlsx";
    let cells = inert_xlsx(path, download(client, &app, path, xlsx).await);
    has_cells(path, &cells, &hostile);
    has_inside(path, &cells, &hostile[7..]);

    let base = format!("/staff/appraisal/{units_round}/results");
    let path = format!("{base}.csv");
    let cells = inert_csv(&path, &download(client, &app, &path, csv).await);
    has_cells(&path, &cells, &quoted(&hostile));
    has_cells(&path, &cells, &quoted(&unit_names));
    let path = format!("{base}.xlsx");
    let cells = inert_xlsx(&path, download(client, &app, &path, xlsx).await);
    has_cells(&path, &cells, &hostile);
    has_cells(&path, &cells, &unit_names);
    has_inside(&path, &cells, &hostile[..1]);

    let base = format!("/staff/appraisal/{people_round}/results");
    let path = format!("{base}.csv");
    let cells = inert_csv(&path, &download(client, &app, &path, csv).await);
    let names = quoted(&hostile[1..]);
    has_inside(&path, &cells, &names);
    assert!(
        names.iter().all(|n| cells.iter().any(|c| c.starts_with(n))),
        "{path}: each person's line starts with their quoted name: {cells:?}"
    );
    let path = format!("{base}.xlsx");
    let cells = inert_xlsx(&path, download(client, &app, &path, xlsx).await);
    has_inside(&path, &cells, &hostile[1..]);

    // The county's: a line per township in the roll-up.
    let county = county_client(&app).await;
    let path = "/staff/tables/townships.csv";
    let cells = inert_csv(path, &download(&county, &app, path, csv).await);
    has_cells(path, &cells, &quoted(&unit_names));
    for table in ["leaders", "organisations", "members"] {
        let path = format!("/staff/tables/{table}.csv");
        inert_csv(&path, &download(&county, &app, &path, csv).await);
    }
    let path = "/staff/tables.xlsx";
    let cells = inert_xlsx(path, download(&county, &app, path, xlsx).await);
    has_cells(path, &cells, &unit_names);
}

/// Computed figures stay numbers: the roll-up's counts are plain digits, not quoted text.
#[actix_web::test]
async fn computed_figures_are_not_quoted() {
    let app = TestApp::spawn().await;
    let county = county_client(&app).await;
    let path = "/staff/tables/townships.csv";
    let rows = read_csv(&download(&county, &app, path, "text/csv").await);
    let line = rows
        .iter()
        .find(|r| r[0] == "青山镇")
        .expect("the township");
    assert!(
        line[1..]
            .iter()
            .all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())),
        "{line:?}"
    );
}
