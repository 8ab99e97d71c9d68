//! Spreadsheets for the paper trail, as Excel workbooks and CSV: the rectification ledger
//! (整改台账), an appraisal round's results, and the statistics tables reported upward
//! (附件1–3).

mod ledger;
mod results;
mod tables;

pub use ledger::ledger_workbook;
pub use results::{results_csv, results_workbook};
pub use tables::{tables_csv, tables_workbook};

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

/// The two forms of every table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetFormat {
    /// An Excel workbook in the official layout.
    Xlsx,
    /// Plain CSV, one heading row.
    Csv,
}

impl SheetFormat {
    /// From a file extension, `xlsx` or `csv`.
    pub fn from_extension(ext: &str) -> Option<SheetFormat> {
        match ext {
            "xlsx" => Some(SheetFormat::Xlsx),
            "csv" => Some(SheetFormat::Csv),
            _ => None,
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Csv => "csv",
        }
    }
}

/// The cell formats the workbooks share.
struct Formats {
    /// A sheet's title.
    title: Format,
    /// Column and row headings.
    head: Format,
    /// A bordered cell.
    cell: Format,
    /// Unbordered text that wraps.
    plain: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            head: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color("#EEEEEE"),
            cell: Format::new()
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            plain: Format::new().set_text_wrap(),
        }
    }
}

/// A CSV document from rows, with a byte-order mark so that Excel in China opens it as UTF-8.
fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    for row in rows {
        writer.write_record(row)?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}
