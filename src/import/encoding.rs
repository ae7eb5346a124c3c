//! Which text encoding the input is in, from its first bytes, and turning it into the UTF-8
//! the readers take: UTF-8 and ASCII pass through (a UTF-8 byte-order mark is dropped);
//! UTF-16 (with a byte-order mark, as spreadsheet "Unicode text" exports write it, or plain
//! ASCII text in UTF-16 without one) is transcoded, so IDs, line breaks and titles read as
//! they would in UTF-8. Nothing here fails: bytes that are not valid text are passed on as
//! they are (UTF-16 that is not valid becomes U+FFFD), and the readers take them for noise.

/// The bytes that decide the encoding (a BOM is 2 or 3; UTF-16 without one is told by its
/// first two characters).
const SNIFF: usize = 4;

const UTF8_BOM: &[u8] = &[0xef, 0xbb, 0xbf];

#[derive(Debug)]
pub enum Decoder {
    /// Still reading the first bytes.
    Sniffing(Vec<u8>),
    PassThrough,
    Utf16 {
        big_endian: bool,
        /// The first byte of a code unit split between two pieces.
        half: Option<u8>,
        /// A high surrogate waiting for its low half.
        high: Option<u16>,
        out: Vec<u8>,
    },
}

impl Default for Decoder {
    fn default() -> Self {
        Self::Sniffing(Vec::with_capacity(SNIFF))
    }
}

impl Decoder {
    /// Decodes the next `bytes`, handing the text to `sink` (in one or more pieces).
    pub fn decode(&mut self, bytes: &[u8], sink: &mut dyn FnMut(&[u8])) {
        match self {
            Self::Sniffing(head) => {
                let take = (SNIFF - head.len()).min(bytes.len());
                head.extend_from_slice(&bytes[..take]);
                if head.len() == SNIFF {
                    let head = std::mem::take(head);
                    self.start(&head, sink);
                    self.decode(&bytes[take..], sink);
                }
            }
            Self::PassThrough => sink(bytes),
            Self::Utf16 {
                big_endian,
                half,
                high,
                out,
            } => {
                let mut bytes = bytes;
                if let Some(first) = half.take() {
                    match bytes.split_first() {
                        Some((&second, rest)) => {
                            push_unit(out, high, unit([first, second], *big_endian));
                            bytes = rest;
                        }
                        None => *half = Some(first),
                    }
                }
                let units = bytes.chunks_exact(2);
                *half = units.remainder().first().copied();
                for pair in units {
                    push_unit(out, high, unit([pair[0], pair[1]], *big_endian));
                }
                sink(out);
                out.clear();
            }
        }
    }

    /// The input has ended: decodes what is still held.
    pub fn finish(&mut self, sink: &mut dyn FnMut(&[u8])) {
        match self {
            Self::Sniffing(head) => {
                let head = std::mem::take(head);
                self.start(&head, sink);
                self.finish(sink);
            }
            Self::PassThrough => {}
            Self::Utf16 { half, high, .. } => {
                // A lone high surrogate, or an odd last byte (half a character): noise.
                if high.take().is_some() || half.take().is_some() {
                    sink(REPLACEMENT);
                }
            }
        }
    }

    /// Decides the encoding from the input's first bytes (`head`, fewer than `SNIFF` only
    /// for a shorter input), then decodes them.
    fn start(&mut self, head: &[u8], sink: &mut dyn FnMut(&[u8])) {
        let utf16 = |big_endian| Self::Utf16 {
            big_endian,
            half: None,
            high: None,
            out: Vec::new(),
        };
        let (decoder, text) = match head {
            [0xef, 0xbb, 0xbf, ..] => (Self::PassThrough, &head[UTF8_BOM.len()..]),
            [0xff, 0xfe, ..] => (utf16(false), &head[2..]),
            [0xfe, 0xff, ..] => (utf16(true), &head[2..]),
            [a, 0, b, 0] if is_ascii_char(*a) && is_ascii_char(*b) => (utf16(false), head),
            [0, a, 0, b] if is_ascii_char(*a) && is_ascii_char(*b) => (utf16(true), head),
            _ => (Self::PassThrough, head),
        };
        *self = decoder;
        self.decode(text, sink);
    }
}

fn is_ascii_char(b: u8) -> bool {
    (1..0x80).contains(&b)
}

/// U+FFFD in UTF-8: what UTF-16 that is not valid becomes.
const REPLACEMENT: &[u8] = "\u{fffd}".as_bytes();

fn unit(pair: [u8; 2], big_endian: bool) -> u16 {
    if big_endian {
        u16::from_be_bytes(pair)
    } else {
        u16::from_le_bytes(pair)
    }
}

/// Appends one UTF-16 code unit as UTF-8: a surrogate pair makes one character (its high
/// half waits in `high`), a lone half U+FFFD.
fn push_unit(out: &mut Vec<u8>, high: &mut Option<u16>, unit: u16) {
    let c = match (high.take(), unit) {
        (Some(first), 0xdc00..=0xdfff) => char::decode_utf16([first, unit])
            .next()
            .and_then(Result::ok),
        (first, 0xd800..=0xdbff) => {
            if first.is_some() {
                out.extend_from_slice(REPLACEMENT);
            }
            *high = Some(unit);
            return;
        }
        (first, unit) => {
            if first.is_some() {
                out.extend_from_slice(REPLACEMENT);
            }
            char::from_u32(u32::from(unit))
        }
    };
    let mut buf = [0u8; 4];
    let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(input: &[u8], piece: usize) -> Vec<u8> {
        let mut decoder = Decoder::default();
        let mut out = Vec::new();
        for chunk in input.chunks(piece) {
            decoder.decode(chunk, &mut |text| out.extend_from_slice(text));
        }
        decoder.finish(&mut |text| out.extend_from_slice(text));
        out
    }

    fn utf16(text: &str, bom: bool, big_endian: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        for unit in units {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    #[test]
    fn utf16_either_way_round_with_or_without_a_bom_in_any_pieces() {
        let text = "id\tnom\r\n550e8400-e29b-41d4-a716-446655440000\télan 🎬\r\n";
        let want = text.as_bytes();
        for big_endian in [false, true] {
            for bom in [true, false] {
                for piece in [1, 2, 3, 5, 1000] {
                    let input = utf16(text, bom, big_endian);
                    assert_eq!(
                        decoded(&input, piece),
                        want,
                        "big endian {big_endian}, bom {bom}, piece {piece}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf8_passes_through_without_its_bom_and_short_inputs_are_kept() {
        for piece in [1, 2, 100] {
            assert_eq!(decoded(b"\xef\xbb\xbfid\n", piece), b"id\n");
            assert_eq!(decoded(b"\xc3\xa9\xff\n", piece), b"\xc3\xa9\xff\n");
            assert_eq!(decoded(b"ab", piece), b"ab");
            assert_eq!(decoded(b"\xff\xfe", piece), b"");
            assert_eq!(decoded(b"\xff\xfea", piece), REPLACEMENT);
            assert_eq!(
                decoded(b"\xff\xfe\x3c\xd8a\x00", piece),
                "\u{fffd}a".as_bytes()
            );
            assert_eq!(decoded(b"", piece), b"");
        }
    }

    #[test]
    fn zero_bytes_alone_are_not_taken_for_utf16() {
        assert_eq!(decoded(&[0; 9], 4), [0; 9]);
    }
}
