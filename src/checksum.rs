//! sha256 of stored shard files, for the report: an input is hashed by reading the file
//! on its own (on a helper thread while the shard is processed), an output as it is
//! written. With SHA extensions this runs at about 1.5 GB/s per core.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Bytes read per `read` call when hashing a file: small enough to stay in the core's
/// L2 cache between the kernel's copy and the hash. With 1 MiB the same 1 GB file took
/// 1.3-1.7 s instead of 0.85-0.89 s (BENCHMARKS.md).
const READ_BUF: usize = 128 * 1024;

/// The sha256 of the file at `path`, in hex, or `None` when `cancel` was set before
/// the end. Reads with plain `read` calls into one buffer of [`READ_BUF`] bytes, so
/// hashing a large file does not grow this process's memory.
///
/// # Errors
/// The file cannot be read.
pub fn sha256_file(path: &Path, cancel: &AtomicBool) -> std::io::Result<Option<String>> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; READ_BUF];
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Ok(None);
        }
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(hex(&hasher.finalize())))
}

/// A writer that hashes and counts what goes through it.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> HashingWriter<W> {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// The inner writer, the sha256 (hex) and the number of bytes written.
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.bytes)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sha256 of "abc" from FIPS 180-2, appendix B.1.
    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn file_and_writer_agree_with_the_standard_vector() {
        let dir = std::env::temp_dir().join(format!("shardscrub-checksum-{}", std::process::id()));
        std::fs::write(&dir, b"abc").unwrap();
        let go = AtomicBool::new(false);
        assert_eq!(sha256_file(&dir, &go).unwrap().as_deref(), Some(ABC));
        assert_eq!(sha256_file(&dir, &AtomicBool::new(true)).unwrap(), None);
        std::fs::remove_file(&dir).unwrap();
        let mut w = HashingWriter::new(Vec::new());
        w.write_all(b"a").unwrap();
        w.write_all(b"bc").unwrap();
        let (inner, digest, n) = w.finish();
        assert_eq!(
            (inner.as_slice(), digest.as_str(), n),
            (&b"abc"[..], ABC, 3)
        );
    }
}
