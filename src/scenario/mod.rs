//! Scenario files: read, parse (RON), check, and compile into a `model::World`.
//!
//! Everything that can be wrong with a file is found here, before any work starts and
//! before any output is written, and reported with the file, line and column.

mod bare_number;
pub mod calendar;
mod compile;
pub mod csv_text;
pub mod drawn_steps;
mod error;
pub mod file;
pub mod limits;
mod load;
mod locate;
pub mod number_path;
pub mod observed;
pub mod param_path;
mod parse;
mod problems;
pub(crate) mod spelling;
pub mod starter;
pub mod variant;
mod without;

pub use compile::compile;
pub use error::ScenarioError;
pub use file::ScenarioFile;
pub use load::{from_bytes, from_stored, load, parse, sha256_hex, ChainFile, Scenario};
pub use locate::Position;
pub use param_path::{Names, ParamPath};
pub use problems::Problem;
pub use without::{without_event, TakenOut};

pub(crate) use spelling::path_shown;
