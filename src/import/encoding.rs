//! Which text encoding the input is in, from its first bytes, and turning it into the UTF-8
//! the readers take: UTF-8 and ASCII pass through untouched (a UTF-8 byte-order mark is
//! dropped); UTF-16 (with a byte-order mark, as spreadsheet "Unicode text" exports write it,
//! or plain ASCII text in UTF-16 without one) is transcoded by `encoding_rs`, so IDs, line
//! breaks and titles read as they would in UTF-8. The choice is made here; the transcoding,
//! with a character split between pieces and the UTF-16 that is not valid (a lone surrogate,
//! an odd last byte: U+FFFD each), is the crate's. Nothing here fails: bytes that are not
//! valid UTF-8 are passed on as they are, and the readers take them for noise. A byte-order
//! mark past the start is text (U+FEFF), as the rest is.

use encoding_rs::{CoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The bytes that decide the encoding (a BOM is 2 or 3; UTF-16 without one is told by its
/// first two characters).
const SNIFF: usize = 4;
/// The most UTF-8 made from UTF-16 at a time, however large the piece given.
const TRANSCODED: usize = 64 * 1024;

pub enum Decoder {
    /// Still reading the first bytes.
    Sniffing(Vec<u8>),
    PassThrough,
    Utf16 {
        decoder: encoding_rs::Decoder,
        out: Box<[u8]>,
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
            Self::Utf16 { decoder, out } => transcode(decoder, out, bytes, false, sink),
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
            Self::Utf16 { decoder, out } => transcode(decoder, out, &[], true, sink),
        }
    }

    /// Decides the encoding from the input's first bytes (`head`, fewer than `SNIFF` only
    /// for a shorter input), then decodes them.
    fn start(&mut self, head: &[u8], sink: &mut dyn FnMut(&[u8])) {
        let (encoding, bom) = Encoding::for_bom(head).unwrap_or(match head {
            [a, 0, b, 0] if is_ascii_char(*a) && is_ascii_char(*b) => (UTF_16LE, 0),
            [0, a, 0, b] if is_ascii_char(*a) && is_ascii_char(*b) => (UTF_16BE, 0),
            _ => (UTF_8, 0),
        });
        *self = if encoding == UTF_8 {
            Self::PassThrough
        } else {
            Self::Utf16 {
                decoder: encoding.new_decoder_without_bom_handling(),
                out: vec![0; TRANSCODED].into_boxed_slice(),
            }
        };
        self.decode(&head[bom..], sink);
    }
}

fn is_ascii_char(b: u8) -> bool {
    (1..0x80).contains(&b)
}

/// Transcodes `bytes` (`last`: the input ends with them) through `out`, a buffer's worth at
/// a time.
fn transcode(
    decoder: &mut encoding_rs::Decoder,
    out: &mut [u8],
    mut bytes: &[u8],
    last: bool,
    sink: &mut dyn FnMut(&[u8]),
) {
    loop {
        let (result, read, written, _) = decoder.decode_to_utf8(bytes, out, last);
        if written > 0 {
            sink(&out[..written]);
        }
        bytes = &bytes[read..];
        if result == CoderResult::InputEmpty {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// U+FFFD in UTF-8: what UTF-16 that is not valid becomes.
    const REPLACEMENT: &[u8] = "\u{fffd}".as_bytes();

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
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        code_units(units, big_endian)
    }

    /// UTF-16 code units as bytes, valid or not.
    fn code_units(units: impl IntoIterator<Item = u16>, big_endian: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
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

    #[test]
    fn utf16_that_is_not_valid_is_one_replacement_each_wherever_the_pieces_are_cut() {
        // A lone low surrogate, a lone high one, a high one before a whole pair, then an odd
        // last byte (half a code unit).
        let units = [
            0x61, 0xdc00, 0x62, 0xd800, 0x63, 0xd83c, 0xd83c, 0xdfac, 0x64,
        ];
        let want = "a\u{fffd}b\u{fffd}c\u{fffd}🎬d\u{fffd}";
        for big_endian in [false, true] {
            let mut input = code_units(std::iter::once(0xfeff).chain(units), big_endian);
            input.push(b'e');
            for piece in 1..=7 {
                assert_eq!(
                    decoded(&input, piece),
                    want.as_bytes(),
                    "big endian {big_endian}, piece {piece}"
                );
            }
        }
    }

    #[test]
    fn a_byte_order_mark_past_the_start_is_text() {
        let twice = "\u{feff}\u{feff}a\u{feff}b";
        let want = "\u{feff}a\u{feff}b".as_bytes();
        for piece in [1, 2, 3, 100] {
            assert_eq!(
                decoded(twice.as_bytes(), piece),
                want,
                "UTF-8, piece {piece}"
            );
            for big_endian in [false, true] {
                let input = utf16(&twice[3..], true, big_endian);
                assert_eq!(decoded(&input, piece), want, "UTF-16, piece {piece}");
            }
        }
    }
}
