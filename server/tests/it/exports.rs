//! Downloads read back with a spreadsheet reader: a round's results as XLSX (merged headings,
//! Chinese labels, the figures of the page) and as CSV.

use crate::common;

use common::TestApp;
use common::appraisal::finished_round;
use common::sheets::{read_csv, read_xlsx};

#[actix_web::test]
async fn round_results_download_as_a_workbook_and_as_csv() {
    let app = TestApp::spawn().await;
    app.page_login().await;
    let token = app.api_login().await;
    // Ten people rate both units on every item: five 满意, five 不满意.
    let mut levels = vec!["satisfied"; 5];
    levels.extend(["dissatisfied"; 5]);
    let (round, _) = finished_round(&app, &token, 2, &levels).await;
    let base = format!("/staff/appraisal/{round}/results");
    let (_, page) = app.get_text(&base).await;
    assert!(
        page.contains(&format!("{base}.xlsx")),
        "the page links the workbook"
    );

    let (status, kind, bytes) = app.get_bytes(&format!("{base}.xlsx")).await;
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let sheets = read_xlsx(bytes);
    assert_eq!(sheets[0].0, "评议结果");
    let sheet = &sheets[0].1;
    assert!(
        sheet.text(0, 0).ends_with("评议结果"),
        "{}",
        sheet.text(0, 0)
    );
    assert_eq!(sheet.text(1, 0), "收回 10 份");
    assert!(sheet.is_merged((0, 0), (0, 9)), "the title spans the table");
    // The first table: all items together, its heading in two rows.
    assert_eq!(sheet.text(4, 0), "全部项目");
    assert_eq!(sheet.text(5, 0), "对象");
    assert!(sheet.is_merged((5, 0), (6, 0)));
    assert_eq!(sheet.text(5, 1), "评议票数");
    assert!(
        sheet.is_merged((5, 1), (5, 4)),
        "评议票数 spans the four levels"
    );
    let levels: Vec<String> = (1..=4).map(|c| sheet.text(6, c)).collect();
    assert_eq!(levels, ["满意", "比较满意", "基本满意", "不满意"]);
    assert_eq!(sheet.text(5, 5), "合计");
    assert!(sheet.is_merged((5, 5), (6, 5)));
    assert_eq!(sheet.text(5, 6), "满意率");
    // Each unit: 5 items × 10 people.
    for row in [7, 8] {
        let cells: Vec<String> = (1..=8).map(|c| sheet.text(row, c)).collect();
        assert_eq!(cells, ["25", "0", "0", "25", "50", "50%", "0%", "50%"]);
    }
    assert_eq!(sheet.text(9, 0), "总体");
    assert_eq!(sheet.text(9, 5), "100");
    let (item_row, _) = sheet
        .find("推进创先争优活动兑现公开承诺情况")
        .expect("a table per item");
    assert_eq!(sheet.text(item_row + 3, 1), "5");
    assert_eq!(sheet.text(item_row + 3, 5), "10");

    let (status, kind, bytes) = app.get_bytes(&format!("{base}.csv")).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let rows = read_csv(&bytes);
    assert_eq!(
        rows[0],
        [
            "评议项目",
            "对象",
            "满意",
            "比较满意",
            "基本满意",
            "不满意",
            "合计",
            "满意率",
            "基本满意率",
            "不满意率",
            "比上次"
        ]
    );
    // Two units and the total, over all items and then per item (five).
    assert_eq!(rows.len(), 1 + 3 * 6);
    assert_eq!(rows[1][0], "全部项目");
    assert_eq!(rows[1][1], sheet.text(7, 0));
    assert_eq!(
        rows[1][2..10],
        ["25", "0", "0", "25", "50", "50%", "0%", "50%"]
    );
    assert_eq!(rows[3][1], "总体");

    // Only finished rounds, and only known formats.
    let (status, _, _) = app.get_bytes(&format!("{base}.pdf")).await;
    assert_eq!(status, 404);
}
