//! Tables with a header row (CSV, TSV, semicolon-separated), read a byte at a time: the
//! header names each column's role (`record::Role`), then every row is one record. Quoting
//! is RFC 4180's (`"a ""b"""`, line breaks inside quotes), read leniently: a quote inside an
//! unquoted cell is text. A cell is kept up to `FIELD_CAP` bytes, so a row of any length
//! costs no more than that per cell read. A quoted cell never closed is a syntax error: the
//! rest of the input would otherwise vanish into it.

use super::record::{FIELD_CAP, Record, Role};
use super::{Found, SyntaxError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    /// Nothing read of the cell yet.
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted cell: the end of the quotes, or the first of `""`.
    QuoteInQuoted,
}

#[derive(Debug)]
pub struct TableReader {
    delimiter: u8,
    /// Each column's role, once the header row has been read.
    columns: Option<Vec<Role>>,
    /// The header's roles as they are read.
    header: Vec<Role>,
    /// The current line (from 1).
    line: usize,
    /// Where the open quoted cell began, for the error if it never closes.
    quote_line: usize,
    state: Cell,
    column: usize,
    cell: Vec<u8>,
    record: Record,
}

impl TableReader {
    pub fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            columns: None,
            header: Vec::new(),
            line: 1,
            quote_line: 1,
            state: Cell::Start,
            column: 0,
            cell: Vec::new(),
            record: Record::starting_at(1),
        }
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    pub fn feed(&mut self, text: &[u8], found: &mut Found) -> Result<(), SyntaxError> {
        let mut rest = text;
        while let Some((&b, after)) = rest.split_first() {
            // Runs of plain text inside a cell are taken whole, not a byte at a time.
            let plain = match self.state {
                Cell::Quoted => after.iter().position(|&c| c == b'"' || c == b'\n'),
                Cell::Start | Cell::QuoteInQuoted => Some(0),
                Cell::Unquoted => after
                    .iter()
                    .position(|&c| c == self.delimiter || c == b'\n'),
            };
            if !matches!(b, b'"' | b'\n') && b != self.delimiter && plain != Some(0) {
                let run = plain.map_or(rest.len(), |n| n + 1);
                self.push_all(&rest[..run]);
                rest = &rest[run..];
                continue;
            }
            self.byte(b, found);
            rest = after;
        }
        Ok(())
    }

    fn byte(&mut self, b: u8, found: &mut Found) {
        match (self.state, b) {
            (Cell::Quoted, b'"') => self.state = Cell::QuoteInQuoted,
            (Cell::Quoted, _) => self.push_all(&[b]),
            (Cell::QuoteInQuoted, b'"') => {
                self.push_all(b"\"");
                self.state = Cell::Quoted;
            }
            (Cell::Start, b'"') => {
                self.state = Cell::Quoted;
                self.quote_line = self.line;
            }
            (_, b'\n') => {
                self.end_cell();
                self.end_row(found);
            }
            (_, b) if b == self.delimiter => self.end_cell(),
            (_, b) => {
                self.push_all(&[b]);
                self.state = Cell::Unquoted;
            }
        }
        if b == b'\n' {
            self.line += 1;
            if self.state == Cell::Start && self.column == 0 {
                self.record = Record::starting_at(self.line);
            }
        }
    }

    pub fn finish(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        if self.state == Cell::Quoted {
            return Err(SyntaxError {
                line: self.quote_line,
                column: 0,
                message: "a quoted cell begins here and is never closed".to_owned(),
            });
        }
        self.end_cell();
        self.end_row(found);
        Ok(())
    }

    /// Adds to the cell what fits under its cap.
    fn push_all(&mut self, bytes: &[u8]) {
        let room = FIELD_CAP - self.cell.len();
        self.cell.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn end_cell(&mut self) {
        if self.state == Cell::Unquoted && self.cell.last() == Some(&b'\r') {
            self.cell.pop();
        }
        match &self.columns {
            None => self.header.push(Role::of(&self.cell)),
            Some(columns) => {
                let role = columns.get(self.column).copied().unwrap_or(Role::Other);
                self.record.field(role, &self.cell);
            }
        }
        self.cell.clear();
        self.column += 1;
        self.state = Cell::Start;
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
    }
}

/// The cells of one line (for deciding whether it is a header), unquoted.
pub fn split_cells(line: &[u8], delimiter: u8) -> Vec<Vec<u8>> {
    let mut cells = Vec::new();
    let mut cell = Vec::new();
    let mut quoted = false;
    let mut bytes = line.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' if quoted && bytes.peek() == Some(&b'"') => {
                bytes.next();
                cell.push(b'"');
            }
            b'"' if quoted || cell.is_empty() => quoted = !quoted,
            b if b == delimiter && !quoted => cells.push(std::mem::take(&mut cell)),
            b => cell.push(b),
        }
    }
    cells.push(cell);
    cells
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

    fn titles(scan: &ImportScan) -> Vec<Option<String>> {
        scan.ids
            .iter()
            .map(|id| {
                let details = scan.details.get(id)?;
                details.title.as_deref().map(str::to_owned)
            })
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
            let created: Vec<_> = scan
                .ids
                .iter()
                .map(|id| scan.details[id].created_at.unwrap().to_string())
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
        let title = scan.details[&scan.ids[0]].title.as_deref().unwrap();
        assert!(title.len() <= crate::import::MAX_TITLE + 3);
    }

    #[test]
    fn header_cells_are_split_with_quotes() {
        let cells = split_cells(br#"id,"a, ""b""",,x"#, b',');
        let cells: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
        assert_eq!(cells, [&b"id"[..], b"a, \"b\"", b"", b"x"]);
    }
}
