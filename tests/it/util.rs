//! Helpers: run the binary with standard input, and a temporary directory.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// What a run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `shardscrub ARGS` with `stdin` and extra environment variables.
pub fn run_with_env(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shardscrub"));
    cmd.args(args)
        .env_remove("SHARDSCRUB_HMAC_KEY")
        .env_remove("SHARDSCRUB_RULE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary starts");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `shardscrub ARGS` with `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    run_with_env(args, stdin, &[])
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("shardscrub-it-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes `contents` to `name` inside the directory and returns its path as text.
    pub fn file(&self, name: &str, contents: &str) -> String {
        self.bytes(name, contents.as_bytes())
    }

    /// Writes `contents` to `name` (parent directories created) and returns its path.
    pub fn bytes(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// The path of `name` inside the directory, as text.
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    /// Every file below the directory, relative, sorted (hidden ones included).
    pub fn files(&self) -> Vec<String> {
        fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(root, &p, out);
                } else {
                    out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.0, &self.0, &mut out);
        out.sort();
        out
    }
}

/// gzip-compresses `data`.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// zstd-compresses `data`.
pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

/// Decompresses a file by its extension (.gz, .zst, or plain).
pub fn read_any(path: &str) -> Vec<u8> {
    use std::io::Read;
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Vec::new();
    if path.ends_with(".gz") {
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap();
    } else if path.ends_with(".zst") {
        out = zstd::decode_all(&raw[..]).unwrap();
    } else {
        out = raw;
    }
    out
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bundled JSONL sample shard.
pub const SAMPLE_JSONL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/sample.jsonl");
/// The bundled text sample shard (the same documents).
pub const SAMPLE_TXT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/sample.txt");

/// The bundled Parquet sample shard (the JSONL sample's documents, with a list column).
pub const SAMPLE_PARQUET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/sample.parquet");

/// Runs `shardscrub ARGS`, asserting success; returns stderr.
pub fn ok(args: &[&str]) -> String {
    ok_env(args, &[])
}

/// Runs `shardscrub ARGS` with extra environment variables, asserting success;
/// returns stderr.
pub fn ok_env(args: &[&str], env: &[(&str, &str)]) -> String {
    let r = run_with_env(args, b"", env);
    assert_eq!(r.code, 0, "shardscrub {args:?} failed: {}", r.stderr);
    r.stderr
}

/// Redacts the sample corpus (both fields) into `out`.
pub fn redact_sample(inputs: &[&str], out: &str) {
    redact_sample_with(inputs, out, &[], &[]);
}

/// Redacts the sample corpus (both fields) into `out` with `extra` options and
/// environment variables.
pub fn redact_sample_with(inputs: &[&str], out: &str, extra: &[&str], env: &[(&str, &str)]) {
    let mut args = vec!["redact"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&[
        "--field",
        "text",
        "--field",
        "meta.title",
        "--out",
        out,
        "-q",
    ]);
    args.extend_from_slice(extra);
    ok_env(&args, env);
}

/// The report in output directory `dir`.
pub fn report(dir: &str) -> serde_json::Value {
    let path = format!("{dir}/redaction-report.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}
