//! Spreadsheets for the paper trail, as Excel workbooks and CSV: the rectification ledger
//! (整改台账), an appraisal round's results, and the statistics tables reported upward
//! (附件1–3).
//!
//! Nothing in them runs when opened. Workbooks write what people typed as string cells only
//! (`write_string*`, `merge_range`), and numbers only for counts the project computed; no
//! formulas, links, names, notes or header codes. Every CSV goes through [`csv_bytes`], which
//! neutralises any word cell a spreadsheet could read as a formula (OWASP's CSV-injection rule).

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

/// One cell of a CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cell {
    /// Words, from people (names, titles, questions) or the catalogue: never read as a formula.
    Text(String),
    /// A figure the project computed (a count, a rate, a signed trend): kept as a number when
    /// it is a plain one, neutralised like words otherwise.
    Figure(String),
}

impl Cell {
    /// Words.
    fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// A computed figure.
    fn figure(figure: impl ToString) -> Cell {
        Cell::Figure(figure.to_string())
    }

    /// What the file holds for this cell.
    fn inert(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Figure(f) if is_plain_figure(f) => std::borrow::Cow::Borrowed(f.as_str()),
            Cell::Text(s) | Cell::Figure(s) => neutralise(s),
        }
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP's list:
/// `=`, `+`, `-`, `@`, tab, carriage return), and the full-width forms Chinese input methods type.
const FORMULA_TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// Whether a spreadsheet could read `cell` as a formula: it starts with a trigger, or its first
/// character after leading whitespace is one (some applications skip the blanks).
fn formula_like(cell: &str) -> bool {
    cell.starts_with(FORMULA_TRIGGERS) || cell.trim_start().starts_with(FORMULA_TRIGGERS)
}

/// Whether `cell` needs the quote: formula-like, or formula-like once its own leading quotes
/// are taken off (so that taking one quote off always gives the original back).
fn needs_quote(cell: &str) -> bool {
    formula_like(cell.trim_start_matches('\''))
}

/// A CSV cell that no spreadsheet reads as a formula: `'` before any cell that could be one
/// (OWASP's CSV-injection rule); other cells are unchanged.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_quote(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A number as the project writes figures: an optional sign (`+`, `-`, `−`, `±`), digits, an
/// optional fraction and an optional `%`.
fn is_plain_figure(figure: &str) -> bool {
    let body = figure.strip_prefix(['+', '-', '−', '±']).unwrap_or(figure);
    let body = body.strip_suffix('%').unwrap_or(body);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match body.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(body),
    }
}

/// A CSV document from rows, with a byte-order mark so that Excel in China opens it as UTF-8.
/// Every cell is quoted and made inert ([`Cell::inert`]): this is the one way out for CSV.
fn csv_bytes(rows: &[Vec<Cell>]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    for row in rows {
        writer.write_record(row.iter().map(Cell::inert).map(|c| c.into_owned()))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Takes the quote [`neutralise`] added off again, as a reader who knows the rule would.
    fn restore(cell: &str) -> &str {
        match cell.strip_prefix('\'') {
            Some(rest) if needs_quote(rest) => rest,
            _ => cell,
        }
    }

    /// The cells of a CSV document as a reader sees them.
    fn read(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        let text = text.strip_prefix('\u{feff}').expect("byte-order mark");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn formula_triggers_get_a_quote_and_other_cells_stay() {
        for (given, written) in [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            (" =1", "' =1"),
            ("\u{3000}=1", "'\u{3000}=1"),
            ("\n\n+1", "'\n\n+1"),
            ("＝1+1", "'＝1+1"),
            ("'=1", "''=1"),
            ("=", "'="),
            ("\t", "'\t"),
            ("张家村", "张家村"),
            ("a=1", "a=1"),
            ("填报单位（盖章）：=1", "填报单位（盖章）：=1"),
            ("'quoted", "'quoted"),
            ("", ""),
            ("   ", "   "),
        ] {
            assert_eq!(neutralise(given), written, "{given:?}");
            assert_eq!(restore(&neutralise(given)), given, "{given:?}");
        }
    }

    #[test]
    fn computed_figures_stay_numbers_and_words_never_do() {
        for figure in ["0", "25", "+3.0", "-1.5", "−1.5", "±0.0", "50%", "12.5%"] {
            assert_eq!(Cell::figure(figure).inert(), figure);
            assert!(is_plain_figure(figure), "{figure}");
        }
        assert_eq!(Cell::text("+3.0").inert(), "'+3.0");
        assert_eq!(Cell::text("-1").inert(), "'-1");
        for odd in [
            "-2+3", "+", "-", "1-", "-.5", "+1.", "=1", "@1", "1e5", "-1%%",
        ] {
            assert!(!is_plain_figure(odd), "{odd}");
            assert!(!formula_like(&Cell::figure(odd).inert()), "{odd}");
        }
        assert_eq!(Cell::figure("—").inert(), "—");
    }

    #[test]
    fn every_cell_is_quoted_and_hostile_ones_come_back_with_the_quote() {
        let rows = vec![
            vec![Cell::text("=1+1"), Cell::figure(-3), Cell::text("a,\"b\"")],
            vec![Cell::text("张家村")],
        ];
        let bytes = csv_bytes(&rows).expect("csv");
        let text = std::str::from_utf8(&bytes).expect("utf-8");
        assert_eq!(
            text,
            "\u{feff}\"'=1+1\",\"-3\",\"a,\"\"b\"\"\"\n\"张家村\"\n"
        );
        assert_eq!(read(&bytes)[0], ["'=1+1", "-3", "a,\"b\""]);
    }

    /// Strings that start like formulas more often than arbitrary text does.
    fn cell_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ \t\r\n\u{3000}'=+@＝＋－＠-]{0,4}\\PC{0,12}",
        ]
    }

    proptest! {
        #[test]
        fn no_neutralised_cell_starts_like_a_formula_and_the_quote_comes_off(s in cell_text()) {
            let written = neutralise(&s);
            prop_assert!(!written.starts_with(FORMULA_TRIGGERS));
            prop_assert!(!written.trim_start().starts_with(FORMULA_TRIGGERS));
            prop_assert!(!formula_like(&written));
            prop_assert_eq!(restore(&written), s.as_str());
        }

        #[test]
        fn a_csv_file_reads_back_as_its_neutralised_cells(
            rows in proptest::collection::vec(proptest::collection::vec(cell_text(), 1..5), 1..5)
        ) {
            let cells: Vec<Vec<Cell>> = rows
                .iter()
                .map(|r| r.iter().map(|c| Cell::text(c.as_str())).collect())
                .collect();
            let read_back = read(&csv_bytes(&cells).expect("csv"));
            prop_assert_eq!(read_back.len(), rows.len());
            for (row, back) in rows.iter().zip(&read_back) {
                prop_assert_eq!(row.len(), back.len());
                for (given, cell) in row.iter().zip(back) {
                    prop_assert!(!formula_like(cell), "{:?}", cell);
                    prop_assert_eq!(restore(cell), given.as_str());
                }
            }
        }
    }

    /// The workbook writers may only put text into cells as strings: no call that could make
    /// a formula, a link, a defined name, a note or a header/footer (`&` codes) out of it.
    #[test]
    fn workbooks_use_no_call_that_interprets_text() {
        let sources = [
            ("ledger.rs", include_str!("ledger.rs")),
            ("results.rs", include_str!("results.rs")),
            ("tables.rs", include_str!("tables.rs")),
        ];
        let forbidden = [
            ".write(",
            ".write_with_format(",
            "write_formula",
            "write_array_formula",
            "write_dynamic",
            "write_url",
            "write_rich_string",
            "set_header",
            "set_footer",
            "define_name",
            "insert_note",
            "Formula",
            "Url",
        ];
        for (file, source) in sources {
            for call in forbidden {
                assert!(!source.contains(call), "{file} uses {call}");
            }
        }
    }
}
