//! CSV and TSV tables: the header cell above a value.
//!
//! In a table, a value's context word is its column's name in the header line, rows away
//! from the value: `emp_id,name,Tax number\n7,Jane Roe,62 056 174 833`. The header is
//! the document's first line; a value's cell counts when its line and the header hold
//! the same number (one or more) of separators.
//!
//! A document's line starts are found once, on its first lookup ([`Lines`]), so that a
//! lookup costs a binary search and a pass over two lines, not a search back to the line
//! start: a long document without line breaks would otherwise pay its length for every
//! candidate.

use crate::span::Span;

/// Longest header cell under which a line with more separators than the header still
/// has its first column (see [`header_cell`]).
const MAX_HEADER_CELL: usize = 32;
use std::cell::{Cell, OnceCell};

/// The line starts of one document, found on first use, with the separator counts of
/// its header and of the last line looked at (the stretches and candidates of one row
/// come one after the other).
#[derive(Debug, Default)]
pub struct Lines {
    starts: OnceCell<Vec<usize>>,
    /// The header's commas and tabs, and its longest cell by either separator.
    header: OnceCell<(usize, usize, usize)>,
    /// The last line looked at: its number, separator and count of it.
    last: Cell<Option<(usize, u8, usize)>>,
}

impl Lines {
    /// Forgets the previous document's lines.
    pub fn clear(&mut self) {
        *self = Lines::default();
    }

    fn starts(&self, hay: &[u8]) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', hay).map(|i| i + 1))
                .collect()
        })
    }

    /// Line `i` (from `start` to `end`): its separator (a tab when it holds one, else a
    /// comma) and how many it holds.
    fn separators(&self, hay: &[u8], i: usize, start: usize, end: usize) -> (u8, usize) {
        if let Some((line, sep, n)) = self.last.get()
            && line == i
        {
            return (sep, n);
        }
        let line = &hay[start..end];
        let sep = if memchr::memchr(b'\t', line).is_some() {
            b'\t'
        } else {
            b','
        };
        let n = memchr::memchr_iter(sep, line).count();
        self.last.set(Some((i, sep, n)));
        (sep, n)
    }
}

/// The header cell above byte `at` of `hay` in a CSV or TSV table: when `at` lies on a
/// later line than the document's first, that line and the first hold the same number
/// (one or more) of separators (a tab when `at`'s line has one, else a comma), and the
/// first line's cell in `at`'s column; in the first column, a line with more separators
/// than the header will do too. Placeholders hold no separator, so redaction
/// leaves the column count as it was.
pub fn header_cell(hay: &[u8], lines: &Lines, at: usize) -> Option<Span> {
    let starts = lines.starts(hay);
    let i = starts.partition_point(|&s| s <= at) - 1;
    if i == 0 {
        return None;
    }
    let line_start = starts[i];
    let line_end = starts.get(i + 1).map_or(hay.len(), |&s| s - 1);
    let (sep, n) = lines.separators(hay, i, line_start, line_end);
    let header = &hay[..starts[1] - 1];
    let (commas, tabs, longest) = *lines.header.get_or_init(|| {
        let longest = header
            .split(|&b| b == b',' || b == b'\t')
            .map(<[u8]>::len)
            .max()
            .unwrap_or(0);
        (
            memchr::memchr_iter(b',', header).count(),
            memchr::memchr_iter(b'\t', header).count(),
            longest,
        )
    });
    let in_header = if sep == b'\t' { tabs } else { commas };
    if n == 0 || in_header == 0 {
        return None;
    }
    // The first cell of a record stands under the first header cell even when a later
    // cell holds an unquoted separator (`Jane Roe,carte n° 5555, 5555,...`), which only
    // shifts the cells after it: a line with more separators than the header still has
    // its first column. Not one with fewer, which is more often a line of prose, nor
    // under a first line of prose that holds a comma (a header's cells are short).
    // Checked only when the counts differ: lookups are many (every gated stretch).
    if n != in_header
        && !(n > in_header
            && longest <= MAX_HEADER_CELL
            && memchr::memchr(sep, &hay[line_start..at]).is_none())
    {
        return None;
    }
    let column = memchr::memchr_iter(sep, &hay[line_start..at]).count();
    let mut cells = header.split(|&b| b == sep);
    let mut start = 0;
    for _ in 0..column {
        start += cells.next()?.len() + 1;
    }
    let len = cells.next()?.len();
    Some(Span::new(start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(hay: &str, at: usize) -> Option<&str> {
        let lines = Lines::default();
        header_cell(hay.as_bytes(), &lines, at).map(|s| &hay[s.range()])
    }

    #[test]
    fn finds_the_header_cell_of_a_column() {
        let t = "id,name,phone\n7,Jane Roe,044 668 18 00\n";
        assert_eq!(cell(t, t.find("044").unwrap()), Some("phone"));
        assert_eq!(cell(t, t.find("Jane").unwrap()), Some("name"));
        let t = "id\tphone\n7\t044 668 18 00";
        assert_eq!(cell(t, t.find("044").unwrap()), Some("phone"));
    }

    #[test]
    fn the_first_column_survives_a_stray_separator() {
        let t = "name,card,amount\nJane Roe,carte 5555, 5555,12.00\n";
        assert_eq!(cell(t, t.find("Jane").unwrap()), Some("name"));
        assert_eq!(cell(t, t.find("12.00").unwrap()), None);
        let t = "name,card,amount\nJane Roe, more\n";
        assert_eq!(cell(t, t.find("Jane").unwrap()), None);
        let t = "Call us today, or write to the office of the mayor\nepoch 17, 17, 1\n";
        assert_eq!(cell(t, t.find("epoch").unwrap()), None);
    }

    #[test]
    fn no_cell_without_a_table() {
        // On the header line itself, past the first column of a line with another
        // column count, with no separator, or in a document of one line.
        let t = "id,name,phone\n7,Jane Roe\nplain 044 668 18 00\n";
        assert_eq!(cell(t, 3), None);
        assert_eq!(cell(t, t.find("Jane").unwrap()), None);
        assert_eq!(cell(t, t.find("044").unwrap()), None);
        assert_eq!(cell("a,b 044 668", 5), None);
    }
}
