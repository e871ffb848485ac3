//! `report.html` of a scored forecast (`simulate score`): the run's page with a section of
//! scores after its outcome table: the totals of the model and of each ablation, the
//! observations one by one, and the pictures of the score.

use std::fmt::Write as _;
use std::io;

use super::plots::score_figures;
use super::report::{escape, figures_section, run_page_with, Section};
use super::{File, Files};
use crate::analysis::score::{ScoreRun, Scored, Totals};

pub struct ScoreReport;

impl Files<ScoreRun> for ScoreReport {
    fn files(&self, r: &ScoreRun) -> io::Result<Vec<File>> {
        let page = run_page_with(&r.summary, Some(&section(r)?))?;
        Ok(vec![("report.html".into(), page.into_bytes())])
    }
}

/// Observation rows the page lists; every row is in score.csv.
const SHOWN_ROWS: usize = 200;

fn section(r: &ScoreRun) -> io::Result<Section> {
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<h2 id=\"score\">Scored against history</h2>\n<p>{} observations from \
         <code>{}</code> (sha256 <code>{}</code>), each read against the model's distribution \
         at its step: the histogram the run keeps, each bin's trajectories spread evenly over \
         the bin. <em>Coverage</em>: how many observations lie inside the middle 90% and 50% \
         of trajectories (a calibrated forecast: about 90% and 50% of them). <em>PIT</em>: the \
         share of trajectories below the observed value. <em>CRPS</em>: the distance between \
         the forecast distribution and what happened, in the metric's units (0 is perfect); \
         <em>persistence</em> forecasts each metric's value at step 0, and its CRPS is its \
         absolute error; <em>skill</em> = 1 &minus; CRPS / persistence CRPS (above 0: better \
         than persistence). An outcome's <em>Brier</em> score is (probability &minus; what \
         happened)&sup2;, beside the base rate's: the probability with events and noise \
         only.</p>",
        r.scores.len(),
        escape(&r.observed),
        escape(&r.observed_sha256),
    );
    totals_table(&mut html, r);
    observations_table(&mut html, r);
    figures_section(&mut html, &score_figures(r))?;
    Ok(Section {
        id: "score".into(),
        heading: "Scored against history".into(),
        html,
    })
}

/// The model's totals, then each ablation's.
fn totals_table(out: &mut String, r: &ScoreRun) {
    out.push_str(
        "<table id=\"score-totals\">\n<thead><tr><th>model</th><th class=\"num\">in 90% band</th>\
         <th class=\"num\">in 50% band</th><th class=\"num\">CRPS</th>\
         <th class=\"num\">persistence CRPS</th><th class=\"num\">skill</th>\
         <th class=\"num\">Brier (base rate)</th></tr></thead>\n<tbody>\n",
    );
    totals_row(out, "the full model", &r.totals);
    for a in &r.ablations {
        totals_row(out, &format!("{} ({})", a.ablation, a.removes), &a.totals);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn totals_row(out: &mut String, name: &str, t: &Totals) {
    let number =
        |x: Option<f64>, digits: usize| x.map_or("&ndash;".into(), |x| format!("{x:.digits$}"));
    let brier = match (t.brier, t.base_brier) {
        (Some(b), Some(base)) => format!("{b:.4} ({base:.4})"),
        _ => "&ndash;".into(),
    };
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td class=\"num\">{}/{n}</td><td class=\"num\">{}/{n}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{brier}</td></tr>",
        escape(name),
        t.in90,
        t.in50,
        number(t.crps, 4),
        number(t.persistence_crps, 4),
        number(t.skill, 3),
        n = t.n,
    );
}

/// One row per observation (the first `SHOWN_ROWS`).
fn observations_table(out: &mut String, r: &ScoreRun) {
    out.push_str(
        "<table id=\"score-observations\">\n<thead><tr><th>line</th><th>metric or outcome</th>\
         <th class=\"num\">step</th><th class=\"num\">observed</th>\
         <th class=\"num\">forecast: 5%, 50%, 95% (or probability)</th>\
         <th class=\"num\">PIT</th><th class=\"num\">CRPS (Brier)</th>\
         <th class=\"num\">persistence error (base rate's Brier)</th></tr></thead>\n<tbody>\n",
    );
    for s in r.scores.iter().take(SHOWN_ROWS) {
        let cells = match &s.scored {
            Scored::Metric(x) => format!(
                "<td class=\"num{}\">{:.3}, {:.3}, {:.3}</td><td class=\"num\">{:.3}</td>\
                 <td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td>",
                if x.in90 { "" } else { " up" },
                x.p05,
                x.p50,
                x.p95,
                x.pit,
                x.crps,
                x.persistence_error
            ),
            Scored::Outcome(x) => format!(
                "<td class=\"num\">{:.3}</td><td class=\"num\">&ndash;</td>\
                 <td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td>",
                x.probability, x.brier, x.base_brier
            ),
        };
        let _ = writeln!(
            out,
            "<tr data-line=\"{line}\"><td class=\"num\">{line}</td><td class=\"name\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td>{cells}</tr>",
            escape(&s.metric),
            s.step,
            s.value,
            line = s.line,
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if r.scores.len() > SHOWN_ROWS {
        let _ = writeln!(
            out,
            "<p>The first {SHOWN_ROWS} of {} observations; every one is in \
             <code>score.csv</code>.</p>",
            r.scores.len()
        );
    }
}
