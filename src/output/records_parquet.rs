//! `records.parquet` (`--records`): one row per trajectory, written through the parquet
//! crate's column writers (no Arrow: it would add a large cold build for nothing a flat
//! table of numbers needs). Rows arrive in trajectory order (`engine::records::InOrder`)
//! and are written in row groups of a fixed number of rows, so the bytes depend on neither
//! the threads nor how shards split the run; only a row group is held in memory.
//!
//! The columns, in order (docs/src/howto/records.md):
//! - `trajectory` (int64): the trajectory's index, from 0;
//! - each drawn input by its path (double), as drawn;
//! - per event `event.NAME.first_step` (int32, null if it never fired) and
//!   `event.NAME.firings` (int32);
//! - per outcome `outcome.NAME` (boolean) and, for an "ever" outcome,
//!   `outcome.NAME.first_step` (int32, null if it never held);
//! - per tracked metric `final.LABEL` (double): its value at the last step, LABEL as in
//!   `timeseries.csv`.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, Repetition, Type as Physical};
use parquet::data_type::{BoolType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::types::Type;

use crate::engine::records::{Layout, RowSink, Rows};

/// The file's name in a results folder (and in a shard's partial folder).
pub const RECORDS: &str = "records.parquet";

/// Rows per row group: large enough for pandas to read fast and compress well, small
/// enough that a group of a few hundred columns is a few hundred megabytes at most.
pub const ROW_GROUP: usize = 65_536;

/// One column of the file: its name and where its values come from in `Rows`.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source {
    Trajectory,
    Input(usize),
    FirstFired(usize),
    Firings(usize),
    Held(usize),
    FirstHeld(usize),
    Final(usize),
}

impl Source {
    /// The parquet type and whether the column may hold nulls.
    pub fn physical(self) -> (Physical, bool) {
        match self {
            Source::Trajectory => (Physical::INT64, false),
            Source::Input(_) | Source::Final(_) => (Physical::DOUBLE, false),
            Source::FirstFired(_) | Source::FirstHeld(_) => (Physical::INT32, true),
            Source::Firings(_) => (Physical::INT32, false),
            Source::Held(_) => (Physical::BOOLEAN, false),
        }
    }
}

/// The file's columns for a world of `layout`.
pub fn columns(layout: &Layout) -> Vec<Column> {
    let column = |name: String, source| Column { name, source };
    let mut columns = vec![column("trajectory".into(), Source::Trajectory)];
    for (i, path) in layout.inputs.iter().enumerate() {
        columns.push(column(path.clone(), Source::Input(i)));
    }
    for (e, name) in layout.events.iter().enumerate() {
        columns.push(column(
            format!("event.{name}.first_step"),
            Source::FirstFired(e),
        ));
        columns.push(column(format!("event.{name}.firings"), Source::Firings(e)));
    }
    for (o, name) in layout.outcomes.iter().enumerate() {
        columns.push(column(format!("outcome.{name}"), Source::Held(o)));
        if layout.ever[o] {
            columns.push(column(
                format!("outcome.{name}.first_step"),
                Source::FirstHeld(o),
            ));
        }
    }
    for (m, label) in layout.metrics.iter().enumerate() {
        columns.push(column(format!("final.{label}"), Source::Final(m)));
    }
    columns
}

fn schema(columns: &[Column]) -> parquet::errors::Result<Type> {
    let fields = columns
        .iter()
        .map(|c| {
            let (physical, nullable) = c.source.physical();
            let repetition = if nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            Type::primitive_type_builder(&c.name, physical)
                .with_repetition(repetition)
                .build()
                .map(Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()?;
    Type::group_type_builder("records")
        .with_fields(fields)
        .build()
}

fn io_error(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

/// Writes `records.parquet` row group by row group from rows handed over in order.
pub struct RecordsFile {
    writer: SerializedFileWriter<BufWriter<File>>,
    columns: Vec<Column>,
    layout: Layout,
    /// Rows not yet written: fewer than a row group, except while one is being written.
    waiting: Rows,
}

impl RecordsFile {
    /// Creates `path` (a new file in a staging folder) for rows of `layout`.
    pub fn create(path: &Path, layout: &Layout) -> io::Result<Self> {
        let columns = columns(layout);
        let schema = Arc::new(schema(&columns).map_err(io_error)?);
        // Snappy: what pandas, polars and Spark read by default, and fast to write.
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let file = BufWriter::with_capacity(1 << 20, File::create_new(path)?);
        let writer =
            SerializedFileWriter::new(file, schema, Arc::new(properties)).map_err(io_error)?;
        Ok(RecordsFile {
            writer,
            columns,
            layout: layout.clone(),
            waiting: Rows::default(),
        })
    }

    /// Writes the rows still waiting and the file's footer.
    pub fn finish(mut self) -> io::Result<()> {
        if self.waiting.len > 0 {
            self.write_group(self.waiting.len)?;
        }
        self.writer.close().map_err(io_error)?;
        Ok(())
    }

    /// Writes the first `rows` waiting rows as one row group.
    fn write_group(&mut self, rows: usize) -> io::Result<()> {
        let mut group = self.writer.next_row_group().map_err(io_error)?;
        let mut c = 0;
        while let Some(mut column) = group.next_column().map_err(io_error)? {
            let source = self.columns[c].source;
            write_column(&mut column, source, &self.waiting, &self.layout, rows)
                .map_err(io_error)?;
            column.close().map_err(io_error)?;
            c += 1;
        }
        group.close().map_err(io_error)?;
        self.waiting.drain_front(rows, &self.layout);
        Ok(())
    }
}

impl RowSink for RecordsFile {
    fn write(&mut self, rows: &Rows) -> io::Result<()> {
        if self.waiting.len == 0 {
            self.waiting.first = rows.first;
        }
        self.waiting.append(rows);
        while self.waiting.len >= ROW_GROUP {
            self.write_group(ROW_GROUP)?;
        }
        Ok(())
    }
}

/// Writes the values of the first `n` rows of `rows` that `source` names.
fn write_column(
    column: &mut SerializedColumnWriter,
    source: Source,
    rows: &Rows,
    layout: &Layout,
    n: usize,
) -> parquet::errors::Result<usize> {
    let of = |values: &[f64], width: usize, i: usize| -> Vec<f64> {
        (0..n).map(|r| values[r * width + i]).collect()
    };
    let steps = |values: &[Option<u32>], width: usize, i: usize| {
        let cells = (0..n).map(|r| values[r * width + i]);
        let defined: Vec<i16> = cells.clone().map(|x| i16::from(x.is_some())).collect();
        let steps: Vec<i32> = cells.flatten().map(|t| t as i32).collect();
        (steps, defined)
    };
    let (events, outcomes) = (layout.events.len(), layout.outcomes.len());
    match source {
        Source::Trajectory => {
            let index: Vec<i64> = (0..n as u64).map(|r| (rows.first + r) as i64).collect();
            column.typed::<Int64Type>().write_batch(&index, None, None)
        }
        Source::Input(i) => {
            let values = of(&rows.inputs, layout.inputs.len(), i);
            column.typed::<DoubleType>().write_batch(&values, None, None)
        }
        Source::Final(m) => {
            let values = of(&rows.finals, layout.metrics.len(), m);
            column.typed::<DoubleType>().write_batch(&values, None, None)
        }
        Source::FirstFired(e) => {
            let (steps, defined) = steps(&rows.first_fired, events, e);
            column
                .typed::<Int32Type>()
                .write_batch(&steps, Some(&defined), None)
        }
        Source::FirstHeld(o) => {
            let (steps, defined) = steps(&rows.first_held, outcomes, o);
            column
                .typed::<Int32Type>()
                .write_batch(&steps, Some(&defined), None)
        }
        Source::Firings(e) => {
            let counts: Vec<i32> = (0..n)
                .map(|r| rows.firings[r * events + e] as i32)
                .collect();
            column.typed::<Int32Type>().write_batch(&counts, None, None)
        }
        Source::Held(o) => {
            let held: Vec<bool> = (0..n).map(|r| rows.held[r * outcomes + o]).collect();
            column.typed::<BoolType>().write_batch(&held, None, None)
        }
    }
}
