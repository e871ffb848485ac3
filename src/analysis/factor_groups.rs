//! The units a sensitivity analysis attributes variance to: each factor alone, the factors
//! of one kind together (structure, stances, ties, effects, timing, background), or the
//! file's named groups (`model::factor_groups`). A group's columns of the Saltelli design are
//! swapped together, so its indices are closed (group) Sobol indices: the first-order index
//! is the share of the variance the group's factors explain together, their interactions
//! with each other included; the total adds their interactions with everything else.

use crate::model::factor_groups::NamedGroup;
use crate::model::{ParamTarget, Target};

/// How the factors are grouped (`simulate sensitivity --groups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// Each factor alone.
    Each,
    /// By kind of number (`KINDS`).
    Kind,
    /// The file's `groups`; a factor in none stays alone.
    File,
}

impl Grouping {
    /// Every grouping, in the order `--groups` lists them.
    pub const ALL: [Grouping; 3] = [Grouping::Each, Grouping::Kind, Grouping::File];

    /// How the grouping is named in the table and in `--groups`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Each => "none",
            Grouping::Kind => "kind",
            Grouping::File => "file",
        }
    }
}

/// The kinds of number, in the order their groups are listed.
pub const KINDS: [&str; 6] = [
    "structure",
    "stances",
    "ties",
    "effects",
    "timing",
    "background",
];

/// The kind of a drawn number: the model's structural parameters; initial stances and
/// affinities; tie shares and state weights; effect amounts and the weights of an event's
/// directions; when events happen and land (hazards, steps, windows, lags); the
/// background's parameters.
pub fn kind(target: &Target) -> &'static str {
    match target {
        // A case's hazard is as much a hazard as the event's own.
        Target::Param(ParamTarget::Hazard(_) | ParamTarget::Case(_)) => "timing",
        Target::Param(ParamTarget::Background(_)) => "background",
        Target::Param(_) => "structure",
        Target::Stance(_) | Target::Affinity(_) => "stances",
        Target::Share(_) | Target::Weight(_) => "ties",
        // A direction's weight says which effects an event has.
        Target::Amount(_) | Target::Direction(_) => "effects",
        Target::At(_)
        | Target::Every(_)
        | Target::WindowFirst(_)
        | Target::WindowLast(_)
        | Target::Delay(_)
        | Target::Over(_) => "timing",
    }
}

/// One unit of the analysis: its name and its factors (indices into the factor list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorGroup {
    pub name: String,
    pub members: Vec<usize>,
}

/// The units of an analysis of factors with `paths`, each slot setting `targets` (every
/// target of a slot is of one kind; a slot with none counts as structure), grouped as
/// `grouping` says, `named` being the file's groups. Groups without a factor are left out.
pub fn units(
    paths: &[String],
    targets: &[&[Target]],
    grouping: Grouping,
    named: &[NamedGroup],
) -> Vec<FactorGroup> {
    let alone = |i: usize| FactorGroup {
        name: paths[i].clone(),
        members: vec![i],
    };
    match grouping {
        Grouping::Each => (0..paths.len()).map(alone).collect(),
        Grouping::Kind => KINDS
            .iter()
            .map(|&k| FactorGroup {
                name: k.to_string(),
                members: (0..paths.len())
                    .filter(|&i| targets[i].first().map_or("structure", kind) == k)
                    .collect(),
            })
            .filter(|g| !g.members.is_empty())
            .collect(),
        Grouping::File => {
            let mut taken = vec![false; paths.len()];
            let mut units: Vec<FactorGroup> = named
                .iter()
                .map(|g| {
                    let members: Vec<usize> = (0..paths.len())
                        .filter(|&i| !taken[i] && g.holds(&paths[i]))
                        .collect();
                    for &i in &members {
                        taken[i] = true;
                    }
                    FactorGroup {
                        name: g.name.clone(),
                        members,
                    }
                })
                .filter(|g| !g.members.is_empty())
                .collect();
            units.extend((0..paths.len()).filter(|&i| !taken[i]).map(alone));
            units
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn factors_group_by_kind_in_the_kinds_order() {
        let p = paths(&[
            "eta",
            "stance.A.B",
            "event.x.hazard",
            "event.x.at",
            "share.arms.A.B",
        ]);
        let t = [
            Target::Param(ParamTarget::Eta(0)),
            Target::Stance(1),
            Target::Param(ParamTarget::Hazard(0)),
            Target::At(0),
            Target::Share(1),
        ];
        let targets: Vec<&[Target]> = t.iter().map(std::slice::from_ref).collect();
        let u = units(&p, &targets, Grouping::Kind, &[]);
        let got: Vec<(&str, &[usize])> = u
            .iter()
            .map(|g| (g.name.as_str(), &g.members[..]))
            .collect();
        assert_eq!(
            got,
            [
                ("structure", &[0][..]),
                ("stances", &[1][..]),
                ("ties", &[4][..]),
                ("timing", &[2, 3][..])
            ]
        );
    }

    #[test]
    fn named_groups_come_first_and_the_rest_stand_alone() {
        let p = paths(&["eta", "event.x.at", "event.x.effect.1", "stance.A.B"]);
        let t = [Target::Stance(0); 4];
        let targets: Vec<&[Target]> = t.iter().map(std::slice::from_ref).collect();
        let named = [NamedGroup {
            name: "x".into(),
            patterns: vec!["event.x.*".into()],
        }];
        let u = units(&p, &targets, Grouping::File, &named);
        let got: Vec<(&str, &[usize])> = u
            .iter()
            .map(|g| (g.name.as_str(), &g.members[..]))
            .collect();
        assert_eq!(
            got,
            [
                ("x", &[1, 2][..]),
                ("eta", &[0][..]),
                ("stance.A.B", &[3][..])
            ]
        );
        let each = units(&p, &targets, Grouping::Each, &named);
        assert_eq!(each.len(), 4);
        assert_eq!(each[3].members, [3]);
    }
}
