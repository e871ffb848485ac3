//! `report.html`: one self-contained page per run (and per comparison) that an analyst can
//! open offline, mail, or print. Every picture is inlined as SVG, the styles are inline, and
//! nothing is fetched: no scripts, no web fonts, no external images.
//!
//! The page is built from the same summary as the other files, by plain string formatting in
//! a fixed order, so the same run gives the same bytes.

use std::fmt::Write as _;
use std::io;

use super::numbers::{percent, points};
use super::plots::exceedance::MOST_DRAWN;
use super::plots::{compare_figures, run_figures, Figure};
use super::{File, Files};
use crate::analysis::compare::{folder, label};
use crate::analysis::exceedance::Point;
use crate::analysis::summary::{tidy, Probability};
use crate::analysis::{Comparison, Manifest, RunSummary};

/// The report of a run.
pub struct RunReport;

/// The report of a comparison.
pub struct CompareReport;

impl Files<RunSummary> for RunReport {
    fn files(&self, s: &RunSummary) -> io::Result<Vec<File>> {
        Ok(vec![("report.html".into(), run_page(s)?.into_bytes())])
    }
}

impl Files<Comparison> for CompareReport {
    fn files(&self, c: &Comparison) -> io::Result<Vec<File>> {
        Ok(vec![("report.html".into(), compare_page(c)?.into_bytes())])
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
       background: #fff; margin: 0; line-height: 1.45; font-size: 15px; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.8em; margin: 0.2em 0 0.1em; }
h2 { font-size: 1.3em; margin: 1.8em 0 0.6em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
p.lead { font-size: 1.1em; color: #333; margin-top: 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; font-size: 0.95em; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { font-family: "DejaVu Sans Mono", Consolas, monospace; white-space: nowrap; }
td.up { color: #b35400; font-weight: 600; }
/* A legal name of 200 characters without a space pushed the probabilities off the page. */
table.blocs td, table.standings th, #bloc-standing { overflow-wrap: anywhere; }
table.blocs td.name, table.standings th { white-space: normal; }
span.note { color: #8a5a00; font-size: 0.92em; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0.5em 0; }
dl.manifest dt { color: #666; }
dl.manifest dd { margin: 0; font-family: "DejaVu Sans Mono", Consolas, monospace; word-break: break-all; }
figure { margin: 1.2em 0 2em; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.92em; margin-top: 0.4em; }
nav ul { columns: 2; padding-left: 1.2em; }
footer { color: #888; font-size: 0.85em; margin-top: 3em; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, tr { break-inside: avoid; }
  figure svg { border: none; max-height: 240mm; }
  a { color: inherit; text-decoration: none; }
}
"#;

fn page_start(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(title)
    );
}

fn page_end(out: &mut String, version: &str) {
    let _ = write!(
        out,
        "<footer>Written by entente {} (simulate). This page is self-contained: it loads \
         nothing from the network.</footer>\n</main>\n</body>\n</html>\n",
        escape(version)
    );
}

fn manifest_list(out: &mut String, m: &Manifest) {
    let rows = [
        ("scenario", m.scenario.clone()),
        ("scenario sha256", m.scenario_sha256.clone()),
        ("seed", m.seed.to_string()),
        ("trajectories", m.trajectories.to_string()),
        (
            "steps",
            match m.calendar {
                None => format!("{} (one step = one {})", m.steps, m.step_unit),
                Some(c) => format!(
                    "{} (one step = one {}), {} to {}",
                    m.steps,
                    m.step_unit,
                    c.date(1),
                    c.date(i64::from(m.steps))
                ),
            },
        ),
        ("engine version", m.engine_version.clone()),
    ];
    // A variant names the files it was built on (its first link is the scenario itself).
    let bases = m.scenario_chain.iter().skip(1).map(|link| {
        (
            "variant of",
            format!("{} (sha256 {})", link.path, link.sha256),
        )
    });
    out.push_str("<dl class=\"manifest\">\n");
    for (k, v) in rows.into_iter().chain(bases) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    }
    out.push_str("</dl>\n");
}

/// The figures, each with an anchor, its heading, the inline SVG and its caption.
pub(super) fn figures_section(
    out: &mut String,
    figures: &[Box<dyn Figure + '_>],
) -> io::Result<()> {
    for f in figures {
        // Drawn in memory, so no file's note stops them at Ctrl-C: each figure does.
        crate::progress::unless_interrupted()?;
        let stem = f.file_stem();
        let svg = f.svg()?;
        let _ = write!(
            out,
            "<figure id=\"{id}\" data-plot=\"{id}\" aria-label=\"{heading}\">\n{svg}\n\
             <figcaption>{caption} (Also in <code>plots/{id}.png</code> and \
             <code>plots/{id}.svg</code>.)</figcaption>\n</figure>\n",
            id = escape(&stem),
            heading = escape(&f.heading()),
            svg = svg.trim(),
            caption = escape(&f.explanation()),
        );
    }
    Ok(())
}

fn contents(out: &mut String, entries: &[(String, String)]) {
    out.push_str("<nav><ul>\n");
    for (id, heading) in entries {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(id),
            escape(heading)
        );
    }
    out.push_str("</ul></nav>\n");
}

/// A section another command adds to a run's page (the scores of `simulate score`), after
/// the outcome table: its id and heading for the contents, and its HTML.
pub struct Section {
    pub id: String,
    pub heading: String,
    pub html: String,
}

/// The report of one run.
pub fn run_page(s: &RunSummary) -> io::Result<String> {
    run_page_with(s, None)
}

/// The report of one run, with `extra` after its outcome table.
pub fn run_page_with(s: &RunSummary, extra: Option<&Section>) -> io::Result<String> {
    let m = &s.manifest;
    let figures = run_figures(s);
    let mut out = String::new();
    page_start(&mut out, &format!("{} — entente report", m.scenario));
    let _ = writeln!(out, "<h1>{}</h1>", escape(&m.scenario));
    let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape(&s.description));
    manifest_list(&mut out, m);

    let mut entries = vec![("outcomes-table".to_string(), "Outcomes".to_string())];
    entries.extend(extra.map(|x| (x.id.clone(), x.heading.clone())));
    entries.extend(figures.iter().map(|f| (f.file_stem(), f.heading())));
    entries.push(("blocs".to_string(), "Blocs".to_string()));
    entries.push(("events-table".to_string(), "Events".to_string()));
    entries.push(("parameters".to_string(), "Parameters".to_string()));
    contents(&mut out, &entries);

    out.push_str("<h2 id=\"outcomes-table\">Outcomes</h2>\n<table>\n<thead><tr><th>outcome</th>\
                  <th>what it means</th><th>kind</th><th class=\"num\">probability</th>\
                  <th class=\"num\">95% interval</th><th class=\"num\">trajectories</th></tr></thead>\n<tbody>\n");
    for (i, o) in s.outcomes.iter().enumerate() {
        let description = s.outcome_descriptions.get(i).map_or("", String::as_str);
        let kind = match (o.kind, o.median_first_step) {
            (kind, Some(step)) => match m.calendar {
                None => format!("{kind}; median first {}: {step}", m.step_unit),
                Some(c) => format!("{kind}; median first: {}", c.date(i64::from(step))),
            },
            (kind, None) => kind.to_string(),
        };
        // An outcome that only asks whether an event fired is the event's hazard or
        // schedule read back, not an answer of the dynamics: say so where it is shown.
        let desc = match &o.reads_back {
            Some(event) => format!(
                "{} <span class=\"note\" data-reads-back=\"{e}\">(reads back event {e}'s \
                 firing: see <a href=\"#events-table\">Events</a>)</span>",
                escape(description),
                e = escape(event)
            ),
            None => escape(description),
        };
        let _ = writeln!(
            out,
            "<tr data-outcome=\"{name}\"><td class=\"name\">{name}</td><td>{desc}</td><td>{kind}</td>\
             <td class=\"num\">{p}</td><td class=\"num\">[{lo}, {hi}]</td><td class=\"num\">{count} of {n}</td></tr>",
            name = escape(&o.name),
            kind = escape(&kind),
            p = percent(o.probability),
            lo = percent(o.ci_low),
            hi = percent(o.ci_high),
            count = o.count,
            n = m.trajectories,
        );
    }
    out.push_str("</tbody>\n</table>\n");
    covers(&mut out);
    thresholds_list(&mut out, s);
    if let Some(x) = extra {
        out.push_str(&x.html);
    }

    out.push_str("<h2 id=\"plots\">Pictures</h2>\n");
    figures_section(&mut out, &figures)?;

    blocs_section(&mut out, s);

    out.push_str("<h2 id=\"events-table\">Events</h2>\n<p>How often each event fired: \
                  these follow from the scenario's hazards, schedules and conditions (inputs), \
                  so they are shown apart from the outcomes.</p>\n<table>\n<thead><tr><th>event</th>\
                  <th class=\"num\">happened in</th><th class=\"num\">mean times per trajectory</th></tr></thead>\n<tbody>\n");
    for e in &s.events {
        let _ = writeln!(
            out,
            "<tr><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td></tr>",
            escape(&e.name),
            percent(e.fired),
            e.mean_firings
        );
    }
    out.push_str("</tbody>\n</table>\n");

    out.push_str(
        "<h2 id=\"parameters\">Parameters</h2>\n<p>As the run used them: a fixed value, \
                  or the distribution each trajectory drew its value from.</p>\n<table>\n\
                  <thead><tr><th>parameter</th><th>value</th></tr></thead>\n<tbody>\n",
    );
    for p in &s.parameters {
        let _ = writeln!(
            out,
            "<tr><td class=\"name\">{}</td><td>{}</td></tr>",
            escape(&p.path),
            escape(&p.value)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some((count, of)) = s.rows_scaled_back {
        let _ = writeln!(
            out,
            "<p>Drawn initial shares: rows scaled back: {count} of {of} trajectories (a row \
             whose draws passed 1 is scaled back to a total of 1).</p>"
        );
    }
    page_end(&mut out, &m.engine_version);
    Ok(out)
}

/// One line per level outcome: its probability at the file's threshold and at `NEARBY`
/// below and above it, read off its exceedance curve, so that a reader sees at once how
/// much the answer hangs on the number chosen. Nothing for a run without level outcomes.
fn thresholds_list(out: &mut String, s: &RunSummary) {
    if s.exceedance.is_empty() {
        return;
    }
    let pictures = if s.exceedance.len() > MOST_DRAWN {
        format!("the pictures of the first {MOST_DRAWN}")
    } else {
        "its picture".to_string()
    };
    let _ = writeln!(
        out,
        "<p id=\"thresholds\">How much each answer hangs on its threshold (the whole curve \
         is in <code>exceedance.csv</code> and {pictures}):</p>\n<ul>"
    );
    for c in &s.exceedance {
        let at =
            |p: Option<Point>| p.map(|p| format!("{} at {}", percent(p.probability), tidy(p.x)));
        let (below, above) = c.nearby();
        let here = format!(
            "<b>{} at the file's {}</b>",
            percent(c.at_threshold().probability),
            c.threshold
        );
        let line: Vec<String> = [at(below), Some(here), at(above)]
            .into_iter()
            .flatten()
            .collect();
        let _ =
            writeln!(
            out,
            "<li data-threshold=\"{name}\"><span class=\"name\">{name}</span> ({metric} {side} \
             the threshold{end}): {line}</li>",
            name = escape(&c.outcome),
            metric = escape(&c.metric),
            side = c.side.as_str(),
            end = if c.kind == "ever" { " at some step" } else { " at the end" },
            line = line.join(", "),
        );
    }
    out.push_str("</ul>\n");
}

/// The members of one side of a split, escaped: all of them in a small world; in a big one
/// a count and the first few, with the rest behind a click (a 100-state world made each
/// cell a paragraph of 50 names, and the table several screens long). Opened, the list
/// goes on from the summary rather than repeating its names.
fn state_list(names: &[String]) -> String {
    const SHOWN: usize = 8;
    if names.len() <= 2 * SHOWN {
        return escape(&names.join(", "));
    }
    format!(
        "<details><summary>{} states: {}, &hellip;</summary>{}</details>",
        names.len(),
        escape(&names[..SHOWN].join(", ")),
        escape(&names[SHOWN..].join(", "))
    )
}

/// The most frequent two-bloc configurations, and per state the probability of ending in
/// each bloc or between them.
fn blocs_section(out: &mut String, s: &RunSummary) {
    let lead = s.world.states.first().map_or("", String::as_str);
    out.push_str(
        "<h2 id=\"blocs\">Blocs</h2>\n<p>Each trajectory's final partnerships split into two \
         blocs along their main fault line. The most frequent splits:</p>\n<table class=\"blocs\">\n\
         <thead><tr><th>with the first state</th><th>the other bloc</th>\
         <th class=\"num\">probability</th><th class=\"num\">95% interval</th></tr></thead>\n<tbody>\n",
    );
    for b in &s.blocs {
        let other = if b.other.is_empty() {
            "(everyone together)".to_string()
        } else {
            state_list(&b.other)
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">[{}, {}]</td></tr>",
            state_list(&b.with_first),
            other,
            percent(b.probability),
            percent(b.ci_low),
            percent(b.ci_high),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if s.manifest.trajectories >= 2 && s.blocs.first().is_some_and(|b| b.count == 1) {
        // In a big world nearly every trajectory ends in a split of its own: the "most
        // frequent" rows are then arbitrary examples, and saying nothing would invite
        // reading them as the likely futures. (Of a single trajectory, its split is all
        // there is to say.)
        out.push_str(
            "<p id=\"blocs-unique\">No split occurred in more than one trajectory, so these rows \
             are examples, not likely futures; where each state ends (below) is the summary \
             that holds.</p>\n",
        );
    }
    let _ = writeln!(
        out,
        "<p id=\"bloc-standing\">Where each state ends: in {lead}'s bloc, in the other, or \
         <em>between</em> them (a partnership above {t} with at least one member of each bloc; \
         a friendship across the fault line puts both its ends between). The three add up to \
         100%; 95% intervals in brackets.</p>",
        lead = escape(lead),
        t = s.standings.between_partnership,
    );
    let _ = writeln!(
        out,
        "<table class=\"blocs standings\">\n<thead><tr><th>state</th><th class=\"num\">in {}'s bloc</th>\
         <th class=\"num\">in the other bloc</th><th class=\"num\">between</th></tr></thead>\n<tbody>",
        escape(lead)
    );
    let cell = |p: &Probability| {
        format!(
            "<td class=\"num\">{} [{}, {}]</td>",
            percent(p.probability),
            percent(p.ci_low),
            percent(p.ci_high)
        )
    };
    for st in &s.standings.states {
        let _ = writeln!(
            out,
            "<tr data-state=\"{name}\"><td class=\"name\">{name}</td>{}{}{}</tr>",
            cell(&st.with_first),
            cell(&st.other),
            cell(&st.between),
            name = escape(&st.state),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The report of a comparison: it opens with the scenario x outcome table and the metric
/// effects, then names each scenario (with a link to its own full report) and shows the
/// pictures.
pub fn compare_page(c: &Comparison) -> io::Result<String> {
    let r = &c.reference().manifest;
    let figures = compare_figures(c);
    let mut out = String::new();
    let names: Vec<String> = c
        .scenarios
        .iter()
        .map(|s| s.manifest.scenario.clone())
        .collect();
    page_start(
        &mut out,
        &format!("{} — entente comparison", names.join(" vs ")),
    );
    let lettered: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{} ({})", escape(n), label(i)))
        .collect();
    let _ = writeln!(out, "<h1>{}</h1>", lettered.join(" vs "));
    let _ = writeln!(
        out,
        "<p class=\"lead\">Every scenario ran on the same {} trajectories with seed {}: \
         trajectory r of each drew from the same random streams (common random numbers), so a \
         difference from the reference A is the effect of the change between the files, not \
         noise.</p>",
        r.trajectories, r.seed
    );

    let mut entries = vec![
        (
            "outcomes-table".to_string(),
            "Scenario × outcome".to_string(),
        ),
        (
            "metrics-table".to_string(),
            "Effects on the metrics".to_string(),
        ),
        ("scenarios".to_string(), "The scenarios".to_string()),
    ];
    entries.extend(figures.iter().map(|f| (f.file_stem(), f.heading())));
    contents(&mut out, &entries);

    outcome_table(&mut out, c);
    metric_table(&mut out, c);

    out.push_str("<h2 id=\"scenarios\">The scenarios</h2>\n");
    for (i, s) in c.scenarios.iter().enumerate() {
        let _ = writeln!(
            out,
            "<h3>{letter}: {name}</h3>\n<p>{desc} <a href=\"{folder}/report.html\">Full report of \
             {letter}</a>.</p>",
            letter = label(i),
            name = escape(&s.manifest.scenario),
            desc = escape(&s.description),
            folder = folder(i),
        );
        manifest_list(&mut out, &s.manifest);
    }

    out.push_str("<h2 id=\"plots\">Pictures</h2>\n");
    figures_section(&mut out, &figures)?;
    page_end(&mut out, &r.engine_version);
    Ok(out)
}

/// One line under a table of intervals: what they and the bands cover, and what not.
fn covers(out: &mut String) {
    let _ = writeln!(
        out,
        "<p class=\"covers\" id=\"what-intervals-cover\">{}</p>",
        escape(crate::analysis::interval::WHAT_INTERVALS_COVER)
    );
}

/// Outcomes down, scenarios across: each probability and, for each scenario after the
/// reference, its paired difference from it with the 95% interval.
fn outcome_table(out: &mut String, c: &Comparison) {
    out.push_str(
        "<h2 id=\"outcomes-table\">Scenario × outcome</h2>\n<p>Probability of each outcome in \
         each scenario; under it, the difference from A in percentage points with the 95% \
         interval of the paired difference (from the trajectories where the outcome held on \
         one side only), and the half-width two independent runs would give. A difference \
         whose interval excludes zero is in colour.</p>\n<table id=\"scenario-outcome\">\n\
         <thead><tr><th>outcome</th><th>what it means</th>",
    );
    for (i, s) in c.scenarios.iter().enumerate() {
        let _ = write!(
            out,
            "<th class=\"num\" data-scenario=\"{}\">{}: {}</th>",
            label(i),
            label(i),
            escape(&s.manifest.scenario)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for o in &c.outcomes {
        let description = c
            .reference()
            .outcomes
            .iter()
            .position(|x| x.name == o.name)
            .and_then(|i| c.reference().outcome_descriptions.get(i))
            .map_or("", String::as_str);
        let _ = write!(
            out,
            "<tr data-outcome=\"{name}\"><td class=\"name\">{name}</td><td>{desc}</td>\
             <td class=\"num\">{p}</td>",
            name = escape(&o.name),
            desc = escape(description),
            p = percent(o.probabilities[0]),
        );
        for (p, d) in o.probabilities[1..].iter().zip(&o.differences) {
            let moved = d.ci_low > 0.0 || d.ci_high < 0.0;
            let _ = write!(
                out,
                "<td class=\"num{up}\" data-scenario=\"{letter}\">{p}<br>{d} [{lo}, {hi}] pts\
                 <br><span class=\"note\">unpaired ±{half:.1}</span></td>",
                up = if moved { " up" } else { "" },
                letter = escape(&d.label),
                p = percent(*p),
                d = points(d.diff),
                lo = points(d.ci_low),
                hi = points(d.ci_high),
                half = 100.0 * d.unpaired_half_width,
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if !c.not_shared.is_empty() {
        let list: Vec<String> = c.not_shared.iter().map(|n| escape(n)).collect();
        let _ = writeln!(
            out,
            "<p>Outcomes not in every scenario (not compared): {}.</p>",
            list.join(", ")
        );
    }
    if !c.defined_differently.is_empty() {
        let list: Vec<String> = c
            .defined_differently
            .iter()
            .map(|n| format!("{} (in {})", escape(n), c.redefined_in(n).join(", ")))
            .collect();
        let _ = writeln!(
            out,
            "<p>Outcomes defined differently than in A (not compared: two questions under \
             one name): {}.</p>",
            list.join(", ")
        );
    }
    covers(out);
}

/// Each metric every scenario tracks: each scenario's final mean and its paired effect.
fn metric_table(out: &mut String, c: &Comparison) {
    out.push_str(
        "<h2 id=\"metrics-table\">Effects on the metrics</h2>\n<p>The mean of each tracked \
         metric at the last step in A and in each scenario, and the paired difference in the \
         metric's own units with the 95% interval of the per-trajectory differences, beside \
         the interval two independent runs would give.</p>\n<table id=\"metric-effects\">\n\
         <thead><tr><th>metric</th><th>scenario</th><th class=\"num\">mean in A</th>\
         <th class=\"num\">mean</th><th class=\"num\">difference</th>\
         <th class=\"num\">95% interval (paired)</th><th class=\"num\">unpaired</th></tr></thead>\n<tbody>\n",
    );
    for m in &c.metrics {
        let moved = m.ci_low > 0.0 || m.ci_high < 0.0;
        let _ = writeln!(
            out,
            "<tr data-metric=\"{name}\" data-scenario=\"{letter}\"><td class=\"name\">{name}</td>\
             <td>{letter}: {scenario}</td><td class=\"num\">{a:.3}</td><td class=\"num\">{b:.3}</td>\
             <td class=\"num{up}\">{d:+.3}</td><td class=\"num\">[{lo:+.3}, {hi:+.3}]</td>\
             <td class=\"num\">[{ulo:+.3}, {uhi:+.3}]</td></tr>",
            name = escape(&m.name),
            letter = escape(&m.label),
            scenario = escape(&m.scenario),
            a = m.reference_mean,
            b = m.mean,
            up = if moved { " up" } else { "" },
            d = m.diff,
            lo = m.ci_low,
            hi = m.ci_high,
            ulo = m.unpaired_ci_low,
            uhi = m.unpaired_ci_high,
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_opens_with_the_outcome_table_then_the_metric_effects() {
        let page = compare_page(&crate::output::examples::comparison()).unwrap();
        let outcomes = page.find("id=\"scenario-outcome\"").unwrap();
        let metrics = page.find("id=\"metric-effects\"").unwrap();
        assert!(outcomes < metrics && metrics < page.find("<figure").unwrap());
        assert!(page.contains("<h1>before (A) vs after (B)</h1>"));
        assert!(page.contains("+25.0 [+12.5, +37.5] pts"));
        assert!(page.contains(">+0.080</td><td class=\"num\">[+0.070, +0.090]</td>"));
        assert!(page.contains("<a href=\"b/report.html\">Full report of B</a>"));
        assert!(page.contains("not in every scenario (not compared): peace."));
    }

    #[test]
    fn a_long_side_of_a_split_is_a_count_and_a_few_names_that_open_to_all() {
        let few: Vec<String> = ["A", "B<"].iter().map(|s| s.to_string()).collect();
        assert_eq!(state_list(&few), "A, B&lt;");
        let many: Vec<String> = (1..=50).map(|i| format!("S{i}")).collect();
        let cell = state_list(&many);
        assert!(
            cell.starts_with("<details><summary>50 states: S1, S2,")
                && cell.contains("S8, &hellip;</summary>S9, S10,")
                && cell.ends_with("S49, S50</details>"),
            "{cell}"
        );
    }

    /// In a 100-state world every trajectory ended in a split of its own, and the table of
    /// "most frequent" splits showed five of them at 0.5% each with no word of warning.
    #[test]
    fn splits_seen_once_each_are_called_examples() {
        let split = |count| crate::analysis::summary::BlocConfiguration {
            with_first: vec!["A".into()],
            other: vec!["B".into()],
            count,
            probability: 0.5,
            ci_low: 0.1,
            ci_high: 0.9,
        };
        let mut summary = crate::output::examples::run("s.ron");
        summary.blocs = vec![split(1), split(1)];
        let mut page = String::new();
        blocs_section(&mut page, &summary);
        assert!(page.contains("id=\"blocs-unique\""), "{page}");
        summary.blocs = vec![split(2), split(1)];
        let mut page = String::new();
        blocs_section(&mut page, &summary);
        assert!(!page.contains("blocs-unique"), "{page}");
    }

    /// Regression: a run of one trajectory (or a one-state world run once) was told that
    /// "no split occurred in more than one trajectory".
    #[test]
    fn a_single_trajectory_is_not_called_an_example() {
        let mut summary = crate::output::examples::run("s.ron");
        summary.manifest.trajectories = 1;
        summary.blocs = vec![crate::analysis::summary::BlocConfiguration {
            with_first: vec!["A".into()],
            other: vec![],
            count: 1,
            probability: 1.0,
            ci_low: 0.2,
            ci_high: 1.0,
        }];
        let mut page = String::new();
        blocs_section(&mut page, &summary);
        assert!(!page.contains("blocs-unique"), "{page}");
        summary.manifest.trajectories = 2;
        let mut page = String::new();
        blocs_section(&mut page, &summary);
        assert!(page.contains("blocs-unique"), "{page}");
    }

    /// Regression: names of 200 characters without a space (legal) pushed the probability
    /// columns of both bloc tables past the page: their cells may break a name anywhere.
    #[test]
    fn the_bloc_tables_wrap_long_names() {
        let mut page = String::new();
        blocs_section(&mut page, &crate::output::examples::run("s.ron"));
        assert_eq!(page.matches("<table class=\"blocs").count(), 2, "{page}");
        // The lead state's name is in the standings' header too.
        assert!(page.contains("<table class=\"blocs standings\">"), "{page}");
        let wrap =
            "table.blocs td, table.standings th, #bloc-standing { overflow-wrap: anywhere; }";
        assert!(STYLE.contains(wrap));
        assert!(STYLE.contains("table.blocs td.name, table.standings th { white-space: normal; }"));
    }

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
