//! Faults in the middle of a run: a process stopped by SIGINT or killed by SIGKILL while
//! it writes a shard leaves no file under a final name that is not complete, and
//! `--resume` then gives outputs byte-identical to an uninterrupted run.

use crate::util::{SAMPLE_JSONL, TempDir, ok};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Three shards in `dir/in`: the sample (`a.jsonl`), a large one that takes the debug
/// binary several seconds on one thread (`b.jsonl`, the sample's lines repeated to about
/// 24 MB), and the sample again under another name (`c.jsonl`).
fn inputs(dir: &TempDir) -> String {
    let sample = std::fs::read_to_string(SAMPLE_JSONL).unwrap();
    let mut big = String::with_capacity(25 << 20);
    while big.len() < 24 << 20 {
        big.push_str(&sample);
    }
    dir.file("in/a.jsonl", &sample);
    dir.bytes("in/b.jsonl", big.as_bytes());
    dir.file("in/c.jsonl", &sample);
    dir.path("in")
}

fn start(input: &str, out: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_shardscrub"))
        .args(["redact", input, "--out", out, "--threads", "1", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Waits until `path` exists (the first shard is done), then a little more, so that the
/// process is inside the large shard.
fn wait_for(path: &str) {
    let t = Instant::now();
    while !Path::new(path).exists() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "{path} never appeared"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Output data files (not statistics or reports, which hold clock readings) and their
/// bytes.
fn outputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// Checks the interrupted output directory: every file under a final name is complete
/// (equal to the reference), the large shard is not there; then resumes and compares.
fn check_then_resume(dir: &TempDir, input: &str, out: &str, reference: &[(String, Vec<u8>)]) {
    let partial = outputs(out);
    assert!(
        partial.iter().all(|f| reference.contains(f)),
        "a file under a final name differs from the uninterrupted run"
    );
    assert!(
        !partial.iter().any(|(n, _)| n == "b.jsonl"),
        "the large shard was interrupted, yet it has its final name"
    );
    let stderr = ok(&["redact", input, "--out", out, "--resume", "-q"]);
    assert!(stderr.contains("resumed"), "{stderr}");
    assert_eq!(outputs(out), reference, "resumed outputs differ");
    let hidden: Vec<String> = dir
        .files()
        .into_iter()
        .filter(|f| f.contains(".shardscrub-tmp"))
        .collect();
    assert!(hidden.is_empty(), "temporary files left: {hidden:?}");
}

fn reference(dir: &TempDir, input: &str) -> Vec<(String, Vec<u8>)> {
    let out = dir.path("reference");
    ok(&["redact", input, "--out", &out, "--threads", "2", "-q"]);
    let files = outputs(&out);
    assert_eq!(files.len(), 3);
    files
}

#[test]
fn sigint_stops_cleanly_and_resume_finishes() {
    let dir = TempDir::new("sigint");
    let input = inputs(&dir);
    let expected = reference(&dir, &input);
    let out = dir.path("out");
    let child = start(&input, &out);
    wait_for(&dir.path("out/a.jsonl.stats.json"));
    signal(&child, "-INT");
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("stopped on request") && stderr.contains("--resume"),
        "{stderr}"
    );
    // A clean stop removes the temporary file of the shard in progress at once.
    assert!(
        !dir.files().iter().any(|f| f.contains(".shardscrub-tmp")),
        "{:?}",
        dir.files()
    );
    check_then_resume(&dir, &input, &out, &expected);
}

#[test]
fn sigkill_leaves_no_partial_shard_and_resume_is_byte_identical() {
    let dir = TempDir::new("sigkill");
    let input = inputs(&dir);
    let expected = reference(&dir, &input);
    let out = dir.path("out");
    let mut child = start(&input, &out);
    wait_for(&dir.path("out/a.jsonl.stats.json"));
    signal(&child, "-KILL");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "killed by a signal, not exited");
    check_then_resume(&dir, &input, &out, &expected);
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_no_partial_shard() {
    // A 1 MiB tmpfs, mounted in a private mount namespace (`unshare`), receives a 3 MB
    // shard. Needs user namespaces; without them there is no small disk to fill.
    if !Command::new("unshare")
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: `unshare -rm` is not available here");
        return;
    }
    let dir = TempDir::new("fulldisk");
    let sample = std::fs::read_to_string(SAMPLE_JSONL).unwrap();
    let input = dir.file("in/big.jsonl", &sample.repeat(3_000_000 / sample.len() + 1));
    let disk = dir.path("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=1m tmpfs {disk} && {bin} redact {input} --out {disk}/out -q; echo \"exit $?\"; ls -A {disk}/out",
        bin = env!("CARGO_BIN_EXE_shardscrub"),
    );
    let r = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr),
    );
    assert!(stdout.starts_with("exit 2\n"), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("{disk}/out/big.jsonl: No space left on device")),
        "the error names the output file and the reason: {stderr}"
    );
    let left: Vec<&str> = stdout.lines().skip(1).collect();
    assert!(
        left.is_empty(),
        "nothing is left in the output directory: {left:?}"
    );
}

#[test]
fn an_output_directory_that_cannot_be_made_is_a_clear_error() {
    let dir = TempDir::new("badout");
    let blocker = dir.file("blocker", "a file where a directory should be");
    let out = format!("{blocker}/out");
    let r = crate::util::run(&["redact", SAMPLE_JSONL, "--out", &out], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&out) && r.stderr.contains("Not a directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn resume_redoes_shards_made_with_another_hmac_key_and_no_key_is_written() {
    let dir = TempDir::new("hmackey");
    let out = dir.path("out");
    let (a, b) = ("first-key-0123456789abcdef", "other-key-0123456789abcdef");
    let run = |key: &str| {
        crate::util::ok_env(
            &[
                "redact",
                SAMPLE_JSONL,
                "--out",
                &out,
                "--style",
                "hmac",
                "--resume",
                "-q",
            ],
            &[("SHARDSCRUB_HMAC_KEY", key)],
        )
    };
    assert!(run(a).contains("(0 resumed"));
    let with_a = std::fs::read(dir.path("out/sample.jsonl")).unwrap();
    assert!(run(a).contains("(1 resumed"), "same key: taken over");
    assert!(run(b).contains("(0 resumed"), "another key: redone");
    assert_ne!(std::fs::read(dir.path("out/sample.jsonl")).unwrap(), with_a);
    for f in dir.files() {
        let text = String::from_utf8_lossy(&std::fs::read(dir.0.join(&f)).unwrap()).into_owned();
        assert!(
            !text.contains(a) && !text.contains(b),
            "a key was written to {f}"
        );
    }
}

/// A command that runs the binary without root's right to read and write any file: as
/// `nobody` through `setpriv` when the tests run as root (`None` when that is not
/// possible), as it is otherwise.
fn unprivileged() -> Option<Command> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root {
        return Some(Command::new(env!("CARGO_BIN_EXE_shardscrub")));
    }
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_shardscrub"));
    let works = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|s| s.success());
    works.then_some(c)
}

fn set_mode(path: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn an_unreadable_input_is_a_clear_error_and_resume_finishes_the_run() {
    let Some(mut bin) = unprivileged() else {
        eprintln!("skipped: cannot drop root's rights here (setpriv)");
        return;
    };
    let dir = TempDir::new("unreadable");
    let sample = std::fs::read_to_string(SAMPLE_JSONL).unwrap();
    dir.file("in/a.jsonl", &sample);
    let locked = dir.file("in/b.jsonl", &sample);
    let out = dir.path("out");
    std::fs::create_dir_all(&out).unwrap();
    set_mode(&dir.path(""), 0o755);
    set_mode(&out, 0o777);
    set_mode(&locked, 0o000);
    let args = [
        "redact",
        &dir.path("in"),
        "--out",
        &out,
        "--threads",
        "1",
        "-q",
    ];
    for policy in ["fail", "skip"] {
        let r = bin
            .args(args)
            .args(["--on-error", policy])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "--on-error {policy}: {stderr}");
        assert!(
            stderr.contains(&format!("{locked}: Permission denied")),
            "the error names the file and the reason: {stderr}"
        );
        // The shard before it is finished; nothing else is under a final name.
        let left: Vec<String> = outputs(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(left, ["a.jsonl"], "--on-error {policy}");
        let temp = std::fs::read_dir(&out)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains("tmp"));
        assert!(!temp, "no temporary file is left");
        bin = unprivileged().unwrap();
    }
    set_mode(&locked, 0o644);
    let r = bin.args(args).arg("--resume").output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let done: Vec<String> = outputs(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(done, ["a.jsonl", "b.jsonl"]);
}

#[test]
fn an_output_directory_that_cannot_be_written_is_a_clear_error() {
    let Some(mut bin) = unprivileged() else {
        eprintln!("skipped: cannot drop root's rights here (setpriv)");
        return;
    };
    let dir = TempDir::new("readonly");
    let out = dir.path("out");
    std::fs::create_dir_all(&out).unwrap();
    set_mode(&dir.path(""), 0o755);
    set_mode(&out, 0o555);
    let r = bin
        .args(["redact", SAMPLE_JSONL, "--out", &out, "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{out}: cannot create an output file in this directory: Permission denied"
        )),
        "{stderr}"
    );
    assert!(std::fs::read_dir(&out).unwrap().next().is_none());
}
