//! `redact` and `scan`: on shards (files, directories) or on standard input.

use super::config;
use super::progress::Progress;
use super::{EXIT_OK, InputArgs, RedactArgs, ScanArgs};
use crate::input::{self, Compression};
use crate::job::{self, Job, Selection, Shard};
use crate::report::Provenance;
use crate::shard::{self, Mode};
use crate::{Error, Redactor, Result};
use std::path::PathBuf;

/// Name of standard input in messages and `scan` output.
const STDIN: &str = "<stdin>";

/// True when the run reads standard input: no INPUT, or just `-`.
fn is_stdin(inputs: &[PathBuf]) -> Result<bool> {
    let dash = inputs.iter().filter(|p| p.as_os_str() == "-").count();
    match (inputs.len(), dash) {
        (0, _) | (1, 1) => Ok(true),
        (_, 0) => Ok(false),
        _ => Err(Error::usage(
            "`-` (standard input) cannot be mixed with other inputs",
        )),
    }
}

/// Runs one shard from standard input to standard output.
fn stdin_run(redactor: &Redactor, opts: &shard::Options, args: &InputArgs) -> Result<u8> {
    let data = input::stream(Box::new(std::io::stdin()), Compression::None)?;
    let progress = Progress::new(None, args.quiet);
    let mut stdout = std::io::stdout();
    let counts = shard::process(redactor, opts, STDIN, data, &mut stdout, &progress);
    progress.finish();
    counts.map(|_| EXIT_OK)
}

fn shards(args: &InputArgs, exclude: Option<PathBuf>) -> Result<Vec<Shard>> {
    let glob = args
        .glob
        .as_deref()
        .map(|g| {
            globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| Error::usage(format!("--glob: {e}")))
        })
        .transpose()?;
    let sel = Selection {
        glob: glob.as_ref(),
        format: args.format.as_deref().map(str::parse).transpose()?,
        exclude,
    };
    job::collect(&args.inputs, &sel)
}

/// Set by [`super::run_embedded`]: the host process owns the signals.
pub(super) static EMBEDDED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Makes Ctrl-C, SIGTERM and SIGHUP stop the run cleanly: the first asks the shards to
/// stop at their next batch (the one in progress is not written, its temporary file is
/// removed); a second one ends the process at once.
fn stop_on_signals(quiet: bool) {
    if EMBEDDED.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let result = ctrlc::set_handler(move || {
        if crate::stop::requested() {
            std::process::exit(i32::from(super::EXIT_INTERRUPTED));
        }
        crate::stop::request();
        if !quiet {
            eprintln!("\nshardscrub: stopping after the current batch (again to quit at once)");
        }
    });
    if let Err(e) = result {
        eprintln!(
            "shardscrub: warning: cannot catch Ctrl-C ({e}); an interrupted run may leave a hidden temporary file"
        );
    }
}

/// The exit code and message for a run that stopped on request; other errors pass.
fn interrupted(result: Result<u8>, out_dir: Option<&std::path::Path>) -> Result<u8> {
    match result {
        Err(e) if e.is_interrupted() => {
            match out_dir {
                Some(dir) => eprintln!(
                    "shardscrub: stopped on request: finished shards are in {} under their final names, the one in progress was not written; run the same command with --resume to finish",
                    dir.display()
                ),
                None => eprintln!("shardscrub: stopped on request; the output is incomplete"),
            }
            Ok(super::EXIT_INTERRUPTED)
        }
        other => other,
    }
}

/// `shardscrub redact`.
pub fn redact(args: &RedactArgs, key: Option<&[u8]>) -> Result<u8> {
    stop_on_signals(args.input.quiet);
    let out = args.out.clone();
    interrupted(redact_run(args, key), out.as_deref())
}

fn redact_run(args: &RedactArgs, key: Option<&[u8]>) -> Result<u8> {
    // The pool first: loading opt-out lists already uses it.
    config::threads(args.input.threads)?;
    let redactor = config::redactor(&args.engine, Some(args), key)?;
    let mut opts = config::shard_options(&args.input, Mode::Redact, args.drop_doc_over)?;
    opts.audit_sample = args.audit_sample.unwrap_or(0);
    if is_stdin(&args.input.inputs)? {
        if args.out.is_some() || args.resume || args.audit_sample.is_some() {
            return Err(Error::usage(
                "--out, --resume and --audit-sample need INPUT files; standard input goes to standard output",
            ));
        }
        return stdin_run(&redactor, &opts, &args.input);
    }
    let out_dir = args.out.clone().ok_or_else(|| {
        Error::usage(
            "redact with INPUT files needs --out DIR (standard input goes to standard output)",
        )
    })?;
    // `--out -` reads as "standard output", which only standard input gets; a directory
    // named `-` is never what was meant.
    if out_dir.as_os_str() == "-" {
        return Err(Error::usage(
            "--out - : INPUT files are written to a directory; to write standard output, read standard input (`shardscrub redact < FILE`)",
        ));
    }
    std::fs::create_dir_all(&out_dir).map_err(|e| Error::io(Some(out_dir.clone()), e))?;
    let exclude = std::fs::canonicalize(&out_dir).ok();
    let shards = shards(&args.input, exclude)?;
    let settings = config::settings(&redactor, &args.engine, Some(args), &args.input, &opts)?;
    let job = Job {
        out_dir: out_dir.clone(),
        resume: args.resume,
        sync: args.sync,
        provenance: Provenance::new(&redactor, settings, Some(config::command(args))),
        sme: args.sme,
    };
    let progress = Progress::new(Some(shards.iter().map(|s| s.size).sum()), args.input.quiet);
    let result = job::redact_files(&redactor, &opts, &shards, &job, &progress);
    progress.finish();
    let run = result?;
    super::report_cmd::warn_duplicates(&run.report);
    let (t, c) = (&run.report.totals, &run.report.shard_count);
    eprintln!(
        "shardscrub: {} shards ({} resumed, {} skipped, {} duplicate inputs counted once), {} documents, {} with findings, {} findings, {} dropped, {} opted out, {} bad records skipped, {} kept unredacted; report: {}",
        run.report.shards.len(),
        run.resumed,
        c.skipped,
        c.duplicates,
        t.documents,
        t.redacted,
        t.findings,
        t.dropped,
        t.opt_out.documents,
        t.skipped,
        t.kept,
        out_dir.join(job::MARKDOWN_FILE).display()
    );
    if let Some(n) = run.audited {
        eprintln!(
            "shardscrub: audit sample: {n} findings in {}{}",
            out_dir.join(job::AUDIT_FILE).display(),
            if run.resumed > 0 {
                " (shards taken over by --resume are not sampled)"
            } else {
                ""
            }
        );
    }
    Ok(EXIT_OK)
}

/// `shardscrub scan`.
pub fn scan(args: &ScanArgs) -> Result<u8> {
    stop_on_signals(args.input.quiet);
    interrupted(scan_run(args), None)
}

fn scan_run(args: &ScanArgs) -> Result<u8> {
    config::threads(args.input.threads)?;
    let redactor = config::redactor(&args.engine, None, None)?;
    let opts = config::shard_options(&args.input, Mode::Scan, None)?;
    if is_stdin(&args.input.inputs)? {
        return stdin_run(&redactor, &opts, &args.input);
    }
    let shards = shards(&args.input, None)?;
    let progress = Progress::new(Some(shards.iter().map(|s| s.size).sum()), args.input.quiet);
    let mut stdout = std::io::stdout();
    let result = job::scan_files(&redactor, &opts, &shards, &mut stdout, &progress);
    progress.finish();
    result.map(|_| EXIT_OK)
}
