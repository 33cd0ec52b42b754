//! One shard through the engine on all cores, output in input order.
//!
//! The shard's bytes (a memory map, or blocks read from a decoder) are cut into batches,
//! each batch into ~256 KiB chunks at line ends; rayon processes the chunks of a batch in
//! parallel (`record::chunk`) while a writer thread writes the previous batch. Chunk
//! results are collected in order and hold no absolute line numbers: the writer assigns
//! them, so output, messages and counts are byte-identical for any number of threads.
//! Memory is bounded by the batch size (plus the longest record), not by the shard size.

pub(crate) mod record;

use crate::Redactor;
use crate::audit::Sample;
use crate::error::{Error, Result};
use crate::input::jsonl::FieldPath;
use crate::input::{Data, Format};
use crate::stats::Counts;
use rayon::prelude::*;
use record::{Bad, ChunkOut, Piece, Work};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// What to do with the documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Write the shard with placeholders.
    Redact,
    /// Write one `scan` JSON object per document.
    Scan,
}

/// What a bad record (invalid UTF-8, malformed JSON, a missing or non-string field, too
/// long) does to the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Stop with an error naming the shard and line; the shard's output is not written.
    #[default]
    Fail,
    /// Leave the record out of the output, count it, and go on.
    Skip,
    /// Copy the record to the output *unredacted*, count it, and go on.
    Keep,
}

impl std::str::FromStr for OnError {
    type Err = Error;
    fn from_str(s: &str) -> Result<OnError> {
        match s {
            "fail" => Ok(OnError::Fail),
            "skip" => Ok(OnError::Skip),
            "keep" => Ok(OnError::Keep),
            _ => Err(Error::usage(format!(
                "unknown --on-error {s:?}; use fail, skip or keep"
            ))),
        }
    }
}

/// What a record is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordUnit {
    /// A line (the line end is kept and not scanned).
    #[default]
    Line,
    /// The whole file (text format only).
    File,
}

/// Default for [`Options::max_record_bytes`]: 256 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 256 << 20;

/// How a shard is read and what is done with it. Every field but `chunk_bytes` changes
/// the output.
#[derive(Clone, Debug)]
pub struct Options {
    /// Redact or scan.
    pub mode: Mode,
    /// JSONL or text.
    pub format: Format,
    /// The JSON fields to scan (JSONL only).
    pub fields: Vec<FieldPath>,
    /// Line or whole file.
    pub record: RecordUnit,
    /// Bad-record policy.
    pub on_error: OnError,
    /// Drop documents with more findings than this (redact only).
    pub drop_doc_over: Option<usize>,
    /// Records longer than this are bad records.
    pub max_record_bytes: usize,
    /// Target chunk size for the workers (not part of the output; tests make it tiny).
    pub chunk_bytes: usize,
    /// Findings per label to keep for the audit sample (redact only; 0: none). Not part
    /// of the output.
    pub audit_sample: usize,
    /// Where documents come from (`--url-field`, `--opt-out`): domain sizes are
    /// counted and opted-out documents left out (JSONL and Parquet only).
    pub origin: Option<std::sync::Arc<crate::origin::Origin>>,
}

impl Options {
    /// Defaults: redact, the `text` field for JSONL, line records, fail on bad input,
    /// no dropping, 256 MiB records, 256 KiB chunks.
    pub fn new(mode: Mode, format: Format) -> Options {
        Options {
            mode,
            format,
            fields: vec!["text".parse().expect("valid field")],
            record: RecordUnit::Line,
            on_error: OnError::Fail,
            drop_doc_over: None,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            chunk_bytes: 256 << 10,
            audit_sample: 0,
            origin: None,
        }
    }
}

/// Hears about a run as it goes: bytes done (for a progress bar) and bad records that
/// were skipped or kept. Both are called from the writer thread, in input order.
pub trait Observer: Sync {
    /// `n` more bytes of the stored input were processed.
    fn progress(&self, _n: u64) {}
    /// A bad record was skipped or kept; `error` names the shard, line and reason.
    fn bad_record(&self, _error: &Error, _action: OnError) {}
}

/// What processing a shard gave besides its output.
#[derive(Debug, Default)]
pub struct Processed {
    /// The shard's counts.
    pub counts: Counts,
    /// Its audit sample ([`Options::audit_sample`] findings per label, lines absolute;
    /// the shard name is left to the caller).
    pub audit: Sample,
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;
impl Observer for Quiet {}

/// Chunks per batch, per thread: enough to keep every thread busy while the writer works,
/// and small enough that the threads finish a batch together. A batch waits for its
/// slowest chunk; with 4 chunks of 1 MiB per thread, two threads on the dense shard took
/// 1.34-1.45 s, with 16 of 256 KiB (the same batch) 1.25-1.28 s (BENCHMARKS.md).
const CHUNKS_PER_THREAD: usize = 16;
/// Stream reads target this much per batch and thread.
const STREAM_BATCH_PER_THREAD: usize = 4 << 20;

/// The bytes of one batch: borrowed from a map, or read from a stream.
enum BatchData<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl std::ops::Deref for BatchData<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            BatchData::Borrowed(b) => b,
            BatchData::Owned(v) => v,
        }
    }
}

enum Msg<'a> {
    /// A batch and its chunks' results, in order; `stored` is the stored bytes it covers.
    Batch {
        data: BatchData<'a>,
        outs: Vec<ChunkOut>,
        stored: u64,
    },
    /// Raw bytes of an over-long record kept by `--on-error keep` (streams only).
    Raw(Vec<u8>),
}

/// Processes one shard: reads `data`, writes the redacted shard (or the `scan` JSONL) to
/// `out`, and returns its counts and audit sample. `name` is used in messages and `scan` output. Runs on
/// the current rayon pool; `out` is written from a helper thread.
///
/// # Errors
/// A bad record under [`OnError::Fail`], a truncated or corrupt stream, an I/O error.
/// Each names the shard and the line, never the content.
pub fn process(
    redactor: &Redactor,
    opts: &Options,
    name: &str,
    data: Data,
    out: &mut (dyn Write + Send),
    observer: &dyn Observer,
) -> Result<Processed> {
    if opts.record == RecordUnit::File && opts.format != Format::Text {
        return Err(Error::usage("--record file works with text shards only"));
    }
    if opts.format == Format::Text && opts.origin.is_some() {
        return Err(Error::usage(format!(
            "{name}: --url-field and --opt-out read fields of JSONL or Parquet documents; a text shard has none"
        )));
    }
    if opts.format == Format::Parquet {
        return Err(Error::usage(format!(
            "{name}: a Parquet shard is read from a file (its footer is at its end), not from a stream"
        )));
    }
    let threads = rayon::current_num_threads().max(1);
    let (tx, rx) = mpsc::sync_channel::<Msg>(1);
    let name_json = serde_json::to_string(name).expect("a string serializes");
    let name_json = name_json.as_str();
    // The map outlives the scope: batches borrow it until the writer has written them.
    let (map, stream) = match data {
        Data::Mapped(map) => (Some(map), None),
        Data::Stream { reader, stored } => (None, Some((reader, stored))),
    };
    std::thread::scope(|scope| {
        let mapped = map.as_ref();
        let audit = Sample::new(opts.audit_sample);
        let writer =
            scope.spawn(move || write_all(rx, out, name, name_json, observer, mapped, audit));
        let read = match (&map, stream) {
            (Some(map), _) => feed_mapped(redactor, opts, map, threads, &tx),
            (None, Some((reader, stored))) => {
                feed_stream(redactor, opts, reader, &stored, threads, &tx)
            }
            (None, None) => Ok(()),
        };
        drop(tx);
        let written = writer.join().expect("the writer thread does not panic");
        match (read, written) {
            // A writer error (bad record, I/O) comes first: it is why the reader stopped.
            (_, Err(e)) => Err(e),
            (Err((e, _)), Ok(_)) if e.is_interrupted() => Err(e.at(name, None)),
            // The stream broke inside the line after those written and read.
            (Err((e, pending)), Ok(w)) => Err(e.at(name, Some(w.counts.lines + pending + 1))),
            (Ok(()), Ok(w)) => Ok(w),
        }
    })
}

/// Sends `Err(())` when the writer has hung up (it failed; its error is reported).
fn send<'a>(tx: &mpsc::SyncSender<Msg<'a>>, msg: Msg<'a>) -> Result<(), ()> {
    tx.send(msg).map_err(|_| ())
}

/// Cuts `data` into chunks of about `size` bytes ending at line ends (or at the end).
fn cut(
    data: &[u8],
    from: usize,
    size: usize,
    max_chunks: usize,
    file: bool,
) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::with_capacity(max_chunks.min(64));
    let mut s = from;
    while s < data.len() && chunks.len() < max_chunks {
        let target = s + size;
        let e = if file || target >= data.len() {
            data.len()
        } else {
            match memchr::memchr(b'\n', &data[target - 1..]) {
                Some(k) => target + k,
                None => data.len(),
            }
        };
        chunks.push(s..e);
        s = e;
    }
    chunks
}

fn run_chunks(
    redactor: &Redactor,
    opts: &Options,
    data: &[u8],
    chunks: &[std::ops::Range<usize>],
) -> Vec<ChunkOut> {
    chunks
        .par_iter()
        .map_init(Work::new, |work, r| {
            record::chunk(redactor, opts, work, data, r.clone())
        })
        .collect()
}

fn feed_mapped<'a>(
    redactor: &Redactor,
    opts: &Options,
    map: &'a [u8],
    threads: usize,
    tx: &mpsc::SyncSender<Msg<'a>>,
) -> Result<(), StreamError> {
    let mut at = 0;
    let file = opts.record == RecordUnit::File;
    while at < map.len() {
        if crate::stop::requested() {
            return Err((Error::interrupted(), 0));
        }
        let chunks = cut(map, at, opts.chunk_bytes, threads * CHUNKS_PER_THREAD, file);
        let end = chunks.last().map_or(at, |r| r.end);
        let outs = run_chunks(redactor, opts, map, &chunks);
        let stop = outs
            .iter()
            .any(|o| !o.bad.is_empty() && opts.on_error == OnError::Fail);
        if send(
            tx,
            Msg::Batch {
                data: BatchData::Borrowed(map),
                outs,
                stored: (end - at) as u64,
            },
        )
        .is_err()
            || stop
        {
            return Ok(());
        }
        at = end;
    }
    Ok(())
}

fn stream_error(e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            Error::input("the compressed stream is truncated (it ends before its end marker)")
        }
        std::io::ErrorKind::InvalidData
        | std::io::ErrorKind::InvalidInput
        | std::io::ErrorKind::Other => {
            Error::input(format!("the compressed stream is corrupt: {e}"))
        }
        _ => Error::io(None, e),
    }
}

/// A stream error, and the complete lines read but not yet sent to the writer.
type StreamError = (Error, u64);

/// Reads until `buf` holds at least `want` bytes or the stream ends; returns whether it
/// ended.
fn fill(stream: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> Result<bool, StreamError> {
    const READ: usize = 128 * 1024;
    while buf.len() < want {
        let len = buf.len();
        buf.resize(len + READ, 0);
        match stream.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(true);
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => {
                buf.truncate(len);
                let pending = memchr::memchr_iter(b'\n', buf).count() as u64;
                return Err((stream_error(e), pending));
            }
        }
    }
    Ok(false)
}

fn feed_stream<'a>(
    redactor: &Redactor,
    opts: &Options,
    mut stream: Box<dyn Read + Send>,
    stored_counter: &AtomicU64,
    threads: usize,
    tx: &mpsc::SyncSender<Msg<'a>>,
) -> Result<(), StreamError> {
    let mut stored_before = 0;
    let mut stored_delta = || {
        let now = stored_counter.load(Ordering::Relaxed);
        let d = now - stored_before;
        stored_before = now;
        d
    };
    let batch = STREAM_BATCH_PER_THREAD * threads;
    let file = opts.record == RecordUnit::File;
    let mut buf: Vec<u8> = Vec::with_capacity(batch);
    let mut want = batch;
    loop {
        if crate::stop::requested() {
            return Err((Error::interrupted(), 0));
        }
        let ended = fill(&mut *stream, &mut buf, want)?;
        if buf.is_empty() {
            return Ok(());
        }
        // The last line end in the buffer; a record must be complete before it is cut.
        let cut_at = if ended {
            Some(buf.len())
        } else if file {
            None
        } else {
            memchr::memrchr(b'\n', &buf).map(|k| k + 1)
        };
        let Some(cut_at) = cut_at else {
            if buf.len() > opts.max_record_bytes {
                over_long_record(opts, &mut *stream, &mut buf, file, tx, stored_delta())?;
                want = batch;
                continue;
            }
            // One record larger than the batch: read on until it ends.
            want = (want * 2).min(opts.max_record_bytes + 1).max(buf.len() + 1);
            continue;
        };
        want = batch;
        let tail = buf.split_off(cut_at);
        let data = std::mem::replace(&mut buf, tail);
        let chunks = cut(&data, 0, opts.chunk_bytes, usize::MAX, file);
        let outs = run_chunks(redactor, opts, &data, &chunks);
        let stop = outs
            .iter()
            .any(|o| !o.bad.is_empty() && opts.on_error == OnError::Fail);
        let stored = stored_delta();
        if send(
            tx,
            Msg::Batch {
                data: BatchData::Owned(data),
                outs,
                stored,
            },
        )
        .is_err()
            || stop
            || ended
        {
            return Ok(());
        }
    }
}

/// A record longer than `--max-record-bytes` in a stream: handled without holding it
/// whole. `buf` holds its start; the rest is read (and kept or discarded) up to its line
/// end, and `buf` is left holding whatever follows.
fn over_long_record<'a>(
    opts: &Options,
    stream: &mut dyn Read,
    buf: &mut Vec<u8>,
    file: bool,
    tx: &mpsc::SyncSender<Msg<'a>>,
    stored: u64,
) -> Result<(), StreamError> {
    let keep = opts.on_error == OnError::Keep;
    let mut len = 0u64;
    let mut rest = Vec::new();
    loop {
        let end = if file {
            None
        } else {
            memchr::memchr(b'\n', buf)
        };
        let take = end.map_or(buf.len(), |k| k + 1);
        len += take as u64;
        if end.is_some() {
            rest = buf.split_off(take);
        }
        let piece = std::mem::take(buf);
        if keep && opts.mode == Mode::Redact && send(tx, Msg::Raw(piece)).is_err() {
            return Ok(());
        }
        if end.is_some() || opts.on_error == OnError::Fail {
            break;
        }
        // Lines inside the over-long record do not count: it is one record.
        if fill(stream, buf, 128 * 1024).map_err(|(e, _)| (e, 0))? && buf.is_empty() {
            break;
        }
    }
    *buf = rest;
    let action = opts.on_error;
    let reason = match action {
        OnError::Fail => format!(
            "record is longer than --max-record-bytes {}",
            opts.max_record_bytes
        ),
        _ => format!(
            "record is {len} bytes, more than --max-record-bytes {}",
            opts.max_record_bytes
        ),
    };
    let mut out = ChunkOut::default();
    out.counts.lines = 1;
    out.counts.bytes_in = len;
    out.counts.documents = 1;
    match action {
        OnError::Fail => {}
        OnError::Skip => out.counts.skipped = 1,
        OnError::Keep => out.counts.kept = 1,
    }
    if action == OnError::Keep && opts.mode == Mode::Scan {
        out.kept_scan_object(1, &reason);
    }
    out.bad.push(Bad {
        line: 1,
        reason,
        action,
    });
    let _ = send(
        tx,
        Msg::Batch {
            data: BatchData::Owned(Vec::new()),
            outs: vec![out],
            stored,
        },
    );
    Ok(())
}

const OUT_BUF: usize = 256 * 1024;

/// Gives the pages of `map` below `upto` back to the kernel. They stay in the page cache,
/// but no longer count in this process's resident memory, so memory stays flat however
/// large the shard.
fn release(map: &memmap2::Mmap, done: &mut usize, upto: usize) {
    const PAGE: usize = 4096;
    let upto = upto / PAGE * PAGE;
    if upto > *done {
        // SAFETY: the map is a read-only, shared file mapping, so dropping its pages loses
        // nothing: a later read faults them in again from the file. Nothing reads below
        // `upto` any more: those batches are written.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, *done, upto - *done)
        };
        *done = upto;
    }
}

fn write_all(
    rx: mpsc::Receiver<Msg>,
    out: &mut (dyn Write + Send),
    name: &str,
    name_json: &str,
    observer: &dyn Observer,
    map: Option<&memmap2::Mmap>,
    mut audit: Sample,
) -> Result<Processed> {
    let (mut read_upto, mut released) = (0usize, 0usize);
    let mut w = std::io::BufWriter::with_capacity(OUT_BUF, out);
    // Lines so far (`done.lines`) turn chunk-relative line numbers into absolute ones.
    let mut done = Counts::default();
    let io = |e: std::io::Error| Error::io(None, e).at(name, None);
    let mut line_buf = String::new();
    for msg in rx {
        let (data, outs, stored) = match msg {
            Msg::Raw(bytes) => {
                w.write_all(&bytes).map_err(io)?;
                done.bytes_out += bytes.len() as u64;
                continue;
            }
            Msg::Batch { data, outs, stored } => (data, outs, stored),
        };
        for o in outs {
            for bad in &o.bad {
                let line = done.lines + bad.line;
                let e = Error::input(bad.reason.clone()).at(name, Some(line));
                if bad.action == OnError::Fail {
                    return Err(e);
                }
                observer.bad_record(&e, bad.action);
            }
            let mut bytes_out = 0;
            for p in &o.pieces {
                let bytes: &[u8] = match p {
                    Piece::Input(r) => &data[r.clone()],
                    Piece::Owned(r) => &o.owned[r.clone()],
                    Piece::Scan { line, body } => {
                        line_buf.clear();
                        use std::fmt::Write as _;
                        let _ = write!(
                            line_buf,
                            "{{\"shard\":{name_json},\"line\":{},",
                            done.lines + line
                        );
                        w.write_all(line_buf.as_bytes()).map_err(io)?;
                        w.write_all(&o.owned[body.clone()]).map_err(io)?;
                        w.write_all(b"}\n").map_err(io)?;
                        bytes_out += (line_buf.len() + body.len() + 2) as u64;
                        continue;
                    }
                };
                w.write_all(bytes).map_err(io)?;
                bytes_out += bytes.len() as u64;
            }
            for mut e in o.audit.into_entries() {
                e.line += done.lines;
                audit.offer(e);
            }
            done += &o.counts;
            done.bytes_out += bytes_out;
        }
        observer.progress(stored);
        if let Some(map) = map {
            read_upto += stored as usize;
            release(map, &mut released, read_upto);
        }
    }
    w.flush().map_err(io)?;
    Ok(Processed {
        counts: done,
        audit,
    })
}
