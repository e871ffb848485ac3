//! From a parsed file to a `model::World`: every name resolved to an index, every number
//! checked against its range. All problems are collected, not just the first, so an analyst
//! fixes a file in one pass.
//!
//! By concern: `names` (counts, names, lookups), `relations` (stances, affinities, ties),
//! `params` (parameter values and `Param` effects), `events` (events, effects, conditions,
//! metrics), `positions` (where in the text a problem is); outcomes and the world here.

pub(crate) mod background;
mod calendar;
mod cases;
mod choices;
mod directions;
mod events;
mod groups;
mod lags;
mod names;
mod others;
mod params;
mod positions;
mod ranges;
mod relations;
mod thresholds;
mod windows;

use std::collections::{HashMap, HashSet};

use super::file::ScenarioFile;
use super::locate::{Locator, Position};
use super::param_path::Names;
pub use super::problems::Problem;
use super::problems::Problems;
use crate::model::{Average, Event, Rest, World};
use relations::Relation;

/// Compiles `file`, whose source is `text`. Positions are found only when there are problems
/// to place: the first pass runs with a blind locator (no searching of the text at all, which
/// made loading quadratic and then most of a large file's `check`), and only a file with
/// problems is compiled again, locating each one. The checks do not depend on positions, so
/// both passes find the same problems; the second only gives them their line and column.
pub fn compile(file: &ScenarioFile, text: &str) -> Result<World, Vec<Problem>> {
    compile_warned(file, text).map(|(world, _)| world)
}

/// [`compile`], and the file's warnings (`thresholds`), each at its line and column in
/// `text` where it is written there. A file with warnings is compiled again to place them,
/// as one with problems is.
pub fn compile_warned(
    file: &ScenarioFile,
    text: &str,
) -> Result<(World, Vec<Problem>), Vec<Problem>> {
    // The first pass's problems are thrown away: it measures no names for suggestions.
    match compile_with(file, Locator::blind(), false) {
        Ok((world, warnings)) if warnings.is_empty() => Ok((world, warnings)),
        _ => compile_with(file, Locator::new(text), true),
    }
}

/// The problems of `file` without their positions (the first pass of `compile` alone): for
/// a caller that only asks *whether* a problem is there, such as the search for the change
/// of a variant that brought it (`variant::place`), which compiles many times.
pub fn unplaced_problems(file: &ScenarioFile) -> Vec<Problem> {
    // With hints: the caller compares these messages with those `compile` shows.
    compile_with(file, Locator::blind(), true)
        .err()
        .unwrap_or_default()
}

fn compile_with<'a>(
    file: &'a ScenarioFile,
    loc: Locator<'a>,
    hints: bool,
) -> Result<(World, Vec<Problem>), Vec<Problem>> {
    let mut c = Compiler {
        loc,
        hints,
        problems: Problems::default(),
        steps: file.steps,
        step_unit: &file.step,
        start_written: file.start.is_some(),
        calendar: None,
        at_rest: file.at_rest,
        averages: Vec::new(),
        average_cursor: None,
        between: crate::model::blocs::DEFAULT_BETWEEN,
        names: Names {
            states: file.states.iter().map(|s| s.name.as_str()).collect(),
            channels: file.channels.iter().map(|s| s.as_str()).collect(),
            events: file.events.iter().map(|e| e.name.as_str()).collect(),
            hazard: file.events.iter().map(|e| e.hazard.is_some()).collect(),
            cases: file.events.iter().map(|e| e.cases.len()).collect(),
            background: file.has_background(),
        },
        state_index: first_index(file.states.iter().map(|s| s.name.as_str())),
        channel_index: first_index(file.channels.iter().map(|s| s.as_str())),
        unknown: HashMap::new(),
        supplier_places: HashSet::new(),
        drawn: Vec::new(),
        effects_so_far: 0,
        directions_so_far: 0,
        others_named: false,
        warnings: Vec::new(),
    };
    // A file beyond the size limits is refused before anything is allocated in proportion
    // to it (n*n stances, k*n*n shares): the limits exist so that no file can make the
    // engine allocate without bound, and the checks that follow would only add noise.
    if !c.sizes(file) {
        return Err(c.problems.into_list());
    }
    let world = c.world(file);
    let warnings = std::mem::take(&mut c.warnings);
    c.problems.into_result(world).map(|world| (world, warnings))
}

/// Each name's first index: a 200-state world names states 480,000 times, and a scan of the
/// list for each (with a copy of it) was a third of loading it.
fn first_index<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut index = HashMap::new();
    for (i, name) in names.enumerate() {
        index.entry(name).or_insert(i);
    }
    index
}

struct Compiler<'a> {
    loc: Locator<'a>,
    /// Whether an unknown name's problem suggests the closest name (or lists the known
    /// ones). Off in `compile`'s first pass, whose problems are never read: measuring each
    /// unknown name against every name there doubled the cost of a file of typos.
    hints: bool,
    problems: Problems,
    /// The file's states, channels and events, in order: what indices stand for.
    names: Names<'a>,
    /// The file's step count: the longest window an average can have.
    steps: i64,
    /// What one step stands for (`step`), for messages about dates.
    step_unit: &'a str,
    /// Whether the file writes a `start`, and the calendar it gives when it is valid
    /// (`calendar`): dates in the events are read with it.
    start_written: bool,
    calendar: Option<crate::model::calendar::Calendar>,
    /// Whether the file asks for `at_rest: true` (stances of ±1 are then refused).
    at_rest: bool,
    /// The averaged metrics met so far, each once (`Metric::Average` points into them).
    averages: Vec<Average>,
    /// The item (its start) and the place just past the last `Average` located in it
    /// (`events::next_average`).
    average_cursor: Option<(usize, usize)>,
    /// The file's `between_partnership`, which `Between` conditions carry.
    between: f64,
    /// `names.states` and `names.channels` by name (`first_index`).
    state_index: HashMap<&'a str, usize>,
    channel_index: HashMap<&'a str, usize>,
    /// The problem of each unknown name already reported among the same names
    /// (`names::lookup`).
    unknown: HashMap<(names::Among, String), Problem>,
    /// Where a misspelt supplier was placed where it supplies (`others::supply`): the
    /// place's line is the supplier's, whichever lookup reaches it (`names::one_line_here`).
    supplier_places: HashSet<Position>,
    /// The slots of the file's ranges other than parameters (`ranges`), in file order.
    drawn: Vec<crate::model::ParamSlot>,
    /// Effects compiled in the events so far: where the next event's start (`Target::Amount`).
    effects_so_far: usize,
    /// Sets of effects of random direction so far (`Target::Direction`).
    directions_so_far: usize,
    /// Whether the file names the rest of the world (`Others`) as a supplier so far.
    others_named: bool,
    /// What loads but is likely a mistake (`thresholds`): printed, not refused.
    warnings: Vec<Problem>,
}

impl<'a> Compiler<'a> {
    fn problem(&mut self, position: Option<Position>, message: String) {
        let problem = Problem { position, message };
        // A name misspelt the same way twice is located at its first use both times: say it
        // once (past the cap it is only counted, as before).
        if self.problems.full() || !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    fn world(&mut self, f: &'a ScenarioFile) -> World {
        self.calendar = self.calendar(f);
        let weight = self.weights(f);
        let stance = self.pairs(&f.stances, Relation::Stance);
        let affinity = self.pairs(&f.affinities, Relation::Affinity);
        let share = self.ties(f);
        self.between = self.between_partnership(f);
        let params = self.params(f);
        let anchors = self.item_anchors("events", f.events.iter().map(|e| e.name.as_str()));
        let mut events: Vec<Event> = f
            .events
            .iter()
            .zip(anchors.iter())
            .enumerate()
            .map(|(e, (def, &anchor))| self.event(f, e, def, anchor))
            .collect();
        self.choices(f, &mut events, &anchors);
        // The other ranges after the parameters: a file without any keeps today's slots.
        let (background, background_slots) = self.background(f, &share);
        let drawn = std::mem::take(&mut self.drawn);
        let params = [params, self.hazard_slots(f), background_slots, drawn].concat();
        // Only checked: `simulate sensitivity` reads them from the file (`Scenario::file`).
        self.check_groups(f, &params);
        let outcomes = self.outcomes(f);
        let metrics = self.metrics(f);
        let others = self.others(f);
        let mut world = World {
            name: f.name.clone(),
            description: f.description.clone(),
            step_unit: f.step.clone(),
            calendar: self.calendar,
            steps: f.steps.clamp(0, i64::from(u32::MAX)) as u32,
            trajectories: f.trajectories.max(0) as u64,
            seed: f.seed.max(0) as u64,
            states: f.states.iter().map(|s| s.name.clone()).collect(),
            channels: f.channels.clone(),
            weight,
            stance,
            affinity,
            rest: None,
            share,
            others,
            params,
            background,
            events,
            outcomes,
            metrics,
            averages: std::mem::take(&mut self.averages),
            between: self.between,
            written_entries: (f.stances.len() + f.affinities.len() + f.ties.len()) as u64,
        };
        // Only a world whose stances all passed their checks (|S| < 1) can be solved.
        if f.at_rest && self.problems.is_empty() {
            world.rest = Some(Rest::new(&world));
        }
        world
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::limits::MAX_PROBLEMS;

    /// A two-state, one-channel scenario with `fields` added (RON, e.g. `stances: [...]`).
    pub fn scenario(fields: &str) -> String {
        format!(
            "Scenario(\n    name: \"t\",\n    steps: 4,\n    channels: [\"aid\"],\n    \
             states: [State(name: \"A\"), State(name: \"B\")],\n    {fields}\n)"
        )
    }

    pub fn compiled(text: &str) -> Result<World, Vec<Problem>> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let file: ScenarioFile = options.from_str(text).expect("the snippet parses");
        compile(&file, text)
    }

    pub fn problems(text: &str) -> Vec<Problem> {
        compiled(text).expect_err("the snippet has problems")
    }

    /// The position of the first `needle` in `text`, as a problem would give it.
    pub fn position_of(text: &str, needle: &str) -> Option<Position> {
        let at = text.find(needle).expect("the needle is in the text");
        Some(Locator::new(text).position(at))
    }

    /// A compiler over `text` with no names, for the position helpers.
    pub fn compiler(text: &str) -> Compiler<'_> {
        Compiler {
            loc: Locator::new(text),
            hints: true,
            problems: Problems::default(),
            steps: 4,
            step_unit: "step",
            start_written: false,
            calendar: None,
            at_rest: false,
            averages: Vec::new(),
            average_cursor: None,
            between: crate::model::blocs::DEFAULT_BETWEEN,
            names: Names {
                states: vec![],
                channels: vec![],
                events: vec![],
                hazard: vec![],
                cases: vec![],
                background: false,
            },
            state_index: HashMap::new(),
            channel_index: HashMap::new(),
            unknown: HashMap::new(),
            supplier_places: HashSet::new(),
            drawn: Vec::new(),
            effects_so_far: 0,
            directions_so_far: 0,
            others_named: false,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_valid_snippet_compiles_to_a_world() {
        let world = compiled(&scenario("stances: [(\"A\", \"B\", 0.5)],")).unwrap();
        assert_eq!(world.states, ["A", "B"]);
        assert_eq!(world.stance, [0.0, 0.5, 0.0, 0.0]);
        assert_eq!(world.share.len(), 2 * 2);
    }

    #[test]
    fn problems_past_the_limit_are_counted_in_one_last_line() {
        let entries: Vec<String> = (0..MAX_PROBLEMS + 10)
            .map(|i| format!("(\"X{i}\", \"A\", 0.1)"))
            .collect();
        let found = problems(&scenario(&format!("stances: [{}],", entries.join(", "))));
        assert_eq!(found.len(), MAX_PROBLEMS + 1);
        assert_eq!(
            found[MAX_PROBLEMS].message,
            "... and 10 more problems; fix the ones above first"
        );
    }
}
