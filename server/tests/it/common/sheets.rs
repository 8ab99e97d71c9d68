//! Reading the downloaded spreadsheets back: workbooks with calamine, CSV with csv.

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, Xlsx, open_workbook_from_rs};

/// One sheet of a workbook: its cells and its merged regions.
pub struct Sheet {
    /// The cells.
    pub cells: Range<Data>,
    /// The merged regions.
    pub merged: Vec<Dimensions>,
}

impl Sheet {
    /// A cell's text ("" when empty), by zero-based row and column.
    pub fn text(&self, row: u32, col: u32) -> String {
        match self.cells.get_value((row, col)) {
            None | Some(Data::Empty) => String::new(),
            Some(value) => value.to_string(),
        }
    }

    /// Whether the cells from `start` to `end` (row, column) are merged into one.
    pub fn is_merged(&self, start: (u32, u32), end: (u32, u32)) -> bool {
        self.merged.iter().any(|d| d.start == start && d.end == end)
    }

    /// The row and column of the first cell holding exactly `text`.
    pub fn find(&self, text: &str) -> Option<(u32, u32)> {
        self.cells
            .cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == text))
            .map(|(r, c, _)| {
                let (r0, c0) = self.cells.start().unwrap_or((0, 0));
                (r as u32 + r0, c as u32 + c0)
            })
    }
}

/// The sheets of an `.xlsx` file, by name in order.
pub fn read_xlsx(bytes: Vec<u8>) -> Vec<(String, Sheet)> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    let names = workbook.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let cells = workbook.worksheet_range(&name).expect("sheet");
            let merged = workbook
                .merge_cells_by_sheet_name(&name)
                .expect("merged cells");
            (name, Sheet { cells, merged })
        })
        .collect()
}

/// The records of a CSV file (a leading byte-order mark is allowed).
pub fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}
