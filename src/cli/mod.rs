//! The command line: argument parsing (clap) and the subcommands.
//!
//! `///` comments on the argument structs are the user's `--help`; `//` comments are for
//! maintainers.

mod config;
mod rules_cmd;
mod text;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Exit code: done.
pub const EXIT_OK: u8 = 0;
/// Exit code: a check failed (`rules test`).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: a usage or input error.
pub const EXIT_ERROR: u8 = 2;

/// Find personal data in text and replace it with typed placeholders.
#[derive(Debug, Parser)]
#[command(name = "shardscrub", version, about, long_about = None)]
#[command(after_help = "Examples:
  echo 'mail jane.doe@corp.eu from 81.2.69.160' | shardscrub redact
  shardscrub scan < corpus/sample.txt
  shardscrub rules list
  shardscrub rules test my-rules.toml")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replace personal data with placeholders (standard input to standard output, one
    /// record a line).
    #[command(after_help = "Examples:
  echo 'mail jane.doe@corp.eu' | shardscrub redact
      mail <EMAIL_ADDRESS>
  shardscrub redact --style numbered < corpus/sample.txt
  SHARDSCRUB_HMAC_KEY=$(cat key.txt) shardscrub redact --style hmac < in.txt > out.txt
  shardscrub redact --labels EMAIL_ADDRESS,PHONE_NUMBER --placeholder '[{label}]' < in.txt")]
    Redact(RedactArgs),
    /// Detect only: print one JSON object a line with the findings' byte spans.
    #[command(after_help = "Output, one line per input line:
  {\"shard\":\"<stdin>\",\"line\":1,\"spans\":[{\"start\":5,\"end\":21,\"label\":\"EMAIL_ADDRESS\",\"rule\":\"email\"}]}

Examples:
  echo 'mail jane.doe@corp.eu' | shardscrub scan
  shardscrub scan --labels SECRET < config.txt")]
    Scan(ScanArgs),
    /// Show and self-test the rule set.
    #[command(subcommand)]
    Rules(RulesCommand),
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

#[derive(Debug, Args)]
struct RedactArgs {
    #[command(flatten)]
    engine: EngineArgs,
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
    engine: EngineArgs,
}

/// Parses the command line and runs it. Returns the exit code.
///
/// # Errors
/// Any error of the run; the caller prints it and exits with [`EXIT_ERROR`].
pub fn run() -> shardscrub::Result<u8> {
    let cli = Cli::parse();
    match cli.command {
        Command::Redact(args) => {
            let redactor = config::redactor(&args.engine, Some(&args))?;
            text::redact_stdin(&redactor)?;
            Ok(EXIT_OK)
        }
        Command::Scan(args) => {
            let redactor = config::redactor(&args.engine, None)?;
            text::scan_stdin(&redactor)?;
            Ok(EXIT_OK)
        }
        Command::Rules(RulesCommand::List {
            patterns,
            validators,
        }) => rules_cmd::list(&patterns, validators),
        Command::Rules(RulesCommand::Test { files }) => rules_cmd::test(&files),
    }
}
