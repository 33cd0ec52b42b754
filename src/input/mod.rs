//! Opening shards: the format and compression from the file name, and the bytes either
//! memory-mapped (plain files) or streamed through a decoder (`.gz`, `.zst`, pipes).

pub mod jsonl;

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How a shard's bytes are split into documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object a line; the `--field`s are scanned.
    Jsonl,
    /// Plain text: a line is a document (or the whole file, with `--record file`).
    Text,
    /// Parquet: a row is a document; the `--field`s are string columns (`crate::columnar`).
    Parquet,
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        match s {
            "jsonl" => Ok(Format::Jsonl),
            "text" => Ok(Format::Text),
            "parquet" => Ok(Format::Parquet),
            _ => Err(Error::usage(format!(
                "unknown format {s:?}; use jsonl, text or parquet"
            ))),
        }
    }
}

/// The compression of a shard, read and written alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip (`.gz`), possibly several concatenated members.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

/// The format and compression a file name implies: `x.jsonl.gz` is gzip-compressed
/// JSONL; `.ndjson` is JSONL too; `.txt` and `.text` are text. The format is `None` for
/// any other name (pass it explicitly).
pub fn detect(path: &Path) -> (Option<Format>, Compression) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = name
        .strip_suffix(".zst")
        .or_else(|| name.strip_suffix(".zstd"))
    {
        (s, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    let format = match stem.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jsonl" | "ndjson") => Some(Format::Jsonl),
        Some("txt" | "text") => Some(Format::Text),
        Some("parquet") => Some(Format::Parquet),
        _ => None,
    };
    (format, compression)
}

/// `bytes` as text, or the length of its longest valid UTF-8 prefix. Checked with SIMD
/// (simdutf8): on multilingual text it is several times faster than the standard
/// library's check, which was a tenth of the time of a redaction; the standard check
/// runs only on failure, to say where.
///
/// # Errors
/// The offset of the first byte that is not valid UTF-8.
pub fn utf8(bytes: &[u8]) -> std::result::Result<&str, usize> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| {
        std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to())
    })
}

/// A shard's bytes: mapped whole, or a stream read in blocks.
pub enum Data {
    /// A memory-mapped plain file.
    Mapped(memmap2::Mmap),
    /// A decoder (or a file that could not be mapped), read from start to end.
    Stream {
        /// The decoded bytes.
        reader: Box<dyn Read + Send>,
        /// Stored (compressed) bytes consumed so far, for progress.
        stored: Arc<AtomicU64>,
    },
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Data::Mapped(m) => write!(f, "Mapped({} bytes)", m.len()),
            Data::Stream { .. } => f.write_str("Stream"),
        }
    }
}

/// Counts the bytes read from the file under a decoder, for the progress bar.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Read size of the file under a decoder; decoders stay fast with buffers of at most
/// 256 KiB (larger ones fall out of L2).
const STREAM_BUF: usize = 128 * 1024;

/// Wraps `raw` (the bytes as stored: a file, standard input) in the decoder
/// `compression` needs.
///
/// # Errors
/// The zstd decoder cannot be set up (out of memory).
pub fn stream(raw: Box<dyn Read + Send>, compression: Compression) -> Result<Data> {
    let stored = Arc::new(AtomicU64::new(0));
    let counted = std::io::BufReader::with_capacity(
        STREAM_BUF,
        Counting {
            inner: raw,
            read: stored.clone(),
        },
    );
    let reader: Box<dyn Read + Send> = match compression {
        Compression::None => Box::new(counted),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(counted)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(counted)?),
    };
    Ok(Data::Stream { reader, stored })
}

/// Opens `path`: a plain regular file is memory-mapped, anything else is streamed
/// through its decoder.
///
/// # Errors
/// The file cannot be opened (the error names it).
pub fn open(path: &Path, compression: Compression) -> Result<Data> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(Some(path.to_owned()), e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io(Some(path.to_owned()), e))?;
    if compression == Compression::None && meta.is_file() && meta.len() > 0 {
        // SAFETY: the map is read-only and lives while the shard is processed. If another
        // process truncates or rewrites the file meanwhile, reads may fault or see mixed
        // contents; shards are not meant to change under a run, as with any tool that
        // maps its input (ripgrep does the same). When mapping fails we fall back to
        // reading.
        let mapped = unsafe { memmap2::MmapOptions::new().map(&file) };
        if let Ok(map) = mapped {
            let _ = map.advise(memmap2::Advice::Sequential);
            return Ok(Data::Mapped(map));
        }
    }
    stream(Box::new(file), compression)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_format_and_compression_from_the_name() {
        let d = |n: &str| detect(Path::new(n));
        assert_eq!(d("a/b.jsonl"), (Some(Format::Jsonl), Compression::None));
        assert_eq!(d("b.JSONL.GZ"), (Some(Format::Jsonl), Compression::Gzip));
        assert_eq!(d("b.ndjson.zst"), (Some(Format::Jsonl), Compression::Zstd));
        assert_eq!(d("b.txt.zstd"), (Some(Format::Text), Compression::Zstd));
        assert_eq!(d("b.log"), (None, Compression::None));
        assert_eq!(d("b.json"), (None, Compression::None));
        assert_eq!(d("b.gz"), (None, Compression::Gzip));
        assert_eq!(
            d("d/train-00000-of-00002.parquet"),
            (Some(Format::Parquet), Compression::None)
        );
        assert_eq!(d("README"), (None, Compression::None));
    }
}
