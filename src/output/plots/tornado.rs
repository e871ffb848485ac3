//! Tornado chart of one output's sensitivity (an outcome's probability or a tracked metric's
//! final mean, or with `--against` its effect B - A): a bar per sampled parameter, longest on
//! top, for its total Sobol index (light) and first-order index (dark), with the bootstrap
//! 95% interval of each as a whisker. Bars whose indices cannot be read (see
//! [`OutcomeSensitivity::flag_unreliable`](crate::analysis::sensitivity::OutcomeSensitivity::flag_unreliable))
//! are grey, and a note under the legend says why.

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    header, house_style, legend, slug, text, DrawResult, Figure, Key, Plot, INK, MUTED, SIDE_A,
};
use crate::analysis::factor_groups::Grouping;
use crate::analysis::sensitivity::{FactorIndices, Kind, OutcomeSensitivity, Sensitivity};
use crate::output::Exporter;

pub struct Tornado<'a> {
    pub sensitivity: &'a Sensitivity,
    /// Index into `Sensitivity::targets`: outcomes, then metrics.
    pub target: usize,
}

impl Tornado<'_> {
    fn outcome(&self) -> &OutcomeSensitivity {
        self.sensitivity.targets()[self.target].1
    }

    fn kind(&self) -> Kind {
        self.sensitivity.targets()[self.target].0
    }

    /// The output whose variance is split, in words.
    fn output(&self) -> String {
        let s = self.sensitivity;
        match (self.kind(), &s.against) {
            (Kind::Outcome, None) => format!("P({})", self.name()),
            (Kind::Metric, None) => format!("the mean final {}", self.name()),
            (Kind::Outcome, Some(a)) => format!(
                "the effect P_B - P_A on {} of {} (B) against {} (A)",
                self.name(),
                s.manifest.scenario,
                a.scenario
            ),
            (Kind::Metric, Some(a)) => format!(
                "the effect on the mean final {} of {} (B) against {} (A)",
                self.name(),
                s.manifest.scenario,
                a.scenario
            ),
        }
    }

    fn name(&self) -> &str {
        &self.outcome().name
    }

    /// Why grey bars are grey: the outcome's reasons, then the factors with their own.
    fn note(&self) -> Option<String> {
        let o = self.outcome();
        if !o.any_unreliable() {
            return None;
        }
        let mut reasons = o.caveats.clone();
        let vague: Vec<&str> = o
            .factors
            .iter()
            .filter(|x| !x.caveats.is_empty())
            .map(|x| x.factor.as_str())
            .collect();
        if !vague.is_empty() {
            reasons.push(format!(
                "95% interval wider than 0.3 for {}",
                vague.join(", ")
            ));
        }
        Some(format!("Grey: not reliable ({})", reasons.join("; ")))
    }

    /// This outcome's rows, largest total index first (ties in file order).
    fn rows(&self) -> Vec<&FactorIndices> {
        let mut rows: Vec<&FactorIndices> = self.outcome().factors.iter().collect();
        rows.sort_by(|a, b| b.total.total_cmp(&a.total));
        rows
    }
}

impl Plot for Tornado<'_> {
    fn stem(&self) -> String {
        let effect = if self.sensitivity.against.is_some() {
            "effect_"
        } else {
            ""
        };
        format!(
            "tornado_{effect}{:02}_{}",
            self.target + 1,
            slug(self.name())
        )
    }
    fn title(&self) -> String {
        match &self.sensitivity.against {
            Some(a) => format!(
                "What drives the effect on {} (B - A, A = {})",
                self.name(),
                a.scenario
            ),
            None => format!("What drives {}", self.name()),
        }
    }
    fn caption(&self) -> String {
        // A group's factors are varied together: its indices are closed (its members'
        // interactions with each other count as the group's own).
        let (each, its) = match self.sensitivity.grouping {
            Grouping::Each => ("each sampled parameter", "its"),
            g => (
                match g {
                    Grouping::Kind => "each kind of drawn number, its ranges varied together",
                    _ => "each group of the file (or range in none), varied together",
                },
                "the group's",
            ),
        };
        format!(
            "Share of the variance of {} across the parameters' distributions explained by \
             {each}: alone (first-order Sobol index, dark) and with {its} \
             interactions (total index, light), with bootstrap 95% intervals.{}",
            self.output(),
            self.note()
                .map(|n| format!(" {n}; see `why` in sensitivity.csv."))
                .unwrap_or_default()
        )
    }
    fn size(&self) -> (u32, u32) {
        let bars = self.rows().len().max(1) as u32;
        let note = if self.note().is_some() { 24 } else { 0 };
        (1000, 220 + note + 56 * bars)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let s = self.sensitivity;
        let sub = format!(
            "{}: {} design points ({} base samples x {}), {} trajectories each, seed {}",
            s.subject(),
            s.samples as usize * (s.factors.len() + 2),
            s.samples,
            s.factors.len() + 2,
            s.manifest.trajectories,
            s.manifest.seed
        );
        let body = header(root, &self.title(), &sub)?;
        let mut keys = vec![
            ("total index".to_string(), Key::Band(SIDE_A, 0.35)),
            ("first-order index".to_string(), Key::Band(SIDE_A, 1.0)),
            ("95% interval".to_string(), Key::Line(INK, 1)),
        ];
        let note = self.note();
        if note.is_some() {
            keys.push(("not reliable".to_string(), Key::Band(MUTED, 0.6)));
        }
        let body = legend(&body, &keys)?;
        let body = match note {
            Some(note) => {
                body.draw(&Text::new(note, (20, 2), text(14.0, &MUTED)))?;
                body.split_vertically(24).1
            }
            None => body,
        };
        let rows = self.rows();
        let n = rows.len().max(1) as f64;
        let hi = rows
            .iter()
            .flat_map(|r| [r.total_high, r.first_high, r.total])
            .filter(|v| v.is_finite())
            .fold(0.1f64, f64::max)
            .min(1.5);
        let lo = rows
            .iter()
            .flat_map(|r| [r.first_low, r.first])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::min)
            .max(-0.5);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_right(28)
            .margin_bottom(10)
            .margin_top(4)
            .x_label_area_size(52)
            .y_label_area_size(220)
            .build_cartesian_2d(lo..hi * 1.05, 0f64..n)?;
        let names: Vec<String> = rows.iter().map(|r| r.factor.clone()).collect();
        let count = names.len();
        house_style(
            chart
                .configure_mesh()
                .disable_y_mesh()
                .x_desc("Sobol index (share of variance)")
                .y_labels(count * 2 + 1)
                .y_label_formatter(&|y| {
                    let i = y.floor() as usize;
                    if (y - i as f64 - 0.5).abs() < 1e-9 && i < count {
                        // Top row first.
                        names[count - 1 - i].clone()
                    } else {
                        String::new()
                    }
                })
                .x_label_formatter(&|x| format!("{x:.1}")),
        )
        .draw()?;
        let outcome = self.outcome();
        for (k, r) in rows.iter().enumerate() {
            let y = (count - 1 - k) as f64;
            let colour = if r.why(outcome).is_empty() {
                SIDE_A
            } else {
                MUTED
            };
            let bar = |v: f64, top: f64, bottom: f64, alpha: f64| {
                Rectangle::new(
                    [(0.0, y + bottom), (v, y + top)],
                    colour.mix(alpha).filled(),
                )
            };
            chart.draw_series(std::iter::once(bar(r.total, 0.85, 0.15, 0.35)))?;
            chart.draw_series(std::iter::once(bar(r.first, 0.7, 0.3, 1.0)))?;
            for (low, high, at) in [
                (r.total_low, r.total_high, 0.8),
                (r.first_low, r.first_high, 0.5),
            ] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(low, y + at), (high, y + at)],
                    INK.stroke_width(1),
                )))?;
            }
            chart.draw_series(std::iter::once(Text::new(
                format!("S {:.2}  ST {:.2}", r.first, r.total),
                (r.total.max(r.total_high).max(0.0), y + 0.5),
                text(13.0, &INK).pos(Pos::new(HPos::Left, VPos::Center)),
            )))?;
        }
        Ok(())
    }
}

/// Every tornado chart of a sensitivity analysis.
pub fn tornado_figures(s: &Sensitivity) -> Vec<Box<dyn Figure + '_>> {
    (0..s.targets().len())
        .map(|target| {
            Box::new(Tornado {
                sensitivity: s,
                target,
            }) as Box<dyn Figure + '_>
        })
        .collect()
}

/// The plots of a sensitivity analysis, in `plots/`.
pub struct TornadoPlots;

impl Exporter<Sensitivity> for TornadoPlots {
    fn write(&self, s: &Sensitivity, dir: &Path) -> io::Result<()> {
        super::write_figures(&tornado_figures(s), dir)
    }
}
