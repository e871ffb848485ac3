//! Parameter paths (`eta`, `eta.Pakistan`, `beta.aid.Pakistan`, `kappa.arms`,
//! `event.putin_visit.hazard`): the one grammar that `Param` effects, the names of parameter
//! slots, sweeps, sensitivity factors and the help text share, so that a path means the same
//! parameters everywhere.

use super::spelling::{name_list, quoted_name, shown, suggestion};
use crate::model::{BackgroundParam, ParamTarget, Timing, World};

/// The grammar, as the help text and every "unknown path" message give it; a sweep also
/// reads the paths of the file's other numbers (`number_path`).
pub const GRAMMAR: &str = "eta, sigma, gamma, lambda (optionally .<state>), \
     beta[.<channel>[.<state>]], kappa[.<channel>], rho[.<channel>], event.<name>.hazard, \
     event.<name>.hazard.case.<N>, \
     background.<jump_rate, jump_scale, supplier_rate, supplier_size or exit_rate>; \
     and the file's other numbers: stance.<from>.<to>, affinity.<from>.<to>, \
     share.<channel>.<from>.<to>, weight.<state>, event.<name>.at, event.<name>.every, \
     event.<name>.window.first, event.<name>.window.last, event.<name>.effect.<N> (a range), \
     and of an effect's lag or a set of random direction, when a range: \
     event.<name>.effect.<N>.delay, .over, event.<name>.one_of.<D>, \
     event.<name>.one_of.<D>.effect.<N>";

/// A parameter every state has, given scenario-wide and optionally overridden per state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateParam {
    Eta,
    Sigma,
    Gamma,
    Lambda,
}

impl StateParam {
    pub const ALL: [StateParam; 4] = [
        StateParam::Eta,
        StateParam::Sigma,
        StateParam::Gamma,
        StateParam::Lambda,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StateParam::Eta => "eta",
            StateParam::Sigma => "sigma",
            StateParam::Gamma => "gamma",
            StateParam::Lambda => "lambda",
        }
    }

    pub fn target(self, state: usize) -> ParamTarget {
        match self {
            StateParam::Eta => ParamTarget::Eta(state),
            StateParam::Sigma => ParamTarget::Sigma(state),
            StateParam::Gamma => ParamTarget::Gamma(state),
            StateParam::Lambda => ParamTarget::Lambda(state),
        }
    }
}

/// The names a path may use: a scenario's states, channels and events.
#[derive(Debug, Clone)]
pub struct Names<'a> {
    pub states: Vec<&'a str>,
    pub channels: Vec<&'a str>,
    pub events: Vec<&'a str>,
    /// Whether each event fires by a hazard: only those have a hazard parameter.
    pub hazard: Vec<bool>,
    /// How many cases each event's hazard has (`event.<name>.hazard.case.<N>`).
    pub cases: Vec<usize>,
    /// Whether the world has a background (`model::background`): only then has it
    /// `background.*` parameters.
    pub background: bool,
}

impl<'a> Names<'a> {
    pub fn of(world: &'a World) -> Self {
        Names {
            states: world.states.iter().map(String::as_str).collect(),
            channels: world.channels.iter().map(String::as_str).collect(),
            events: world.events.iter().map(|e| e.name.as_str()).collect(),
            hazard: world
                .events
                .iter()
                .map(|e| e.timing == Timing::Hazard)
                .collect(),
            cases: world.events.iter().map(|e| e.cases.len()).collect(),
            background: world.background.is_some(),
        }
    }

    fn state(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|&s| s == name)
    }

    fn channel(&self, name: &str) -> Option<usize> {
        self.channels.iter().position(|&c| c == name)
    }
}

/// A parameter path, its names resolved to indices. `None` means "all of them": `beta`
/// is every channel's beta of every state, `eta` every state's eta, overrides included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPath {
    PerState(StateParam, Option<usize>),
    /// Channel, then state (a state only with a channel).
    Beta(Option<usize>, Option<usize>),
    Kappa(Option<usize>),
    Rho(Option<usize>),
    Hazard(usize),
    /// Event, then its case (from 0): the hazard of one case of a hazard by cases.
    Case(usize, usize),
    Background(BackgroundParam),
}

impl ParamPath {
    /// The path `text` names in a scenario with `names`, if any. Names may contain dots, so
    /// each part after the parameter is matched against whole names, not split at dots.
    pub fn parse(text: &str, names: &Names) -> Option<ParamPath> {
        let (head, rest) = match text.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (text, None),
        };
        if let Some(&p) = StateParam::ALL.iter().find(|p| p.name() == head) {
            return match rest {
                None => Some(ParamPath::PerState(p, None)),
                Some(s) => names.state(s).map(|i| ParamPath::PerState(p, Some(i))),
            };
        }
        match (head, rest) {
            ("beta", None) => Some(ParamPath::Beta(None, None)),
            // Only here can one text have two readings (channel `x` and state `y`, or
            // channel `x.y`): an ambiguous path is no path, and `unknown` says why.
            ("beta", Some(rest)) => match beta_readings(rest, names)[..] {
                [(c, i)] => Some(ParamPath::Beta(Some(c), i)),
                _ => None,
            },
            ("kappa", None) => Some(ParamPath::Kappa(None)),
            ("kappa", Some(c)) => names.channel(c).map(|c| ParamPath::Kappa(Some(c))),
            ("rho", None) => Some(ParamPath::Rho(None)),
            ("rho", Some(c)) => names.channel(c).map(|c| ParamPath::Rho(Some(c))),
            ("event", Some(rest)) if rest.contains(".hazard.case.") => {
                let (event, number) = rest.rsplit_once(".hazard.case.")?;
                let e = names.events.iter().position(|&x| x == event)?;
                let c = case_number(number, names.cases.get(e).copied().unwrap_or(0))?;
                names.hazard[e].then_some(ParamPath::Case(e, c))
            }
            ("event", Some(rest)) => {
                let event = rest.strip_suffix(".hazard")?;
                let e = names.events.iter().position(|&x| x == event)?;
                names.hazard[e].then_some(ParamPath::Hazard(e))
            }
            ("background", Some(rest)) if names.background => BackgroundParam::ALL
                .into_iter()
                .find(|p| p.name() == rest)
                .map(ParamPath::Background),
            _ => None,
        }
    }

    /// The path as written, e.g. `beta.aid.Pakistan`.
    pub fn text(&self, names: &Names) -> String {
        let with = |base: &str, part: Option<usize>, list: &[&str]| match part {
            Some(i) => format!("{base}.{}", list[i]),
            None => base.to_string(),
        };
        match *self {
            ParamPath::PerState(p, i) => with(p.name(), i, &names.states),
            ParamPath::Beta(c, i) => with(&with("beta", c, &names.channels), i, &names.states),
            ParamPath::Kappa(c) => with("kappa", c, &names.channels),
            ParamPath::Rho(c) => with("rho", c, &names.channels),
            ParamPath::Hazard(e) => format!("event.{}.hazard", names.events[e]),
            ParamPath::Case(e, c) => format!("event.{}.hazard.case.{}", names.events[e], c + 1),
            ParamPath::Background(p) => format!("background.{}", p.name()),
        }
    }

    /// Every place in a trajectory's `Params` the path addresses.
    pub fn targets(&self, names: &Names) -> Vec<ParamTarget> {
        let n = names.states.len();
        let k = names.channels.len();
        let one_or_all = |part: Option<usize>, count: usize| match part {
            Some(x) => x..x + 1,
            None => 0..count,
        };
        match *self {
            ParamPath::PerState(p, i) => one_or_all(i, n).map(|i| p.target(i)).collect(),
            ParamPath::Beta(c, i) => one_or_all(c, k)
                .flat_map(|c| one_or_all(i, n).map(move |i| ParamTarget::Beta(c, i)))
                .collect(),
            ParamPath::Kappa(c) => one_or_all(c, k).map(ParamTarget::Kappa).collect(),
            ParamPath::Rho(c) => one_or_all(c, k).map(ParamTarget::Rho).collect(),
            ParamPath::Hazard(e) => vec![ParamTarget::Hazard(e)],
            ParamPath::Case(e, c) => {
                let first: usize = names.cases[..e].iter().sum();
                vec![ParamTarget::Case(first + c)]
            }
            ParamPath::Background(p) => vec![ParamTarget::Background(p)],
        }
    }

    /// Every path valid in a scenario with `names`, in the order of `GRAMMAR`.
    pub fn all(names: &Names) -> Vec<ParamPath> {
        let n = names.states.len();
        let k = names.channels.len();
        let mut paths = Vec::new();
        for p in StateParam::ALL {
            paths.push(ParamPath::PerState(p, None));
            paths.extend((0..n).map(|i| ParamPath::PerState(p, Some(i))));
        }
        paths.push(ParamPath::Beta(None, None));
        for c in 0..k {
            paths.push(ParamPath::Beta(Some(c), None));
            paths.extend((0..n).map(|i| ParamPath::Beta(Some(c), Some(i))));
        }
        paths.push(ParamPath::Kappa(None));
        paths.extend((0..k).map(|c| ParamPath::Kappa(Some(c))));
        paths.push(ParamPath::Rho(None));
        paths.extend((0..k).map(|c| ParamPath::Rho(Some(c))));
        let hazards = names.hazard.iter().enumerate().filter(|&(_, &h)| h);
        paths.extend(hazards.flat_map(|(e, _)| {
            let cases = names.cases.get(e).copied().unwrap_or(0);
            std::iter::once(ParamPath::Hazard(e))
                .chain((0..cases).map(move |c| ParamPath::Case(e, c)))
        }));
        if names.background {
            paths.extend(BackgroundParam::ALL.map(ParamPath::Background));
        }
        paths
    }
}

/// Case `<N>` of `event.<name>.hazard.case.<N>`, counted from 1 as written, from 0 as
/// returned; None unless one of the event's `cases` cases.
fn case_number(number: &str, cases: usize) -> Option<usize> {
    let n: usize = number.parse().ok()?;
    (1..=cases).contains(&n).then(|| n - 1)
}

/// Every reading (channel, state) of `beta.<rest>`: a whole channel name, or a channel
/// name, a dot and a whole state name. Names may contain dots, so there can be several.
fn beta_readings(rest: &str, names: &Names) -> Vec<(usize, Option<usize>)> {
    let mut readings = Vec::new();
    for (c, &ch) in names.channels.iter().enumerate() {
        let Some(after) = rest.strip_prefix(ch) else {
            continue;
        };
        if after.is_empty() {
            readings.push((c, None));
        } else if let Some(i) = after.strip_prefix('.').and_then(|s| names.state(s)) {
            readings.push((c, Some(i)));
        }
    }
    readings
}

/// How the second line of the unknown-path message starts: it lists the valid paths. The
/// line is deliberate, and kept a line of its own under a problem too (`ScenarioError`).
pub const VALID_PATHS: &str = "valid paths in this scenario: ";

/// Characters the second line of the unknown-path message gives the valid paths and the
/// states together: the line stays about 1,000 characters whatever the names (a world of
/// 200 states and 1,000 hazard events made one message 225 KB long, and 64 paths of
/// 200-byte names a line of 13 KB), and lists every path of the shipped scenarios.
const PATHS_AND_STATES: usize = 840;

/// `items` joined with ", ", stopping once the line is `most` characters long, then how
/// many more there are.
fn listed(items: &[String], most: usize) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 && out.chars().count() >= most {
            out.push_str(&format!(", and {} more", items.len() - i));
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    out
}

/// The message for a path that names no parameter: the closest valid path, then the valid
/// paths of this scenario, written once per state as `<state>` (a scenario of 200 states
/// and 32 channels has thousands of paths), then the states.
pub fn unknown(text: &str, names: &Names) -> String {
    unknown_among(text, names, &[])
}

/// [`unknown`] where `more` paths are valid besides the parameters (a sweep's: the file's
/// other numbers, `number_path::unknown`), suggested and listed with them.
pub fn unknown_among(text: &str, names: &Names, more: &[String]) -> String {
    if let Some(rest) = text.strip_prefix("beta.") {
        let readings = beta_readings(rest, names);
        if readings.len() > 1 {
            let shown: Vec<String> = readings
                .iter()
                .map(|&(c, i)| match i {
                    Some(i) => format!(
                        "channel {} of state {}",
                        quoted_name(names.channels[c]),
                        quoted_name(names.states[i])
                    ),
                    None => format!("channel {}", quoted_name(names.channels[c])),
                })
                .collect();
            return format!(
                "parameter path {} is ambiguous: it reads as beta of {}; rename a \
                 channel or state so that no channel name followed by a dot starts another name",
                quoted_name(text),
                shown.join(" and as beta of ")
            );
        }
    }
    if let Some(reason) = no_background(text, names).or_else(|| no_hazard(text, names)) {
        return reason;
    }
    let all: Vec<String> = (ParamPath::all(names).iter())
        .map(|p| p.text(names))
        .chain(more.iter().cloned())
        .collect();
    let hint = suggestion(text, all.iter().map(String::as_str))
        .map(|s| format!(" — did you mean {}?", quoted_name(s)))
        .unwrap_or_default();
    // Names as a message shows them (escaped, cut): they are the user's, and any length.
    let mut valid = Vec::new();
    for p in StateParam::ALL {
        valid.push(p.name().to_string());
        valid.push(format!("{}.<state>", p.name()));
    }
    valid.push("beta".into());
    for c in &names.channels {
        valid.push(format!("beta.{}", shown(c)));
        valid.push(format!("beta.{}.<state>", shown(c)));
    }
    for p in ["kappa", "rho"] {
        valid.push(p.into());
        valid.extend(names.channels.iter().map(|c| format!("{p}.{}", shown(c))));
    }
    for (i, (e, &hazard)) in names.events.iter().zip(&names.hazard).enumerate() {
        let cases = names.cases.get(i).copied().unwrap_or(0);
        if hazard {
            valid.push(format!("event.{}.hazard", shown(e)));
        }
        // A hazard by cases: each case is a number a variant may set on its own.
        valid.extend((1..=cases).map(|c| format!("event.{}.hazard.case.{c}", shown(e))));
    }
    valid.extend(more.iter().map(|p| shown(p)));
    if names.background {
        valid.extend(BackgroundParam::ALL.map(|p| format!("background.{}", p.name())));
    }
    // The states first: what they leave of the line goes to the paths.
    let states = name_list(&names.states);
    let paths = listed(
        &valid,
        PATHS_AND_STATES.saturating_sub(states.chars().count()),
    );
    format!(
        "unknown parameter path {}{hint}\n{VALID_PATHS}{paths} (<state> is one of {states})",
        quoted_name(text),
    )
}

/// The message for a background parameter's path (`background.exit_rate`) in a world that
/// has no background: the path is right, the world lacks what it names, and a list of the
/// valid paths without it read as a misspelling.
fn no_background(text: &str, names: &Names) -> Option<String> {
    let param = text.strip_prefix("background.")?;
    if names.background || !BackgroundParam::ALL.iter().any(|p| p.name() == param) {
        return None;
    }
    Some(format!(
        "parameter path {} names a parameter of the background, and this world has none \
         (its file, or the base of a variant, says `background: None`, or its `step` is not a \
         unit of time and it gives no `Background(...)`): remove `background: None`, or write \
         `background: Background(steps_per_year: ...)` for steps that are not a unit of time",
        quoted_name(text)
    ))
}

/// The message for `event.<name>.hazard` of an event that fires on a schedule: the event
/// is there, and only its hazard is not (a list of the valid paths read as a misspelling,
/// with another event's hazard as "did you mean").
fn no_hazard(text: &str, names: &Names) -> Option<String> {
    let event = text.strip_prefix("event.")?.strip_suffix(".hazard")?;
    let e = names.events.iter().position(|&x| x == event)?;
    if names.hazard.get(e).copied().unwrap_or(true) {
        return None;
    }
    let name = quoted_name(event);
    Some(format!(
        "unknown parameter path {}: event {name} fires on a schedule (`at` or `every`), not by a \
         hazard, so it has no hazard to set; give event {name} a `hazard` in place of its \
         schedule, or take out what sets its hazard",
        quoted_name(text)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names<'static> {
        Names {
            states: vec!["A", "B.C"],
            channels: vec!["aid", "aid.x"],
            events: vec!["summit", "deal"],
            hazard: vec![false, true],
            cases: vec![0, 2],
            background: true,
        }
    }

    #[test]
    fn every_listed_path_reads_back_as_itself() {
        let names = names();
        let all = ParamPath::all(&names);
        assert_eq!(all.len(), 4 * 3 + 1 + 2 * 3 + 3 + 3 + 1 + 2 + 5);
        assert_eq!(
            ParamPath::parse("event.deal.hazard.case.2", &names),
            Some(ParamPath::Case(1, 1))
        );
        assert_eq!(ParamPath::parse("event.deal.hazard.case.3", &names), None);
        assert_eq!(ParamPath::parse("event.deal.hazard.case.0", &names), None);
        for p in all {
            assert_eq!(ParamPath::parse(&p.text(&names), &names), Some(p));
        }
    }

    /// Defect (hostile pass 34): `Param("event.summit.hazard", …)` for an event that fires
    /// at a step was "unknown parameter path" with "did you mean \"event.deal.hazard\"",
    /// another event's, as if misspelt. It says the event fires on a schedule.
    #[test]
    fn the_hazard_of_a_scheduled_event_is_named_not_taken_for_a_misspelling() {
        let message = unknown("event.summit.hazard", &names());
        assert!(
            message.starts_with(
                "unknown parameter path \"event.summit.hazard\": event \"summit\" fires on a \
                 schedule (`at` or `every`), not by a hazard"
            ),
            "{message}"
        );
        assert!(!message.contains("did you mean"), "{message}");
        // A misspelt event is still a misspelling.
        assert!(unknown("event.dael.hazard", &names()).contains("did you mean"));
    }

    /// Regression: with channels "x" and "x.y" and a state "y", `beta.x.y` silently meant
    /// channel x of state y, and which reading won depended on the order of the channels.
    #[test]
    fn a_path_with_two_readings_is_refused_naming_both() {
        let states = ["y", "A"];
        let channels = ["x", "x.y"];
        let events: [&str; 0] = [];
        let names = Names {
            states: states.to_vec(),
            channels: channels.to_vec(),
            events: events.to_vec(),
            hazard: vec![],
            cases: vec![],
            background: false,
        };
        assert_eq!(ParamPath::parse("beta.x.y", &names), None);
        let message = unknown("beta.x.y", &names);
        assert!(message.contains("ambiguous"), "{message}");
        assert!(
            message.contains("channel \"x\" of state \"y\"") && message.contains("channel \"x.y\""),
            "{message}"
        );
        // Unambiguous neighbours still work.
        assert_eq!(
            ParamPath::parse("beta.x.y.A", &names),
            Some(ParamPath::Beta(Some(1), Some(1)))
        );
        assert_eq!(
            ParamPath::parse("beta.x.A", &names),
            Some(ParamPath::Beta(Some(0), Some(1)))
        );
    }

    /// Regression: the list of valid paths grew with the world (225 KB for 200 states and
    /// 1,000 hazard events, repeated for every bad path).
    #[test]
    fn the_unknown_path_message_stays_short_in_a_big_world() {
        let states: Vec<String> = (0..200).map(|i| format!("state{i}")).collect();
        let events: Vec<String> = (0..1000).map(|i| format!("event{i}")).collect();
        let names = Names {
            states: states.iter().map(String::as_str).collect(),
            channels: vec!["aid", "arms"],
            events: events.iter().map(String::as_str).collect(),
            hazard: vec![true; 1000],
            cases: vec![0; 1000],
            background: false,
        };
        let message = unknown("nope", &names);
        assert!(message.len() < 3000, "{} bytes: {message}", message.len());
        assert!(message.contains("more"), "{message}");
    }

    /// Regression: the list of valid paths showed 64 state names of 200 bytes raw, a
    /// second line of 13,097 characters with control characters in it.
    #[test]
    fn the_unknown_path_message_shows_long_names_escaped_and_stays_a_line() {
        let states: Vec<String> = (0..200)
            .map(|i| format!("S{i}\u{1b}[31m{}", "x".repeat(190)))
            .collect();
        let channels: Vec<String> = (0..32)
            .map(|i| format!("aid\n{i}{}", "c".repeat(200)))
            .collect();
        let names = Names {
            states: states.iter().map(String::as_str).collect(),
            channels: channels.iter().map(String::as_str).collect(),
            events: vec![],
            hazard: vec![],
            cases: vec![],
            background: false,
        };
        let message = unknown("lambda.Nope", &names);
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines.len(), 2, "{message}");
        assert!(lines[1].starts_with(VALID_PATHS), "{}", lines[1]);
        assert!(lines[1].chars().count() < 1_000, "{}", lines[1]);
        assert!(!message.contains('\u{1b}'), "{message}");
        assert!(lines[1].contains("beta.aid\\u{a}0ccc"), "{}", lines[1]);
        assert!(lines[1].contains("S0\\u{1b}[31mxxx"), "{}", lines[1]);
        assert!(lines[1].ends_with("more)"), "{}", lines[1]);
    }

    #[test]
    fn names_with_dots_are_matched_whole() {
        let names = names();
        let parse = |t| ParamPath::parse(t, &names);
        assert_eq!(
            parse("eta.B.C"),
            Some(ParamPath::PerState(StateParam::Eta, Some(1)))
        );
        assert_eq!(parse("beta.aid.x"), Some(ParamPath::Beta(Some(1), None)));
        assert_eq!(
            parse("beta.aid.B.C"),
            Some(ParamPath::Beta(Some(0), Some(1)))
        );
        assert_eq!(
            parse("beta.aid.x.A"),
            Some(ParamPath::Beta(Some(1), Some(0)))
        );
        assert_eq!(parse("rho.aid.x"), Some(ParamPath::Rho(Some(1))));
    }

    #[test]
    fn unknown_names_and_shapes_are_not_paths() {
        let names = names();
        for bad in [
            "",
            "zeta",
            "eta.",
            "eta.D",
            "beta.arms",
            "beta.aid.D",
            "kappa.A",
            "rho.aid.A",
            "event.deal",
            "event.nope.hazard",
            "hazard",
        ] {
            assert_eq!(ParamPath::parse(bad, &names), None, "{bad:?}");
        }
    }

    #[test]
    fn only_a_hazard_event_has_a_hazard_path() {
        // `summit` fires at a step: a path to its hazard would change nothing.
        let names = names();
        assert_eq!(ParamPath::parse("event.summit.hazard", &names), None);
        assert_eq!(
            ParamPath::parse("event.deal.hazard", &names),
            Some(ParamPath::Hazard(1))
        );
    }

    #[test]
    fn a_bare_path_addresses_every_state_and_channel() {
        let names = names();
        let targets = |t| ParamPath::parse(t, &names).unwrap().targets(&names);
        assert_eq!(targets("eta"), [ParamTarget::Eta(0), ParamTarget::Eta(1)]);
        assert_eq!(targets("sigma.A"), [ParamTarget::Sigma(0)]);
        assert_eq!(targets("beta").len(), 4);
        assert_eq!(
            targets("beta.aid.x"),
            [ParamTarget::Beta(1, 0), ParamTarget::Beta(1, 1)]
        );
        assert_eq!(
            targets("kappa"),
            [ParamTarget::Kappa(0), ParamTarget::Kappa(1)]
        );
        assert_eq!(targets("rho.aid"), [ParamTarget::Rho(0)]);
        assert_eq!(targets("event.deal.hazard"), [ParamTarget::Hazard(1)]);
    }

    #[test]
    fn the_unknown_path_message_suggests_and_lists_per_state_paths_once() {
        let message = unknown("lamda", &names());
        assert!(message.contains("did you mean \"lambda\""), "{message}");
        assert!(message.contains("beta.aid.x.<state>"), "{message}");
        assert!(message.contains("event.deal.hazard"), "{message}");
        assert!(!message.contains("event.summit.hazard"), "{message}");
        assert!(message.ends_with("(<state> is one of A, B.C)"), "{message}");
    }
}
