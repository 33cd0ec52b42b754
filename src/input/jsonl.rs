//! JSONL without a parser tree: find the string fields to scan in the raw line, decode
//! only those, and splice placeholders back into the raw bytes.
//!
//! Rebuilding each object with a JSON library would change key order, number formatting,
//! escapes and whitespace, and costs about 1 s/GB. Instead [`locate`] walks the line once,
//! checks that it is well-formed JSON, and returns the byte range of every string literal
//! at one of the requested [`FieldPath`]s. [`Decoded`] gives the literal's text (borrowed
//! when it has no backslash) and maps decoded offsets back to raw ones, so `splice`
//! changes only the bytes of the findings and leaves every other byte of the line as is.
//!
//! Leniency, on purpose: control characters inside strings are passed through (JSON
//! forbids them raw, but rejecting a shard for a stray tab helps nobody), and bytes outside
//! the scanned fields are not checked for UTF-8 validity; they are copied unchanged.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

/// Deepest nesting of objects and arrays accepted; deeper lines are malformed input
/// rather than a reason to grow a stack without bound.
pub const MAX_DEPTH: usize = 1024;

/// Most fields one run may scan (they are tracked as bits of a `u64`).
pub const MAX_FIELDS: usize = 64;

/// A field to scan: a key, or a dotted path of keys into nested objects (`meta.body`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath {
    dotted: String,
    parts: Vec<String>,
}

impl std::str::FromStr for FieldPath {
    type Err = String;
    fn from_str(s: &str) -> Result<FieldPath, String> {
        let parts: Vec<String> = s.split('.').map(str::to_owned).collect();
        if parts.iter().any(String::is_empty) {
            return Err(format!(
                "field {s:?} has an empty part; use a key or a dotted path such as meta.text"
            ));
        }
        Ok(FieldPath {
            dotted: s.to_owned(),
            parts,
        })
    }
}

impl FieldPath {
    /// The path as given (`meta.body`).
    pub fn as_str(&self) -> &str {
        &self.dotted
    }

    /// The keys of the path, outermost first.
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(String::as_str)
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.dotted)
    }
}

/// One string literal to scan: the bytes between its quotes, and which field it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    /// Byte range inside the line, quotes excluded.
    pub raw: Range<usize>,
    /// Index into the field list given to [`locate`].
    pub field: usize,
    /// Whether the literal holds a backslash escape (then it must be decoded).
    pub escaped: bool,
}

/// Why a line is not a document we can scan. Messages name positions and field names,
/// never the line's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not well-formed JSON; `at` is the byte offset where it went wrong.
    Malformed {
        /// Byte offset in the line.
        at: usize,
        /// What was expected there.
        reason: &'static str,
    },
    /// The line is JSON but not an object.
    NotObject,
    /// A requested field does not occur.
    Missing(String),
    /// A requested field holds something other than a string.
    NotString {
        /// The dotted field name.
        field: String,
        /// "a number", "an object", ...
        found: &'static str,
    },
    /// A string escape that does not decode (a lone UTF-16 surrogate) or invalid UTF-8
    /// inside a scanned field.
    BadText {
        /// The dotted field name.
        field: String,
        /// What is wrong, with the byte offset in the line.
        reason: String,
    },
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonError::Malformed { at, reason } => {
                write!(f, "malformed JSON at byte {at}: {reason}")
            }
            JsonError::NotObject => f.write_str("the line is JSON but not an object"),
            JsonError::Missing(field) => write!(f, "field {field:?} is missing"),
            JsonError::NotString { field, found } => {
                write!(f, "field {field:?} is {found}, not a string")
            }
            JsonError::BadText { field, reason } => write!(f, "field {field:?}: {reason}"),
        }
    }
}

fn malformed(at: usize, reason: &'static str) -> JsonError {
    JsonError::Malformed { at, reason }
}

#[derive(Clone, Copy)]
enum Frame {
    /// An object at this depth whose key path matches the fields in the mask so far.
    Object {
        mask: u64,
    },
    Array,
}

/// A bounded cursor over one line.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn expect(&mut self, c: u8, reason: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(malformed(self.i, reason))
        }
    }

    /// Skips a string literal whose opening quote is at `self.i`. Returns the range
    /// between the quotes and whether it holds an escape.
    fn string(&mut self) -> Result<(Range<usize>, bool), JsonError> {
        let open = self.i;
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        loop {
            match memchr::memchr2(b'"', b'\\', &self.b[self.i..]) {
                None => return Err(malformed(open, "string is not closed")),
                Some(k) => {
                    self.i += k;
                    if self.b[self.i] == b'"' {
                        let end = self.i;
                        self.i += 1;
                        return Ok((start..end, escaped));
                    }
                    escaped = true;
                    let at = self.i;
                    match self.b.get(self.i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 2,
                        Some(b'u') => {
                            let hex = self.b.get(self.i + 2..self.i + 6);
                            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                                return Err(malformed(at, "\\u needs four hex digits"));
                            }
                            self.i += 6;
                        }
                        _ => return Err(malformed(at, "unknown escape in string")),
                    }
                }
            }
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.i - from
    }

    fn number(&mut self) -> Result<(), JsonError> {
        let at = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(malformed(at, "invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(malformed(at, "invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(malformed(at, "invalid number"));
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), JsonError> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(malformed(self.i, "expected a value"))
        }
    }
}

fn kind_of(c: u8) -> &'static str {
    match c {
        b'{' => "an object",
        b'[' => "an array",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    }
}

/// Checks that `line` (without its line end) is one well-formed JSON object and appends
/// to `out` every string literal found at one of `fields`, in the order they occur.
/// A path that occurs more than once (duplicate keys) is returned each time, so
/// nothing escapes scanning. Every field must occur at least once.
///
/// # Errors
/// [`JsonError`] says where and why, without the line's content.
pub fn locate(line: &[u8], fields: &[FieldPath], out: &mut Vec<Located>) -> Result<(), JsonError> {
    locate_some(line, fields, 0, out)
}

/// [`locate`], where the fields whose bit is set in `optional` may be missing or hold
/// something other than a string (a URL field read for statistics, say): such a field
/// is located when it holds a string and otherwise left out, never an error.
///
/// # Errors
/// As [`locate`], for the other fields.
pub fn locate_some(
    line: &[u8],
    fields: &[FieldPath],
    optional: u64,
    out: &mut Vec<Located>,
) -> Result<(), JsonError> {
    debug_assert!(fields.len() <= MAX_FIELDS);
    let required = !optional;
    let all: u64 = if fields.len() == 64 {
        u64::MAX
    } else {
        (1u64 << fields.len()) - 1
    };
    let mut found: u64 = 0;
    let mut c = Cursor { b: line, i: 0 };
    c.ws();
    if c.peek() != Some(b'{') {
        return match c.peek() {
            None => Err(malformed(c.i, "empty line")),
            Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                Err(JsonError::NotObject)
            }
            Some(_) => Err(malformed(c.i, "expected an object")),
        };
    }
    let mut stack: Vec<Frame> = Vec::with_capacity(8);
    // `pending` is the mask of fields whose path the next value completes or continues.
    let mut pending: u64 = all;
    // Parse a value at c.i; containers push a frame and are closed in the loop below.
    'value: loop {
        c.ws();
        let depth = stack.len();
        match c.peek() {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(malformed(c.i, "nested too deeply"));
                }
                let ends_here = pending & ends_at(fields, depth) & required;
                if ends_here != 0 {
                    return Err(not_string(fields, ends_here, b'{'));
                }
                c.i += 1;
                stack.push(Frame::Object { mask: pending });
                c.ws();
                if c.peek() == Some(b'}') {
                    c.i += 1;
                    stack.pop();
                } else {
                    pending = key(&mut c, fields, pending, depth)?;
                    continue 'value;
                }
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(malformed(c.i, "nested too deeply"));
                }
                let ends_here = pending & ends_at(fields, depth) & required;
                if ends_here != 0 {
                    return Err(not_string(fields, ends_here, b'['));
                }
                c.i += 1;
                stack.push(Frame::Array);
                c.ws();
                if c.peek() == Some(b']') {
                    c.i += 1;
                    stack.pop();
                } else {
                    pending = 0;
                    continue 'value;
                }
            }
            Some(b'"') => {
                let (raw, escaped) = c.string()?;
                let ends_here = pending & ends_at(fields, depth);
                if ends_here != 0 {
                    // Several identical paths given twice share one literal: report it once.
                    let field = ends_here.trailing_zeros() as usize;
                    found |= ends_here;
                    out.push(Located {
                        raw,
                        field,
                        escaped,
                    });
                }
            }
            Some(ch @ (b'-' | b'0'..=b'9' | b't' | b'f' | b'n')) => {
                let ends_here = pending & ends_at(fields, depth) & required;
                if ends_here != 0 {
                    return Err(not_string(fields, ends_here, ch));
                }
                match ch {
                    b't' => c.literal(b"true")?,
                    b'f' => c.literal(b"false")?,
                    b'n' => c.literal(b"null")?,
                    _ => c.number()?,
                }
            }
            None => return Err(malformed(c.i, "line ends inside the object")),
            Some(_) => return Err(malformed(c.i, "expected a value")),
        }
        // After a value: a comma continues the innermost container, a closer ends it.
        loop {
            c.ws();
            let Some(&frame) = stack.last() else {
                if c.i != line.len() {
                    return Err(malformed(c.i, "text after the object"));
                }
                let missing = all & !found & required;
                if missing != 0 {
                    let f = &fields[missing.trailing_zeros() as usize];
                    return Err(JsonError::Missing(f.dotted.clone()));
                }
                return Ok(());
            };
            match (frame, c.peek()) {
                (Frame::Object { mask }, Some(b',')) => {
                    c.i += 1;
                    pending = key(&mut c, fields, mask, stack.len() - 1)?;
                    continue 'value;
                }
                (Frame::Array, Some(b',')) => {
                    c.i += 1;
                    pending = 0;
                    continue 'value;
                }
                (Frame::Object { .. }, Some(b'}')) | (Frame::Array, Some(b']')) => {
                    c.i += 1;
                    stack.pop();
                }
                (Frame::Object { .. }, _) => {
                    return Err(malformed(c.i, "expected ',' or '}'"));
                }
                (Frame::Array, _) => return Err(malformed(c.i, "expected ',' or ']'")),
            }
        }
    }
}

/// Mask of the fields whose path has exactly `depth` parts: a value inside `depth` open
/// containers ends them.
fn ends_at(fields: &[FieldPath], depth: usize) -> u64 {
    let mut m = 0;
    for (k, f) in fields.iter().enumerate() {
        if f.parts.len() == depth {
            m |= 1 << k;
        }
    }
    m
}

fn not_string(fields: &[FieldPath], mask: u64, first: u8) -> JsonError {
    JsonError::NotString {
        field: fields[mask.trailing_zeros() as usize].dotted.clone(),
        found: kind_of(first),
    }
}

/// Parses `"key" :` inside an object at `depth` whose path matches the fields in `mask`;
/// returns the mask of fields the key continues.
fn key(c: &mut Cursor, fields: &[FieldPath], mask: u64, depth: usize) -> Result<u64, JsonError> {
    c.ws();
    if c.peek() != Some(b'"') {
        return Err(malformed(c.i, "expected a key"));
    }
    let (raw, escaped) = c.string()?;
    c.ws();
    c.expect(b':', "expected ':' after the key")?;
    if mask == 0 {
        return Ok(0);
    }
    let bytes = &c.b[raw.clone()];
    let decoded: Cow<[u8]> = if escaped {
        // A key that does not decode cannot equal a field name.
        match std::str::from_utf8(bytes).map(|utf8| decode(bytes, utf8)) {
            Ok(Ok(s)) => Cow::Owned(s.into_bytes()),
            _ => return Ok(0),
        }
    } else {
        Cow::Borrowed(bytes)
    };
    let mut next = 0;
    for (k, f) in fields.iter().enumerate() {
        if mask & (1 << k) != 0 && f.parts.get(depth).map(String::as_bytes) == Some(&decoded) {
            next |= 1 << k;
        }
    }
    Ok(next)
}

/// A located literal's text, and how to map offsets in it back to the raw line.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The decoded text (borrowed when the literal has no escape).
    pub text: Cow<'a, str>,
    /// The raw literal, walked to map offsets when it has escapes.
    raw: &'a [u8],
    /// Where the last [`Decoded::raw_offset`] walk stopped, as (decoded, raw) offsets
    /// at the start of a plain run: the next call with a later offset goes on from there,
    /// so mapping a document's findings in order is one pass over the literal.
    cursor: Cell<(usize, usize)>,
}

impl Decoded<'_> {
    /// The raw offset (relative to the literal's start) of decoded offset `d`, which must
    /// be on a character boundary of [`Decoded::text`]. Cheapest when called with
    /// increasing offsets.
    pub fn raw_offset(&self, d: usize) -> usize {
        if matches!(self.text, Cow::Borrowed(_)) {
            return d;
        }
        let (mut dec, mut raw) = self.cursor.get();
        if d < dec {
            (dec, raw) = (0, 0);
        }
        loop {
            let plain = memchr::memchr(b'\\', &self.raw[raw..]).unwrap_or(self.raw.len() - raw);
            if d <= dec + plain || raw + plain == self.raw.len() {
                self.cursor.set((dec, raw));
                return raw + (d - dec);
            }
            dec += plain;
            raw += plain;
            // Escapes were checked by `locate` and decoded once already.
            let (ch, len) = escape_at(self.raw, raw).unwrap_or(('\u{fffd}', 2));
            dec += ch.len_utf8();
            raw += len;
        }
    }
}

/// Decodes a literal's raw bytes. `line_at` is the literal's offset in the line, used
/// only in error messages.
///
/// # Errors
/// A reason naming the byte offset: invalid UTF-8 or a lone UTF-16 surrogate.
pub fn decode_literal(raw: &[u8], escaped: bool, line_at: usize) -> Result<Decoded<'_>, String> {
    let utf8 = super::utf8(raw)
        .map_err(|at| format!("invalid UTF-8 at byte {} of the line", line_at + at))?;
    let text =
        if escaped {
            Cow::Owned(decode(raw, utf8).map_err(|at| {
                format!("lone UTF-16 surrogate at byte {} of the line", line_at + at)
            })?)
        } else {
            Cow::Borrowed(utf8)
        };
    Ok(Decoded {
        text,
        raw,
        cursor: Cell::new((0, 0)),
    })
}

/// The character of the escape at `raw[at]` (a backslash) and its raw length. `Err`
/// holds `at` for a lone UTF-16 surrogate. The escape's form was checked by [`locate`].
fn escape_at(raw: &[u8], at: usize) -> Result<(char, usize), usize> {
    Ok(match raw[at + 1] {
        b'"' => ('"', 2),
        b'\\' => ('\\', 2),
        b'/' => ('/', 2),
        b'b' => ('\u{8}', 2),
        b'f' => ('\u{c}', 2),
        b'n' => ('\n', 2),
        b'r' => ('\r', 2),
        b't' => ('\t', 2),
        _ => {
            let hi = hex4(&raw[at + 2..at + 6]);
            if (0xD800..0xDC00).contains(&hi) {
                let lo = (raw.get(at + 6..at + 8) == Some(b"\\u"))
                    .then(|| raw.get(at + 8..at + 12).map(hex4))
                    .flatten()
                    .filter(|lo| (0xDC00..0xE000).contains(lo))
                    .ok_or(at)?;
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                (char::from_u32(c).ok_or(at)?, 12)
            } else {
                (char::from_u32(hi).ok_or(at)?, 6)
            }
        }
    })
}

/// Decodes a literal whose bytes are `utf8` (escapes checked by [`locate`]). `Err`
/// holds the offset of a lone surrogate.
fn decode(raw: &[u8], utf8: &str) -> Result<String, usize> {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', &raw[i..]) {
        out.push_str(&utf8[i..i + k]);
        let (ch, len) = escape_at(raw, i + k)?;
        out.push(ch);
        i += k + len;
    }
    out.push_str(&utf8[i..]);
    Ok(out)
}

/// The value of four hex digits (checked by [`locate`]; anything else reads as 0xFFFF).
fn hex4(h: &[u8]) -> u32 {
    std::str::from_utf8(h)
        .ok()
        .and_then(|s| u32::from_str_radix(s, 16).ok())
        .unwrap_or(0xFFFF)
}

/// Appends `s` to `out` escaped for the inside of a JSON string.
pub fn escape_into(s: &str, out: &mut Vec<u8>) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&s.as_bytes()[from..i]);
        if esc.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(esc);
        }
        from = i + 1;
    }
    out.extend_from_slice(&s.as_bytes()[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<FieldPath> {
        p.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn texts(line: &str, p: &[&str]) -> Result<Vec<String>, JsonError> {
        let mut out = Vec::new();
        locate(line.as_bytes(), &paths(p), &mut out)?;
        Ok(out
            .iter()
            .map(|l| {
                decode_literal(&line.as_bytes()[l.raw.clone()], l.escaped, l.raw.start)
                    .unwrap()
                    .text
                    .into_owned()
            })
            .collect())
    }

    #[test]
    fn finds_top_level_and_nested_fields() {
        let line =
            r#"{"id": 7, "text": "a@b", "meta": {"body": "x\ny", "n": [1, {"text": "no"}]}}"#;
        assert_eq!(texts(line, &["text"]).unwrap(), ["a@b"]);
        assert_eq!(texts(line, &["meta.body"]).unwrap(), ["x\ny"]);
        assert_eq!(
            texts(line, &["meta.body", "text"]).unwrap(),
            ["a@b", "x\ny"]
        );
    }

    #[test]
    fn duplicate_keys_are_all_scanned() {
        assert_eq!(
            texts(r#"{"text":"a","text":"b"}"#, &["text"]).unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn errors_say_where_and_why() {
        let e = |l: &str| texts(l, &["text"]).unwrap_err().to_string();
        assert_eq!(e(r#"{"id": 1}"#), "field \"text\" is missing");
        assert_eq!(
            e(r#"{"text": 1}"#),
            "field \"text\" is a number, not a string"
        );
        assert_eq!(
            e(r#"{"text": null}"#),
            "field \"text\" is null, not a string"
        );
        assert_eq!(
            e(r#"{"text": {"a": "b"}}"#),
            "field \"text\" is an object, not a string"
        );
        assert_eq!(
            e(r#"{"text": "a""#),
            "malformed JSON at byte 12: expected ',' or '}'"
        );
        assert_eq!(
            e(r#"{"text": "a}"#),
            "malformed JSON at byte 9: string is not closed"
        );
        assert_eq!(
            e(r#"{"text": "a"} x"#),
            "malformed JSON at byte 14: text after the object"
        );
        assert_eq!(
            e(r#"{"text": "\x"}"#),
            "malformed JSON at byte 10: unknown escape in string"
        );
        assert_eq!(
            e(r#"{"a": 01, "text": ""}"#),
            "malformed JSON at byte 7: expected ',' or '}'"
        );
        assert_eq!(e(r#"["text"]"#), "the line is JSON but not an object");
        assert_eq!(e(""), "malformed JSON at byte 0: empty line");
        // locate accepts a lone surrogate escape; decoding reports it.
        assert!(texts(r#"{"text": "\ud800 alone"}"#, &[]).is_ok());
    }

    #[test]
    fn decode_reports_lone_surrogates_and_bad_utf8() {
        assert!(
            decode_literal(br"a\ud800b", true, 5)
                .unwrap_err()
                .contains("byte 6")
        );
        assert!(
            decode_literal(b"a\xffb", false, 5)
                .unwrap_err()
                .contains("byte 6")
        );
        let pair = decode_literal(br"\ud83d\ude00!", true, 0).unwrap();
        assert_eq!(pair.text, "\u{1F600}!");
        assert_eq!(pair.raw_offset(4), 12);
    }

    #[test]
    fn raw_offsets_skip_escapes() {
        let raw = br#"a\"b\u00e9c\nd"#;
        let d = decode_literal(raw, true, 0).unwrap();
        assert_eq!(d.text, "a\"b\u{e9}c\nd");
        // a=0 "=1 b=2 é=3..5 c=5 \n=6 d=7
        let want = [
            (0, 0),
            (1, 1),
            (2, 3),
            (3, 4),
            (5, 10),
            (6, 11),
            (7, 13),
            (8, 14),
        ];
        for (dec, raw) in want {
            assert_eq!(d.raw_offset(dec), raw, "decoded offset {dec}");
        }
    }

    #[test]
    fn escape_round_trips_through_serde_json() {
        let s = "quote \" back \\ nl \n tab \t bell \u{7} é";
        let mut out = b"\"".to_vec();
        escape_into(s, &mut out);
        out.push(b'"');
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, s);
    }
}
