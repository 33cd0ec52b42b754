//! The native half of the `shardscrub` Python package: the library's redactor and its
//! shard pipeline, with the GIL released while they run. The Python half
//! (`shardscrub/__init__.py`) turns keyword arguments into the command line's options,
//! so that both take the same options and give the same messages.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

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

/// The engine. Built from the command line's options (see `Redactor` in Python).
#[pyclass(subclass, frozen, module = "shardscrub")]
struct NativeRedactor {
    inner: Arc<shardscrub::Redactor>,
    /// Thread pools for `threads=N`, built once per N.
    pools: Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>,
}

impl NativeRedactor {
    /// Runs `f` on `threads` cores (all when `None`) without the GIL.
    fn on_pool<T: Send>(
        &self,
        py: Python<'_>,
        threads: Option<usize>,
        f: impl FnOnce() -> T + Send,
    ) -> PyResult<T> {
        let pool = match threads {
            None => None,
            Some(0) => {
                return Err(ShardscrubError::new_err(
                    "threads must be at least 1 (or None for all cores)",
                ));
            }
            Some(n) => {
                let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
                let pool = match pools.get(&n) {
                    Some(p) => p.clone(),
                    None => {
                        let p = rayon::ThreadPoolBuilder::new()
                            .num_threads(n)
                            .build()
                            .map_err(|e| ShardscrubError::new_err(e.to_string()))?;
                        pools.entry(n).or_insert(Arc::new(p)).clone()
                    }
                };
                Some(pool)
            }
        };
        Ok(py.detach(|| match pool {
            Some(p) => p.install(f),
            None => f(),
        }))
    }

    /// Each text redacted, with its findings per label.
    fn batch(
        &self,
        py: Python<'_>,
        texts: Vec<PyBackedStr>,
        threads: Option<usize>,
    ) -> PyResult<Vec<(String, Counts)>> {
        let inner = &self.inner;
        self.on_pool(py, threads, || {
            texts
                .par_iter()
                .with_min_len(16)
                .map(|t| {
                    let r = inner.redact(t);
                    let mut counts = BTreeMap::new();
                    for f in &r.findings {
                        *counts.entry(f.label.as_str()).or_default() += 1;
                    }
                    (r.text, counts)
                })
                .collect()
        })
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
            pools: Mutex::new(HashMap::new()),
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
    fn redact_batch(
        &self,
        py: Python<'_>,
        texts: Vec<PyBackedStr>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let done = self.batch(py, texts, threads)?;
        Ok(done.into_iter().map(|(text, _)| text).collect())
    }

    /// Like `redact_batch`, and the counts per label over the batch:
    /// `{label: {"documents": n, "findings": m}}`.
    #[pyo3(signature = (texts, threads=None))]
    fn redact_batch_with_counts<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<PyBackedStr>,
        threads: Option<usize>,
    ) -> PyResult<(Vec<String>, Bound<'py, PyDict>)> {
        let mut total: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        let mut out = Vec::with_capacity(texts.len());
        for (text, counts) in self.batch(py, texts, threads)? {
            for (label, n) in counts {
                let t = total.entry(label).or_default();
                t.0 += 1;
                t.1 += n;
            }
            out.push(text);
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
    fn redact_batch_per_document(
        &self,
        py: Python<'_>,
        texts: Vec<PyBackedStr>,
        threads: Option<usize>,
    ) -> PyResult<(Vec<String>, Vec<Counts>)> {
        Ok(self.batch(py, texts, threads)?.into_iter().unzip())
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
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add("ShardscrubError", m.py().get_type::<ShardscrubError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
