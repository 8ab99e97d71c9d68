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

/// One published sum: the count at `total` is the sum of the counts at `parts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sum {
    /// Index of the total.
    pub total: usize,
    /// Indices of what it adds up.
    pub parts: Vec<usize>,
}

/// Which counts stand for 1 to `k - 1` people: these are hidden first. Zeros stay visible:
/// nobody is behind them.
pub fn below(people: &[u32], k: u32) -> Vec<bool> {
    people.iter().map(|&n| n > 0 && n < k).collect()
}

/// Adds to the `hidden` counts, until nothing changes, one more count in any sum where only one
/// member is hidden (it would be the total minus the rest, or the sum of the parts). The
/// smallest visible non-zero part goes first, else the total. Sums may share counts across
/// tables, so a figure hidden in one table is not given away by another.
pub fn protect(counts: &[u32], mut hidden: Vec<bool>, sums: &[Sum]) -> Vec<bool> {
    loop {
        let mut changed = false;
        for sum in sums {
            let members = || std::iter::once(sum.total).chain(sum.parts.iter().copied());
            if members().filter(|&i| hidden[i]).count() != 1 {
                continue;
            }
            let complement = sum
                .parts
                .iter()
                .copied()
                .filter(|&i| !hidden[i] && counts[i] > 0)
                .min_by_key(|&i| counts[i])
                .or((!hidden[sum.total] && counts[sum.total] > 0).then_some(sum.total));
            if let Some(i) = complement {
                hidden[i] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// Hides every count from 1 to `k - 1`, then hides complementary counts until no hidden count
/// can be recovered from a row, a column or the totals.
pub fn suppress(table: &[Vec<u32>], k: u32) -> Suppressed {
    let rows = table.len();
    let columns = table.first().map_or(0, Vec::len);
    // Layout: the cells row by row, then the row totals, the column totals and the grand total.
    let cell = |i: usize, j: usize| i * columns + j;
    let row_total = |i: usize| rows * columns + i;
    let column_total = |j: usize| rows * columns + rows + j;
    let grand = rows * columns + rows + columns;

    let mut counts: Vec<u32> = table.iter().flatten().copied().collect();
    counts.extend(table.iter().map(|r| r.iter().sum::<u32>()));
    counts.extend((0..columns).map(|j| table.iter().map(|r| r[j]).sum::<u32>()));
    counts.push(table.iter().flatten().sum());

    let mut sums: Vec<Sum> = (0..rows)
        .map(|i| Sum {
            total: row_total(i),
            parts: (0..columns).map(|j| cell(i, j)).collect(),
        })
        .collect();
    sums.extend((0..columns).map(|j| Sum {
        total: column_total(j),
        parts: (0..rows).map(|i| cell(i, j)).collect(),
    }));
    sums.push(Sum {
        total: grand,
        parts: (0..rows).map(row_total).collect(),
    });
    sums.push(Sum {
        total: grand,
        parts: (0..columns).map(column_total).collect(),
    });

    let hidden = protect(&counts, below(&counts, k), &sums);
    let show = |i: usize| (!hidden[i]).then_some(counts[i]);
    Suppressed {
        cells: (0..rows)
            .map(|i| (0..columns).map(|j| show(cell(i, j))).collect())
            .collect(),
        row_totals: (0..rows).map(|i| show(row_total(i))).collect(),
        column_totals: (0..columns).map(|j| show(column_total(j))).collect(),
        total: show(grand),
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
