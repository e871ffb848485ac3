//! Reading a shard's `records.parquet` back for `simulate merge`, one row group at a time,
//! trusting nothing: its columns must be the ones `records_parquet` writes for the merged
//! world, in order and of their types, and its trajectories the shard's, in order, each
//! once. Nothing it holds reaches a type conversion unchecked (the parquet crate panics on
//! a column read as the wrong type).

use std::fs::File;

use parquet::column::reader::{get_typed_column_reader, ColumnReader};
use parquet::data_type::{BoolType, DataType, DoubleType, Int32Type, Int64Type};
use parquet::file::reader::{FileReader, SerializedFileReader};

use super::records_parquet::{columns, Column, Source};
use crate::engine::records::{Layout, Rows};

/// Reads the rows of `file`, written for `layout`, which must hold trajectories `first ..
/// first + count` in order, handing each row group's rows to `each`. The error says, in
/// words, what is wrong (the caller names the file).
pub fn read_rows(
    file: File,
    layout: &Layout,
    first: u64,
    count: u64,
    mut each: impl FnMut(&Rows) -> std::io::Result<()>,
) -> Result<(), String> {
    let reader =
        SerializedFileReader::new(file).map_err(|e| format!("is not a records file ({e})"))?;
    let columns = columns(layout);
    check_columns(&reader, &columns)?;
    let rows_in = reader.metadata().file_metadata().num_rows();
    if u64::try_from(rows_in).ok() != Some(count) {
        return Err(format!(
            "holds {rows_in} rows, the shard ran {count} trajectories"
        ));
    }
    let mut next = first;
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).map_err(|e| e.to_string())?;
        let n = usize::try_from(group.metadata().num_rows())
            .map_err(|_| "a row group of a negative number of rows".to_string())?;
        let mut rows = empty_rows(next, n, layout);
        for (c, column) in columns.iter().enumerate() {
            let reader = group.get_column_reader(c).map_err(|e| e.to_string())?;
            fill(&mut rows, column, reader, layout)
                .map_err(|why| format!("column {}: {why}", c + 1))?;
        }
        next += n as u64;
        each(&rows).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Refuses a file whose columns are not, in order, those of the merged world's records.
fn check_columns(reader: &SerializedFileReader<File>, columns: &[Column]) -> Result<(), String> {
    let schema = reader.metadata().file_metadata().schema_descr();
    let alike = schema.num_columns() == columns.len()
        && columns.iter().enumerate().all(|(c, column)| {
            let found = schema.column(c);
            let (physical, nullable) = column.source.physical();
            found.name() == column.name
                && found.physical_type() == physical
                && found.max_def_level() == i16::from(nullable)
                && found.max_rep_level() == 0
        });
    if alike {
        Ok(())
    } else {
        Err("does not have the columns of this scenario's records".into())
    }
}

fn empty_rows(first: u64, n: usize, layout: &Layout) -> Rows {
    let (events, outcomes) = (layout.events.len(), layout.outcomes.len());
    Rows {
        first,
        len: n,
        inputs: vec![0.0; n * layout.inputs.len()],
        first_fired: vec![None; n * events],
        firings: vec![0; n * events],
        held: vec![false; n * outcomes],
        first_held: vec![None; n * outcomes],
        finals: vec![0.0; n * layout.metrics.len()],
    }
}

/// A column's `n` values and definition levels (all 1 for a required column).
fn values<T: DataType>(reader: ColumnReader, n: usize) -> Result<(Vec<T::T>, Vec<i16>), String>
where
    Vec<T::T>: Default,
{
    let mut reader = get_typed_column_reader::<T>(reader);
    let (mut values, mut defined) = (Vec::new(), Vec::new());
    let (records, _, _) = reader
        .read_records(n, Some(&mut defined), None, &mut values)
        .map_err(|e| e.to_string())?;
    if records != n {
        return Err(format!("holds {records} values in a row group of {n} rows"));
    }
    if defined.is_empty() {
        defined = vec![1; n];
    }
    Ok((values, defined))
}

/// Steps of a nullable column: each defined level takes the next value.
fn steps(values: Vec<i32>, defined: &[i16]) -> Result<Vec<Option<u32>>, String> {
    let mut values = values.into_iter();
    defined
        .iter()
        .map(|&d| match d {
            0 => Ok(None),
            _ => values
                .next()
                .and_then(|t| u32::try_from(t).ok())
                .map(Some)
                .ok_or_else(|| "a step that is negative or missing".to_string()),
        })
        .collect()
}

/// Puts one column's values into their places in `rows`.
fn fill(
    rows: &mut Rows,
    column: &Column,
    reader: ColumnReader,
    layout: &Layout,
) -> Result<(), String> {
    let n = rows.len;
    let (events, outcomes) = (layout.events.len(), layout.outcomes.len());
    match column.source {
        Source::Trajectory => {
            let (index, _) = values::<Int64Type>(reader, n)?;
            let wanted = (rows.first..rows.first + n as u64).map(|t| t as i64);
            if !index.into_iter().eq(wanted) {
                return Err(format!(
                    "the trajectories are not {} to {} in order",
                    rows.first,
                    rows.first + n as u64 - 1
                ));
            }
        }
        Source::Input(i) => {
            let (xs, _) = values::<DoubleType>(reader, n)?;
            let width = layout.inputs.len();
            xs.into_iter()
                .enumerate()
                .for_each(|(r, x)| rows.inputs[r * width + i] = x);
        }
        Source::Final(m) => {
            let (xs, _) = values::<DoubleType>(reader, n)?;
            let width = layout.metrics.len();
            xs.into_iter()
                .enumerate()
                .for_each(|(r, x)| rows.finals[r * width + m] = x);
        }
        Source::FirstFired(e) => {
            let (xs, defined) = values::<Int32Type>(reader, n)?;
            for (r, t) in steps(xs, &defined)?.into_iter().enumerate() {
                rows.first_fired[r * events + e] = t;
            }
        }
        Source::FirstHeld(o) => {
            let (xs, defined) = values::<Int32Type>(reader, n)?;
            for (r, t) in steps(xs, &defined)?.into_iter().enumerate() {
                rows.first_held[r * outcomes + o] = t;
            }
        }
        Source::Firings(e) => {
            let (xs, _) = values::<Int32Type>(reader, n)?;
            for (r, x) in xs.into_iter().enumerate() {
                rows.firings[r * events + e] =
                    u32::try_from(x).map_err(|_| "a negative count of firings".to_string())?;
            }
        }
        Source::Held(o) => {
            let (xs, _) = values::<BoolType>(reader, n)?;
            xs.into_iter()
                .enumerate()
                .for_each(|(r, x)| rows.held[r * outcomes + o] = x);
        }
    }
    Ok(())
}
