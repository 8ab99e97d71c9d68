//! The CSV import of units and people through the real API, fed generated bad files: arbitrary
//! bytes, workbooks and pictures, CSV-ish text with odd headers, quotes, separators and cells.
//! Every answer is a report or a refusal a person can read (200, 413 or 422), never a fault.

use crate::common;

use common::TestApp;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// Files that are no CSV: a workbook, a picture, UTF-16 text.
const BINARY: [&[u8]; 3] = [
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xFF\xFE\xD5S\r\x00\n\x00",
];

/// Bodies an admin's mistake or an attacker could send as `text/csv`.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let header = proptest::sample::select(
        &[
            "上级,名称,层级,类别,领导小组",
            "单位,姓名,职务,领导职务类别",
            "parent,name",
            "unit,name,post",
            "名称",
            "",
        ][..],
    );
    let cell = prop_oneof![
        proptest::sample::select(
            &[
                "青山镇",
                "张家村",
                "安城县/青山镇",
                "青山镇／张家村",
                "=1+1",
                "\"",
                "村委会主任",
                "农村",
                "工厂",
                "其它基层党组织书记",
                "",
            ][..]
        )
        .prop_map(str::to_string),
        "\\PC{0,10}",
    ];
    let rows = proptest::collection::vec(proptest::collection::vec(cell, 0..6), 0..6);
    let text = (header, rows).prop_map(|(header, rows)| {
        let mut text = header.to_string();
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        text.into_bytes()
    });
    prop_oneof![
        2 => text,
        1 => proptest::collection::vec(any::<u8>(), 0..512),
        1 => proptest::sample::select(&BINARY[..]).prop_map(<[u8]>::to_vec),
    ]
}

#[actix_web::test]
async fn generated_bad_files_get_a_report_or_a_clear_refusal() {
    let app = TestApp::spawn().await;
    let admin = app
        .api_login_as(&app.demo.admin.username, &app.demo.admin.password)
        .await;
    let mut runner = TestRunner::deterministic();
    let strategy = bodies();
    for _ in 0..40 {
        let body = strategy
            .new_tree(&mut runner)
            .expect("a generated body")
            .current();
        for kind in ["units", "people"] {
            let response = app
                .client
                .post(app.url(&format!("/api/v1/admin/import/{kind}")))
                .bearer_auth(&admin)
                .header("Content-Type", "text/csv")
                .body(body.clone())
                .send()
                .await
                .expect("request");
            let status = response.status().as_u16();
            let answer: Value = response.json().await.expect("a JSON answer");
            assert!(
                [200, 413, 422].contains(&status),
                "{kind} {body:?}: {status} {answer}"
            );
            if status == 422 {
                let errors = answer["errors"].as_array().expect("a report");
                assert!(!errors.is_empty(), "{answer}");
                for error in errors {
                    assert!(error["line"].as_u64().is_some_and(|l| l >= 1), "{answer}");
                    assert!(
                        error["message"].as_str().is_some_and(|m| !m.is_empty()),
                        "{answer}"
                    );
                }
            }
        }
    }

    // A workbook uploaded instead of its CSV is told so on the first line.
    let response = app
        .client
        .post(app.url("/api/v1/admin/import/units"))
        .bearer_auth(&admin)
        .header("Content-Type", "text/csv")
        .body(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 422);
    let answer: Value = response.json().await.expect("json");
    assert_eq!(answer["errors"][0]["line"], 1);
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("不是 CSV 文件")),
        "{answer}"
    );
}
