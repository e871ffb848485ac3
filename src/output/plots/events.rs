//! How often each event has happened: for every step, the share of trajectories in which the
//! event has fired at least once by then.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::series::{draw_line, series_style};
use super::{
    event_markers, header, last_step, legend, line_chart, run_line, Axes, DrawResult, Key, Plot,
};
use crate::analysis::RunSummary;
use crate::output::numbers::whole_percent;

pub struct EventChart<'a> {
    pub summary: &'a RunSummary,
}

impl Plot for EventChart<'_> {
    fn stem(&self) -> String {
        "events".to_string()
    }
    fn title(&self) -> String {
        "When the events happen".to_string()
    }
    fn caption(&self) -> String {
        format!(
            "For each event, the share of trajectories in which it has happened at least once by \
             each {}.",
            self.summary.manifest.step_unit
        )
    }
    fn size(&self) -> (u32, u32) {
        (1000, 600)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let s = self.summary;
        let body = header(root, &self.title(), &run_line(&s.manifest))?;
        let items: Vec<(String, Key)> = s
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.clone(), Key::Series(series_style(i), 3)))
            .collect();
        let body = legend(&body, &items)?;
        let steps = last_step(s.events.first().map(|e| e.fired_by.len()));
        let axes = Axes::over_time(
            &s.manifest,
            "share of trajectories where it has happened".to_string(),
            &|y| whole_percent(*y),
        );
        let mut chart = line_chart(&body, 0f64..steps, 0f64..1.02f64, axes)?;
        for (i, e) in s.events.iter().enumerate() {
            let points = e
                .fired_by
                .iter()
                .enumerate()
                .map(|(t, &p)| (t as f64, p))
                .collect::<Vec<_>>();
            draw_line(&mut chart, points, series_style(i), 3)?;
        }
        let scheduled: Vec<(String, u32)> = s
            .scheduled
            .iter()
            .map(|e| (e.name.clone(), e.step))
            .collect();
        event_markers(&mut chart, &scheduled, (0.0, 1.02))?;
        Ok(())
    }
}
