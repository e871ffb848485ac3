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
    /// Rows per row group: `ROW_GROUP` (fewer in tests, to cut groups in a few rows).
    group: usize,
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
        // Noted in the staging folder's journal first, like every file of a result.
        super::folder::journal::note(path)?;
        let file = BufWriter::with_capacity(1 << 20, File::create_new(path)?);
        let writer =
            SerializedFileWriter::new(file, schema, Arc::new(properties)).map_err(io_error)?;
        Ok(RecordsFile {
            writer,
            columns,
            layout: layout.clone(),
            waiting: Rows::default(),
            group: ROW_GROUP,
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
        while self.waiting.len >= self.group {
            self.write_group(self.group)?;
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
            column
                .typed::<DoubleType>()
                .write_batch(&values, None, None)
        }
        Source::Final(m) => {
            let values = of(&rows.finals, layout.metrics.len(), m);
            column
                .typed::<DoubleType>()
                .write_batch(&values, None, None)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::records::{InOrder, Records};
    use crate::model::fixtures;

    /// Rows of `n` trajectories from `first` with something in every column (a step is
    /// null in every third row).
    fn rows(layout: &Layout, first: u64, n: usize) -> Rows {
        let mut rows = Rows {
            first,
            ..Rows::default()
        };
        for r in first..first + n as u64 {
            let x = r as f64;
            let step = (r % 3 != 0).then_some((r % 40) as u32);
            rows.inputs.extend(layout.inputs.iter().map(|_| x * 0.5));
            rows.first_fired.extend(layout.events.iter().map(|_| step));
            rows.firings
                .extend(layout.events.iter().map(|_| (r % 5) as u32));
            rows.held.extend(layout.outcomes.iter().map(|_| r % 2 == 0));
            // An "at end" outcome has no first step.
            let held_first = layout.ever.iter().map(|&ever| step.filter(|_| ever));
            rows.first_held.extend(held_first);
            rows.finals.extend(layout.metrics.iter().map(|_| -x));
            rows.len += 1;
        }
        rows
    }

    /// Two inputs, an event, an "ever" and an "at end" outcome, a metric.
    fn layout() -> Layout {
        let mut layout = Layout::new(&fixtures::world(3, 1));
        layout.inputs = vec!["gamma".into(), "eta.s1".into()];
        layout.events = vec!["summit".into()];
        layout.outcomes = vec!["ever".into(), "at_end".into()];
        layout.ever = vec![true, false];
        layout.metrics = vec!["Stance(s0, s1)".into()];
        layout
    }

    /// The bytes of a file of trajectories `0..100` in row groups of 16, handed over in
    /// the given pieces (each `(first, len)`) in the given order.
    fn written(pieces: &[(u64, usize)], dir: &Path, name: &str) -> Vec<u8> {
        let layout = layout();
        let path = dir.join(name);
        let mut file = RecordsFile::create(&path, &layout).unwrap();
        file.group = 16;
        let in_order = InOrder::new(0, file);
        for &(first, len) in pieces {
            in_order.take(rows(&layout, first, len));
        }
        in_order.finish().unwrap().finish().unwrap();
        std::fs::read(path).unwrap()
    }

    /// Row groups are cut every `group` rows of the file whatever pieces the rows came in
    /// and in whatever order they finished: the bytes depend on neither threads nor shards.
    #[test]
    fn row_groups_are_cut_the_same_whatever_pieces_the_rows_come_in() {
        let dir = tempfile::tempdir().unwrap();
        let whole = written(&[(0, 100)], dir.path(), "whole");
        let pieces = written(&[(40, 7), (0, 40), (47, 53)], dir.path(), "pieces");
        let ones: Vec<(u64, usize)> = (0..100).rev().map(|r| (r, 1)).collect();
        let reversed = written(&ones, dir.path(), "reversed");
        assert!(whole == pieces && whole == reversed);
    }

    /// What is written is read back as it was, row group by row group, and a file is
    /// refused when its trajectories are not the ones asked for.
    #[test]
    fn records_read_back_as_written_and_out_of_place_trajectories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        written(&[(0, 100)], dir.path(), "file");
        let layout = layout();
        let mut back = Rows::default();
        let open = || std::fs::File::open(dir.path().join("file")).unwrap();
        crate::output::records_read::read_rows(open(), &layout, 0, 100, |rows| {
            back.append(rows);
            Ok(())
        })
        .unwrap();
        let mut expected = rows(&layout, 0, 100);
        expected.first = 0;
        assert_eq!(back, expected);
        let wrong = crate::output::records_read::read_rows(open(), &layout, 5, 100, |_| Ok(()));
        assert!(wrong.unwrap_err().contains("not 5 to"));
        let short = crate::output::records_read::read_rows(open(), &layout, 0, 99, |_| Ok(()));
        assert!(short.unwrap_err().contains("100 rows"));
    }
}
