//! `report.html` of `simulate explain`: the run's page with a **Why** section after its
//! outcome table: which events each answer rests on (the paired effect of removing each),
//! how each outcome's chances differ with and without each event, and the forces on each
//! tracked stance and partnership over time.

use std::fmt::Write as _;
use std::io;

use super::numbers::{percent, points};
use super::plots::{discovery_figures, force_figures};
use super::report::{escape, figures_section, run_page_with, Section};
use super::{File, Files};
use crate::analysis::discovered::{shown, MOST_RESTRICTED};
use crate::analysis::explain::Explanation;

pub struct ExplainReport;

impl Files<Explanation> for ExplainReport {
    fn files(&self, e: &Explanation) -> io::Result<Vec<File>> {
        // Scenario discovery's boxes (`analysis::discovered`) are the first parts of the
        // section: what the answer rests on among the drawn inputs and the events' timing.
        let parts: Vec<Section> = discovery_part(e)?.into_iter().collect();
        let page = run_page_with(&e.summary, Some(&why(e, &parts)?))?;
        Ok(vec![("report.html".into(), page.into_bytes())])
    }
}

/// Scenario discovery's part of the Why section: for each outcome its chosen box as a
/// sentence and a table of the restricted inputs (none when nothing was searched).
fn discovery_part(e: &Explanation) -> io::Result<Option<Section>> {
    let Some(first) = e.discovery.first() else {
        return Ok(None);
    };
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<p>Where each outcome is likeliest, among the drawn inputs and the events' first \
         steps (never = the step after the last): PRIM (Friedman &amp; Fisher) peels the \
         first {} trajectories of the run 5% at a time along one input until the box holds 5% \
         of them; the box stated is the densest on the way that restricts at most {} inputs. \
         <em>Density</em>: the share of the box's trajectories where the outcome holds; \
         <em>mass</em>: the box's share of all; <em>coverage</em>: the share of the \
         trajectories where it holds that lie in the box. The quasi-p-value of a limit is how \
         likely the box's hits would be were the limit dropped; discovery.csv has every box \
         on the way.</p>",
        first.trajectories, MOST_RESTRICTED
    );
    for found in &e.discovery {
        let _ = writeln!(
            html,
            "<p class=\"discovery\" data-outcome=\"{}\">{}.</p>",
            escape(&found.outcome),
            escape(&found.sentence())
        );
        if found.conditions.is_empty() {
            continue;
        }
        html.push_str(
            "<table class=\"discovery-table\">\n<thead><tr><th>input</th>\
             <th class=\"num\">low</th><th class=\"num\">high</th>\
             <th class=\"num\">quasi-p</th></tr></thead>\n<tbody>\n",
        );
        for c in &found.conditions {
            let side = |restricted: bool, x: f64| {
                if restricted {
                    shown(x)
                } else {
                    "&ndash;".to_string()
                }
            };
            let _ = writeln!(
                html,
                "<tr><td class=\"name\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{:.2e}</td></tr>",
                escape(&c.input),
                side(c.low_restricted, c.low),
                side(c.high_restricted, c.high),
                c.p_value
            );
        }
        html.push_str("</tbody>\n</table>\n");
    }
    figures_section(&mut html, &discovery_figures(e))?;
    Ok(Some(Section {
        id: "discovery".into(),
        heading: "Scenario discovery".into(),
        html,
    }))
}

/// Events listed per outcome or metric in the tables; contributions.csv has them all.
const SHOWN_EVENTS: usize = 10;

/// The Why section: `discovery`'s parts first (each with its own heading), then the
/// contributions, the conditional probabilities and the forces.
pub fn why(e: &Explanation, discovery: &[Section]) -> io::Result<Section> {
    let mut html = String::new();
    html.push_str(
        "<h2 id=\"why\">Why</h2>\n<p>What each answer rests on. <em>Contributions</em>: \
         the scenario run again without each listed event, on the same random numbers, and \
         the paired difference (without &minus; with) in each outcome's probability and each \
         tracked metric's final mean, largest first; the interval is the paired 95% one of \
         <code>simulate compare</code>. <em>With and without</em>: each outcome's \
         probability among the trajectories in which the event happened by the end, and \
         among the others (a correlation, not an effect). <em>Forces</em>: the mean of each \
         term of a tracked stance's target, tanh(A + D &minus; &lambda;L + &gamma;B), over \
         time.</p>\n",
    );
    for part in discovery {
        let _ = writeln!(
            html,
            "<h3 id=\"{}\">{}</h3>",
            escape(&part.id),
            escape(&part.heading)
        );
        html.push_str(&part.html);
    }
    contributions(&mut html, e);
    with_and_without(&mut html, e);
    html.push_str("<h3 id=\"forces\">Forces</h3>\n");
    if e.forces.is_empty() {
        html.push_str(
            "<p>The scenario tracks no stance or partnership, so there are no forces to \
             show: add a <code>Stance</code> or <code>Partnership</code> metric.</p>\n",
        );
    }
    figures_section(&mut html, &force_figures(e))?;
    Ok(Section {
        id: "why".into(),
        heading: "Why".into(),
        html,
    })
}

fn contributions(out: &mut String, e: &Explanation) {
    out.push_str("<h3 id=\"contributions\">Contributions of the events</h3>\n");
    if !e.never_fired.is_empty() {
        let names: Vec<String> = e
            .never_fired
            .iter()
            .map(|n| format!("<code>{}</code>", escape(n)))
            .collect();
        let _ = writeln!(
            out,
            "<p>Named by an outcome or another event, so kept in the file and never fired \
             instead of removed (as <code>SetTiming(&quot;…&quot;, Hazard(0))</code> would \
             make them): {}.</p>",
            names.join(", ")
        );
    }
    if !e.kept.is_empty() {
        out.push_str("<p>Not removed (so not in the tables):</p>\n<ul>\n");
        for k in &e.kept {
            let _ = writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(&k.event),
                escape(&k.why)
            );
        }
        out.push_str("</ul>\n");
    }
    let mut names: Vec<(&str, &str)> = Vec::new();
    for c in &e.contributions {
        if !names.contains(&(c.kind, c.name.as_str())) {
            names.push((c.kind, &c.name));
        }
    }
    if names.is_empty() {
        out.push_str("<p>No event could be removed.</p>\n");
        return;
    }
    out.push_str(
        "<table id=\"contributions-table\">\n<thead><tr><th>outcome or metric</th>\
         <th>without the event</th><th class=\"num\">effect</th>\
         <th class=\"num\">95% interval</th><th class=\"num\">with &rarr; without</th>\
         </tr></thead>\n<tbody>\n",
    );
    for (kind, name) in names {
        for c in e.contributions_to(kind, name).take(SHOWN_EVENTS) {
            let (effect, interval, change) = if kind == "outcome" {
                (
                    format!("{} pp", points(c.effect)),
                    format!("[{}, {}]", points(c.ci_low), points(c.ci_high)),
                    format!("{} &rarr; {}", percent(c.with), percent(c.without)),
                )
            } else {
                (
                    format!("{:+.4}", c.effect),
                    format!("[{:+.4}, {:+.4}]", c.ci_low, c.ci_high),
                    format!("{:.4} &rarr; {:.4}", c.with, c.without),
                )
            };
            let _ = writeln!(
                out,
                "<tr data-{kind}=\"{name}\" data-event=\"{event}\"><td class=\"name\">{name}</td>\
                 <td>{event}</td><td class=\"num\">{effect}</td><td class=\"num\">{interval}</td>\
                 <td class=\"num\">{change}</td></tr>",
                name = escape(name),
                event = escape(&c.event),
            );
        }
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Each outcome's probability with and without each event by the last step.
fn with_and_without(out: &mut String, e: &Explanation) {
    let last = e.summary.manifest.steps as usize;
    let rows: Vec<_> = e.conditional.iter().filter(|c| c.step == last).collect();
    if rows.is_empty() {
        return;
    }
    out.push_str(
        "<h3 id=\"conditional\">Outcomes with and without each event</h3>\n\
         <p>By the last step; conditional.csv has every step.</p>\n\
         <table id=\"conditional-table\">\n<thead><tr><th>outcome</th><th>event</th>\
         <th class=\"num\">if it happened</th><th class=\"num\">if not</th></tr></thead>\n<tbody>\n",
    );
    let shown = |p: Option<f64>, n: u64| match p {
        Some(p) => format!("{} ({n})", percent(p)),
        None => "&ndash; (0)".to_string(),
    };
    for c in rows {
        let _ = writeln!(
            out,
            "<tr><td class=\"name\">{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(&c.outcome),
            escape(&c.event),
            shown(c.held_if_fired, c.fired),
            shown(c.held_if_not, c.not_fired),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}
