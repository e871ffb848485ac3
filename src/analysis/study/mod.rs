//! The experiment drivers, one file each: what a study runs, point by point or side by
//! side, and how its runs become an answer. A command loads the files, plans, checks the
//! memory, hands a `Control` to a driver, exports and prints; a new experiment is one new
//! file here and a command of a few dozen lines.

mod batch_sums;
pub mod compare;
pub mod forecast;
pub mod sensitivity;
pub mod sweep;
pub mod swept;
pub mod without_events;
