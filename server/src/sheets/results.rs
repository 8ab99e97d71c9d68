//! A finished appraisal round's results as a workbook and as CSV: the lines per subject over all
//! items, then item by item, each with counts per level, the rates and the trend. Hidden figures
//! stay hidden ("—"): the results arrive here already suppressed.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use vocabulary::appraisal::{
    Rating, ResultLine, RoundResults, figure_text, percent_text, rate_text, trend_text,
};
use vocabulary::i18n::{Lang, Texts};

use super::{Cell, Formats, csv_bytes};

/// The line's cells after its label: four counts, total, three rates, trend.
fn line_cells(line: &ResultLine) -> Vec<String> {
    let mut cells: Vec<String> = line.counts.iter().map(|c| figure_text(*c)).collect();
    cells.push(figure_text(line.total));
    cells.push(rate_text(line.satisfaction));
    cells.push(rate_text(line.basic));
    cells.push(rate_text(line.dissatisfied));
    cells.push(trend_text(line.trend));
    cells
}

/// The headings after the label column, the counts' four levels first.
fn value_headings(t: &Texts, lang: Lang) -> Vec<String> {
    let mut headings: Vec<String> = Rating::ALL
        .iter()
        .map(|r| r.label(lang).to_string())
        .collect();
    for h in [
        t.appraisal.ap_col_total,
        t.appraisal.ap_col_satisfaction,
        t.appraisal.ap_col_basic,
        t.appraisal.ap_col_dissatisfied,
        t.appraisal.ap_col_trend,
    ] {
        headings.push(h.to_string());
    }
    headings
}

/// The round's summary and the sentence of how many answered.
fn counted(t: &Texts, results: &RoundResults) -> String {
    match results.response_rate {
        Some(r) => t
            .appraisal
            .ap_response_rate
            .replace("{n}", &results.responses.to_string())
            .replace("{slips}", &results.round.slips_issued.to_string())
            .replace("{rate}", &percent_text(r)),
        None => t
            .appraisal
            .ap_responses_n
            .replace("{n}", &results.responses.to_string()),
    }
}

/// The tables of the workbook and the CSV: (heading, lines, the all line).
fn tables<'a>(
    t: &Texts,
    results: &'a RoundResults,
) -> Vec<(String, &'a [ResultLine], &'a ResultLine)> {
    let mut all = vec![(
        t.appraisal.ap_all_items.to_string(),
        results.summary.as_slice(),
        &results.overall,
    )];
    for item in &results.items {
        all.push((item.text.clone(), item.lines.as_slice(), &item.all));
    }
    all
}

/// Writes one table with its two heading rows (评议票数 merged over the four levels); returns
/// the next free row.
fn write_table(
    sheet: &mut Worksheet,
    formats: &Formats,
    t: &Texts,
    lang: Lang,
    mut row: u32,
    (heading, lines, all): (String, &[ResultLine], &ResultLine),
) -> Result<u32, XlsxError> {
    let headings = value_headings(t, lang);
    let last = headings.len() as u16;
    sheet.merge_range(row, 0, row, last, &heading, &formats.head)?;
    row += 1;
    sheet.merge_range(
        row,
        0,
        row + 1,
        0,
        t.appraisal.ap_col_subject,
        &formats.head,
    )?;
    sheet.merge_range(row, 1, row, 4, t.appraisal.ap_col_counts, &formats.head)?;
    for (i, h) in headings.iter().enumerate() {
        let col = 1 + i as u16;
        if i < 4 {
            sheet.write_string_with_format(row + 1, col, h, &formats.head)?;
        } else {
            sheet.merge_range(row, col, row + 1, col, h, &formats.head)?;
        }
    }
    row += 2;
    let overall = t.appraisal.ap_overall.to_string();
    let rows = lines
        .iter()
        .map(|l| (l.label.as_str(), l))
        .chain([(overall.as_str(), all)]);
    for (label, line) in rows {
        sheet.write_string_with_format(row, 0, label, &formats.cell)?;
        for (i, value) in line_cells(line).iter().enumerate() {
            sheet.write_string_with_format(row, 1 + i as u16, value, &formats.cell)?;
        }
        row += 1;
    }
    Ok(row + 1)
}

/// The results as an `.xlsx` file: a title, how many answered, the suppression note, then the
/// table over all items and one per item.
pub fn results_workbook(results: &RoundResults, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.t();
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(t.appraisal.ap_results_heading)?;
    let last = value_headings(t, lang).len() as u16;
    sheet.set_column_width(0, 28.0)?;
    sheet.set_column_range_width(1, last, 10.0)?;
    let title = format!(
        "{} · {}",
        results.round.name, t.appraisal.ap_results_heading
    );
    sheet.merge_range(0, 0, 0, last, &title, &formats.title)?;
    sheet.merge_range(1, 0, 1, last, &counted(t, results), &formats.cell)?;
    let hidden = t
        .appraisal
        .ap_hidden_note
        .replace("{k}", &results.min_group.to_string());
    sheet.merge_range(2, 0, 2, last, &hidden, &formats.cell)?;
    let mut row = 4;
    for table in tables(t, results) {
        row = write_table(sheet, &formats, t, lang, row, table)?;
    }
    workbook.save_to_buffer()
}

/// The results as CSV, one line per item and subject: 评议项目, 被评议对象, the four counts,
/// total, the three rates and the trend.
pub fn results_csv(results: &RoundResults, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let t = lang.t();
    let mut header = vec![
        Cell::text(t.appraisal.ap_col_item),
        Cell::text(t.appraisal.ap_col_subject),
    ];
    header.extend(value_headings(t, lang).into_iter().map(Cell::text));
    let mut rows = vec![header];
    let overall = t.appraisal.ap_overall.to_string();
    for (heading, lines, all) in tables(t, results) {
        let labelled = lines
            .iter()
            .map(|l| (l.label.as_str(), l))
            .chain([(overall.as_str(), all)]);
        for (label, line) in labelled {
            let mut row = vec![Cell::text(heading.as_str()), Cell::text(label)];
            row.extend(line_cells(line).into_iter().map(Cell::Figure));
            rows.push(row);
        }
    }
    csv_bytes(&rows)
}
