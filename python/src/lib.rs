//! The native half of the `shardscrub` Python package: the library's redactor and its
//! shard pipeline, with the GIL released while they run. The Python half
//! (`shardscrub/__init__.py`) turns keyword arguments into the command line's options,
//! so that both take the same options and give the same messages.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PySlice, PyString};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, mpsc};

pyo3::create_exception!(
    _shardscrub,
    ShardscrubError,
    PyException,
    "An error of shardscrub, with the command line's message: it names the shard, the line, the rule file or the option, never document text."
);

fn py_err(e: shardscrub::Error) -> PyErr {
    ShardscrubError::new_err(e.to_string())
}

/// One piece of personal data found in a text.
#[pyclass(frozen, module = "shardscrub", get_all)]
struct Finding {
    /// First character (Python string index).
    start: usize,
    /// One past the last character.
    end: usize,
    /// First byte in the UTF-8 encoding of the text.
    byte_start: usize,
    /// One past the last byte.
    byte_end: usize,
    /// What kind of personal data (`EMAIL_ADDRESS`).
    label: String,
    /// The rule that found it (`email`).
    rule: String,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(start={}, end={}, label={:?}, rule={:?})",
            self.start, self.end, self.label, self.rule
        )
    }
}

/// One document's findings per label.
type Counts = BTreeMap<&'static str, u64>;

/// Thread pools by thread count, and the process that built them. A process forked
/// from this one (multiprocessing, `datasets.map(num_proc=...)`) has none of their
/// threads, so it builds its own; rayon's global pool is never used for that reason.
#[derive(Default)]
struct Pools {
    pid: u32,
    by_threads: HashMap<usize, Arc<rayon::ThreadPool>>,
}

/// The engine. Built from the command line's options (see `Redactor` in Python).
#[pyclass(subclass, frozen, module = "shardscrub")]
struct NativeRedactor {
    inner: Arc<shardscrub::Redactor>,
    /// Thread pools, built once per thread count and process.
    pools: Mutex<Pools>,
}

/// A batch is redacted in pieces of about this many bytes (or [`PIECE_TEXTS`] texts): while
/// the pool redacts one piece, the calling thread, which holds the GIL, reads the next
/// one's strings as UTF-8 and turns finished pieces back into Python strings. Those steps
/// need the GIL and are serial; overlapping them with the redaction keeps the cores busy.
const PIECE_BYTES: usize = 1 << 20;
/// Most texts in one piece.
const PIECE_TEXTS: usize = 4096;

/// One redacted text, as the calling thread turns it into a Python string.
enum Output {
    /// Nothing found: the original string is returned.
    Same,
    /// The redacted text, decoded into a new string (ASCII texts, which CPython decodes
    /// at memory speed, and texts dense with findings).
    Text(String),
    /// How to build the redacted text from the original string: the calling thread
    /// slices it around the findings and joins the slices with the placeholders, copies
    /// in the string's own width with no UTF-8 to decode. Decoding whole non-ASCII
    /// texts under the GIL was the serial part that held `redact_batch` below the
    /// command line's speed; a slice costs two calls into Python, so this is for texts
    /// with few findings for their length.
    Edits(Edits),
}

/// The placeholders of one text, one after the other, and for each finding the
/// characters it replaces (`start..end`, Python string indexes) and where its
/// placeholder ends in `placeholders`.
struct Edits {
    placeholders: String,
    spans: Vec<(usize, usize, usize)>,
}

/// Bytes of text per finding below which a non-ASCII text is decoded whole rather than
/// edited: decoding costs about a nanosecond a byte, each finding's slice and placeholder
/// a few hundred nanoseconds.
const BYTES_PER_EDIT: usize = 256;

/// One text's output and its findings per label.
type Redacted = (Output, Counts);
/// What a piece's job sends back: its index, its texts, and their redactions (or the
/// message of a panic).
type PieceDone = (usize, Vec<PyBackedStr>, Result<Vec<Redacted>, String>);

/// Python strings to return, and each one's findings per label.
type Returned<'py> = (Vec<Bound<'py, PyString>>, Vec<Counts>);

fn redact_one(r: &shardscrub::Redactor, text: &str) -> Redacted {
    let findings = r.scan(text);
    if findings.is_empty() {
        return (Output::Same, Counts::new());
    }
    let mut counts = Counts::new();
    for f in &findings {
        *counts.entry(f.label.as_str()).or_default() += 1;
    }
    if text.is_ascii() || findings.len() * BYTES_PER_EDIT > text.len() {
        let mut out = String::with_capacity(text.len());
        r.rewriter().rewrite(text, &findings, &mut out);
        return (Output::Text(out), counts);
    }
    let mut numbering = shardscrub::rewrite::Numbering::default();
    let mut edits = Edits {
        placeholders: String::new(),
        spans: Vec::with_capacity(findings.len()),
    };
    let (mut byte, mut chars) = (0, 0);
    for f in &findings {
        chars += char_count(&text.as_bytes()[byte..f.start]);
        let start = chars;
        chars += char_count(&text.as_bytes()[f.start..f.end]);
        byte = f.end;
        r.rewriter().replacement(
            &text[f.start..f.end],
            f.label,
            &mut numbering,
            &mut edits.placeholders,
        );
        edits.spans.push((start, chars, edits.placeholders.len()));
    }
    (Output::Edits(edits), counts)
}

/// Characters in valid UTF-8: the bytes that are not continuation bytes.
fn char_count(utf8: &[u8]) -> usize {
    utf8.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// `original` with its findings replaced as `edits` says, built from slices of the
/// original string and the placeholders.
fn apply<'py>(
    py: Python<'py>,
    original: &Bound<'py, PyString>,
    edits: &Edits,
) -> PyResult<Bound<'py, PyString>> {
    let mut parts: Vec<Bound<'py, PyAny>> = Vec::with_capacity(2 * edits.spans.len() + 1);
    let (mut at, mut placeholder_at) = (0, 0);
    for &(start, end, placeholder_end) in &edits.spans {
        if start > at {
            parts.push(original.get_item(PySlice::new(py, at as isize, start as isize, 1))?);
        }
        let placeholder = &edits.placeholders[placeholder_at..placeholder_end];
        parts.push(PyString::new(py, placeholder).into_any());
        (at, placeholder_at) = (end, placeholder_end);
    }
    parts.push(original.get_item(PySlice::new(py, at as isize, isize::MAX, 1))?);
    Ok(PyString::new(py, "")
        .call_method1(pyo3::intern!(py, "join"), (parts,))?
        .cast_into::<PyString>()?)
}

impl NativeRedactor {
    /// The pool for `threads` (`None`: all cores), built once per count and process.
    fn pool(&self, threads: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
        let n = match threads {
            Some(0) => {
                return Err(ShardscrubError::new_err(
                    "threads must be at least 1 (or None for all cores)",
                ));
            }
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        let pid = std::process::id();
        if pools.pid != pid {
            // Forked: these pools' threads live in the parent. Dropping a pool would
            // signal threads that are not here, so they are left alone.
            for (_, p) in pools.by_threads.drain() {
                std::mem::forget(p);
            }
            pools.pid = pid;
        }
        if let Some(p) = pools.by_threads.get(&n) {
            return Ok(p.clone());
        }
        let p = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| ShardscrubError::new_err(e.to_string()))?;
        Ok(pools.by_threads.entry(n).or_insert(Arc::new(p)).clone())
    }

    /// Redacts one piece on the pool, in the background; the result goes to `tx`.
    fn spawn_piece(
        &self,
        pool: &rayon::ThreadPool,
        tx: &mpsc::Sender<PieceDone>,
        index: usize,
        piece: Vec<PyBackedStr>,
    ) {
        let (inner, tx) = (self.inner.clone(), tx.clone());
        let job = move || {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                piece
                    .par_iter()
                    .with_min_len(16)
                    .map(|t| redact_one(&inner, t))
                    .collect()
            }))
            .map_err(|_| "internal error: the redaction of a batch panicked".to_owned());
            let _ = tx.send((index, piece, out));
        };
        pool.spawn(job);
    }

    /// Each text of `texts` redacted, with its findings per label. A text without
    /// findings comes back as the same Python object, neither copied nor converted.
    fn batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Returned<'py>> {
        if texts.is_instance_of::<PyString>() {
            // A str is iterable too: each character would be a document.
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "texts must be an iterable of str, not a str",
            ));
        }
        let pool = self.pool(threads)?;
        let (tx, rx) = mpsc::channel::<PieceDone>();
        // Finished pieces, as Python strings, by index.
        let mut done: Vec<Option<Returned<'py>>> = Vec::new();
        let mut finish = |(index, piece, out): PieceDone| -> PyResult<()> {
            let out = out.map_err(ShardscrubError::new_err)?;
            let mut strings = Vec::with_capacity(out.len());
            let mut counts = Vec::with_capacity(out.len());
            for (text, (output, c)) in piece.into_iter().zip(out) {
                strings.push(match output {
                    Output::Same => text.into_pyobject(py)?,
                    Output::Text(s) => PyString::new(py, &s),
                    Output::Edits(e) => apply(py, &text.into_pyobject(py)?, &e)?,
                });
                counts.push(c);
            }
            if done.len() <= index {
                done.resize_with(index + 1, || None);
            }
            done[index] = Some((strings, counts));
            Ok(())
        };
        let (mut sent, mut received) = (0, 0);
        let mut read = || -> PyResult<()> {
            let (mut piece, mut bytes) = (Vec::new(), 0);
            for item in texts.try_iter()? {
                let text: PyBackedStr = item?.extract()?;
                bytes += text.len();
                piece.push(text);
                if bytes >= PIECE_BYTES || piece.len() >= PIECE_TEXTS {
                    self.spawn_piece(&pool, &tx, sent, std::mem::take(&mut piece));
                    (sent, bytes) = (sent + 1, 0);
                    while let Ok(d) = rx.try_recv() {
                        received += 1;
                        finish(d)?;
                    }
                }
            }
            if !piece.is_empty() {
                self.spawn_piece(&pool, &tx, sent, piece);
                sent += 1;
            }
            Ok(())
        };
        let mut result = read();
        // Every piece sent is waited for, even after an error: its job holds Python
        // strings, which are given back here, with the GIL.
        let mut rx = rx;
        while received < sent {
            // The receiver goes into the GIL-free wait and comes back (it is not Sync).
            let (d, back) = py.detach(move || (rx.recv(), rx));
            rx = back;
            let d = d.expect("every piece's job sends its result");
            received += 1;
            if result.is_ok() {
                result = finish(d);
            }
        }
        result?;
        let mut strings = Vec::new();
        let mut counts = Vec::new();
        for (s, c) in done.into_iter().flatten() {
            strings.extend(s);
            counts.extend(c);
        }
        Ok((strings, counts))
    }
}

#[pymethods]
impl NativeRedactor {
    /// `args`: `shardscrub redact` options (`["--style", "hmac"]`); `hmac_key`: the key
    /// for the hmac style.
    #[new]
    #[pyo3(signature = (args, hmac_key=None))]
    fn new(args: Vec<String>, hmac_key: Option<Vec<u8>>) -> PyResult<Self> {
        let inner =
            shardscrub::cli::redactor_embedded(&args, hmac_key.as_deref()).map_err(py_err)?;
        Ok(NativeRedactor {
            inner: Arc::new(inner),
            pools: Mutex::new(Pools::default()),
        })
    }

    /// `text` with every piece of personal data replaced by its placeholder.
    fn redact(&self, py: Python<'_>, text: PyBackedStr) -> String {
        let inner = &self.inner;
        py.detach(|| inner.redact(&text).text)
    }

    /// The findings in `text`, sorted, non-overlapping.
    fn scan(&self, py: Python<'_>, text: PyBackedStr) -> Vec<Finding> {
        let inner = &self.inner;
        let findings = py.detach(|| inner.scan(&text));
        // Character offsets, counted once from the start over the whole list.
        let (mut byte, mut chars) = (0, 0);
        let mut char_at = |b: usize| {
            chars += text[byte..b].chars().count();
            byte = b;
            chars
        };
        findings
            .iter()
            .map(|f| Finding {
                start: char_at(f.start),
                end: char_at(f.end),
                byte_start: f.start,
                byte_end: f.end,
                label: f.label.as_str().to_owned(),
                rule: f.rule.as_str().to_owned(),
            })
            .collect()
    }

    /// `texts` redacted on `threads` cores (all when None), without the GIL.
    #[pyo3(signature = (texts, threads=None))]
    fn redact_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Bound<'py, PyString>>> {
        Ok(self.batch(py, texts, threads)?.0)
    }

    /// Like `redact_batch`, and the counts per label over the batch:
    /// `{label: {"documents": n, "findings": m}}`.
    #[pyo3(signature = (texts, threads=None))]
    fn redact_batch_with_counts<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<(Vec<Bound<'py, PyString>>, Bound<'py, PyDict>)> {
        let mut total: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        let (out, per_document) = self.batch(py, texts, threads)?;
        for counts in per_document {
            for (label, n) in counts {
                let t = total.entry(label).or_default();
                t.0 += 1;
                t.1 += n;
            }
        }
        let dict = PyDict::new(py);
        for (label, (documents, findings)) in total {
            let c = PyDict::new(py);
            c.set_item("documents", documents)?;
            c.set_item("findings", findings)?;
            dict.set_item(label, c)?;
        }
        Ok((out, dict))
    }

    /// Like `redact_batch`, and each document's findings per label: a list of
    /// `{label: findings}`, one per text.
    #[pyo3(signature = (texts, threads=None))]
    fn redact_batch_per_document<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<(Vec<Bound<'py, PyString>>, Vec<Counts>)> {
        self.batch(py, texts, threads)
    }
}

/// Opt-out lists (`--opt-out FILE`), for pipelines that hold their documents in
/// Python (the datatrove step): the same entries and matching as the command line.
#[pyclass(frozen, module = "shardscrub")]
struct OptOutLists {
    inner: shardscrub::optout::OptOut,
}

#[pymethods]
impl OptOutLists {
    #[new]
    fn new(py: Python<'_>, paths: Vec<std::path::PathBuf>) -> PyResult<Self> {
        // A pool of its own, as for `run`: in a process forked from the host (a
        // datatrove worker), rayon's global pool has no threads.
        let pool = rayon::ThreadPoolBuilder::new()
            .build()
            .map_err(|e| ShardscrubError::new_err(e.to_string()))?;
        let inner = py
            .detach(|| pool.install(|| shardscrub::optout::OptOut::load(&paths)))
            .map_err(py_err)?;
        Ok(OptOutLists { inner })
    }

    /// The fields that field-value entries name, in order.
    fn fields(&self) -> Vec<String> {
        self.inner.fields().map(|f| f.as_str().to_owned()).collect()
    }

    /// Whether some entry is a domain or a URL prefix.
    fn needs_url(&self) -> bool {
        self.inner.needs_url()
    }

    /// The lists as reports name them: `(file, entries, sha256)`.
    fn lists(&self) -> Vec<(String, u64, String)> {
        self.inner
            .lists()
            .iter()
            .map(|l| (l.file.clone(), l.entries(), l.sha256.clone()))
            .collect()
    }

    /// `(list index, kind)` of the list that opts a document out, or `None`: `url` is
    /// its URL, `values` the string values of [`OptOutLists::fields`] in order.
    fn check(
        &self,
        url: Option<&str>,
        values: Vec<Option<String>>,
    ) -> Option<(usize, &'static str)> {
        let site = url.and_then(shardscrub::web::Site::parse);
        self.inner
            .check(site.as_ref(), |k| values.get(k).and_then(|v| v.as_deref()))
            .map(|h| {
                let kind = match h.kind {
                    shardscrub::optout::Kind::Domain => "domain",
                    shardscrub::optout::Kind::Url => "url",
                    shardscrub::optout::Kind::Field => "field",
                };
                (h.list, kind)
            })
    }
}

/// Runs a `shardscrub` command line (`["redact", "in/", "--out", "out/"]`) in this
/// process without the GIL; returns its exit code.
#[pyfunction]
#[pyo3(signature = (args, progress=false, hmac_key=None))]
fn run(
    py: Python<'_>,
    args: Vec<String>,
    progress: bool,
    hmac_key: Option<Vec<u8>>,
) -> PyResult<u8> {
    py.detach(|| shardscrub::cli::run_embedded(&args, progress, hmac_key.as_deref()))
        .map_err(py_err)
}

/// The native module.
#[pymodule]
fn _shardscrub(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeRedactor>()?;
    m.add_class::<Finding>()?;
    m.add_class::<OptOutLists>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add("ShardscrubError", m.py().get_type::<ShardscrubError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
