//! The rectification ledger (整改台账) as an Excel workbook.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use vocabulary::i18n::{Lang, Texts};
use vocabulary::issues::Ledger;

/// The ledger's column headings and widths, in the order of the seeds' 台账 (as on the page).
fn columns(t: &Texts) -> [(&'static str, f64); 9] {
    [
        (t.issues.col_number, 6.0),
        (t.issues.col_issue, 30.0),
        (t.issues.col_opinion_count, 8.0),
        (t.common.col_state, 10.0),
        (t.issues.measure_text_label, 36.0),
        (t.issues.responsible_label, 16.0),
        (t.issues.due_on_label, 12.0),
        (t.issues.col_done, 14.0),
        (t.issues.evidence_label, 30.0),
    ]
}

/// The ledger as an `.xlsx` file: a title, the seeds' sentence, then one row per measure with
/// the issue's cells merged over its measures. Viewers' ledgers hold no issues, so theirs has
/// the figures only.
pub fn ledger_workbook(ledger: &Ledger, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.t();
    let columns = columns(t);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(t.common.ledger_heading)?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#EEEEEE");
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let last_col = (columns.len() - 1) as u16;
    let heading = format!(
        "{} · {} ({} – {})",
        ledger.group, t.common.ledger_heading, ledger.from, ledger.to
    );
    sheet.merge_range(0, 0, 0, last_col, &heading, &title)?;
    let sentence = Format::new().set_text_wrap();
    sheet.merge_range(1, 0, 1, last_col, &ledger.figures.sentence(lang), &sentence)?;
    for (col, (label, width)) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(3, col, *label, &head)?;
    }
    let mut row: u32 = 4;
    for (number, issue) in ledger.issues.iter().enumerate() {
        let span = issue.measures.len().max(1) as u32;
        let issue_cells = [
            (0u16, (number + 1).to_string()),
            (1, issue.title.clone()),
            (2, issue.opinion_count.to_string()),
            (3, issue.state.label(lang).to_string()),
        ];
        for (col, text) in &issue_cells {
            if span > 1 {
                sheet.merge_range(row, *col, row + span - 1, *col, text, &cell)?;
            } else {
                sheet.write_string_with_format(row, *col, text, &cell)?;
            }
        }
        if issue.measures.is_empty() {
            for col in 4..=last_col {
                sheet.write_blank(row, col, &cell)?;
            }
        }
        for (offset, measure) in issue.measures.iter().enumerate() {
            let at = row + offset as u32;
            let progress = match &measure.done_on {
                Some(day) => t.issues.measure_done_on.replace("{date}", day),
                None if measure.overdue => {
                    format!(
                        "{} ({})",
                        t.issues.measure_in_progress, t.common.overdue_badge
                    )
                }
                None => t.issues.measure_in_progress.to_string(),
            };
            let cells = [
                measure.text.as_str(),
                measure.responsible.as_str(),
                measure.due_on.as_str(),
                progress.as_str(),
                measure.evidence.as_deref().unwrap_or_default(),
            ];
            for (i, text) in cells.iter().enumerate() {
                sheet.write_string_with_format(at, 4 + i as u16, *text, &cell)?;
            }
        }
        row += span;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocabulary::issues::{IssueView, LedgerFigures, MeasureView};
    use vocabulary::model::{Category, Day, OpinionState};

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    fn issue(title: &str, measures: usize) -> IssueView {
        IssueView {
            id: title.into(),
            title: title.into(),
            category: Category::Suggestion,
            state: OpinionState::Rectifying,
            found_on: day("2026-11-01"),
            closed_on: None,
            opinion_count: 3,
            reply: None,
            replied_on: None,
            measures_set: measures as u32,
            measures_done: 0,
            opinions: Vec::new(),
            measures: (0..measures)
                .map(|i| MeasureView {
                    id: i.to_string().into(),
                    text: format!("措施{i}"),
                    responsible: "张德明".into(),
                    due_on: day("2026-12-01"),
                    evidence: None,
                    done_on: (i == 0).then(|| day("2026-11-20")),
                    set_on: day("2026-11-02"),
                    overdue: false,
                })
                .collect(),
        }
    }

    #[test]
    fn a_ledger_with_and_without_measures_makes_a_workbook() {
        let ledger = Ledger {
            group: "青山镇领导小组".into(),
            from: day("2026-01-01"),
            to: day("2026-12-31"),
            figures: LedgerFigures::default(),
            issues: vec![issue("村道破损", 2), issue("低保公示", 0), issue("停水", 1)],
        };
        for lang in [Lang::Zh, Lang::En] {
            let bytes = ledger_workbook(&ledger, lang).expect("workbook");
            assert!(bytes.starts_with(b"PK"), "an xlsx file is a zip archive");
        }
    }
}
