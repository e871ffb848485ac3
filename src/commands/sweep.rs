//! `simulate sweep FILE --param NAME=LO:HI:STEPS ...`: the scenario over a grid of parameter
//! values, every grid point on the same trajectory seeds.

use std::path::Path;

use crate::analysis::sweep::{check_path, fix, grid, Sweep, SweepPoint};
use crate::analysis::Manifest;
use crate::engine::{self, Control, Plan};
use crate::error::Error;
use crate::format::Num;
use crate::model::World;
use crate::options::{RunOptions, SweepParam};
use crate::output::{self, Exporter};
use crate::scenario::number_path::NumberPath;
use crate::scenario::spelling::shown;
use crate::scenario::{self, path_shown};

pub fn sweep(path: &Path, params: &[SweepParam], options: &RunOptions) -> Result<(), Error> {
    let name = super::default_folder::sweep(&super::stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let world = &scenario.world;
    let mut paths = Vec::new();
    for p in params {
        let (param_path, (lo, hi)) = check_path(world, &p.path)
            .map_err(|message| Error::Usage(format!("{}: --param: {message}", path_shown(path))))?;
        paths.push(param_path);
        if p.low < lo || p.high > hi {
            return Err(Error::Usage(format!(
                "--param {}: the range {}..{} leaves the parameter's valid range [{}, {}]",
                shown(&p.path),
                Num(p.low),
                Num(p.high),
                Num(lo),
                Num(hi)
            )));
        }
    }
    let plan = super::unchecked_plan(world, options)?;
    let points: usize = params.iter().map(|p| p.steps).product();
    let threads = super::threads(&plan);
    let estimate = engine::estimate::sweep_estimate(world, points, plan.len(), threads);
    let what = format!(
        "this sweep ({points} grid points x {} on {})",
        super::count(plan.len() as usize, "trajectory"),
        super::count(threads, "thread")
    );
    super::check_fits(&estimate, &what, "use fewer STEPS or fewer --threads")?;

    let axes: Vec<Vec<f64>> = params.iter().map(SweepParam::values).collect();
    // Outcomes need no tracked metrics: dropping them saves the histograms' memory and time.
    let mut base = world.clone();
    base.metrics.clear();
    let grid = Grid {
        base: &base,
        params,
        paths: &paths,
        points: grid(&axes),
    };
    let total = plan.len() * grid.points.len() as u64;
    let results = super::with_progress_over(total, options, &world.name, |control| {
        grid.run(&plan, control)
    })?;

    let sweep = Sweep {
        manifest: Manifest::new(&scenario, plan.seed, plan.trajectories),
        parameters: params.iter().map(|p| p.path.clone()).collect(),
        axes,
        points: results,
        outcomes: world.outcomes.iter().map(|o| o.name.clone()).collect(),
    };
    let exporters: [Box<dyn Exporter<Sweep>>; 2] = [
        Box::new(output::SweepCsv),
        Box::new(output::plots::SweepPlots),
    ];
    output::export(&out, &sweep, &exporters)?;
    if options.verbose {
        print_table(&sweep)?;
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

/// The scenario at every point of a grid over its parameters.
struct Grid<'a> {
    /// The scenario as every point starts from.
    base: &'a World,
    params: &'a [SweepParam],
    /// Each swept parameter's path in `base`, in the order of `params`.
    paths: &'a [NumberPath],
    /// Each point's values, in the order of `params`.
    points: Vec<Vec<f64>>,
}

impl Grid<'_> {
    /// The world at the point `values`: every swept parameter fixed at its value.
    fn world_at(&self, values: &[f64]) -> World {
        let mut w = self.base.clone();
        for (&p, &v) in self.paths.iter().zip(values) {
            fix(&mut w, p, v);
        }
        w
    }

    /// The point `values` as a message names it: "sweep point gamma = 20".
    fn point_name(&self, values: &[f64]) -> String {
        let at: Vec<String> = self
            .params
            .iter()
            .zip(values)
            .map(|(p, &v)| format!("{} = {}", shown(&p.path), Num(v)))
            .collect();
        format!("sweep point {}", at.join(", "))
    }

    /// In a world at rest, refuses the sweep if the draws of some point cannot be held still,
    /// before any point runs: checked point by point as they ran, the last point's refusal
    /// came after every other point's trajectories (14.7 s of work for nothing); checked
    /// point after point, after every trajectory of every other point (85 s at `-n 1e7`),
    /// so it is checked across points, trajectory by trajectory. The run checks each point
    /// again, a pass of one parameter draw per trajectory.
    fn check_rest(&self, plan: &Plan, control: &Control) -> Result<(), engine::Stopped> {
        if self.base.rest.is_none() {
            return Ok(());
        }
        let worlds: Vec<World> = self.points.iter().map(|v| self.world_at(v)).collect();
        engine::check_rest_across(&worlds, plan, control).map_err(|(point, stopped)| {
            super::at_point(stopped, || self.point_name(&self.points[point]))
        })
    }

    /// Runs every point on the same plan, so on the same trajectory seeds, once every point
    /// is known to run.
    fn run(&self, plan: &Plan, control: &Control) -> Result<Vec<SweepPoint>, engine::Stopped> {
        self.check_rest(plan, control)?;
        self.points
            .iter()
            .map(|values| {
                let w = self.world_at(values);
                let aggregates = engine::run(&w, plan, control)
                    .map_err(|stopped| super::at_point(stopped, || self.point_name(values)))?;
                Ok(SweepPoint::new(&w, values.clone(), &aggregates))
            })
            .collect()
    }
}

fn print_table(s: &Sweep) -> Result<(), Error> {
    crate::say!(
        "{}: {} grid points x {} trajectories (same seeds at every point), seed {}",
        s.manifest.scenario,
        s.points.len(),
        s.manifest.trajectories,
        s.manifest.seed
    )?;
    let widths: Vec<usize> = s.parameters.iter().map(|p| p.len().max(8)).collect();
    let mut head = String::from(" ");
    for (p, w) in s.parameters.iter().zip(&widths) {
        head.push_str(&format!(" {p:>w$}"));
    }
    for o in &s.outcomes {
        head.push_str(&format!("  {o}"));
    }
    crate::say!("{head}")?;
    for point in &s.points {
        let mut line = String::from(" ");
        for (v, w) in point.values.iter().zip(&widths) {
            line.push_str(&format!(" {:>w$}", format!("{:.4}", v)));
        }
        for (o, name) in point.outcomes.iter().zip(&s.outcomes) {
            line.push_str(&format!("  {:>w$.3}", o.probability, w = name.len()));
        }
        crate::say!("{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use super::*;
    use crate::analysis::sweep::check_path;
    use crate::options::parse_sweep_param;

    /// Defect (issue 19, 7): a sweep over a world at rest checked each grid point's rest
    /// only when it reached it, so every point before one that cannot be held still ran in
    /// full, then the sweep was refused. Counted here by the trajectories the run reports
    /// done: none, since the last point is refused before the first runs.
    #[test]
    fn a_sweep_checked_each_grid_points_rest_only_when_it_reached_it() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/at_rest.ron");
        let scenario = scenario::load(&file).unwrap();
        let params = vec![parse_sweep_param("gamma=0:20:3").unwrap()];
        let (path, _) = check_path(&scenario.world, &params[0].path).unwrap();
        let grid = Grid {
            base: &scenario.world,
            params: &params,
            paths: &[path],
            points: grid(&[params[0].values()]),
        };
        let done = AtomicU64::new(0);
        let progress = |n: u64| {
            done.fetch_add(n, Ordering::Relaxed);
        };
        let cancel = AtomicBool::new(false);
        let control = Control {
            progress: &progress,
            cancel: &cancel,
        };
        let plan = Plan::new(600, 11, Some(2));
        let Err(engine::Stopped::Unsettled(refused)) = grid.run(&plan, &control) else {
            panic!("gamma = 20 cannot be held still");
        };
        assert_eq!(refused.point.as_deref(), Some("sweep point gamma = 20"));
        assert_eq!(
            done.load(Ordering::Relaxed),
            0,
            "trajectories ran before the refusal"
        );
    }
}
