//! Small-cell suppression: a count of fewer than k people is never shown, and neither is any
//! other number it could be worked out from (a total minus the visible cells).

/// A table of counts as it may be shown; `None` marks a hidden number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    /// The cells, row by row.
    pub cells: Vec<Vec<Option<u32>>>,
    /// Each row's total.
    pub row_totals: Vec<Option<u32>>,
    /// Each column's total.
    pub column_totals: Vec<Option<u32>>,
    /// The grand total.
    pub total: Option<u32>,
}

/// One line of the table: some counts and the total they add up to.
struct Line<'a> {
    cells: Vec<(u32, &'a mut bool)>,
    total: (u32, &'a mut bool),
}

impl Line<'_> {
    /// Hides one more number when exactly one in the line is hidden while its total shows:
    /// the smallest visible non-zero cell, else the total. Returns whether it changed anything.
    fn protect(self) -> bool {
        let Line { mut cells, total } = self;
        if *total.1 || cells.iter().filter(|(_, hidden)| **hidden).count() != 1 {
            return false;
        }
        let complement = cells
            .iter_mut()
            .filter(|(count, hidden)| !**hidden && *count > 0)
            .min_by_key(|(count, _)| *count);
        match complement {
            Some((_, hidden)) => **hidden = true,
            None => *total.1 = true,
        }
        true
    }
}

/// Hides every count from 1 to `k - 1`, then hides complementary counts until no hidden count
/// can be recovered from a row, a column or the totals. Zeros stay visible: nobody is behind them.
pub fn suppress(table: &[Vec<u32>], k: u32) -> Suppressed {
    let small = |n: u32| n > 0 && n < k;
    let columns = table.first().map_or(0, Vec::len);
    let row_sums: Vec<u32> = table.iter().map(|r| r.iter().sum()).collect();
    let column_sums: Vec<u32> = (0..columns)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let grand: u32 = row_sums.iter().sum();

    let mut hidden: Vec<Vec<bool>> = table
        .iter()
        .map(|r| r.iter().map(|&n| small(n)).collect())
        .collect();
    let mut row_hidden: Vec<bool> = row_sums.iter().map(|&n| small(n)).collect();
    let mut column_hidden: Vec<bool> = column_sums.iter().map(|&n| small(n)).collect();
    let mut total_hidden = small(grand);

    loop {
        let mut changed = false;
        for (i, row) in hidden.iter_mut().enumerate() {
            changed |= Line {
                cells: table[i].iter().copied().zip(row.iter_mut()).collect(),
                total: (row_sums[i], &mut row_hidden[i]),
            }
            .protect();
        }
        for j in 0..columns {
            let cells = table
                .iter()
                .zip(hidden.iter_mut())
                .map(|(r, h)| (r[j], &mut h[j]))
                .collect();
            changed |= Line {
                cells,
                total: (column_sums[j], &mut column_hidden[j]),
            }
            .protect();
        }
        changed |= Line {
            cells: row_sums
                .iter()
                .copied()
                .zip(row_hidden.iter_mut())
                .collect(),
            total: (grand, &mut total_hidden),
        }
        .protect();
        changed |= Line {
            cells: column_sums
                .iter()
                .copied()
                .zip(column_hidden.iter_mut())
                .collect(),
            total: (grand, &mut total_hidden),
        }
        .protect();
        if !changed {
            break;
        }
    }

    let show = |n: u32, hide: bool| (!hide).then_some(n);
    Suppressed {
        cells: table
            .iter()
            .zip(&hidden)
            .map(|(r, h)| r.iter().zip(h).map(|(&n, &x)| show(n, x)).collect())
            .collect(),
        row_totals: row_sums
            .iter()
            .zip(&row_hidden)
            .map(|(&n, &x)| show(n, x))
            .collect(),
        column_totals: column_sums
            .iter()
            .zip(&column_hidden)
            .map(|(&n, &x)| show(n, x))
            .collect(),
        total: show(grand, total_hidden),
    }
}

/// A single count shown alone (per person or per small group): hidden from 1 to `k - 1`.
pub fn shown(count: u32, k: u32) -> Option<u32> {
    (count == 0 || count >= k).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn small_counts_and_the_numbers_that_would_reveal_them_are_hidden() {
        let out = suppress(&[vec![3, 10, 7]], 5);
        assert_eq!(out.cells, vec![vec![None, Some(10), None]]);
        assert_eq!(out.row_totals, vec![Some(20)]);
        assert_eq!(out.total, Some(20));
    }

    #[test]
    fn a_line_with_no_other_count_hides_its_total() {
        let out = suppress(&[vec![2, 0, 0], vec![9, 6, 5]], 5);
        assert_eq!(out.cells[0], vec![None, Some(0), Some(0)]);
        assert_eq!(out.row_totals[0], None);
        // Column 0 would give the hidden 2 away as 11 − 9: its other cell or total goes too.
        assert!(out.cells[1][0].is_none() || out.column_totals[0].is_none());
    }

    #[test]
    fn large_counts_are_all_shown() {
        let out = suppress(&[vec![5, 8], vec![12, 0]], 5);
        assert_eq!(
            out.cells,
            vec![vec![Some(5), Some(8)], vec![Some(12), Some(0)]]
        );
        assert_eq!(out.total, Some(25));
        assert_eq!(shown(4, 5), None);
        assert_eq!(shown(0, 5), Some(0));
        assert_eq!(shown(5, 5), Some(5));
    }

    /// Whether a hidden number is fixed by a line whose total and other members all show.
    fn recoverable(out: &Suppressed) -> bool {
        let lone = |cells: Vec<Option<u32>>, total: Option<u32>| {
            total.is_some() && cells.iter().filter(|c| c.is_none()).count() == 1
        };
        let rows = out.cells.len();
        let columns = out.column_totals.len();
        (0..rows).any(|i| lone(out.cells[i].clone(), out.row_totals[i]))
            || (0..columns).any(|j| {
                lone(
                    (0..rows).map(|i| out.cells[i][j]).collect(),
                    out.column_totals[j],
                )
            })
            || lone(out.row_totals.clone(), out.total)
            || lone(out.column_totals.clone(), out.total)
    }

    #[test]
    fn random_tables_never_leave_a_hidden_count_recoverable_from_one_line() {
        let mut rng = rand::rng();
        for _ in 0..2_000 {
            let rows = rng.random_range(1..6);
            let columns = rng.random_range(1..7);
            let table: Vec<Vec<u32>> = (0..rows)
                .map(|_| (0..columns).map(|_| rng.random_range(0..12)).collect())
                .collect();
            let out = suppress(&table, 5);
            assert!(!recoverable(&out), "{table:?} → {out:?}");
            for (i, row) in table.iter().enumerate() {
                for (j, &n) in row.iter().enumerate() {
                    if n > 0 && n < 5 {
                        assert_eq!(out.cells[i][j], None, "{table:?}");
                    }
                }
            }
        }
    }
}
