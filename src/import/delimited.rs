//! Tables with a header row (CSV, TSV, semicolon-separated), split into cells by `csv-core`:
//! the header names each column's role (`record::Role`), then every row is one record.
//! Quoting is RFC 4180's (`"a ""b"""`, line breaks inside quotes), read leniently: a quote
//! inside an unquoted cell is text. A row ends at `\n` (a `\r` before it is no part of the
//! last cell; a lone `\r` is text, as the form and the plain scanner take it). A cell is kept
//! up to `FIELD_CAP` bytes and the rest read past, so a row of any length costs no more than
//! that per cell read. A quoted cell never closed is a syntax error: the rest of the input
//! would otherwise vanish into it. What this module owns is that cap, the line numbers and
//! the error; the splitting is the crate's.

use csv_core::{ReadFieldResult, ReaderBuilder, Terminator};

use super::record::{FIELD_CAP, Record, Role};
use super::{Found, SyntaxError};

#[derive(Debug)]
pub struct TableReader {
    csv: Cells,
    delimiter: u8,
    /// Each column's role, once the header row has been read.
    columns: Option<Vec<Role>>,
    /// The header's roles as they are read.
    header: Vec<Role>,
    /// Between two rows, where a line break is a blank line and anything else begins a row.
    between_rows: bool,
    /// Where the current cell began (from 1): an open quote's line, for the error.
    cell_line: usize,
    column: usize,
    /// The current cell's first `FIELD_CAP` bytes, of which `kept` are read.
    cell: Vec<u8>,
    kept: usize,
    /// Where the rest of a longer cell is read, and dropped.
    past_cap: Vec<u8>,
    record: Record,
}

impl TableReader {
    pub fn new(delimiter: u8) -> Self {
        Self {
            csv: Cells::new(delimiter),
            delimiter,
            columns: None,
            header: Vec::new(),
            between_rows: true,
            cell_line: 1,
            column: 0,
            cell: vec![0; FIELD_CAP],
            kept: 0,
            past_cap: vec![0; FIELD_CAP],
            record: Record::starting_at(1),
        }
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    pub fn feed(&mut self, text: &[u8], found: &mut Found) -> Result<(), SyntaxError> {
        let mut rest = text;
        while !rest.is_empty() {
            if self.between_rows {
                rest = self.csv.skip_blank_lines(rest);
                if rest.is_empty() {
                    break;
                }
                self.between_rows = false;
                self.cell_line = self.csv.line();
                self.record = Record::starting_at(self.cell_line);
            }
            let room = &mut self.cell[self.kept..];
            let out = if room.is_empty() {
                &mut self.past_cap[..]
            } else {
                room
            };
            let (result, read, written) = self.csv.read_field(rest, out);
            rest = &rest[read..];
            if self.kept < FIELD_CAP {
                self.kept += written;
            }
            if let ReadFieldResult::Field { record_end } = result {
                self.end_cell(record_end, found);
            }
        }
        Ok(())
    }

    pub fn finish(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        // A last line break ends the last row, unless a quoted cell takes it in.
        self.feed(b"\n", found)?;
        if self.between_rows {
            return Ok(());
        }
        Err(SyntaxError {
            line: self.cell_line,
            column: 0,
            message: "a quoted cell begins here and is never closed".to_owned(),
            in_listing: false,
        })
    }

    fn end_cell(&mut self, row_ends: bool, found: &mut Found) {
        let mut cell = &self.cell[..self.kept];
        if row_ends {
            cell = cell.strip_suffix(b"\r").unwrap_or(cell);
        }
        match &self.columns {
            None => self.header.push(Role::of(cell)),
            Some(columns) => {
                let role = columns.get(self.column).copied().unwrap_or(Role::Other);
                self.record.field(role, cell);
            }
        }
        self.kept = 0;
        self.column += 1;
        self.cell_line = self.csv.line();
        if row_ends {
            self.end_row(found);
        }
    }

    /// The row has ended (the cells are in): the header is taken, or the record finished.
    /// Rows before the header that hold nothing are blank lines.
    fn end_row(&mut self, found: &mut Found) {
        let header = std::mem::take(&mut self.header);
        if self.columns.is_none() {
            if header.iter().any(|role| *role != Role::Other) {
                self.columns = Some(header);
            }
        } else {
            std::mem::take(&mut self.record).finish(found);
        }
        self.column = 0;
        self.between_rows = true;
    }
}

/// The parser: cells separated by `delimiter`, rows by `\n`, quoted with `"` (`""` is one).
/// Its first read is one byte, so its own removal of a UTF-8 byte-order mark never applies:
/// it takes a first piece that is only the mark for the end of the input. The decoder drops
/// the mark at the start of the input; one further on is text, in a table as anywhere.
#[derive(Debug)]
struct Cells {
    /// Boxed: it holds its transition table (about 700 bytes), and readers are moved.
    csv: Box<csv_core::Reader>,
    started: bool,
}

impl Cells {
    fn new(delimiter: u8) -> Self {
        let csv = ReaderBuilder::new()
            .delimiter(delimiter)
            .terminator(Terminator::Any(b'\n'))
            .build();
        Self {
            csv: Box::new(csv),
            started: false,
        }
    }

    /// The next cell, or as much of it as `input` holds and `output` takes (`csv-core`'s
    /// `read_field`: an empty `input` is the end).
    fn read_field(&mut self, input: &[u8], output: &mut [u8]) -> (ReadFieldResult, usize, usize) {
        let input = if self.started {
            input
        } else {
            self.started = true;
            &input[..input.len().min(1)]
        };
        self.csv.read_field(input, output)
    }

    /// Takes the line breaks `input` starts with, between two rows: blank lines, which the
    /// parser would pass over unseen. A row's line is where its first byte is.
    fn skip_blank_lines<'a>(&mut self, input: &'a [u8]) -> &'a [u8] {
        let blank = input.iter().take_while(|&&b| b == b'\n').count();
        self.csv.set_line(self.csv.line() + blank as u64);
        &input[blank..]
    }

    /// The line the parser is on (from 1), counting those inside quoted cells.
    fn line(&self) -> usize {
        usize::try_from(self.csv.line()).unwrap_or(usize::MAX)
    }
}

/// The cells of one line (for deciding whether it is a header), unquoted as rows are.
pub fn split_cells(line: &[u8], delimiter: u8) -> Vec<Vec<u8>> {
    let mut csv = Cells::new(delimiter);
    let mut cells = Vec::new();
    let mut cell = Vec::new();
    let mut out = [0u8; 256];
    let mut rest = line;
    loop {
        let (result, read, written) = csv.read_field(rest, &mut out);
        rest = &rest[read..];
        cell.extend_from_slice(&out[..written]);
        match result {
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                cells.push(std::mem::take(&mut cell));
                if record_end {
                    return cells;
                }
            }
            ReadFieldResult::End => return cells,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportScan;

    const A: &str = "550e8400-e29b-41d4-a716-446655440000";
    const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

    fn read(text: &str, delimiter: u8, piece: usize) -> Result<ImportScan, SyntaxError> {
        let mut table = TableReader::new(delimiter);
        let mut found = Found::default();
        for chunk in text.as_bytes().chunks(piece) {
            table.feed(chunk, &mut found)?;
        }
        table.finish(&mut found)?;
        Ok(found.finish())
    }

    fn ids(scan: &ImportScan) -> Vec<String> {
        scan.ids.iter().map(ToString::to_string).collect()
    }

    fn titles(scan: &ImportScan) -> Vec<Option<String>> {
        (0..scan.ids.len())
            .map(|at| scan.details.title(at).map(str::to_owned))
            .collect()
    }

    #[test]
    fn one_video_per_row_from_the_named_columns_quoted_or_not() {
        let text = format!(
            "name,id,parent_id,created_at\r\n\
             \"Final \"\"cut\"\", v2\",{A},{B},2024-05-01T10:00:00Z\r\n\
             \r\n\
             \"two\nlines\",\"{B}\",{A},1714557600\r\n\
             no id here,,,\n\
             ,,,\n"
        );
        for piece in [1, 2, 7, 1000] {
            let scan = read(&text, b',', piece).unwrap();
            let ids: Vec<String> = scan.ids.iter().map(ToString::to_string).collect();
            assert_eq!(ids, [A, B], "parent_id is not the video's ID");
            assert_eq!(
                titles(&scan),
                [
                    Some("Final \"cut\", v2".to_owned()),
                    Some("two lines".to_owned())
                ]
            );
            let created: Vec<_> = (0..scan.ids.len())
                .map(|at| scan.details.created_at(at).unwrap().to_string())
                .collect();
            assert_eq!(created, ["2024-05-01T10:00:00Z"; 2]);
            assert_eq!(scan.bad_lines, [6], "the row after a two-line cell");
        }
    }

    #[test]
    fn without_an_id_column_the_first_cell_holding_an_id_is_the_video() {
        let text = format!("title\turl\tother\nclip\thttps://x/{B}\t{A}\n");
        let scan = read(&text, b'\t', 5).unwrap();
        assert_eq!(scan.ids.len(), 1);
        assert_eq!(scan.ids[0].to_string(), B);
        assert_eq!(titles(&scan), [Some("clip".to_owned())]);
    }

    #[test]
    fn a_bad_creation_time_is_reported_and_the_video_kept_without_it() {
        let text = format!("id,created_at\n{A},last tuesday\n");
        let scan = read(&text, b',', 100).unwrap();
        assert_eq!(scan.ids.len(), 1);
        assert!(scan.details.is_empty());
        assert_eq!(scan.bad_field_count, 1);
        assert_eq!(scan.bad_fields[0].0, 2);
        assert!(scan.bad_fields[0].1.contains("last tuesday"));
    }

    #[test]
    fn a_quote_never_closed_is_an_error_naming_its_line() {
        let text = format!("id,title\n{A},ok\n{B},\"runs on\n{A},x\n");
        let err = read(&text, b',', 3).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("never closed"), "{err}");
    }

    #[test]
    fn a_cell_is_kept_only_up_to_its_cap() {
        let long = "x".repeat(FIELD_CAP * 10);
        let text = format!("id,title\n{A},{long}\n");
        let mut table = TableReader::new(b',');
        let mut found = Found::default();
        table.feed(text.as_bytes(), &mut found).unwrap();
        assert!(table.cell.capacity() <= FIELD_CAP * 2);
        table.finish(&mut found).unwrap();
        let scan = found.finish();
        let title = scan.details.title(0).unwrap();
        assert!(title.len() <= crate::import::MAX_TITLE + 3);
    }

    #[test]
    fn header_cells_are_split_with_quotes() {
        let cells = split_cells(br#"id,"a, ""b""",,x"#, b',');
        let cells: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
        assert_eq!(cells, [&b"id"[..], b"a, \"b\"", b"", b"x"]);
    }

    #[test]
    fn a_lone_carriage_return_is_text_and_blank_lines_keep_the_line_numbers() {
        let text =
            format!("id,title\n\n\n{A},a\rb\n\r\n\n\"no\n\nid\",x\nnothing,z\n{B},\"c\"\r\n");
        for piece in [1, 2, 5, 1000] {
            let scan = read(&text, b',', piece).unwrap();
            assert_eq!(ids(&scan), [A, B], "piece {piece}");
            assert_eq!(
                titles(&scan),
                [Some("a b".to_owned()), Some("c".to_owned())]
            );
            assert_eq!(scan.bad_lines, [7, 10], "piece {piece}");
        }
    }

    #[test]
    fn a_quote_never_closed_is_named_where_it_opens_not_where_its_row_began() {
        let text = format!("id,title,notes\n{A},\"two\nlines\",\"open\n{B},x\n");
        for piece in [1, 4, 1000] {
            assert_eq!(
                read(&text, b',', piece).unwrap_err().line,
                3,
                "piece {piece}"
            );
        }
    }

    #[test]
    fn a_cell_read_past_its_cap_still_counts_its_lines() {
        let long = "y".repeat(FIELD_CAP + 1000);
        let text = format!("id,title\n{A},\"{long}\n\"\"q\"\"\n\",x\nno id,y\n");
        for piece in [3, 1000, text.len()] {
            let scan = read(&text, b',', piece).unwrap();
            assert_eq!(scan.bad_lines, [5], "piece {piece}");
            assert!(titles(&scan)[0].as_deref().unwrap().ends_with("yy…"));
        }
    }

    #[test]
    fn a_byte_order_mark_in_a_table_is_text_in_whatever_pieces_it_comes() {
        // csv-core drops a mark that begins its first read: a row that was only the mark
        // would never end, and the input's end be taken for a quote never closed.
        let text = format!("\u{feff}id,title\n{A},x\n\u{feff}{B},y\n");
        for piece in [1, 2, 3, 4, 1000] {
            assert_eq!(read("\u{feff}\n", b',', piece), Ok(ImportScan::default()));
            let scan = read(&text, b',', piece).unwrap();
            assert_eq!(ids(&scan), [A, B], "piece {piece}");
            assert_eq!(titles(&scan), [Some("x".to_owned()), Some("y".to_owned())]);
        }
    }
}
