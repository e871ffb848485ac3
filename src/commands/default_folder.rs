//! The folder each command writes when `--out` is left out, named in one place: the
//! command builds it from the scenario files' names, and its `--help` states it by calling
//! the same function with placeholders, so the two cannot disagree (the help of `compare`,
//! `sweep` and `sensitivity` said `outputs/<scenario file name>/` while they wrote
//! `compare_…_vs_…`, `NAME-sweep` and `NAME-sensitivity`).

use std::fmt::Display;

/// The folder every default folder is in, relative to the current folder.
pub const OUTPUTS: &str = "outputs";

/// What the help writes for a scenario file's name without its extension.
pub const SCENARIO: &str = "<scenario>";

/// `simulate FILE`, and `simulate merge` of its shards: the file's name.
pub fn run(scenario: &str) -> String {
    scenario.to_string()
}

/// `simulate FILE --shard I/N`.
pub fn shard(scenario: &str, index: impl Display, count: impl Display) -> String {
    format!("{scenario}.shard-{index}-of-{count}")
}

/// `simulate compare A B [C ...]`: the reference first.
pub fn compare(scenarios: &[&str]) -> String {
    format!("compare_{}_vs_{}", scenarios[0], scenarios[1..].join("_"))
}

/// `simulate sweep FILE`.
pub fn sweep(scenario: &str) -> String {
    format!("{scenario}-sweep")
}

/// `simulate sensitivity FILE [--against A]`.
pub fn sensitivity(scenario: &str, against: Option<&str>) -> String {
    match against {
        Some(a) => format!("{scenario}-against-{a}-sensitivity"),
        None => format!("{scenario}-sensitivity"),
    }
}

/// `simulate score FILE --observed OBS`.
pub fn score(scenario: &str) -> String {
    format!("{scenario}-score")
}

/// `simulate explain FILE`.
pub fn explain(scenario: &str) -> String {
    format!("{scenario}-explain")
}

/// `simulate blocs FILE`.
pub fn blocs(scenario: &str) -> String {
    format!("{scenario}-blocs")
}

/// A default folder as a help text states it: `outputs/NAME/`.
pub fn stated(name: &str) -> String {
    format!("{OUTPUTS}/{name}/")
}

/// The help of `--out` for a command whose default folder is `name` (with placeholders).
pub fn out_help(name: &str) -> String {
    format!(
        "Output folder (default: {}, {SCENARIO} being the scenario file's name without its \
         extension)",
        stated(name)
    )
}
