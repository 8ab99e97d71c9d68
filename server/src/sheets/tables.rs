//! The statistics tables 附件1–3 in the forms' layout (a sheet each: number, title, reporting
//! unit and date, the blocks with 类别 across and the rows down, a row label merged over its
//! 第一次 / 第二次 rows, the notes), the roll-up of a county's townships, and CSV of each.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use vocabulary::i18n::{Lang, Texts};
use vocabulary::statistics::{RollupLine, StatTable, StatisticsReport};

use super::{Cell, Formats, csv_bytes};

/// The roll-up's columns after the unit's name: (group heading, sub-heading).
fn rollup_columns(t: &Texts) -> Vec<(&'static str, &'static str)> {
    vec![
        (t.statistics.st_col_leaders, t.statistics.st_total_people),
        (t.statistics.st_reviewing, t.statistics.st_first),
        (t.statistics.st_reviewing, t.statistics.st_second),
        (t.statistics.st_organisations, t.statistics.st_total_people),
        (t.statistics.st_org_reviewed, t.statistics.st_first),
        (t.statistics.st_org_reviewed, t.statistics.st_second),
        (t.statistics.st_org_appraised, t.statistics.st_total_people),
        (t.statistics.st_members, t.statistics.st_total_people),
        (t.statistics.st_mem_reviewed, t.statistics.st_first),
        (t.statistics.st_mem_reviewed, t.statistics.st_second),
        (t.statistics.st_mem_appraised, t.statistics.st_total_people),
    ]
}

/// A roll-up line's figures in [`rollup_columns`] order.
fn rollup_values(line: &RollupLine) -> [u32; 11] {
    [
        line.leaders,
        line.leaders_reviewing[0],
        line.leaders_reviewing[1],
        line.organisations,
        line.organisations_reviewed[0],
        line.organisations_reviewed[1],
        line.organisations_appraised,
        line.members,
        line.members_reviewed[0],
        line.members_reviewed[1],
        line.members_appraised,
    ]
}

/// One form on its own sheet.
fn write_table(
    sheet: &mut Worksheet,
    f: &Formats,
    t: &Texts,
    report: &StatisticsReport,
    table: &StatTable,
) -> Result<(), XlsxError> {
    let width = table
        .blocks
        .iter()
        .map(|b| b.categories.len())
        .max()
        .unwrap_or(0) as u16;
    let last = 1 + width;
    sheet.set_column_width(0, 16.0)?;
    sheet.set_column_width(1, 8.0)?;
    sheet.set_column_range_width(2, last, 12.0)?;
    sheet.write_string(0, 0, &table.number)?;
    sheet.merge_range(1, 0, 1, last, &table.title, &f.title)?;
    let middle = last / 2;
    let place = t.statistics.st_place.replace("{place}", &report.place);
    sheet.merge_range(2, 0, 2, middle, &place, &f.plain)?;
    let made = t.statistics.st_made_on.replace("{day}", &report.made_on);
    sheet.merge_range(2, middle + 1, 2, last, &made, &f.plain)?;
    let mut row: u32 = 3;
    for block in &table.blocks {
        sheet.merge_range(row, 0, row, 1, t.statistics.st_category, &f.head)?;
        for (i, category) in block.categories.iter().enumerate() {
            sheet.write_string_with_format(row, 2 + i as u16, category, &f.head)?;
        }
        row += 1;
        let mut n = 0;
        while n < block.rows.len() {
            let first = &block.rows[n];
            let span = block.rows[n..]
                .iter()
                .take_while(|r| r.label == first.label && r.sub.is_some())
                .count();
            if span == 0 {
                sheet.merge_range(row, 0, row, 1, &first.label, &f.head)?;
                write_values(sheet, f, row, &first.values)?;
                row += 1;
                n += 1;
                continue;
            }
            if span > 1 {
                sheet.merge_range(row, 0, row + span as u32 - 1, 0, &first.label, &f.head)?;
            } else {
                sheet.write_string_with_format(row, 0, &first.label, &f.head)?;
            }
            for r in &block.rows[n..n + span] {
                sheet.write_string_with_format(row, 1, r.sub.as_deref().unwrap_or(""), &f.head)?;
                write_values(sheet, f, row, &r.values)?;
                row += 1;
            }
            n += span;
        }
    }
    for note in &table.notes {
        sheet.merge_range(row, 0, row, last, note, &f.plain)?;
        row += 1;
    }
    Ok(())
}

fn write_values(
    sheet: &mut Worksheet,
    f: &Formats,
    row: u32,
    values: &[u32],
) -> Result<(), XlsxError> {
    for (i, v) in values.iter().enumerate() {
        sheet.write_number_with_format(row, 2 + i as u16, f64::from(*v), &f.cell)?;
    }
    Ok(())
}

/// The roll-up of a county's townships: a line each and the total, under two heading rows.
fn write_rollup(
    sheet: &mut Worksheet,
    f: &Formats,
    t: &Texts,
    report: &StatisticsReport,
) -> Result<(), XlsxError> {
    let columns = rollup_columns(t);
    let last = columns.len() as u16;
    sheet.set_column_width(0, 18.0)?;
    sheet.set_column_range_width(1, last, 11.0)?;
    let title = format!(
        "{} · {} · {}",
        report.place, report.year, t.statistics.st_rollup
    );
    sheet.merge_range(0, 0, 0, last, &title, &f.title)?;
    sheet.merge_range(1, 0, 2, 0, t.statistics.st_col_place, &f.head)?;
    let mut col = 1u16;
    while usize::from(col) <= columns.len() {
        let group = columns[usize::from(col) - 1].0;
        let span = columns[usize::from(col) - 1..]
            .iter()
            .take_while(|(g, _)| *g == group)
            .count() as u16;
        if span > 1 {
            sheet.merge_range(1, col, 1, col + span - 1, group, &f.head)?;
            for c in col..col + span {
                sheet.write_string_with_format(2, c, columns[usize::from(c) - 1].1, &f.head)?;
            }
        } else {
            sheet.merge_range(1, col, 2, col, group, &f.head)?;
        }
        col += span;
    }
    for (row, line) in (3u32..).zip(report.rollup.iter().chain([&report.total])) {
        sheet.write_string_with_format(row, 0, &line.name, &f.head)?;
        for (i, v) in rollup_values(line).iter().enumerate() {
            sheet.write_number_with_format(row, 1 + i as u16, f64::from(*v), &f.cell)?;
        }
    }
    Ok(())
}

/// 附件1–3 as a workbook, a sheet each, and for a county a sheet of its townships.
pub fn tables_workbook(report: &StatisticsReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.t();
    let f = Formats::new();
    let mut workbook = Workbook::new();
    for table in &report.tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.number)?;
        write_table(sheet, &f, t, report, table)?;
    }
    if !report.rollup.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(t.statistics.st_rollup)?;
        write_rollup(sheet, &f, t, report)?;
    }
    workbook.save_to_buffer()
}

/// One table as CSV: `leaders`, `organisations` or `members` in the form's rows (类别 rows
/// repeat per block), or `townships`, the roll-up with one heading row.
pub fn tables_csv(report: &StatisticsReport, key: &str, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let t = lang.t();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    if key == "townships" {
        let mut header = vec![Cell::text(t.statistics.st_col_place)];
        header.extend(rollup_columns(t).into_iter().map(|(group, sub)| {
            if sub == t.statistics.st_total_people {
                Cell::text(group)
            } else {
                Cell::text(format!("{group}（{sub}）"))
            }
        }));
        rows.push(header);
        for line in report.rollup.iter().chain([&report.total]) {
            let mut row = vec![Cell::text(line.name.as_str())];
            row.extend(rollup_values(line).iter().map(Cell::figure));
            rows.push(row);
        }
        return csv_bytes(&rows);
    }
    let Some(table) = report.tables.iter().find(|x| x.key == key) else {
        return csv_bytes(&rows);
    };
    rows.push(vec![
        Cell::text(table.number.as_str()),
        Cell::text(table.title.as_str()),
    ]);
    rows.push(vec![
        Cell::text(t.statistics.st_place.replace("{place}", &report.place)),
        Cell::text(t.statistics.st_made_on.replace("{day}", &report.made_on)),
    ]);
    for block in &table.blocks {
        let mut header = vec![Cell::text(t.statistics.st_category), Cell::text("")];
        header.extend(block.categories.iter().map(|c| Cell::text(c.as_str())));
        rows.push(header);
        for r in &block.rows {
            let mut row = vec![
                Cell::text(r.label.as_str()),
                Cell::text(r.sub.clone().unwrap_or_default()),
            ];
            row.extend(r.values.iter().map(Cell::figure));
            rows.push(row);
        }
    }
    rows.extend(table.notes.iter().map(|n| vec![Cell::text(n.as_str())]));
    csv_bytes(&rows)
}
