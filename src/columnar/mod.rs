//! Parquet shards: a row is a document, the `--field`s are its string columns.
//!
//! The shard is read one row group at a time (Apache Arrow's reader, decoded into one
//! record batch), its rows are cut into runs scanned on all cores (`rows`), the changed
//! values are put back into their columns (`columns`), and a writer thread encodes the
//! batch as one row group of the output while the next one is read and scanned. So
//! memory is bounded by a few row groups, not by the shard, and the output is the same for
//! any number of threads.
//!
//! The output keeps what a reader of the dataset relies on: the Parquet schema as stored
//! (names, types, nullability, field ids), the key-value metadata as stored (the Hub's
//! `huggingface` entry, pandas' metadata, the Arrow schema with its field metadata), the
//! row groups and row order (a row group whose rows are all dropped is left out), and per
//! column the codec and whether a dictionary is used. Pages are encoded afresh, so the
//! file's bytes (and codec levels, page sizes, statistics) are the writer's own.
//!
//! In `scan` mode only the scanned columns are read, and `line` in the output is the row
//! number across the shard, from 1; spans in a list column carry `item`, the element's
//! index from 0.

mod columns;
mod rows;

use crate::Redactor;
use crate::audit::Sample;
use crate::error::{Error, Result};
use crate::shard::{Mode, Observer, OnError, Options, Processed};
use crate::stats::Counts;
use arrow_array::{BooleanArray, RecordBatch};
use columns::{Column, Target};
use parquet::arrow::ArrowWriter;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::arrow_writer::ArrowWriterOptions;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

/// One row group, processed: the output batch (redact) or the `scan` lines, and the
/// stored bytes it covers (for progress).
struct Done {
    batch: Option<RecordBatch>,
    scan: Vec<u8>,
    stored: u64,
}

/// Processes the Parquet shard at `path`: writes the redacted shard (or the `scan` JSONL)
/// to `out` and returns its counts and audit sample. `name` is used in messages and
/// `scan` output. Runs on the current rayon pool; `out` is written from a helper thread.
///
/// # Errors
/// A file that is not Parquet or is truncated, a field that is missing or not a string
/// column, a row group that cannot be decoded (an unsupported codec), a bad row under
/// [`OnError::Fail`], an I/O error. Each names the shard (and the row), never the content.
pub fn process(
    redactor: &Redactor,
    opts: &Options,
    name: &str,
    path: &Path,
    out: &mut (dyn Write + Send),
    observer: &dyn Observer,
) -> Result<Processed> {
    let file = File::open(path).map_err(|e| Error::io(Some(path.to_owned()), e))?;
    let size = file
        .metadata()
        .map_err(|e| Error::io(Some(path.to_owned()), e))?
        .len();
    let meta = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())
        .map_err(|e| Error::input(format!("not a readable Parquet file: {e}")).at(name, None))?;
    let targets = columns::resolve(meta.schema(), &opts.fields)
        .map_err(|why| Error::input(why).at(name, None))?;
    // `scan` reads the scanned columns only; their places in the narrower batch.
    let (mask, read_targets) = match opts.mode {
        Mode::Redact => (ProjectionMask::all(), targets.clone()),
        Mode::Scan => {
            let mut roots: Vec<usize> = targets.iter().map(|t| t.path[0]).collect();
            roots.sort_unstable();
            roots.dedup();
            let mut read = targets.clone();
            for t in &mut read {
                t.path[0] = roots.binary_search(&t.path[0]).expect("a root");
            }
            (ProjectionMask::roots(meta.parquet_schema(), roots), read)
        }
    };
    let name_json = serde_json::to_string(name).expect("a string serializes");
    let pq = meta.metadata().clone();
    let (tx, rx) = mpsc::sync_channel::<Done>(1);
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| match opts.mode {
            Mode::Redact => write_parquet(rx, out, &meta, observer),
            Mode::Scan => write_scan(rx, out, observer),
        });
        let mut read = Reader {
            redactor,
            opts,
            name,
            name_json: &name_json,
            file: &file,
            meta: &meta,
            mask: &mask,
            targets: &read_targets,
            observer,
        };
        let result = read.all(&tx);
        drop(tx);
        let written = writer.join().expect("the writer thread does not panic");
        // A writer error (I/O) comes first: it is why the reader stopped.
        let (counts, audit) = match (result, written) {
            (_, Err(e)) => return Err(e.at(name, None)),
            (Err(e), _) => return Err(e),
            (Ok(done), Ok(())) => done,
        };
        // Footer and padding: the bytes no row group covers.
        let covered: i64 = pq.row_groups().iter().map(|g| g.compressed_size()).sum();
        observer.progress(size.saturating_sub(covered.max(0) as u64));
        Ok(Processed { counts, audit })
    })
}

/// The reading side of one shard: row groups in order, each scanned on all cores.
struct Reader<'a> {
    redactor: &'a Redactor,
    opts: &'a Options,
    name: &'a str,
    name_json: &'a str,
    file: &'a File,
    meta: &'a ArrowReaderMetadata,
    mask: &'a ProjectionMask,
    targets: &'a [Target],
    observer: &'a dyn Observer,
}

impl Reader<'_> {
    fn all(&mut self, tx: &mpsc::SyncSender<Done>) -> Result<(Counts, Sample)> {
        let mut counts = Counts::default();
        let mut audit = Sample::new(self.opts.audit_sample);
        let mut first_row = 1u64;
        for (i, group) in self.meta.metadata().row_groups().iter().enumerate() {
            if crate::stop::requested() {
                return Err(Error::interrupted().at(self.name, None));
            }
            let rows = group.num_rows().max(0) as u64;
            let batch = self.read(i, rows, first_row)?;
            let done = self.group(batch, first_row, &mut counts, &mut audit)?;
            first_row += rows;
            let stored = group.compressed_size().max(0) as u64;
            if tx.send(Done { stored, ..done }).is_err() {
                // The writer failed; its error is reported.
                break;
            }
        }
        Ok((counts, audit))
    }

    /// Row group `i` as one batch.
    fn read(&self, i: usize, rows: u64, first_row: u64) -> Result<RecordBatch> {
        let bad = |e: parquet::errors::ParquetError| {
            let last = first_row + rows.max(1) - 1;
            Error::input(format!(
                "row group {i} (rows {first_row} to {last}) cannot be read: {e}"
            ))
            .at(self.name, None)
        };
        let file = self
            .file
            .try_clone()
            .map_err(|e| Error::io(None, e).at(self.name, None))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.meta.clone())
            .with_row_groups(vec![i])
            .with_projection(self.mask.clone())
            .with_batch_size(usize::try_from(rows).unwrap_or(usize::MAX).max(1))
            .build()
            .map_err(bad)?;
        use arrow_array::RecordBatchReader as _;
        let schema = reader.schema();
        let batches = reader
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| bad(e.into()))?;
        match batches.len() {
            1 => Ok(batches.into_iter().next().expect("one")),
            _ => arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| bad(e.into())),
        }
    }

    /// Scans one row group's batch on all cores and applies what the rows say.
    fn group(
        &self,
        batch: RecordBatch,
        first_row: u64,
        counts: &mut Counts,
        audit: &mut Sample,
    ) -> Result<Done> {
        let columns: Vec<Column> = self.targets.iter().map(|t| Column::of(&batch, t)).collect();
        let n = batch.num_rows();
        let bytes: usize = columns.iter().map(Column::bytes).sum();
        let runs = bytes
            .div_ceil(self.opts.chunk_bytes.max(1))
            .clamp(1, n.max(1));
        let per_run = n.div_ceil(runs).max(1);
        let ranges: Vec<_> = (0..n)
            .step_by(per_run)
            .map(|s| s..(s + per_run).min(n))
            .collect();
        let view = rows::Batch {
            columns: &columns,
            targets: self.targets,
            first_row,
            name_json: self.name_json,
        };
        let outs: Vec<rows::RowsOut> = ranges
            .into_par_iter()
            .map_init(rows::Work::default, |work, r| {
                rows::rows(self.redactor, self.opts, work, &view, r)
            })
            .collect();
        let mut removed = Vec::new();
        let mut scan = Vec::new();
        for o in &outs {
            for bad in &o.bad {
                let e = Error::input(bad.reason.clone()).at(self.name, Some(bad.line));
                if bad.action == OnError::Fail {
                    return Err(e);
                }
                self.observer.bad_record(&e, bad.action);
            }
            *counts += &o.counts;
            removed.extend_from_slice(&o.removed);
            scan.extend_from_slice(&o.scan);
        }
        let mut out = None;
        if self.opts.mode == Mode::Redact {
            let mut batch = batch.clone();
            for (t, target) in self.targets.iter().enumerate() {
                let changes: Vec<(usize, &str)> = outs
                    .iter()
                    .flat_map(|o| o.changes[t].iter().map(|(k, r)| (*k, &o.text[r.clone()])))
                    .collect();
                if !changes.is_empty() {
                    batch = columns::replace(&batch, target, &changes)
                        .map_err(|why| Error::input(why).at(self.name, Some(first_row)))?;
                }
            }
            if !removed.is_empty() {
                let mut keep = vec![true; n];
                for r in removed {
                    keep[r] = false;
                }
                batch =
                    arrow_select::filter::filter_record_batch(&batch, &BooleanArray::from(keep))
                        .expect("a mask as long as the batch");
            }
            out = Some(batch);
        }
        drop(columns);
        for o in outs {
            audit.merge(o.audit);
        }
        Ok(Done {
            batch: out,
            scan,
            stored: 0,
        })
    }
}

/// Writer settings that keep the input's layout: its key-value metadata as stored (the
/// Arrow schema entry included, so none is added), and per column its codec and whether
/// it has a dictionary; row groups end where the reader's do.
fn properties(pq: &ParquetMetaData) -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_key_value_metadata(pq.file_metadata().key_value_metadata().cloned())
        .set_max_row_group_row_count(None)
        .set_max_row_group_bytes(None);
    if let Some(group) = pq.row_groups().first() {
        for c in group.columns() {
            let path = c.column_path().clone();
            b = b
                .set_column_compression(path.clone(), c.compression())
                .set_column_dictionary_enabled(path, c.dictionary_page_offset().is_some());
        }
    }
    b.build()
}

fn write_error(e: parquet::errors::ParquetError) -> Error {
    match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<std::io::Error>() {
                Ok(io) => Error::io(None, *io),
                Err(other) => Error::io(None, std::io::Error::other(other.to_string())),
            }
        }
        other => Error::io(None, std::io::Error::other(other.to_string())),
    }
}

fn write_parquet(
    rx: mpsc::Receiver<Done>,
    out: &mut (dyn Write + Send),
    meta: &ArrowReaderMetadata,
    observer: &dyn Observer,
) -> Result<()> {
    let options = ArrowWriterOptions::new()
        .with_properties(properties(meta.metadata()))
        .with_skip_arrow_metadata(true)
        .with_parquet_schema(meta.parquet_schema().clone());
    let mut writer = ArrowWriter::try_new_with_options(out, meta.schema().clone(), options)
        .map_err(write_error)?;
    for done in rx {
        let batch = done.batch.expect("redact sends batches");
        writer.write(&batch).map_err(write_error)?;
        writer.flush().map_err(write_error)?;
        observer.progress(done.stored);
    }
    writer.close().map_err(write_error)?;
    Ok(())
}

fn write_scan(
    rx: mpsc::Receiver<Done>,
    out: &mut (dyn Write + Send),
    observer: &dyn Observer,
) -> Result<()> {
    let mut w = std::io::BufWriter::with_capacity(256 << 10, out);
    for done in rx {
        w.write_all(&done.scan).map_err(|e| Error::io(None, e))?;
        observer.progress(done.stored);
    }
    w.flush().map_err(|e| Error::io(None, e))
}
