//! Many shards: find them (files and directories, `--glob`), map each to its output
//! under `--out DIR` with the same relative path and compression, write each atomically
//! (temporary name, then rename), skip finished ones on `--resume`, keep per-shard
//! statistics beside the outputs (`NAME.stats.json`) and merge them into the report
//! (`DIR/redaction-report.json`, `.md` and `.svg`).

use crate::audit::Sample;
use crate::checksum::{self, HashingWriter};
use crate::error::{Error, ErrorKind, Result};
use crate::input::{self, Compression, Format};
use crate::report::{self, Provenance, Report, ShardReport, ShardStats, ShardStatus};
use crate::shard::{self, Observer, OnError, Options};
use crate::stats::Counts;
use crate::{Redactor, columnar};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Appended to an output's name for its statistics file (which a directory walk over the
/// outputs does not take for a shard: its name tells no shard format).
pub const STATS_SUFFIX: &str = ".stats.json";
/// The merged report's file name inside the output directory.
pub const REPORT_FILE: &str = "redaction-report.json";
/// The report's Markdown section, beside the JSON.
pub const MARKDOWN_FILE: &str = "redaction-report.md";
/// The report's chart, beside the Markdown that links to it.
pub const CHART_FILE: &str = report::markdown::CHART_FILE;
/// The training-content summary, beside the report.
pub const SUMMARY_FILE: &str = report::summary::SUMMARY_FILE;
/// The audit sample (`--audit-sample N`), one finding in context per line.
pub const AUDIT_FILE: &str = "audit-sample.jsonl";

/// One input shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    /// The file.
    pub path: PathBuf,
    /// Its path under the output directory (the file name, or the path below the
    /// directory given as input).
    pub rel: PathBuf,
    /// JSONL or text.
    pub format: Format,
    /// As stored.
    pub compression: Compression,
    /// Stored size in bytes.
    pub size: u64,
}

impl Shard {
    /// The name used in messages and reports: the path as given.
    pub fn name(&self) -> String {
        self.path.display().to_string()
    }
}

/// How input files are chosen.
#[derive(Debug, Default)]
pub struct Selection<'a> {
    /// Inside directories, take the files whose path below the directory matches.
    pub glob: Option<&'a globset::GlobMatcher>,
    /// Use this format for every file instead of guessing from the name.
    pub format: Option<Format>,
    /// Never descend into this directory (the output directory, when it lies inside an
    /// input directory).
    pub exclude: Option<PathBuf>,
}

/// Lists the shards named by `inputs`: files as given, directories walked recursively in
/// name order (hidden entries and symbolic links to directories skipped). Inside a
/// directory a file is taken when it matches `--glob`, or, without one, when its name
/// tells its format (`.jsonl`, `.txt`, ... optionally `.gz` / `.zst`).
///
/// # Errors
/// A missing input, a file whose format cannot be told, two inputs that would write the
/// same output, an empty selection.
pub fn collect(inputs: &[PathBuf], sel: &Selection) -> Result<Vec<Shard>> {
    let mut shards = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::io(Some(input.clone()), e))?;
        if meta.is_dir() {
            walk(input, sel, &mut shards)?;
        } else {
            let rel =
                PathBuf::from(input.file_name().ok_or_else(|| {
                    Error::usage(format!("{}: not a file name", input.display()))
                })?);
            let shard = shard_of(input, rel, meta.len(), sel.format).ok_or_else(|| {
                Error::usage(format!(
                    "{}: cannot tell the format from the name (.jsonl, .ndjson, .txt, .parquet, ...); pass --format jsonl, text or parquet",
                    input.display()
                ))
            })?;
            shards.push(shard);
        }
    }
    let mut seen = std::collections::HashMap::new();
    for s in &shards {
        if let Some(other) = seen.insert(s.rel.clone(), s.path.clone()) {
            return Err(Error::usage(format!(
                "{} and {} would both be written as {}; give their common directory instead",
                other.display(),
                s.path.display(),
                s.rel.display()
            )));
        }
    }
    if shards.is_empty() {
        return Err(Error::usage(match sel.glob {
            Some(g) => format!("no input file matches --glob {}", g.glob()),
            None => "no input shards found (.jsonl, .ndjson, .txt, .text, optionally .gz or .zst, or .parquet); use --glob to pick others".into(),
        }));
    }
    Ok(shards)
}

/// The shard at `path`, or `None` when its format is neither given nor told by its name.
fn shard_of(path: &Path, rel: PathBuf, size: u64, format: Option<Format>) -> Option<Shard> {
    let (guess, compression) = input::detect(path);
    format.or(guess).map(|format| Shard {
        path: path.to_owned(),
        rel,
        format,
        compression,
        size,
    })
}

/// Calls `file` with the path and size of every regular file below `dir`, recursively
/// and in name order, skipping hidden entries, symbolic links to directories and the
/// directories `skip` names.
///
/// # Errors
/// A directory or file that cannot be read, or the first error of `file`.
pub fn walk_files(
    dir: &Path,
    skip: &dyn Fn(&Path) -> bool,
    file: &mut dyn FnMut(PathBuf, u64) -> Result<()>,
) -> Result<()> {
    let io = |e| Error::io(Some(dir.to_owned()), e);
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<std::io::Result<_>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type().map_err(io)?.is_dir() {
            if !skip(&path) {
                walk_files(&path, skip, file)?;
            }
            continue;
        }
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(Some(path.clone()), e))?;
        if meta.is_file() {
            file(path, meta.len())?;
        }
    }
    Ok(())
}

/// Adds the shards below directory `root` to `out`.
fn walk(root: &Path, sel: &Selection, out: &mut Vec<Shard>) -> Result<()> {
    let excluded = |dir: &Path| {
        sel.exclude
            .as_ref()
            .is_some_and(|x| std::fs::canonicalize(dir).is_ok_and(|p| &p == x))
    };
    walk_files(root, &excluded, &mut |path, size| {
        let rel = path.strip_prefix(root).expect("below the root").to_owned();
        if sel.glob.is_some_and(|g| !g.is_match(&rel)) {
            return Ok(());
        }
        match shard_of(&path, rel, size, sel.format) {
            Some(s) => out.push(s),
            None if sel.glob.is_some() => {
                return Err(Error::usage(format!(
                    "{}: matches --glob but its format cannot be told from the name; pass --format",
                    path.display()
                )));
            }
            None => {}
        }
        Ok(())
    })
}

/// What a `redact` run writes besides the shards.
#[derive(Debug, Clone)]
pub struct Job {
    /// The output directory.
    pub out_dir: PathBuf,
    /// Skip shards whose output and statistics exist from a run with the same settings.
    pub resume: bool,
    /// fsync each output before renaming it (survives power loss, costs a disk write).
    pub sync: bool,
    /// The tool, rule set and every setting that changes the output: stored with each
    /// shard's statistics, so that `--resume` redoes shards made differently and the
    /// report says how its outputs were made.
    pub provenance: Provenance,
    /// Write the training-content summary with the cut-offs for small and medium-sized
    /// enterprises (top 5% of domains or 1,000).
    pub sme: bool,
}

impl Job {
    fn stats_path(&self, shard: &Shard) -> PathBuf {
        let mut name = shard.rel.clone().into_os_string();
        name.push(STATS_SUFFIX);
        self.out_dir.join(name)
    }
}

/// An output file written under a temporary name in its final directory; it appears
/// under the final name only through [`Atomic::commit`]. Dropped uncommitted, the
/// temporary file is removed.
struct Atomic {
    tmp: PathBuf,
    dest: PathBuf,
    done: bool,
}

impl Atomic {
    fn create(dest: &Path) -> Result<(Atomic, File)> {
        let dir = dest.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(Some(dir.to_owned()), e))?;
        let mut name = std::ffi::OsString::from(".");
        name.push(dest.file_name().expect("a file name"));
        name.push(".shardscrub-tmp");
        let tmp = dir.join(name);
        // Named by its directory: the temporary name means nothing to the user.
        let file = File::create(&tmp).map_err(|e| {
            let reason = format!("cannot create an output file in this directory: {e}");
            Error::io(Some(dir.to_owned()), std::io::Error::new(e.kind(), reason))
        })?;
        Ok((
            Atomic {
                tmp,
                dest: dest.to_owned(),
                done: false,
            },
            file,
        ))
    }

    fn commit(mut self, file: File, sync: bool) -> Result<()> {
        if sync {
            file.sync_all()
                .map_err(|e| Error::io(Some(self.tmp.clone()), e))?;
        }
        drop(file);
        std::fs::rename(&self.tmp, &self.dest)
            .map_err(|e| Error::io(Some(self.dest.clone()), e))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Atomic {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The output file, hashed as it is written.
type Sink = HashingWriter<File>;

/// The encoder a shard's output goes through.
enum Encoder {
    Plain(Sink),
    Gzip(flate2::write::GzEncoder<Sink>),
    Zstd(zstd::stream::write::Encoder<'static, Sink>),
}

impl Encoder {
    fn new(file: Sink, compression: Compression) -> std::io::Result<Encoder> {
        Ok(match compression {
            Compression::None => Encoder::Plain(file),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                file,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(file, 3)?),
        })
    }

    fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Encoder::Plain(f) => f,
            Encoder::Gzip(e) => e,
            Encoder::Zstd(e) => e,
        }
    }

    fn finish(self) -> std::io::Result<Sink> {
        match self {
            Encoder::Plain(f) => Ok(f),
            Encoder::Gzip(e) => e.finish(),
            Encoder::Zstd(e) => e.finish(),
        }
    }
}

/// Writes `bytes` to `dest`, atomically.
fn write_file(dest: &Path, bytes: &[u8]) -> Result<()> {
    let (atomic, mut file) = Atomic::create(dest)?;
    file.write_all(bytes)
        .map_err(|e| Error::io(Some(dest.to_owned()), e))?;
    atomic.commit(file, false)
}

/// Writes `value` as pretty JSON to `dest`, atomically.
fn write_json(dest: &Path, value: &impl serde::Serialize) -> Result<()> {
    let mut text = serde_json::to_vec_pretty(value).expect("reports serialize");
    text.push(b'\n');
    write_file(dest, &text)
}

/// Writes the report into `dir`: [`REPORT_FILE`], [`MARKDOWN_FILE`], [`CHART_FILE`]
/// and [`SUMMARY_FILE`] (with the SME cut-offs when `sme`).
///
/// # Errors
/// A file cannot be written.
pub fn write_report(dir: &Path, report: &Report, sme: bool) -> Result<()> {
    write_json(&dir.join(REPORT_FILE), report)?;
    write_file(
        &dir.join(SUMMARY_FILE),
        report::summary::render(report, sme).as_bytes(),
    )?;
    write_file(
        &dir.join(MARKDOWN_FILE),
        report::markdown::render(report).as_bytes(),
    )?;
    write_file(
        &dir.join(CHART_FILE),
        report::svg::render(report).as_bytes(),
    )
}

/// Writes the audit sample to `dir/`[`AUDIT_FILE`], one JSON object a line; returns
/// how many.
fn write_audit(dir: &Path, sample: Sample) -> Result<usize> {
    let mut lines = Vec::new();
    let mut n = 0;
    for e in sample.into_entries() {
        serde_json::to_writer(&mut lines, &e).expect("entries serialize");
        lines.push(b'\n');
        n += 1;
    }
    write_file(&dir.join(AUDIT_FILE), &lines)?;
    Ok(n)
}

/// The statistics of a finished shard, if it was made the same way (same tool version
/// and settings) from an input of the same size and its output exists.
fn finished(job: &Job, shard: &Shard, dest: &Path) -> Option<ShardStats> {
    if !dest.exists() {
        return None;
    }
    let text = std::fs::read_to_string(job.stats_path(shard)).ok()?;
    let done: ShardStats = serde_json::from_str(&text).ok()?;
    (done.schema_version == report::SCHEMA_VERSION
        && done.provenance.fingerprint == job.provenance.fingerprint
        && done.shard.input_bytes == shard.size)
        .then_some(done)
}

/// What a `redact` run made.
#[derive(Debug)]
pub struct Run {
    /// The merged report of the run's shards (also written to the output directory).
    pub report: Report,
    /// Shards taken over from an earlier run (`--resume`).
    pub resumed: usize,
    /// Findings written to [`AUDIT_FILE`] (`None`: no sample was asked for).
    pub audited: Option<usize>,
}

/// Redacts every shard into `job.out_dir`, one after the other (each on all threads of
/// the current rayon pool), keeps each one's statistics beside it, and writes their
/// merged report. `opts.format` is replaced by each shard's own.
///
/// # Errors
/// The first error that stops the run: a bad record under `--on-error fail`, a bad shard
/// (empty, truncated) under `fail`, any I/O error. Outputs finished before it stay, and
/// `--resume` picks up from there.
pub fn redact_files(
    redactor: &Redactor,
    opts: &Options,
    shards: &[Shard],
    job: &Job,
    observer: &dyn JobObserver,
) -> Result<Run> {
    let mut stats = Vec::with_capacity(shards.len());
    let mut resumed = 0;
    let mut audit = Sample::new(opts.audit_sample);
    for (i, shard) in shards.iter().enumerate() {
        observer.shard_started(i, shards.len(), shard);
        let dest = job.out_dir.join(&shard.rel);
        let path = job.stats_path(shard);
        if job.resume
            && let Some(done) = finished(job, shard, &dest)
        {
            observer.progress(shard.size);
            resumed += 1;
            stats.push((path.display().to_string(), done));
            continue;
        }
        let (shard_report, shard_audit) =
            redact_one(redactor, opts, shard, &dest, job.sync, observer)?;
        for mut e in shard_audit.into_entries() {
            e.shard.clone_from(&shard_report.shard);
            audit.offer(e);
        }
        let done = ShardStats {
            schema_version: report::SCHEMA_VERSION,
            provenance: job.provenance.clone(),
            shard: shard_report,
        };
        write_json(&path, &done)?;
        stats.push((path.display().to_string(), done));
    }
    let report = Report::merge(stats)?;
    write_report(&job.out_dir, &report, job.sme)?;
    let audited = match opts.audit_sample {
        0 => None,
        _ => Some(write_audit(&job.out_dir, audit)?),
    };
    Ok(Run {
        report,
        resumed,
        audited,
    })
}

fn redact_one(
    redactor: &Redactor,
    opts: &Options,
    shard: &Shard,
    dest: &Path,
    sync: bool,
    observer: &dyn JobObserver,
) -> Result<(ShardReport, Sample)> {
    let name = shard.name();
    if std::fs::canonicalize(dest)
        .is_ok_and(|d| std::fs::canonicalize(&shard.path).is_ok_and(|p| p == d))
    {
        return Err(Error::usage(format!(
            "{name}: the output would overwrite the input; choose another --out"
        )));
    }
    let opts = Options {
        format: shard.format,
        ..opts.clone()
    };
    let started = std::time::SystemTime::now();
    let clock = std::time::Instant::now();
    let (atomic, file) = Atomic::create(dest)?;
    let out_err = |e| Error::io(Some(dest.to_owned()), e);
    let mut enc = Encoder::new(HashingWriter::new(file), shard.compression).map_err(out_err)?;
    // A whole shard that cannot be read (empty, truncated) is skipped under skip and
    // keep alike: there is no record to keep. Other errors stop the run.
    let fatal =
        |e: &Error| opts.on_error == OnError::Fail || !matches!(e.kind(), ErrorKind::Input(_));
    // The input is hashed from the file on a thread of its own while it is processed;
    // the hash stops early when the run does.
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (result, input_sha256) = std::thread::scope(|scope| {
        let hash = scope.spawn(|| checksum::sha256_file(&shard.path, &cancel));
        let result = process(redactor, &opts, shard, enc.writer(), observer);
        if result.as_ref().is_err_and(fatal) {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        (result, hash.join().expect("hashing does not panic"))
    });
    let result = match result {
        // A write error from the shard's writer is about the output file: say which.
        Err(e) if fatal(&e) => return Err(e.or_path(dest)),
        r => r,
    };
    let input_sha256 = input_sha256
        .map_err(|e| Error::io(Some(shard.path.clone()), e))?
        .expect("the hash is cancelled only when the run stops");
    let mut report = ShardReport {
        shard: shard.rel.to_string_lossy().into_owned(),
        input: name.clone(),
        format: shard.format,
        compression: shard.compression,
        input_bytes: shard.size,
        input_sha256,
        output_bytes: 0,
        output_sha256: None,
        status: ShardStatus::Done,
        reason: None,
        started: report::timestamp(started),
        seconds: 0.0,
        counts: Counts::default(),
    };
    let mut audit = Sample::default();
    let bad_shard = |e: Error, report: &mut ShardReport| -> Result<()> {
        if fatal(&e) {
            return Err(e);
        }
        observer.bad_shard(&e);
        report.status = ShardStatus::Skipped;
        report.reason = Some(e.to_string());
        Ok(())
    };
    match result {
        Err(e) => bad_shard(e, &mut report)?,
        Ok(p) if empty(shard, &p) => bad_shard(
            Error::input("the shard is empty").at(&name, None),
            &mut report,
        )?,
        Ok(p) => {
            report.counts = p.counts;
            audit = p.audit;
            let sink = enc.finish().map_err(out_err)?;
            let (file, sha, bytes) = sink.finish();
            atomic.commit(file, sync)?;
            report.output_sha256 = Some(sha);
            report.output_bytes = bytes;
        }
    }
    report.seconds = clock.elapsed().as_secs_f64();
    Ok((report, audit))
}

/// Runs one shard through the engine: Parquet files through [`columnar`], the others
/// opened (mapped or decoded) and read through [`shard`].
fn process(
    redactor: &Redactor,
    opts: &Options,
    shard: &Shard,
    out: &mut (dyn Write + Send),
    observer: &dyn Observer,
) -> Result<shard::Processed> {
    let name = shard.name();
    match shard.format {
        Format::Parquet if shard.compression != Compression::None => Err(Error::usage(format!(
            "{name}: a Parquet file compresses its own columns; decompress the file first"
        ))),
        Format::Parquet => columnar::process(redactor, opts, &name, &shard.path, out, observer),
        _ => {
            let data = input::open(&shard.path, shard.compression)?;
            shard::process(redactor, opts, &name, data, out, observer)
        }
    }
}

/// A line-based shard with no bytes (an empty or truncated download). A Parquet file
/// without rows is whole (its footer says so) and is written as it is.
fn empty(shard: &Shard, p: &shard::Processed) -> bool {
    p.counts.bytes_in == 0 && shard.format != Format::Parquet
}

/// Hears about a multi-shard run: everything [`Observer`] hears, plus shard starts and
/// skipped shards.
pub trait JobObserver: Observer {
    /// Shard `index` of `total` starts.
    fn shard_started(&self, _index: usize, _total: usize, _shard: &Shard) {}
    /// A shard was skipped as a whole (`--on-error skip` or `keep`).
    fn bad_shard(&self, _error: &Error) {}
}

impl JobObserver for shard::Quiet {}

/// Scans every shard, writing the `scan` JSONL of all of them, in input order, to `out`.
/// Returns the summed counts.
///
/// # Errors
/// As [`redact_files`]; a shard-level error under `skip`/`keep` is reported to the
/// observer and the run goes on (its objects printed before the error stay printed).
pub fn scan_files(
    redactor: &Redactor,
    opts: &Options,
    shards: &[Shard],
    out: &mut (dyn Write + Send),
    observer: &dyn JobObserver,
) -> Result<Counts> {
    let mut total = Counts::default();
    for (i, shard) in shards.iter().enumerate() {
        observer.shard_started(i, shards.len(), shard);
        let opts = Options {
            format: shard.format,
            ..opts.clone()
        };
        let result =
            process(redactor, &opts, shard, out, observer).and_then(|p| match empty(shard, &p) {
                true => Err(Error::input("the shard is empty").at(shard.name(), None)),
                false => Ok(p),
            });
        match result {
            Ok(p) => total += &p.counts,
            Err(e) if opts.on_error != OnError::Fail && matches!(e.kind(), ErrorKind::Input(_)) => {
                observer.bad_shard(&e)
            }
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}
