//! How often each event has happened: for every step, the share of trajectories in which the
//! event has fired at least once by then.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    event_markers, header, legend, palette, run_line, time_axis, DrawResult, Key, Plot, FONT, GRID,
    INK,
};
use crate::analysis::RunSummary;

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
            .map(|(i, e)| (e.name.clone(), Key::Line(palette(i), 3)))
            .collect();
        let body = legend(&body, &items)?;
        let steps = s
            .events
            .first()
            .map_or(1, |e| e.fired_by.len().saturating_sub(1))
            .max(1) as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin_left(12)
            .margin_right(28)
            .margin_bottom(10)
            .margin_top(4)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..steps, 0f64..1.02f64)?;
        chart
            .configure_mesh()
            .x_desc(time_axis(&s.manifest))
            .y_desc("share of trajectories where it has happened")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{:.0}%", 100.0 * y))
            .label_style((FONT, 15).into_font().color(&INK))
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK.mix(0.8))
            .draw()?;
        for (i, e) in s.events.iter().enumerate() {
            let points = e
                .fired_by
                .iter()
                .enumerate()
                .map(|(t, &p)| (t as f64, p))
                .collect::<Vec<_>>();
            chart.draw_series(std::iter::once(PathElement::new(
                points,
                palette(i).stroke_width(3),
            )))?;
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
