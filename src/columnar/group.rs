//! One row group, start to end, as one task: read and decode its scanned columns, scan
//! its rows on all cores, put the changed values back, and encode those columns into
//! column chunks (compressed, in memory) for the writer to append. The other columns are
//! not decoded: the writer copies their chunks as stored. When rows are left out
//! (`--drop-doc-over`, skipped bad rows) every column must lose them, so the whole row
//! group is read, filtered and encoded.

use super::columns::{self, Column, Target};
use super::rows;
use crate::Redactor;
use crate::audit::Sample;
use crate::error::{Error, Result};
use crate::shard::record::Bad;
use crate::shard::{Mode, OnError, Options};
use crate::stats::Counts;
use arrow_array::{BooleanArray, RecordBatch};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReaderBuilder};
use parquet::arrow::arrow_writer::{
    ArrowColumnChunk, ArrowColumnWriter, ArrowRowGroupWriterFactory, compute_leaves,
};
use rayon::prelude::*;
use std::ops::Range;
use std::path::Path;

/// What every row group task reads.
pub(super) struct Shared<'a> {
    pub redactor: &'a Redactor,
    pub opts: &'a Options,
    /// The shard's name, for messages.
    pub name: &'a str,
    /// The shard's name as a JSON string, for `scan` objects.
    pub name_json: &'a str,
    pub path: &'a Path,
    pub meta: &'a ArrowReaderMetadata,
    /// The top-level columns that hold a scanned field, in schema order: the columns read.
    pub roots: Vec<usize>,
    /// The scanned columns, as placed in the batches read (`path[0]` indexes `roots`).
    pub targets: Vec<Target>,
    /// The origin fields after the scanned ones (`--url-field`, then the fields opt-out
    /// entries name), placed likewise; `None` for a column the shard does not have.
    pub origin: Vec<Option<Target>>,
    /// The scanned top-level columns: place in the batches read, index in the schema.
    pub encoded: Vec<(usize, usize)>,
    /// Per top-level column of the schema, its leaf columns (Parquet's column chunks).
    pub leaves: Vec<Range<usize>>,
    /// Makes the column writers of the output (redact only).
    pub factory: Option<ArrowRowGroupWriterFactory>,
}

/// One processed row group.
pub(super) struct Group {
    pub counts: Counts,
    pub audit: Sample,
    /// Bad rows in order, numbered across the shard.
    pub bad: Vec<Bad>,
    /// Every column chunk of the output row group, in order (redact), or `None` when no
    /// row is left to write.
    pub chunks: Option<Vec<Chunk>>,
    /// `scan` lines.
    pub scan: Vec<u8>,
    /// Stored bytes of the row group, for progress.
    pub stored: u64,
}

/// One column chunk of an output row group.
pub(super) enum Chunk {
    /// Encoded here (a scanned column, or every column of a row group that lost rows).
    Encoded(Box<ArrowColumnChunk>),
    /// Leaf column `k` of the same row group of the input, copied as stored.
    Copy(usize),
}

impl Shared<'_> {
    /// Processes row group `i`, whose first row is row `first_row` of the shard (from 1).
    pub fn group(&self, i: usize, first_row: u64) -> Result<Group> {
        let meta = &self.meta.metadata().row_groups()[i];
        let rows = meta.num_rows().max(0) as u64;
        let mask = ProjectionMask::roots(self.meta.parquet_schema(), self.roots.iter().copied());
        let batch = self.read(i, rows, first_row, mask)?;
        let columns: Vec<Column> = self.targets.iter().map(|t| Column::of(&batch, t)).collect();
        let origin: Vec<Option<Column>> = self
            .origin
            .iter()
            .map(|t| t.as_ref().map(|t| Column::of(&batch, t)))
            .collect();
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
            origin: &origin,
            targets: &self.targets,
            first_row,
            name_json: self.name_json,
        };
        let mut outs: Vec<rows::RowsOut> = ranges
            .into_par_iter()
            .map_init(rows::Work::default, |work, r| {
                rows::rows(self.redactor, self.opts, work, &view, r)
            })
            .collect();
        let mut group = Group {
            counts: Counts::default(),
            audit: Sample::new(self.opts.audit_sample),
            bad: Vec::new(),
            chunks: None,
            scan: Vec::new(),
            stored: meta.compressed_size().max(0) as u64,
        };
        let mut removed = Vec::new();
        for o in &mut outs {
            group.counts += &o.counts;
            group.bad.append(&mut o.bad);
            if group.bad.last().is_some_and(|b| b.action == OnError::Fail) {
                // The writer stops at this row; nothing after it matters.
                return Ok(group);
            }
            removed.extend_from_slice(&o.removed);
            group.scan.extend_from_slice(&o.scan);
            group.audit.merge(std::mem::take(&mut o.audit));
        }
        if self.opts.mode == Mode::Redact {
            let mut new = batch.clone();
            for (t, target) in self.targets.iter().enumerate() {
                let changes: Vec<(usize, &str)> = outs
                    .iter()
                    .flat_map(|o| o.changes[t].iter().map(|(k, r)| (*k, &o.text[r.clone()])))
                    .collect();
                if !changes.is_empty() {
                    new = columns::replace(&new, target, &changes)
                        .map_err(|why| Error::input(why).at(self.name, Some(first_row)))?;
                }
            }
            // The input's arrays and the new texts are no longer needed: free them before
            // the encoded chunks grow, so a row group is in memory about twice, not three
            // times.
            drop(columns);
            drop(origin);
            drop(outs);
            drop(batch);
            if removed.is_empty() {
                if n > 0 {
                    group.chunks = Some(self.encode(i, &new, &self.encoded)?);
                }
                return Ok(group);
            }
            // Rows are left out: every column loses them.
            let full = self.read(i, rows, first_row, ProjectionMask::all())?;
            let mut columns = full.columns().to_vec();
            for (k, &root) in self.roots.iter().enumerate() {
                columns[root] = new.column(k).clone();
            }
            drop(new);
            let full = RecordBatch::try_new(full.schema(), columns)
                .expect("the same schema with arrays of the same types");
            let mut keep = vec![true; n];
            for r in removed {
                keep[r] = false;
            }
            let kept = arrow_select::filter::filter_record_batch(&full, &BooleanArray::from(keep))
                .expect("a mask as long as the batch");
            if kept.num_rows() > 0 {
                let all: Vec<(usize, usize)> = (0..self.leaves.len()).map(|k| (k, k)).collect();
                group.chunks = Some(self.encode(i, &kept, &all)?);
            }
        }
        Ok(group)
    }

    /// Row group `i` as one batch. The file is opened afresh: row groups are read on
    /// several threads at once, and a cloned handle would share one file offset.
    fn read(
        &self,
        i: usize,
        rows: u64,
        first_row: u64,
        mask: ProjectionMask,
    ) -> Result<RecordBatch> {
        let bad = |e: parquet::errors::ParquetError| {
            let last = first_row + rows.max(1) - 1;
            Error::input(format!(
                "row group {i} (rows {first_row} to {last}) cannot be read: {e}"
            ))
            .at(self.name, None)
        };
        let file =
            std::fs::File::open(self.path).map_err(|e| Error::io(Some(self.path.to_owned()), e))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.meta.clone())
            .with_row_groups(vec![i])
            .with_projection(mask)
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

    /// Row group `i`'s column chunks: the leaves of the top-level columns in `roots`
    /// (column of `batch`, index in the schema) encoded and compressed from `batch`, the
    /// others copied.
    fn encode(
        &self,
        i: usize,
        batch: &RecordBatch,
        roots: &[(usize, usize)],
    ) -> Result<Vec<Chunk>> {
        let err = |e| super::write_error(e).at(self.name, None);
        let factory = self.factory.as_ref().expect("redact has a writer");
        let mut writers: Vec<Option<ArrowColumnWriter>> = factory
            .create_column_writers(i)
            .map_err(err)?
            .into_iter()
            .map(Some)
            .collect();
        let schema = self.meta.schema();
        let mut encoded = vec![false; writers.len()];
        for &(k, root) in roots {
            let mut leaf = self.leaves[root].clone();
            for column in compute_leaves(schema.field(root), batch.column(k)).map_err(err)? {
                let at = leaf.next().expect("a writer per leaf");
                let w = writers[at].as_mut().expect("each leaf once");
                w.write(&column).map_err(err)?;
                encoded[at] = true;
            }
        }
        writers
            .iter_mut()
            .enumerate()
            .map(|(k, w)| match encoded[k] {
                true => Ok(Chunk::Encoded(Box::new(
                    w.take().expect("each leaf once").close().map_err(err)?,
                ))),
                false => Ok(Chunk::Copy(k)),
            })
            .collect()
    }
}
