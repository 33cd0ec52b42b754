//! One chunk of a shard, on one worker thread: split into records, scan each, and
//! describe the output as pieces, so unchanged lines are copied straight from the input
//! buffer by the writer and only changed lines are built here.

use super::{Mode, OnError, Options, RecordUnit};
use crate::audit::Sample;
use crate::input::Format;
use crate::input::jsonl::{self, Decoded, FieldPath, Located};
use crate::origin::{Origin, Verdict};
use crate::rewrite::Numbering;
use crate::scan::Scratch;
use crate::span::Finding;
use crate::stats::Counts;
use crate::{Label, Redactor};
use std::ops::Range;

/// A run of output bytes.
#[derive(Debug)]
pub(crate) enum Piece {
    /// Bytes of the batch's input buffer, copied as they are.
    Input(Range<usize>),
    /// Bytes of the chunk's own buffer.
    Owned(Range<usize>),
    /// One `scan` object: the writer adds the shard and the absolute line number; the
    /// range holds the rest (`"spans":[...]` and maybe `"error"`).
    Scan {
        /// Line number within the chunk, from 1.
        line: u64,
        /// Range in the chunk's own buffer.
        body: Range<usize>,
    },
}

/// A record that could not be processed, and what was done with it.
#[derive(Debug)]
pub(crate) struct Bad {
    /// Line number within the chunk, from 1.
    pub line: u64,
    /// Why, without the content.
    pub reason: String,
    /// The `--on-error` policy applied.
    pub action: OnError,
}

/// What a worker made of one chunk.
#[derive(Debug, Default)]
pub(crate) struct ChunkOut {
    /// The output, in order.
    pub pieces: Vec<Piece>,
    /// Bytes the `Owned` and `Scan` pieces point into.
    pub owned: Vec<u8>,
    /// Counts (bytes out are added by the writer).
    pub counts: Counts,
    /// Bad records, in order; with `--on-error fail` the chunk stops at the first.
    pub bad: Vec<Bad>,
    /// The chunk's audit sample (chunk-relative lines).
    pub audit: Sample,
}

impl ChunkOut {
    fn input(&mut self, r: Range<usize>) {
        if let Some(Piece::Input(last)) = self.pieces.last_mut()
            && last.end == r.start
        {
            last.end = r.end;
            return;
        }
        self.pieces.push(Piece::Input(r));
    }

    /// The `scan` object of a bad record kept by `--on-error keep`: no spans, and why.
    pub(crate) fn kept_scan_object(&mut self, line: u64, reason: &str) {
        let start = self.owned.len();
        kept_scan_body(reason, &mut self.owned);
        self.pieces.push(Piece::Scan {
            line,
            body: start..self.owned.len(),
        });
    }

    fn owned(&mut self, bytes: &[u8]) {
        let start = self.owned.len();
        self.owned.extend_from_slice(bytes);
        let end = self.owned.len();
        if let Some(Piece::Owned(last)) = self.pieces.last_mut()
            && last.end == start
        {
            last.end = end;
            return;
        }
        self.pieces.push(Piece::Owned(start..end));
    }
}

/// Per-thread buffers, reused from record to record.
pub(crate) struct Work {
    located: Vec<Located>,
    found: Vec<(usize, Finding)>,
    allowed: Vec<Label>,
    text: String,
    bytes: Vec<u8>,
    numbering: Numbering,
}

impl Work {
    pub(crate) fn new() -> Work {
        Work {
            located: Vec::new(),
            found: Vec::new(),
            allowed: Vec::new(),
            text: String::new(),
            bytes: Vec::new(),
            numbering: Numbering::default(),
        }
    }
}

/// What became of one record.
pub(crate) enum Outcome {
    /// Written as it was read.
    Unchanged,
    /// A blank JSONL line: written as it was read, not a document.
    Blank,
    /// Written as `Work::bytes` (the record's new body, without its line end).
    Changed,
    /// Left out for having too many findings.
    Dropped,
    /// A `scan` object in `Work::bytes`.
    Scanned,
    /// Not processable, for this reason.
    Bad(String),
}

/// Processes `data[range]`, whose records start at `range.start` and end with the range
/// (the cut is at a line end, or at the end of the shard).
pub(crate) fn chunk(
    redactor: &Redactor,
    opts: &Options,
    work: &mut Work,
    data: &[u8],
    range: Range<usize>,
) -> ChunkOut {
    let mut out = ChunkOut {
        audit: Sample::new(match opts.mode {
            Mode::Redact => opts.audit_sample,
            Mode::Scan => 0,
        }),
        ..ChunkOut::default()
    };
    // Pooled, so the scanner's caches survive from chunk to chunk.
    let mut scratch = redactor.pooled_scratch();
    let scratch: &mut Scratch = &mut scratch;
    let mut s = range.start;
    while s < range.end {
        let (end, next) = match opts.record {
            RecordUnit::File => (range.end, range.end),
            RecordUnit::Line => match memchr::memchr(b'\n', &data[s..range.end]) {
                Some(k) => (s + k, s + k + 1),
                None => (range.end, range.end),
            },
        };
        // A line end is "\n" or "\r\n"; a lone "\r" before the end of the shard is text.
        let body_end = if next > end && end > s && data[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        out.counts.lines += 1;
        let body = &data[s..body_end];
        out.counts.bytes_in += (next - s) as u64;
        let outcome = if body.len() > opts.max_record_bytes {
            Outcome::Bad(format!(
                "record is {} bytes, more than --max-record-bytes {}",
                body.len(),
                opts.max_record_bytes
            ))
        } else {
            match opts.format {
                Format::Jsonl if body.iter().all(u8::is_ascii_whitespace) => {
                    out.counts.blank_lines += 1;
                    Outcome::Blank
                }
                Format::Jsonl => jsonl_record(redactor, opts, work, scratch, body, &mut out),
                Format::Text => text_record(redactor, opts, work, scratch, body, &mut out),
                Format::Parquet => unreachable!("Parquet shards are processed by columnar"),
            }
        };
        match outcome {
            // A blank JSONL line is no document: copied, but no scan object.
            Outcome::Blank if opts.mode == Mode::Scan => {}
            Outcome::Unchanged | Outcome::Blank => out.input(s..next),
            Outcome::Changed => {
                out.owned(&work.bytes);
                out.owned(&data[body_end..next]);
            }
            Outcome::Dropped => {}
            Outcome::Scanned => scan_piece(&mut out, &work.bytes),
            Outcome::Bad(reason) => {
                let action = opts.on_error;
                match action {
                    OnError::Fail => {
                        out.bad.push(Bad {
                            line: out.counts.lines,
                            reason,
                            action,
                        });
                        return out;
                    }
                    OnError::Skip => out.counts.skipped += 1,
                    OnError::Keep => {
                        out.counts.kept += 1;
                        if opts.mode == Mode::Scan {
                            out.kept_scan_object(out.counts.lines, &reason);
                        } else {
                            out.input(s..next);
                        }
                    }
                }
                out.counts.documents += 1;
                out.bad.push(Bad {
                    line: out.counts.lines,
                    reason,
                    action,
                });
            }
        }
        s = next;
    }
    out
}

fn scan_piece(out: &mut ChunkOut, body: &[u8]) {
    let start = out.owned.len();
    out.owned.extend_from_slice(body);
    out.pieces.push(Piece::Scan {
        line: out.counts.lines,
        body: start..out.owned.len(),
    });
}

/// Appends the body of a `scan` object for a bad record kept by `--on-error keep`: no
/// spans, and why.
pub(crate) fn kept_scan_body(reason: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\"spans\":[],\"error\":");
    jsonl_string(reason, out);
}

pub(crate) fn jsonl_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    jsonl::escape_into(s, out);
    out.push(b'"');
}

/// Applies `--drop-doc-over` and counts the document; `None` means: go on and write it.
pub(crate) fn count(
    opts: &Options,
    counts: &mut Counts,
    n: usize,
    found: impl Iterator<Item = Finding>,
    allowed: impl Iterator<Item = Label>,
) -> Option<Outcome> {
    if opts.mode == Mode::Redact
        && let Some(max) = opts.drop_doc_over
        && n > max
    {
        counts.documents += 1;
        counts.scanned += 1;
        counts.dropped += 1;
        counts.dropped_findings += n as u64;
        return Some(Outcome::Dropped);
    }
    counts.add_document(found, allowed);
    None
}

/// [`count`] for a document whose origin was judged (`verdict`, with `--url-field` or
/// `--opt-out`): an opted-out one is counted as such and dropped (`findings` unused: it
/// was not scanned), any other counted by [`count`] and under its domain. `text_bytes` is
/// the size of its scanned fields.
pub(crate) fn count_judged(
    opts: &Options,
    counts: &mut Counts,
    verdict: Option<&Verdict>,
    text_bytes: u64,
    (n, found, allowed): (
        usize,
        impl Iterator<Item = Finding>,
        impl Iterator<Item = Label>,
    ),
) -> Option<Outcome> {
    if let Some(v) = verdict
        && v.hit.is_some()
    {
        v.count(counts, text_bytes, false);
        counts.documents += 1;
        return Some(Outcome::Dropped);
    }
    let outcome = count(opts, counts, n, found, allowed);
    if let Some(v) = verdict {
        v.count(counts, text_bytes, outcome.is_none());
    }
    outcome
}

/// Writes `"spans":[...]` for a `scan` object into `out`: one object per finding
/// (`field` is the finding's index into `fields`, named when there are several).
fn scan_body(
    fields: &[FieldPath],
    out: &mut Vec<u8>,
    found: impl Iterator<Item = (usize, Finding)>,
) {
    out.clear();
    out.extend_from_slice(b"\"spans\":[");
    for (k, (field, f)) in found.enumerate() {
        if k > 0 {
            out.push(b',');
        }
        let name = (fields.len() > 1).then(|| fields[field].as_str());
        span_json(out, &f, name, None);
    }
    out.push(b']');
}

/// Appends one finding of a `scan` object: offsets, label and rule, then the field
/// (when the run scans several) and the list element (for list columns), when given.
pub(crate) fn span_json(out: &mut Vec<u8>, f: &Finding, field: Option<&str>, item: Option<usize>) {
    use std::io::Write as _;
    // Writing into a Vec cannot fail; labels and rule ids are identifiers and need no
    // escaping.
    let _ = write!(
        out,
        "{{\"start\":{},\"end\":{},\"label\":\"{}\",\"rule\":\"{}\"",
        f.start, f.end, f.label, f.rule
    );
    if let Some(field) = field {
        out.extend_from_slice(b",\"field\":");
        jsonl_string(field, out);
    }
    if let Some(item) = item {
        let _ = write!(out, ",\"item\":{item}");
    }
    out.push(b'}');
}

fn jsonl_record(
    redactor: &Redactor,
    opts: &Options,
    work: &mut Work,
    scratch: &mut Scratch,
    body: &[u8],
    out: &mut ChunkOut,
) -> Outcome {
    work.located.clear();
    let origin = opts.origin.as_deref();
    let (fields, optional) = match origin {
        Some(o) => (o.fields(), o.optional()),
        None => (&opts.fields[..], 0),
    };
    if let Err(e) = jsonl::locate_some(body, fields, optional, &mut work.located) {
        return Outcome::Bad(e.to_string());
    }
    let verdict = origin.map(|o| {
        let v = origin_verdict(o, body, &work.located);
        // From here on only the scanned fields' literals.
        work.located.retain(|l| l.field < o.scanned());
        v
    });
    let opted_out = verdict.as_ref().is_some_and(|v| v.hit.is_some());
    work.found.clear();
    work.allowed.clear();
    let mut text_bytes = 0;
    let mut decoded: Vec<Decoded> = Vec::with_capacity(work.located.len());
    for (i, loc) in work.located.iter().enumerate() {
        let d = match jsonl::decode_literal(&body[loc.raw.clone()], loc.escaped, loc.raw.start) {
            Ok(d) => d,
            Err(reason) => {
                return Outcome::Bad(format!(
                    "field {:?}: {reason}",
                    opts.fields[loc.field].as_str()
                ));
            }
        };
        text_bytes += d.text.len() as u64;
        // An opted-out document is only measured, not scanned.
        if !opted_out {
            let findings = redactor.scanner().scan(&d.text, scratch);
            work.found.extend(findings.iter().map(|f| (i, *f)));
            work.allowed.extend(scratch.allowed());
        }
        decoded.push(d);
    }
    let found = work.found.iter().map(|&(_, f)| f);
    let allowed = work.allowed.iter().copied();
    let outcome = count_judged(
        opts,
        &mut out.counts,
        verdict.as_ref(),
        text_bytes,
        (work.found.len(), found, allowed),
    );
    if let Some(outcome) = outcome {
        return outcome;
    }
    if out.audit.wanted() {
        for (i, d) in decoded.iter().enumerate() {
            // This field's findings: a run of `found`, in order.
            let f: Vec<Finding> = work
                .found
                .iter()
                .filter(|(k, _)| *k == i)
                .map(|&(_, f)| f)
                .collect();
            let field = opts.fields[work.located[i].field].as_str();
            let t = redactor.rewriter().template();
            for k in 0..f.len() {
                out.audit
                    .offer_finding(&d.text, &f, k, out.counts.lines, Some(field), t);
            }
        }
    }
    if opts.mode == Mode::Scan {
        let located = &work.located;
        let found = work.found.iter().map(|&(i, f)| (located[i].field, f));
        scan_body(&opts.fields, &mut work.bytes, found);
        return Outcome::Scanned;
    }
    if work.found.is_empty() {
        return Outcome::Unchanged;
    }
    work.bytes.clear();
    work.numbering.clear();
    let mut at = 0;
    for &(i, f) in &work.found {
        let (loc, d) = (&work.located[i], &decoded[i]);
        let start = loc.raw.start + d.raw_offset(f.start);
        work.bytes.extend_from_slice(&body[at..start]);
        work.text.clear();
        redactor.rewriter().replacement(
            &d.text[f.start..f.end],
            f.label,
            &mut work.numbering,
            &mut work.text,
        );
        jsonl::escape_into(&work.text, &mut work.bytes);
        at = loc.raw.start + d.raw_offset(f.end);
    }
    work.bytes.extend_from_slice(&body[at..]);
    Outcome::Changed
}

/// Reads a JSONL document's origin fields (decoded; one that does not decode counts as
/// absent) and judges it.
fn origin_verdict(o: &Origin, body: &[u8], located: &[Located]) -> Verdict {
    let values: Vec<Option<std::borrow::Cow<str>>> = (0..o.fields().len())
        .map(|i| {
            if !o.reads(i) {
                return None;
            }
            let loc = located.iter().find(|l| l.field == i)?;
            let d = jsonl::decode_literal(&body[loc.raw.clone()], loc.escaped, loc.raw.start);
            d.ok().map(|d| d.text)
        })
        .collect();
    o.judge(|i| values[i].as_deref())
}

fn text_record(
    redactor: &Redactor,
    opts: &Options,
    work: &mut Work,
    scratch: &mut Scratch,
    body: &[u8],
    out: &mut ChunkOut,
) -> Outcome {
    let text = match crate::input::utf8(body) {
        Ok(t) => t,
        Err(at) => return Outcome::Bad(format!("invalid UTF-8 at byte {at} of the record")),
    };
    redactor.scanner().scan(text, scratch);
    let findings = scratch.findings();
    let allowed = scratch.allowed();
    if let Some(outcome) = count(
        opts,
        &mut out.counts,
        findings.len(),
        findings.iter().copied(),
        allowed,
    ) {
        return outcome;
    }
    if out.audit.wanted() {
        let t = redactor.rewriter().template();
        for i in 0..findings.len() {
            out.audit
                .offer_finding(text, findings, i, out.counts.lines, None, t);
        }
    }
    if opts.mode == Mode::Scan {
        scan_body(
            &opts.fields,
            &mut work.bytes,
            findings.iter().map(|f| (0, *f)),
        );
        return Outcome::Scanned;
    }
    if findings.is_empty() {
        return Outcome::Unchanged;
    }
    // Rewrite straight into the byte buffer (as a String for the duration): no copy.
    let mut new = String::from_utf8(std::mem::take(&mut work.bytes)).unwrap_or_default();
    new.clear();
    redactor.rewriter().rewrite(text, findings, &mut new);
    work.bytes = new.into_bytes();
    Outcome::Changed
}
