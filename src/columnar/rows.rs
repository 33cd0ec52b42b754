//! A run of rows of one row group, on one worker thread. A row is a document made of the
//! texts of its scanned columns: scan them, count the document as a JSONL line is counted,
//! and say which values change (redact) or write the row's `scan` object.

use super::columns::{Column, Target};
use crate::audit::Sample;
use crate::rewrite::Numbering;
use crate::shard::record::{self, Bad, Outcome};
use crate::shard::{Mode, OnError, Options};
use crate::span::Finding;
use crate::stats::Counts;
use crate::{Label, Redactor};
use std::ops::Range;

/// What a worker made of its rows.
#[derive(Debug, Default)]
pub(crate) struct RowsOut {
    /// Counts of these rows (`lines` and `documents` count rows; bytes are text bytes of
    /// the scanned columns).
    pub counts: Counts,
    /// Bad rows (longer than `--max-record-bytes`), numbered across the shard from 1; with
    /// `--on-error fail` the run stops at the first.
    pub bad: Vec<Bad>,
    /// Rows of the batch left out of the output (dropped or skipped), in order.
    pub removed: Vec<usize>,
    /// Per target: each changed value's index in its strings and its new text's range in
    /// [`RowsOut::text`], in order.
    pub changes: Vec<Vec<(usize, Range<usize>)>>,
    /// The new texts of the changed values.
    pub text: String,
    /// `scan` objects, one whole line each.
    pub scan: Vec<u8>,
    /// Audit sample of these rows.
    pub audit: Sample,
}

/// Per-thread buffers, reused from row to row.
#[derive(Default)]
pub(crate) struct Work {
    /// The row's findings: target, string index, finding; by target, then value.
    found: Vec<(usize, usize, Finding)>,
    allowed: Vec<Label>,
    numbering: Numbering,
    one: Vec<Finding>,
}

/// What the rows of one batch are read against.
pub(crate) struct Batch<'a> {
    /// The scanned columns, in `--field` order.
    pub columns: &'a [Column<'a>],
    /// The origin fields' columns after them (see [`crate::origin::Origin::fields`]).
    pub origin: &'a [Option<Column<'a>>],
    /// Their fields.
    pub targets: &'a [Target],
    /// The shard-wide number of the batch's first row (from 1).
    pub first_row: u64,
    /// The shard's name as a JSON string, for `scan` objects.
    pub name_json: &'a str,
}

/// Processes `rows` of `batch`.
pub(crate) fn rows(
    redactor: &Redactor,
    opts: &Options,
    work: &mut Work,
    batch: &Batch,
    rows: Range<usize>,
) -> RowsOut {
    let mut out = RowsOut {
        changes: vec![Vec::new(); batch.targets.len()],
        audit: Sample::new(match opts.mode {
            Mode::Redact => opts.audit_sample,
            Mode::Scan => 0,
        }),
        ..RowsOut::default()
    };
    let mut scratch = redactor.pooled_scratch();
    let texts = |t: usize, row: usize| {
        let c = &batch.columns[t];
        c.texts(row)
            .filter_map(move |k| c.strings().get(k).map(|s| (k, s)))
    };
    let all = 0..batch.columns.len();
    for row in rows {
        let line = batch.first_row + row as u64;
        let total: usize = all
            .clone()
            .flat_map(|t| texts(t, row))
            .map(|(_, s)| s.len())
            .sum();
        out.counts.lines += 1;
        out.counts.bytes_in += total as u64;
        if total > opts.max_record_bytes {
            let reason = format!(
                "row holds {total} bytes of text, more than --max-record-bytes {}",
                opts.max_record_bytes
            );
            if bad_row(opts, &mut out, batch, row, line, reason, total) {
                return out;
            }
            continue;
        }
        let verdict = opts.origin.as_deref().map(|o| {
            o.judge(|i| {
                let c = match i.checked_sub(batch.columns.len()) {
                    None => &batch.columns[i],
                    Some(j) => batch.origin[j].as_ref()?,
                };
                // A list column's first element.
                c.strings().get(c.texts(row).next()?)
            })
        });
        let opted_out = verdict.as_ref().is_some_and(|v| v.hit.is_some());
        work.found.clear();
        work.allowed.clear();
        // An opted-out row is only counted, not scanned.
        for t in all.clone().filter(|_| !opted_out) {
            for (k, s) in texts(t, row) {
                let found = redactor.scanner().scan(s, &mut scratch);
                work.found.extend(found.iter().map(|f| (t, k, *f)));
                work.allowed.extend(scratch.allowed());
            }
        }
        let found = work.found.iter().map(|x| x.2);
        let allowed = work.allowed.iter().copied();
        let outcome = record::count_judged(
            opts,
            &mut out.counts,
            verdict.as_ref(),
            total as u64,
            (work.found.len(), found, allowed),
        );
        if let Some(Outcome::Dropped) = outcome {
            out.removed.push(row);
            continue;
        }
        // The findings of one value are a run of `found`.
        let values = work.found.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1));
        if out.audit.wanted() {
            for v in values.clone() {
                let (t, k) = (v[0].0, v[0].1);
                let s = batch.columns[t].strings().get(k).expect("a scanned value");
                work.one.clear();
                work.one.extend(v.iter().map(|x| x.2));
                let template = redactor.rewriter().template();
                for i in 0..work.one.len() {
                    let name = Some(batch.targets[t].name.as_str());
                    out.audit
                        .offer_finding(s, &work.one, i, line, name, template);
                }
            }
        }
        if opts.mode == Mode::Scan {
            scan_object(&mut out.scan, batch, row, line, &work.found);
            continue;
        }
        let mut bytes_out = total;
        work.numbering.clear();
        for v in values {
            let (t, k) = (v[0].0, v[0].1);
            let s = batch.columns[t].strings().get(k).expect("a scanned value");
            let start = out.text.len();
            let mut at = 0;
            for &(_, _, f) in v {
                out.text.push_str(&s[at..f.start]);
                redactor.rewriter().replacement(
                    &s[f.start..f.end],
                    f.label,
                    &mut work.numbering,
                    &mut out.text,
                );
                at = f.end;
            }
            out.text.push_str(&s[at..]);
            bytes_out = bytes_out - s.len() + (out.text.len() - start);
            out.changes[t].push((k, start..out.text.len()));
        }
        out.counts.bytes_out += bytes_out as u64;
    }
    out
}

/// Applies `--on-error` to a bad row; returns true when the run stops.
fn bad_row(
    opts: &Options,
    out: &mut RowsOut,
    batch: &Batch,
    row: usize,
    line: u64,
    reason: String,
    total: usize,
) -> bool {
    let action = opts.on_error;
    match action {
        OnError::Fail => {}
        OnError::Skip => {
            out.counts.skipped += 1;
            out.removed.push(row);
        }
        OnError::Keep => {
            out.counts.kept += 1;
            match opts.mode {
                Mode::Scan => {
                    scan_start(&mut out.scan, batch, line);
                    record::kept_scan_body(&reason, &mut out.scan);
                    out.scan.extend_from_slice(b"}\n");
                }
                Mode::Redact => out.counts.bytes_out += total as u64,
            }
        }
    }
    if action != OnError::Fail {
        out.counts.documents += 1;
    }
    out.bad.push(Bad {
        line,
        reason,
        action,
    });
    action == OnError::Fail
}

fn scan_start(out: &mut Vec<u8>, batch: &Batch, line: u64) {
    use std::io::Write as _;
    let _ = write!(out, "{{\"shard\":{},\"line\":{line},", batch.name_json);
}

/// The row's `scan` object: spans as for JSONL, plus `item` (the element's index from 0)
/// for list columns.
fn scan_object(
    out: &mut Vec<u8>,
    batch: &Batch,
    row: usize,
    line: u64,
    found: &[(usize, usize, Finding)],
) {
    scan_start(out, batch, line);
    out.extend_from_slice(b"\"spans\":[");
    for (i, &(t, k, f)) in found.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let target = &batch.targets[t];
        let field = (batch.targets.len() > 1).then_some(target.name.as_str());
        let item = target.list.then(|| k - batch.columns[t].texts(row).start);
        record::span_json(out, &f, field, item);
    }
    out.extend_from_slice(b"]}\n");
}
