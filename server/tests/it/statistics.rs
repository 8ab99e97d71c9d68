//! The statistics tables 附件1–3: leader reviews recorded in the register, a round's appraised
//! units, the counts in the forms' layout (read back from the workbook and the CSV), and a
//! county's roll-up of its townships.

use crate::common;

use common::appraisal::finished_round;
use common::sheets::{read_csv, read_xlsx};
use common::{TestApp, csrf_in};

/// The `value`s of the inputs named `name` inside the element with `testid`, with the text
/// that follows each (its label).
fn options(html: &str, testid: &str, name: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("data-testid=\"{testid}\""))
        .expect("list");
    let rest = &html[start..];
    let end = rest.find("</div>").or(rest.find("</select>")).expect("end");
    let marker = format!("name=\"{name}\" value=\"");
    rest[..end]
        .split(&marker)
        .skip(1)
        .map(|part| {
            let value = part[..part.find('"').expect("quote")].to_string();
            let after = &part[part.find('>').expect("tag") + 1..];
            let label: String = after
                .split('<')
                .filter_map(|t| t.split('>').next_back())
                .collect();
            (value, label)
        })
        .collect()
}

/// The `<option>`s of the reviewer select: (id, label).
fn leaders(html: &str) -> Vec<(String, String)> {
    let start = html.find("name=\"reviewer\"").expect("select");
    let rest = &html[start..html[start..].find("</select>").expect("end") + start];
    rest.split("<option value=\"")
        .skip(1)
        .map(|part| {
            let id = part[..part.find('"').expect("quote")].to_string();
            let label = part[part.find('>').expect("tag") + 1..]
                .split('<')
                .next()
                .unwrap_or_default()
                .to_string();
            (id, label)
        })
        .collect()
}

fn id_of(list: &[(String, String)], name: &str) -> String {
    list.iter()
        .find(|(_, label)| label.contains(name))
        .unwrap_or_else(|| panic!("{name} in {list:?}"))
        .0
        .clone()
}

#[actix_web::test]
async fn the_tables_count_reviews_and_appraisals_in_the_forms_layout() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let token = app.api_login().await;
    let year = mashangshuo::domain::day::today()[..4].to_string();

    let (status, page) = app.get_text("/staff/reviews").await;
    assert_eq!(status, 200);
    let csrf = csrf_in(&page);
    let chiefs = leaders(&page);
    let units = options(&page, "review-units", "unit");
    let people = options(&page, "review-people", "person");
    assert_eq!(
        units.len(),
        3,
        "the three villages are the area's organisations"
    );
    let (secretary, deputy) = (id_of(&chiefs, "刘国栋"), id_of(&chiefs, "赵敏"));
    let (zhang, li, shi) = (
        id_of(&units, "张家村"),
        id_of(&units, "李家湾村"),
        id_of(&units, "石桥村"),
    );
    let member = id_of(&people, "张德明");

    // First pass: the secretary reviews two villages and a member, then (again, with a third
    // village) counts each once; second pass: the deputy reviews one village.
    for fields in [
        vec![
            ("pass", "1"),
            ("reviewer", secretary.as_str()),
            ("unit", &zhang),
            ("unit", &li),
            ("person", &member),
        ],
        vec![
            ("pass", "1"),
            ("reviewer", &secretary),
            ("unit", &zhang),
            ("unit", &shi),
        ],
        vec![("pass", "2"), ("reviewer", &deputy), ("unit", &zhang)],
    ] {
        let mut fields = fields;
        fields.extend([("csrf", csrf.as_str()), ("year", year.as_str())]);
        let to = app.redirect_of("/staff/reviews", &fields).await;
        assert_eq!(to, "/staff/reviews");
    }
    // Refused with a reason: nothing reviewed; a reviewer who is not a leader.
    let (status, refused) = app
        .post_form(
            "/staff/reviews",
            &[
                ("csrf", &csrf),
                ("year", &year),
                ("pass", "1"),
                ("reviewer", &secretary),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(refused.contains("请从列表中选择被点评的党组织或党员"));
    let director = id_of(&people, "李秀英");
    let (status, refused) = app
        .post_form(
            "/staff/reviews",
            &[
                ("csrf", &csrf),
                ("year", &year),
                ("pass", "1"),
                ("reviewer", &director),
                ("unit", &zhang),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(refused.contains("请从列表中选择点评的领导干部"));
    let (_, register) = app.get_text(&format!("/staff/reviews?year={year}")).await;
    assert!(register.contains("张家村、李家湾村、石桥村"), "{register}");
    assert!(
        register.contains("刘国栋") && !register.contains(&format!(">{secretary}")),
        "the reviewing leader is named: {register}"
    );

    // A round this year over the first three units of the area: the villages among them held
    // a mass appraisal (the township itself is no party organisation of the tables).
    let (_, appraised) = finished_round(&app, &token, 3, &["satisfied"; 5]).await;
    let villages = appraised
        .iter()
        .filter(|u| [&zhang, &li, &shi].contains(u))
        .count();
    assert!(villages >= 1, "{appraised:?}");
    let villages = villages.to_string();

    let (status, page) = app.get_text(&format!("/staff/tables?year={year}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("领导点评和群众评议等工作情况统计表（党组织）"));
    assert!(
        page.contains("rowspan=\"2\""),
        "a label spans its two passes"
    );

    let (status, kind, bytes) = app
        .get_bytes(&format!("/staff/tables.xlsx?year={year}"))
        .await;
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let sheets = read_xlsx(bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["附件1", "附件2", "附件3"],
        "a township has no roll-up"
    );

    let organisations = &sheets[1].1;
    assert_eq!(organisations.text(0, 0), "附件2");
    assert_eq!(
        organisations.text(1, 0),
        "领导点评和群众评议等工作情况统计表（党组织）"
    );
    assert!(
        organisations.is_merged((1, 0), (1, 7)),
        "the title spans the form"
    );
    assert_eq!(organisations.text(2, 0), "填报单位（盖章）：青山镇");
    assert_eq!(organisations.text(3, 0), "类别");
    assert!(organisations.is_merged((3, 0), (3, 1)));
    assert_eq!(organisations.text(3, 2), "农村");
    assert_eq!(organisations.text(3, 7), "中等职业学校和中小学");
    assert_eq!(organisations.text(4, 0), "党组织数");
    assert_eq!(organisations.text(4, 2), "3");
    assert_eq!(organisations.text(5, 0), "已被点评党组织数");
    assert!(
        organisations.is_merged((5, 0), (6, 0)),
        "one label over 第一次 and 第二次"
    );
    assert_eq!(
        (organisations.text(5, 1), organisations.text(5, 2)),
        ("第一次".into(), "3".into())
    );
    assert_eq!(
        (organisations.text(6, 1), organisations.text(6, 2)),
        ("第二次".into(), "1".into())
    );
    assert_eq!(organisations.text(7, 0), "已开展群众评议党组织数");
    assert_eq!(organisations.text(7, 2), villages);
    assert_eq!(organisations.text(7, 3), "0", "no urban community");
    assert_eq!(organisations.text(8, 2), "基层医疗卫生单位");

    // Leaders: the township secretary took part in the first pass, the committee member in the
    // second; the three village secretaries are counted but reviewed no one.
    let chiefs_sheet = &sheets[0].1;
    assert_eq!(chiefs_sheet.text(3, 7), "乡镇、街道党工委书记");
    let column = |col: u32, first_row: u32| -> Vec<String> {
        (first_row..first_row + 3)
            .map(|r| chiefs_sheet.text(r, col))
            .collect()
    };
    assert_eq!(column(7, 4), ["1", "1", "0"]);
    assert_eq!(column(8, 4), ["3", "0", "0"]);
    assert_eq!(chiefs_sheet.text(7, 7), "乡镇、街道党工委领导班子成员");
    assert_eq!(column(7, 8), ["1", "0", "1"]);
    assert!(chiefs_sheet.text(11, 0).starts_with("①表中只统计人数"));

    // Members: the villages' six people (secretaries and directors), one reviewed.
    let members = &sheets[2].1;
    assert_eq!(members.text(4, 0), "党员数");
    assert_eq!(members.text(4, 2), "6");
    assert_eq!(members.text(5, 2), "1");
    assert_eq!(members.text(7, 0), "已被群众评议党员数");
    assert_eq!(members.text(7, 2), "0");

    let (status, _, bytes) = app
        .get_bytes(&format!("/staff/tables/organisations.csv?year={year}"))
        .await;
    assert_eq!(status, 200);
    let rows = read_csv(&bytes);
    assert_eq!(rows[0][0], "附件2");
    assert_eq!(rows[2][..3], ["类别", "", "农村"]);
    assert_eq!(rows[3][..3], ["党组织数", "", "3"]);
    assert_eq!(rows[4][..3], ["已被点评党组织数", "第一次", "3"]);
    // The API gives the same figures, and records through the same rules.
    let (status, report) = app
        .staff_get(&token, &format!("/api/v1/staff/statistics?year={year}"))
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["tables"][1]["blocks"][0]["rows"][1]["values"][0], 3);
    assert_eq!(report["total"]["organisations"], 3);
    let (status, recorded) = app
        .staff_send(
            reqwest::Method::POST,
            &token,
            "/api/v1/staff/reviews",
            serde_json::json!({ "year": year.parse::<i32>().expect("year"), "pass": 2,
                "reviewer": secretary, "units": [li], "people": [member] }),
        )
        .await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["added"], 2);
    let (status, _, _) = app.get_bytes("/staff/tables/everything.csv").await;
    assert_eq!(status, 404);
    let (status, refused) = app.get_text("/staff/tables?year=1999").await;
    assert_eq!(status, 422);
    assert!(refused.contains("请选择 2000 年到明年之间的年度"));

    // The county sees a line per township and the total.
    let county_reviewer = &app.demo.county_reviewer;
    let county = app
        .signed_in_client(&county_reviewer.username, &county_reviewer.password)
        .await;
    let bytes = county
        .get(app.url(&format!("/staff/tables.xlsx?year={year}")))
        .send()
        .await
        .expect("request")
        .bytes()
        .await
        .expect("body")
        .to_vec();
    let sheets = read_xlsx(bytes);
    let (name, rollup) = sheets.last().expect("sheets");
    assert_eq!(name, "分乡镇汇总");
    let (row, _) = rollup.find("青山镇").expect("the township's line");
    // 领导干部 3 village secretaries + 2 township leaders, 1 reviewing in the first pass and 2
    // in the second (with the API's record); 党组织 3, reviewed 3 / 2.
    let line: Vec<String> = (1..=7).map(|c| rollup.text(row, c)).collect();
    assert_eq!(line, ["5", "1", "2", "3", "3", "2", villages.as_str()]);
    let (total, _) = rollup.find("合计").expect("the total line");
    // The county adds its own two leaders and the discipline commission (机关部门).
    assert_eq!(rollup.text(total, 1), "7");
    assert_eq!(rollup.text(total, 4), "4");
    assert!(
        rollup.is_merged((1, 2), (1, 3)),
        "参加点评人数 over its two passes"
    );
}

#[actix_web::test]
async fn a_recorded_batch_can_be_deleted() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let year = mashangshuo::domain::day::today()[..4].to_string();
    let (_, page) = app.get_text("/staff/reviews").await;
    let csrf = csrf_in(&page);
    let secretary = id_of(&leaders(&page), "刘国栋");
    let village = id_of(&options(&page, "review-units", "unit"), "张家村");
    let fields = [
        ("csrf", csrf.as_str()),
        ("year", &year),
        ("pass", "1"),
        ("reviewer", &secretary),
    ];
    let mut recording = fields.to_vec();
    recording.push(("unit", &village));
    app.redirect_of("/staff/reviews", &recording).await;
    let (_, page) = app.get_text("/staff/reviews").await;
    assert_eq!(page.matches("删除这一组登记").count(), 1);
    app.redirect_of("/staff/reviews/delete", &fields).await;
    let (_, page) = app.get_text("/staff/reviews").await;
    assert!(page.contains("这一年还没有登记领导点评"));
    let (status, missing) = app.post_form("/staff/reviews/delete", &fields).await;
    assert_eq!(status, 404);
    assert!(missing.contains("找不到这组领导点评登记"));
}
