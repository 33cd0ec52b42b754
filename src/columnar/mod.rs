//! Parquet shards: a row is a document, the `--field`s are its string columns.
//!
//! Each row group is one task on the rayon pool (`group`): its scanned columns read and
//! decoded into one record batch (Apache Arrow's reader), its rows cut into runs scanned
//! in parallel (`rows`), the changed values put back into their columns (`columns`), and
//! those columns encoded and compressed into column chunks; the other columns' chunks
//! are copied from the input as stored. A few row groups are in flight at once (one
//! more than the threads), and a writer thread appends their chunks to the output in row
//! group order. Compressing the output is a quarter of the work on one core (BENCHMARKS.md),
//! so it runs on all cores too; memory is bounded by a few row groups, not by the shard;
//! and the output is the same for any number of threads.
//!
//! The output keeps what a reader of the dataset relies on: the Parquet schema as stored
//! (names, types, nullability, field ids), the key-value metadata as stored (the Hub's
//! `huggingface` entry, pandas' metadata, the Arrow schema with its field metadata), the
//! row groups and row order (a row group whose rows are all dropped is left out), and per
//! column the codec and whether a dictionary is used. A column without a scanned field is
//! copied byte for byte (pages, statistics; not its page index or Bloom filter, which the
//! copy would have to relocate); a scanned one is encoded afresh, so its codec level, page
//! sizes and statistics are the writer's own. A row group that loses rows (dropped or
//! skipped) is encoded afresh as a whole.
//!
//! In `scan` mode `line` in the output is the row number across the shard, from 1; spans in a list column carry `item`, the element's
//! index from 0.

mod columns;
mod group;
mod rows;

use crate::Redactor;
use crate::audit::Sample;
use crate::error::{Error, Result};
use crate::shard::{Mode, Observer, OnError, Options, Processed};
use crate::stats::Counts;
use columns::Target;
use group::{Chunk, Group, Shared};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
use parquet::arrow::arrow_writer::ArrowWriterOptions;
use parquet::column::writer::ColumnCloseResult;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

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
    drop(file);
    let targets = columns::resolve(meta.schema(), &opts.fields)
        .map_err(|why| Error::input(why).at(name, None))?;
    // The origin fields (`--url-field`, fields opt-out entries name) after the scanned
    // ones: the URL column must be there, the columns an opt-out list names need not.
    let origin_targets: Vec<Option<Target>> = match opts.origin.as_deref() {
        Some(o) => o.fields()[o.scanned()..]
            .iter()
            .enumerate()
            .map(|(j, f)| match columns::resolve_one(meta.schema(), f) {
                Ok(t) => Ok(Some(t)),
                Err(why) if j == 0 && o.url_field().is_some() => {
                    Err(Error::input(format!("--url-field: {why}")).at(name, None))
                }
                Err(_) => Ok(None),
            })
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    // Only the columns that hold a scanned or origin field are read; their places in the
    // batch. Only the scanned ones are encoded again.
    let mut scanned: Vec<usize> = targets.iter().map(|t| t.path[0]).collect();
    scanned.sort_unstable();
    scanned.dedup();
    let mut roots = scanned.clone();
    roots.extend(origin_targets.iter().flatten().map(|t| t.path[0]));
    roots.sort_unstable();
    roots.dedup();
    let place = |t: &mut Target| t.path[0] = roots.binary_search(&t.path[0]).expect("a root");
    let mut read_targets = targets;
    read_targets.iter_mut().for_each(place);
    let mut origin_targets = origin_targets;
    origin_targets.iter_mut().flatten().for_each(place);
    let encoded = scanned
        .iter()
        .map(|r| (roots.binary_search(r).expect("a root"), *r))
        .collect();
    let schema = meta.parquet_schema();
    let mut leaves = vec![0..0; meta.schema().fields().len()];
    for leaf in 0..schema.num_columns() {
        let r = &mut leaves[schema.get_column_root_idx(leaf)];
        // Leaves of one column are consecutive.
        *r = if r.end == r.start {
            leaf..leaf + 1
        } else {
            r.start..leaf + 1
        };
    }
    let (sink, factory) = match opts.mode {
        Mode::Redact => {
            let options = ArrowWriterOptions::new()
                .with_properties(properties(meta.metadata()))
                .with_skip_arrow_metadata(true)
                .with_parquet_schema(meta.parquet_schema().clone());
            let writer = ArrowWriter::try_new_with_options(out, meta.schema().clone(), options)
                .and_then(ArrowWriter::into_serialized_writer)
                .map_err(|e| write_error(e).at(name, None))?;
            // Copied chunks are read on the writer thread, through a handle of its own.
            let source = File::open(path).map_err(|e| Error::io(Some(path.to_owned()), e))?;
            (
                Sink::Parquet {
                    writer: writer.0,
                    source,
                    meta: meta.metadata().clone(),
                },
                Some(writer.1),
            )
        }
        Mode::Scan => (
            Sink::Scan(std::io::BufWriter::with_capacity(256 << 10, out)),
            None,
        ),
    };
    let name_json = serde_json::to_string(name).expect("a string serializes");
    let shared = Shared {
        redactor,
        opts,
        name,
        name_json: &name_json,
        path,
        meta: &meta,
        roots,
        targets: read_targets,
        origin: origin_targets,
        encoded,
        leaves,
        factory,
    };
    let groups = meta.metadata().row_groups();
    // Row groups in flight: enough to keep every thread busy while the oldest one is
    // written, few enough that memory stays a few row groups.
    let in_flight = rayon::current_num_threads().max(1) + 1;
    let (give_slot, slots) = mpsc::channel::<()>();
    for _ in 0..in_flight {
        give_slot.send(()).expect("the receiver is here");
    }
    let (results, received) = mpsc::channel::<(usize, Result<Group>)>();
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| write_all(received, give_slot, sink, name, observer));
        let mut spawned = Ok(());
        rayon::in_place_scope(|s| {
            let mut first_row = 1u64;
            for (i, g) in groups.iter().enumerate() {
                if crate::stop::requested() {
                    spawned = Err(Error::interrupted().at(name, None));
                    break;
                }
                if !wait_for_slot(&slots) {
                    break;
                }
                let (results, shared) = (results.clone(), &shared);
                s.spawn(move |_| {
                    let _ = results.send((i, shared.group(i, first_row)));
                });
                first_row += g.num_rows().max(0) as u64;
            }
        });
        drop(results);
        let written = writer.join().expect("the writer thread does not panic");
        // The writer's error comes first: it is the earliest in row order, or why the
        // spawning stopped.
        let (counts, audit) = written?;
        spawned?;
        // Footer and padding: the bytes no row group covers.
        let covered: i64 = groups.iter().map(|g| g.compressed_size()).sum();
        observer.progress(size.saturating_sub(covered.max(0) as u64));
        Ok(Processed { counts, audit })
    })
}

/// Takes a slot for one more row group in flight (the writer gives one back for each row
/// group it writes); false when the writer has stopped. This thread may be one of the
/// pool's (the whole run is), so while every slot is taken it runs the pool's pending
/// work instead of blocking: with one thread, blocking here would leave no thread to
/// finish the row groups that free the slots.
fn wait_for_slot(slots: &mpsc::Receiver<()>) -> bool {
    use mpsc::{RecvTimeoutError, TryRecvError};
    loop {
        match slots.try_recv() {
            Ok(()) => return true,
            Err(TryRecvError::Disconnected) => return false,
            Err(TryRecvError::Empty) => {}
        }
        if rayon::yield_now() == Some(rayon::Yield::Executed) {
            continue;
        }
        // Every row group in flight is being worked on: wait for the writer.
        match slots.recv_timeout(std::time::Duration::from_millis(5)) {
            Ok(()) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

/// Where processed row groups go.
enum Sink<'a> {
    /// The redacted shard, and the input, whose chunks it copies.
    Parquet {
        writer: SerializedFileWriter<&'a mut (dyn Write + Send)>,
        source: File,
        meta: std::sync::Arc<ParquetMetaData>,
    },
    /// `scan` objects.
    Scan(std::io::BufWriter<&'a mut (dyn Write + Send)>),
}

/// Takes the row groups as they finish, in any order, and handles them in row group
/// order: reports bad rows, adds up counts and the audit sample, appends the column chunks
/// (or writes the `scan` lines), and frees a slot for the next row group.
fn write_all(
    received: mpsc::Receiver<(usize, Result<Group>)>,
    give_slot: mpsc::Sender<()>,
    mut sink: Sink,
    name: &str,
    observer: &dyn Observer,
) -> Result<(Counts, Sample)> {
    let mut counts = Counts::default();
    let mut audit = Sample::default();
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let io = |e: std::io::Error| Error::io(None, e).at(name, None);
    for (i, group) in received {
        waiting.insert(i, group);
        while let Some(group) = waiting.remove(&next) {
            let g = group?;
            for bad in &g.bad {
                let e = Error::input(bad.reason.clone()).at(name, Some(bad.line));
                if bad.action == OnError::Fail {
                    return Err(e);
                }
                observer.bad_record(&e, bad.action);
            }
            counts += &g.counts;
            audit.merge(g.audit);
            match &mut sink {
                Sink::Parquet {
                    writer,
                    source,
                    meta,
                } => {
                    // A row group whose rows were all left out is not written.
                    if let Some(chunks) = g.chunks {
                        let err = |e| write_error(e).at(name, None);
                        let mut rg = writer.next_row_group().map_err(err)?;
                        let input = meta.row_group(next);
                        for c in chunks {
                            match c {
                                Chunk::Encoded(c) => c.append_to_row_group(&mut rg),
                                Chunk::Copy(leaf) => {
                                    let column = input.column(leaf);
                                    let stored = ColumnCloseResult {
                                        bytes_written: column.compressed_size().max(0) as u64,
                                        rows_written: input.num_rows().max(0) as u64,
                                        metadata: column.clone(),
                                        bloom_filter: None,
                                        column_index: None,
                                        offset_index: None,
                                    };
                                    rg.append_column(source, stored)
                                }
                            }
                            .map_err(err)?;
                        }
                        rg.close().map_err(err)?;
                    }
                }
                Sink::Scan(w) => w.write_all(&g.scan).map_err(io)?,
            }
            observer.progress(g.stored);
            let _ = give_slot.send(());
            next += 1;
        }
    }
    match sink {
        Sink::Parquet { writer, .. } => {
            writer.close().map_err(|e| write_error(e).at(name, None))?;
        }
        Sink::Scan(mut w) => w.flush().map_err(io)?,
    }
    Ok((counts, audit))
}

/// Writer settings that keep the input's layout: its key-value metadata as stored (the
/// Arrow schema entry included, so none is added), and per column its codec and whether
/// it has a dictionary.
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

/// An error of the Parquet writer: an I/O error as such, anything else as one too (the
/// writer fails only on what it writes).
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
