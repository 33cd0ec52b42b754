//! `redact` and `scan` on standard input: one record a line, written in order.

use shardscrub::{Error, Finding, Redactor, Result};
use std::io::{BufRead, BufWriter, Write};

/// Name of standard input in messages and `scan` output.
pub const STDIN: &str = "<stdin>";
/// Output buffer size: large writes, but small enough to stay in L2.
const OUT_BUF: usize = 128 * 1024;

/// Calls `each(line_number, text, terminator)` for every line of standard input.
/// The terminator (`\n`, `\r\n` or nothing at the end) is passed through so output keeps it.
fn for_each_line(mut each: impl FnMut(u64, &str, &[u8]) -> Result<()>) -> Result<()> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(None, e).at(STDIN, Some(line + 1)))?;
        if n == 0 {
            return Ok(());
        }
        line += 1;
        let body_len = if buf.ends_with(b"\r\n") {
            buf.len() - 2
        } else if buf.ends_with(b"\n") {
            buf.len() - 1
        } else {
            buf.len()
        };
        let (body, end) = buf.split_at(body_len);
        let text = std::str::from_utf8(body).map_err(|e| {
            Error::input(format!(
                "invalid UTF-8 at byte {} of the record",
                e.valid_up_to()
            ))
            .at(STDIN, Some(line))
        })?;
        each(line, text, end)?;
    }
}

fn out_err(e: std::io::Error) -> Error {
    Error::io(None, e)
}

/// Redacts standard input line by line to standard output.
pub fn redact_stdin(redactor: &Redactor) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(OUT_BUF, stdout.lock());
    let mut scratch = redactor.scratch();
    let mut text_out = String::new();
    for_each_line(|_, text, end| {
        text_out.clear();
        redactor.redact_into(text, &mut scratch, &mut text_out);
        out.write_all(text_out.as_bytes()).map_err(out_err)?;
        out.write_all(end).map_err(out_err)
    })?;
    out.flush().map_err(out_err)
}

#[derive(serde::Serialize)]
struct ScanLine<'a> {
    shard: &'a str,
    line: u64,
    spans: &'a [Finding],
}

/// Scans standard input line by line, printing one JSON object per line.
pub fn scan_stdin(redactor: &Redactor) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(OUT_BUF, stdout.lock());
    let mut scratch = redactor.scratch();
    for_each_line(|line, text, _| {
        let spans = redactor.scanner().scan(text, &mut scratch);
        let record = ScanLine {
            shard: STDIN,
            line,
            spans,
        };
        serde_json::to_writer(&mut out, &record).map_err(|e| out_err(e.into()))?;
        out.write_all(b"\n").map_err(out_err)
    })?;
    out.flush().map_err(out_err)
}
