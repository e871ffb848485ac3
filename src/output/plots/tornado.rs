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
    header, house_style, label_width, legend, slug, text, DrawResult, Figure, Key, Plot, INK,
    MUTED, SIDE_A,
};
use crate::analysis::factor_groups::Grouping;
use crate::analysis::sensitivity::{FactorIndices, Kind, OutcomeSensitivity, Sensitivity};
use crate::output::numbers::{count, fixed};
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
        let note = self.note().map_or(0, |n| NOTE_LINE * wrap(&n).len() as u32);
        (1000, 220 + note + 56 * bars)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let s = self.sensitivity;
        let sub = format!(
            "{}: {} design points ({} base samples x {}), {} each, seed {}",
            s.subject(),
            s.samples as usize * (s.factors.len() + 2),
            s.samples,
            s.factors.len() + 2,
            count(s.manifest.trajectories as usize, "trajectory"),
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
                let lines = wrap(&note);
                for (i, line) in lines.iter().enumerate() {
                    let y = 2 + (NOTE_LINE * i as u32) as i32;
                    body.draw(&Text::new(line.clone(), (20, y), text(14.0, &MUTED)))?;
                }
                body.split_vertically(NOTE_LINE * lines.len() as u32).1
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
        let names: Vec<String> = rows.iter().map(|r| r.factor.clone()).collect();
        // A long parameter path (`event.energy_megadeal.hazard`) widens the names' area
        // rather than run off the picture's left edge.
        let widest = label_width(&body, names.iter().cloned(), &text(15.0, &INK))?;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_right(28)
            .margin_bottom(10)
            .margin_top(4)
            .x_label_area_size(52)
            .y_label_area_size(220.max(widest + 24))
            .build_cartesian_2d(lo..hi * 1.05, 0f64..n)?;
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
                .x_label_formatter(&|x| fixed(*x, 1)),
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
            let label = format!("S {}  ST {}", fixed(r.first, 2), fixed(r.total, 2));
            value_label(
                &mut chart,
                label,
                (r.total.max(r.total_high).max(0.0), y + 0.5),
            )?;
        }
        Ok(())
    }
}

/// The height of a line of the note under the legend, in pixels.
const NOTE_LINE: u32 = 24;
/// The width of a line of the note, in pixels: the picture's less its margins.
const NOTE_WIDTH: u32 = 1000 - 20 - 30;

/// The note cut at spaces into lines that fit `NOTE_WIDTH` in the note's font (a longer
/// word alone on its line), measured without a picture, so that `size` can count them.
fn wrap(note: &str) -> Vec<String> {
    super::register_font();
    let font = text(14.0, &MUTED).font;
    let fits = |line: &str| font.box_size(line).is_ok_and(|(w, _)| w <= NOTE_WIDTH);
    let mut lines: Vec<String> = Vec::new();
    for word in note.split(' ') {
        match lines.last_mut() {
            Some(line) if fits(&format!("{line} {word}")) => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A bar's values beside its end, or, where they would run past the chart's right edge,
/// right-aligned at the edge on a white ground.
fn value_label<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    label: String,
    at: (f64, f64),
) -> DrawResult<DB> {
    let style = text(13.0, &INK);
    let (w, h) = chart.plotting_area().estimate_text_size(&label, &style)?;
    let (w, h) = (w as i32, h as i32);
    let right = chart.plotting_area().get_pixel_range().0.end;
    if chart.backend_coord(&at).0 + w + 2 <= right {
        chart.draw_series(std::iter::once(Text::new(
            label,
            at,
            style.pos(Pos::new(HPos::Left, VPos::Center)),
        )))?;
        return Ok(());
    }
    let edge = chart.x_range().end;
    let shift = right - chart.backend_coord(&(edge, at.1)).0;
    chart.draw_series(std::iter::once(
        EmptyElement::at((edge, at.1))
            + Rectangle::new(
                [(shift - w - 6, -h / 2 - 2), (shift - 1, h / 2 + 2)],
                WHITE.mix(0.85).filled(),
            )
            + Text::new(
                label,
                (shift - 3, 0),
                style.pos(Pos::new(HPos::Right, VPos::Center)),
            ),
    ))?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: the note "95% interval wider than 0.3 for gamma, …" ran past the
    /// picture's right edge and was cut off. Now every line of it fits, as drawn.
    #[test]
    fn the_tornado_note_is_wrapped_inside_the_picture() {
        let factors: Vec<String> = (0..12)
            .map(|i| format!("background.supplier_{i}"))
            .collect();
        let note = format!(
            "Grey: not reliable (first-order indices sum to 1.36, above 1.05; 95% interval \
             wider than 0.3 for gamma, {})",
            factors.join(", ")
        );
        let lines = wrap(&note);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), note);
        let mut pixels = vec![0u8; 1000 * 40 * 3];
        let area = BitMapBackend::with_buffer(&mut pixels, (1000, 40)).into_drawing_area();
        for line in &lines {
            let (w, _) = area.estimate_text_size(line, &text(14.0, &MUTED)).unwrap();
            assert!(20 + w <= 1000, "{w}: {line}");
        }
    }
}
