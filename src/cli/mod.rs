//! The command line: argument parsing (clap) and the subcommands. The binary calls
//! [`run`]; bindings that run a command inside another process (the Python package)
//! call [`run_embedded`], which returns errors instead of exiting and leaves signals
//! to the host.
//!
//! `///` comments on the argument structs are the user's `--help`; `//` comments are for
//! maintainers.

mod config;
mod eval_cmd;
mod progress;
mod report_cmd;
mod rules_cmd;
mod shards;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Exit code: done.
pub const EXIT_OK: u8 = 0;
/// Exit code: a check failed (`rules test`).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: a usage or input error.
pub const EXIT_ERROR: u8 = 2;
/// Exit code: stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Find personal data in text and replace it with typed placeholders.
#[derive(Debug, Parser)]
#[command(name = "shardscrub", version, about, long_about = None)]
#[command(after_help = "Examples:
  shardscrub redact corpus/sample.jsonl --out redacted/
  shardscrub redact data/ --glob '**/*.jsonl.zst' --field text --field meta.title --out clean/
  shardscrub scan corpus/sample.txt
  shardscrub report redacted/ --format md
  echo 'mail jane.doe@corp.eu from 81.2.69.160' | shardscrub redact
  shardscrub rules list
  shardscrub rules test my-rules.toml
  shardscrub eval corpus/quality/gold.jsonl --floors corpus/quality/floors.toml

Exit codes: 0 done, 1 a check failed (rules test, eval floors), 2 usage or input error,
130 stopped by Ctrl-C or SIGTERM (finished shards are kept; rerun with --resume).")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replace personal data with placeholders: shards (files or directories) into
    /// --out DIR under the same relative names and compression, or standard input to
    /// standard output.
    #[command(
        after_help = "Each output appears under its final name only when complete, with its statistics
beside it (NAME.stats.json); their merged report goes to DIR/redaction-report.json, .md
(a dataset-card section) and .svg (its chart), with training-content-summary.md (the
parts of the AI Act summary template the run answers). `shardscrub report` merges
statistics of several runs.

Examples:
  shardscrub redact corpus/sample.jsonl --out redacted/
  shardscrub redact crawl/ --url-field url --opt-out opt-out.txt --out clean/
  shardscrub redact data/ --out clean/ --resume
  shardscrub redact data/ --glob 'crawl/**/*.jsonl.gz' --field text --field meta.title --out clean/
  shardscrub redact hub-dataset/data/ --glob '**/*.parquet' --field text --out clean/
  shardscrub redact logs.txt.zst --labels EMAIL_ADDRESS,IP_ADDRESS --out clean/
  shardscrub redact big.jsonl --on-error skip --drop-doc-over 500 --threads 8 --out clean/
  shardscrub redact data/ --out clean/ --audit-sample 50
  echo 'mail jane.doe@corp.eu' | shardscrub redact
      mail <EMAIL_ADDRESS>
  SHARDSCRUB_HMAC_KEY=$(cat key.txt) shardscrub redact --style hmac data/ --out clean/"
    )]
    Redact(RedactArgs),
    /// Detect only: print one JSON object per document, in input order, with the
    /// findings' byte spans in the document's decoded text.
    #[command(after_help = "Output, one line per document:
  {\"shard\":\"a.jsonl\",\"line\":1,\"spans\":[{\"start\":5,\"end\":21,\"label\":\"EMAIL_ADDRESS\",\"rule\":\"email\"}]}
With several --field, each span also names its \"field\". A bad record kept by --on-error
keep prints \"spans\":[] and an \"error\" with the reason. For Parquet, \"line\" is the row
number across the row groups (from 1), spans come in --field order, and a span in a list
column has \"item\", the element's index from 0.

Examples:
  shardscrub scan corpus/sample.jsonl
  shardscrub scan data/ --glob '*.txt.gz' --labels SECRET
  echo 'mail jane.doe@corp.eu' | shardscrub scan")]
    Scan(ScanArgs),
    /// Merge per-shard statistics (NAME.stats.json, from any number of runs and
    /// machines) into one report: the dataset-card Markdown section, the JSON report or
    /// the SVG chart. A shard whose input was counted already is reported, not counted
    /// twice.
    #[command(
        after_help = "INPUT is a NAME.stats.json file, a directory (searched for *.stats.json) or a
redaction-report.json. Merging is order-independent: the report of a run equals the
merge of its shards' statistics, however they are split. A report made with --url-field
keeps its domain sizes merged only: give it alone, or merge the *.stats.json files.

Examples:
  shardscrub report redacted/ --format md > card-section.md
  shardscrub report machine-*/out/ --format summary --sme > training-content-summary.md
  shardscrub report redacted/*.stats.json --format json --out redaction-report.json
  shardscrub report machine-*/out/ --format svg --out redaction-report.svg"
    )]
    Report {
        /// Statistics files, output directories or reports to merge.
        #[arg(value_name = "INPUT", required = true)]
        inputs: Vec<PathBuf>,
        /// md (the Markdown section), json (the report), svg (the chart) or summary (the
        /// parts of the AI Act training-content summary template the data answers).
        #[arg(long, default_value = "md", value_name = "FORMAT")]
        format: String,
        /// With --format summary: rank domains at the cut-off for small and medium-sized
        /// enterprises (top 5% or 1,000, whichever is lower) instead of the top 10%.
        #[arg(long)]
        sme: bool,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Measure detection quality on a labeled corpus: precision, recall, F1 and leak rate
    /// per label, for the rules as configured and for other tools' predictions.
    #[command(
        after_help = "GOLD is JSONL, one document a line: {\"text\":..,\"spans\":[{\"start\":B,\"end\":B,
\"label\":..}],\"negatives\":[{\"start\":B,\"end\":B,\"kind\":..}]} with byte offsets
(corpus/quality/gold.jsonl). --compare FILE holds another tool's spans in the form
`shardscrub scan` prints, line N for the N-th document. Overlap F1 counts a value as
found when a span with its label overlaps it; exact F1 needs the same start and end;
the leak rate is the share of values whose text is still in the redacted document.

Examples:
  shardscrub eval corpus/quality/gold.jsonl
  shardscrub eval corpus/quality/gold.jsonl --floors corpus/quality/floors.toml
  shardscrub eval corpus/quality/gold.jsonl --compare presidio=presidio.jsonl --out table.md
  shardscrub eval corpus/quality/gold.jsonl --labels EMAIL_ADDRESS --format json

Exit codes: 0 done (and every floor met), 1 a floor missed, 2 usage or input error."
    )]
    Eval(EvalArgs),
    /// Show and self-test the rule set.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Args)]
struct EvalArgs {
    /// The labeled corpus (JSONL with gold spans).
    #[arg(value_name = "GOLD")]
    gold: PathBuf,
    #[command(flatten)]
    engine: EngineArgs,
    /// Also score another tool's predictions, given as NAME=FILE (repeatable).
    #[arg(long, value_name = "NAME=FILE")]
    compare: Vec<String>,
    /// md (tables) or json.
    #[arg(long, default_value = "md", value_name = "FORMAT")]
    format: String,
    /// Write the tables to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Fail (exit 1) when a label's F1 falls below, or its leak rate rises above, the
    /// floors in FILE (TOML, one table per label).
    #[arg(long, value_name = "FILE")]
    floors: Option<PathBuf>,
    /// Print up to N misses, false positives and boundary errors per label to stderr,
    /// with the corpus text around each (for improving rules on a synthetic corpus).
    #[arg(long, value_name = "N")]
    errors: Option<usize>,
    /// Write today's scores as a floors file (F1 rounded down, leak rate up).
    #[arg(long, value_name = "FILE")]
    write_floors: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the rules: id, label, how each is scanned, validator, file.
    #[command(after_help = "Examples:
  shardscrub rules list
  shardscrub rules list --patterns my-rules.toml")]
    List {
        /// Also load this rule file (repeatable).
        #[arg(long, value_name = "FILE")]
        patterns: Vec<PathBuf>,
        /// List the validator names a rule file may use instead.
        #[arg(long)]
        validators: bool,
    },
    /// Run every example of every rule, alone and through the whole engine; print each
    /// failure, then fail once (exit 1). With FILEs, test only the rules in them (the
    /// built-in rules still run alongside, as they would in use).
    #[command(after_help = "Examples:
  shardscrub rules test
  shardscrub rules test my-rules.toml
  SHARDSCRUB_RULE=credit_card shardscrub rules test")]
    Test {
        /// Rule files to test (default: the built-in rules).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// Options that choose what is detected.
#[derive(Debug, Args)]
struct EngineArgs {
    /// Add a rule file in the built-in format (repeatable).
    #[arg(long, value_name = "FILE")]
    patterns: Vec<PathBuf>,
    /// Report only these labels (comma-separated, e.g. EMAIL_ADDRESS,IP_ADDRESS).
    #[arg(long, value_delimiter = ',', value_name = "LABELS")]
    labels: Option<Vec<String>>,
    /// Never report these labels (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "LABELS")]
    exclude_labels: Vec<String>,
    /// Do not run these rules (comma-separated ids from `shardscrub rules list`), e.g.
    /// person_copyright to keep the names in licence notices.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    exclude_rules: Vec<String>,
    /// Also report private IP ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7).
    #[arg(long)]
    private_ips: bool,
    /// Keep the values in FILE as they are (one literal a line; `#` comments). A line
    /// matches a value exactly or the part after an `@` or `.` (`example.com` keeps
    /// `jane@example.com`). Repeatable.
    #[arg(long, value_name = "FILE")]
    allow: Vec<PathBuf>,
    /// Do not keep the built-in allow list (example.com, .test, .invalid, ...).
    #[arg(long)]
    no_default_allow: bool,
    /// Always report the literals in FILE (one a line, whole words, case-insensitive),
    /// e.g. a list of names. The label comes from --deny-label or a first line
    /// `# label: PERSON`. Repeatable.
    #[arg(long, value_name = "FILE")]
    deny: Vec<PathBuf>,
    /// Label for --deny lists that do not name one.
    #[arg(long, value_name = "LABEL")]
    deny_label: Option<String>,
}

/// Options that choose the inputs and how they are read.
#[derive(Debug, Args)]
struct InputArgs {
    /// Shard files or directories (walked recursively); `-` or nothing: standard input.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// In directories, take only files whose path below the directory matches this glob
    /// (e.g. '**/*.jsonl.gz'). Without it: every .jsonl, .ndjson, .txt and .text
    /// file, plain or .gz / .zst, and every .parquet file.
    #[arg(long, value_name = "GLOB")]
    glob: Option<String>,
    /// jsonl, text or parquet (default: from each file name; text on standard input,
    /// which cannot be Parquet).
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// JSON field, or Parquet string column, to scan; a dotted path reaches into nested
    /// objects or struct columns (meta.body); a Parquet list of strings is scanned element
    /// by element. Repeatable. Every other byte of the line (every other column) is kept.
    #[arg(long = "field", value_name = "PATH", default_value = "text")]
    fields: Vec<String>,
    /// What a record is in text shards: line, or file (the whole file, one document).
    #[arg(long, value_name = "UNIT", default_value = "line")]
    record: String,
    /// What a bad record (invalid UTF-8, malformed JSON, missing or non-string field,
    /// longer than --max-record-bytes) does: fail (stop, exit 2), skip (leave it out and
    /// count it) or keep (copy it UNREDACTED and count it). A shard that cannot be read
    /// at all (empty, truncated .gz/.zst) fails, or is skipped under skip and keep. A
    /// file that cannot be opened (permissions) or written stops the run under every
    /// policy; finished shards stay, and --resume goes on from there.
    #[arg(long, value_name = "POLICY", default_value = "fail")]
    on_error: String,
    /// Longest record accepted (e.g. 256MiB, 1GB, 4096); longer ones are bad records.
    #[arg(long, value_name = "SIZE", default_value = "256MiB")]
    max_record_bytes: String,
    /// JSON field or Parquet column holding each document's URL: the report then gives
    /// content size (documents, bytes of text kept and left out) per registrable domain,
    /// for the training-content summary. A missing or unreadable URL is counted, never
    /// an error.
    #[arg(long, value_name = "PATH")]
    url_field: Option<String>,
    /// Leave out documents that an opt-out list names (repeatable). One entry a line,
    /// `#` comments: a domain (example.org, with its subdomains), a URL prefix
    /// (https://example.org/blog/), or a field value (author=jdoe, repo_name=jdoe/*).
    /// Domain and URL entries need --url-field. The report names each list by file,
    /// entries and sha256, never by its entries.
    #[arg(long, value_name = "FILE")]
    opt_out: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar and no per-record warnings (the final summary stays).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct RedactArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    engine: EngineArgs,
    /// Output directory (required with INPUT files): each shard is written under its
    /// relative name with its compression.
    #[arg(long, short, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Skip shards already finished in DIR by a run with the same settings.
    #[arg(long)]
    resume: bool,
    /// Flush each output to disk (fsync) before it gets its final name: outputs then
    /// survive a power loss too, at the cost of a disk write.
    #[arg(long)]
    sync: bool,
    /// Rank domains in DIR/training-content-summary.md at the cut-off for small and
    /// medium-sized enterprises (top 5% or 1,000, whichever is lower) instead of the
    /// top 10%.
    #[arg(long)]
    sme: bool,
    /// Leave out documents with more than N findings (counted in the report).
    #[arg(long, value_name = "N")]
    drop_doc_over: Option<usize>,
    /// Write DIR/audit-sample.jsonl: up to N findings per label, chosen reproducibly,
    /// each as its placeholder with about 40 characters of context on each side (other
    /// findings there redacted too), to estimate precision by reading. Covers the
    /// shards processed in this run (not those taken over by --resume).
    #[arg(long, value_name = "N")]
    audit_sample: Option<usize>,
    /// Placeholder style: tag (<EMAIL_ADDRESS>), numbered (<EMAIL_ADDRESS_1>, per
    /// document), hmac (<EMAIL_ADDRESS:9f2c1a7b04d3e5f6>, keyed, stable across documents)
    /// or mask (****@****.**).
    #[arg(long, default_value = "tag", value_name = "STYLE")]
    style: String,
    /// Placeholder template; {label} is replaced by the label.
    #[arg(long, default_value = "<{label}>", value_name = "TEMPLATE")]
    placeholder: String,
    /// Read the key for --style hmac from FILE (at least 16 bytes). Without it, the key
    /// comes from the environment variable SHARDSCRUB_HMAC_KEY. Never on the command line.
    #[arg(long, value_name = "FILE")]
    hmac_key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

/// Parses the command line and runs it. Returns the exit code.
///
/// # Errors
/// Any error of the run; the caller prints it and exits with [`EXIT_ERROR`].
pub fn run() -> crate::Result<u8> {
    dispatch(Cli::parse(), None)
}

/// Runs `args` (the words after `shardscrub`, e.g. `["redact", "in/", "--out", "out/"]`)
/// inside a host process: a usage error (including `--help`) is an [`Error`](crate::Error)
/// with clap's message, no signal handler is installed (Ctrl-C stays the host's), and
/// `redact` and `scan` get `--quiet` unless `progress` is set. `key` is the HMAC key for
/// `--style hmac`, handed over in memory (otherwise it comes from the environment or
/// `--hmac-key-file`, as on the command line). Returns the exit code.
///
/// # Errors
/// As the command line: the same messages.
pub fn run_embedded<S: Into<std::ffi::OsString> + Clone>(
    args: impl IntoIterator<Item = S>,
    progress: bool,
    key: Option<&[u8]>,
) -> crate::Result<u8> {
    let cli = parse_embedded(args, progress)?;
    shards::EMBEDDED.store(true, std::sync::atomic::Ordering::Relaxed);
    let threads = match &cli.command {
        Command::Redact(a) => a.input.threads,
        Command::Scan(a) => a.input.threads,
        _ => None,
    };
    // A pool of its own, always: rayon's global one belongs to the host, and in a
    // process forked from the host it has no threads.
    let n = match threads {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| crate::Error::usage(format!("--threads: {e}")))?
        .install(|| dispatch(cli, key))
}

/// The redactor that `shardscrub redact OPTIONS` would use, for a host program: `args`
/// are `redact`'s engine and placeholder options (`--style hmac`, `--labels ...`), no
/// inputs. `key` as in [`run_embedded`].
///
/// # Errors
/// As the command line: the same messages; INPUT words are a usage error.
pub fn redactor_embedded<S: Into<std::ffi::OsString> + Clone>(
    args: impl IntoIterator<Item = S>,
    key: Option<&[u8]>,
) -> crate::Result<crate::Redactor> {
    let words =
        std::iter::once(std::ffi::OsString::from("redact")).chain(args.into_iter().map(Into::into));
    match parse_embedded(words, true)?.command {
        Command::Redact(r) if r.input.inputs.is_empty() => {
            config::redactor(&r.engine, Some(&r), key)
        }
        _ => Err(crate::Error::usage(
            "only redactor options are accepted here",
        )),
    }
}

fn parse_embedded<S: Into<std::ffi::OsString> + Clone>(
    args: impl IntoIterator<Item = S>,
    progress: bool,
) -> crate::Result<Cli> {
    let mut words: Vec<std::ffi::OsString> = vec!["shardscrub".into()];
    words.extend(args.into_iter().map(Into::into));
    let takes_quiet = matches!(
        words.get(1).and_then(|w| w.to_str()),
        Some("redact" | "scan")
    );
    if !progress && takes_quiet {
        words.push("--quiet".into());
    }
    Cli::try_parse_from(words).map_err(|e| crate::Error::usage(e.to_string()))
}

fn dispatch(cli: Cli, key: Option<&[u8]>) -> crate::Result<u8> {
    match cli.command {
        Command::Redact(args) => shards::redact(&args, key),
        Command::Scan(args) => shards::scan(&args),
        Command::Rules(RulesCommand::List {
            patterns,
            validators,
        }) => rules_cmd::list(&patterns, validators),
        Command::Rules(RulesCommand::Test { files }) => rules_cmd::test(&files),
        Command::Eval(args) => eval_cmd::run(&args),
        Command::Report {
            inputs,
            format,
            sme,
            out,
        } => report_cmd::run(&inputs, &format, sme, out.as_deref()),
    }
}
