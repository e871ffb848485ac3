//! `simulate sweep FILE --param NAME=LO:HI:STEPS ...`: the scenario over a grid of parameter
//! values, every grid point on the same trajectory seeds.

use std::path::Path;

use crate::analysis::study::sweep::{Grid, BATCH};
use crate::analysis::sweep::{check_path, grid, Sweep};
use crate::analysis::Manifest;
use crate::engine;
use crate::error::Error;
use crate::options::{RunOptions, SweepParam};
use crate::output::{self, Exporter};
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
        let (param_path, range) = check_path(world, &p.path).map_err(|message| {
            Error::Refused(format!("{}: --param: {message}", path_shown(path)))
        })?;
        paths.push(param_path);
        if let Some(why) = range.refusal(p.low, p.high) {
            return Err(Error::Refused(format!("--param {}: {why}", shown(&p.path))));
        }
    }
    let plan = super::unchecked_plan(world, options)?;
    let points: usize = params.iter().map(|p| p.steps).product();
    let threads = super::threads(&plan);
    let estimate = engine::estimate::sweep_estimate(world, points, BATCH, plan.len(), threads);
    let what = format!(
        "this sweep ({points} grid points x {} on {})",
        super::count(plan.len() as usize, "trajectory"),
        super::count(threads, "thread")
    );
    super::check_fits(&estimate, &what, "use fewer STEPS or fewer --threads")?;

    let axes: Vec<Vec<f64>> = params.iter().map(SweepParam::values).collect();
    let grid = Grid {
        base: world,
        params,
        paths: &paths,
        points: grid(&axes),
    };
    grid.check_points()
        .map_err(|why| Error::Refused(format!("{}: --param: {why}", path_shown(path))))?;
    warn_rows_scaled_back(
        &grid.rows_scaled_back(plan.seed, plan.trajectories),
        plan.trajectories,
    );
    let total = plan.len() * grid.runs() as u64;
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
    let exporters: [Box<dyn Exporter<Sweep>>; 3] = [
        Box::new(output::SweepCsv),
        Box::new(output::SweepEffectsCsv),
        Box::new(output::plots::SweepPlots),
    ];
    output::export(&out, &sweep, &exporters)?;
    if options.verbose {
        for line in output::sweep_table::lines(&sweep) {
            crate::say!("{line}")?;
        }
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

/// Points listed by the warning; the rest are counted.
const SCALED_POINTS_SHOWN: usize = 10;

/// Says at which points a row of initial shares was scaled back to 1, as a run's
/// `summary.json` counts it (`rows_scaled_back`): the sweep's files have no place for it.
fn warn_rows_scaled_back(points: &[(String, u64)], trajectories: u64) {
    if points.is_empty() {
        return;
    }
    crate::warn!(
        "warning: at {}, a row of initial shares passes 1 and is scaled back to a total of 1 \
         (each of its shares smaller than written; a run counts these as `rows_scaled_back`):",
        super::count(points.len(), "sweep point")
    );
    for (point, count) in points.iter().take(SCALED_POINTS_SHOWN) {
        crate::warn!("  {point}: in {count} of {trajectories} trajectories");
    }
    if points.len() > SCALED_POINTS_SHOWN {
        crate::warn!("  … and {} more", points.len() - SCALED_POINTS_SHOWN);
    }
}
