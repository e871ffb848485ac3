//! Ablations: the same scenario with one mechanism of the dynamics removed, as a baseline a
//! forecast must beat (`simulate score --ablate`). Balance is γ, patron leverage λ and the
//! dependency pull β (README, "The model"); removing a mechanism sets its parameter to 0 in
//! every trajectory. `all` removes the three at once: what is left is the events and the
//! noise. Every ablation runs on the same seed as the full model, and fixing a parameter
//! changes no other draw (`engine::streams`), so the two differ by the mechanism alone.
//!
//! Removing β also removes leverage, which is a sum over the dependency pull; the shares
//! still move (κ, ρ), and at rest (`at_rest: true`) the initial state stays a fixed point of
//! what is left.

use crate::model::{Effect, World};
use crate::scenario::param_path::{Names, ParamPath, StateParam};
use crate::scenario::spelling::{quoted_name, suggestion};

/// A mechanism removed from the dynamics, or all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ablation {
    Balance,
    Leverage,
    Dependency,
    /// γ, λ and β all 0: events and noise only.
    All,
}

impl Ablation {
    pub const ALL: [Ablation; 4] = [
        Ablation::Balance,
        Ablation::Leverage,
        Ablation::Dependency,
        Ablation::All,
    ];

    /// The name `--ablate` takes and the results use.
    pub fn name(self) -> &'static str {
        match self {
            Ablation::Balance => "balance",
            Ablation::Leverage => "leverage",
            Ablation::Dependency => "dependency",
            Ablation::All => "all",
        }
    }

    /// What the ablation sets to 0, in the model's terms.
    pub fn removes(self) -> &'static str {
        match self {
            Ablation::Balance => "gamma = 0: no balance",
            Ablation::Leverage => "lambda = 0: no patron leverage",
            Ablation::Dependency => {
                "beta = 0 in every channel: no dependency pull, and so no leverage"
            }
            Ablation::All => "gamma, lambda and beta = 0: events and noise only",
        }
    }

    /// The ablations of an `--ablate` list (`balance,leverage`), each once, in the order of
    /// `ALL`; or why the list is wrong.
    pub fn parse_list(text: &str) -> Result<Vec<Ablation>, String> {
        let names = Ablation::ALL.map(Ablation::name);
        let mut chosen = Vec::new();
        for item in text.split(',').map(str::trim) {
            let Some(a) = Ablation::ALL.into_iter().find(|a| a.name() == item) else {
                let hint = match suggestion(item, names) {
                    Some(close) => format!("did you mean `{close}`? "),
                    None => String::new(),
                };
                return Err(format!(
                    "--ablate: {} is not a mechanism; {hint}the mechanisms are {} (`all`: the \
                     three at once, events and noise only), separated by commas",
                    quoted_name(item),
                    names[..3].join(", ")
                ));
            };
            if chosen.contains(&a) {
                return Err(format!("--ablate: `{}` is given twice", a.name()));
            }
            chosen.push(a);
        }
        chosen.sort();
        Ok(chosen)
    }

    /// The parameters the ablation sets to 0: every state's (and channel's), overrides
    /// included.
    fn paths(self) -> Vec<ParamPath> {
        let gamma = ParamPath::PerState(StateParam::Gamma, None);
        let lambda = ParamPath::PerState(StateParam::Lambda, None);
        let beta = ParamPath::Beta(None, None);
        match self {
            Ablation::Balance => vec![gamma],
            Ablation::Leverage => vec![lambda],
            Ablation::Dependency => vec![beta],
            Ablation::All => vec![gamma, lambda, beta],
        }
    }

    /// `world` with the mechanism removed: its parameters fixed at 0, and no event's `Param`
    /// effect bringing them back (an `Add` to a zeroed γ would restore balance halfway
    /// through a trajectory). The events still fire as before: they draw the same numbers.
    pub fn apply(self, world: &World) -> World {
        let mut ablated = world.clone();
        for path in self.paths() {
            super::sweep::fix(&mut ablated, path, 0.0);
            let removed = path.targets(&Names::of(world));
            for event in &mut ablated.events {
                for effect in &mut event.effects {
                    if let Effect::Param { targets, .. } = effect {
                        targets.retain(|t| !removed.contains(t));
                    }
                }
            }
        }
        ablated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Change, Event, ParamSlot, ParamTarget, Sampler, Target, Timing};

    #[test]
    fn an_ablate_list_reads_names_once_each_in_a_fixed_order() {
        assert_eq!(
            Ablation::parse_list("all, balance"),
            Ok(vec![Ablation::Balance, Ablation::All])
        );
        assert_eq!(
            Ablation::parse_list("dependency,leverage,balance"),
            Ok(vec![
                Ablation::Balance,
                Ablation::Leverage,
                Ablation::Dependency
            ])
        );
        let typo = Ablation::parse_list("balance,levrage").unwrap_err();
        assert!(typo.contains("\"levrage\"") && typo.contains("did you mean `leverage`?"));
        let twice = Ablation::parse_list("all,all").unwrap_err();
        assert!(twice.contains("`all` is given twice"), "{twice}");
        assert!(Ablation::parse_list("").unwrap_err().contains("\"\""));
    }

    /// A world whose gamma is drawn, whose state 1 has its own beta, and whose event adds
    /// to gamma and to eta.
    fn world() -> World {
        let mut w = crate::model::fixtures::world(3, 1);
        let slot = |path: &str, sampler, targets: Vec<ParamTarget>| ParamSlot {
            path: path.into(),
            sampler,
            targets: targets.into_iter().map(Target::Param).collect(),
        };
        w.params = vec![
            slot(
                "gamma",
                Sampler::Uniform {
                    low: 0.2,
                    high: 0.8,
                },
                (0..3).map(ParamTarget::Gamma).collect(),
            ),
            slot(
                "beta.c0",
                Sampler::Fixed(1.0),
                vec![ParamTarget::Beta(0, 0), ParamTarget::Beta(0, 2)],
            ),
            slot(
                "beta.c0.s1",
                Sampler::Fixed(2.0),
                vec![ParamTarget::Beta(0, 1)],
            ),
        ];
        w.events = vec![Event {
            name: "push".into(),
            description: String::new(),
            actor: None,
            timing: Timing::Hazard,
            window: (1, 10),
            when: None,
            repeat: true,
            effects: vec![Effect::Param {
                targets: vec![ParamTarget::Gamma(0), ParamTarget::Eta(0)],
                change: Change::Add(0.5),
            }],
            choice: None,
            cases: vec![],
            directions: vec![],
            lags: vec![],
        }];
        w
    }

    #[test]
    fn an_ablation_zeroes_its_parameters_everywhere_and_strips_them_from_effects() {
        let w = world();
        let balance = Ablation::Balance.apply(&w);
        assert_eq!(balance.params[0].sampler, Sampler::Fixed(0.0));
        assert_eq!(balance.params[1].sampler, Sampler::Fixed(1.0));
        let Effect::Param { targets, .. } = &balance.events[0].effects[0] else {
            panic!("the effect stays a Param effect");
        };
        assert_eq!(targets, &[ParamTarget::Eta(0)]);

        let dependency = Ablation::Dependency.apply(&w);
        assert!(dependency.params[1..]
            .iter()
            .all(|p| p.sampler == Sampler::Fixed(0.0)));
        assert_eq!(dependency.params[0].sampler, w.params[0].sampler);

        let all = Ablation::All.apply(&w);
        let zero: Vec<_> = all.params.iter().map(|p| p.sampler.fixed()).collect();
        // (Lambda has no slot: a parameter no slot addresses is 0 in every trajectory.)
        assert_eq!(zero, [Some(0.0); 3]);
        let Effect::Param { targets, .. } = &all.events[0].effects[0] else {
            panic!("the effect stays a Param effect");
        };
        assert_eq!(targets, &[ParamTarget::Eta(0)]);
    }
}
