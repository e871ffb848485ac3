//! Pictures of a run and of a comparison, each made by one drawing function and written as
//! PNG (for slides and quick looks) and as SVG (crisp at any size); `report.html` inlines
//! an SVG drawn again for it, so each plot is drawn three times per run (milliseconds,
//! next to the simulation's seconds).
//!
//! Every plot kind is one file implementing [`Plot`]: it draws on any plotters backend, so
//! the PNG and the SVG come from the same code. Text is drawn with the DejaVu Sans font
//! bundled in `assets/` and registered through plotters' `ab_glyph` feature: the binary needs
//! no system font library, and the PNGs look the same on every machine.
//!
//! Nothing here is random or depends on the clock, the locale or a hash map's order, so the
//! same summary gives the same bytes.

mod across;
mod differences;
mod effect;
mod events;
pub mod exceedance;
mod fan;
mod forces;
mod histogram;
mod label_layout;
mod network;
mod outcomes;
mod overlay;
mod partnerships;
mod score;
mod series;
mod sweep;
mod tornado;
mod tradeoff;

use std::io;
use std::path::Path;
use std::sync::Once;

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use forces::{force_figures, ForcePlots};
pub use score::{score_figures, ScorePlots};
pub use sweep::SweepPlots;
pub use tornado::TornadoPlots;
pub use tradeoff::{discovery_figures, DiscoveryPlots};

use super::folder::journal;
use super::Exporter;
use crate::analysis::{Comparison, Manifest, RunSummary};

/// The font family every plot asks for. Registered under the generic CSS name, so the SVGs
/// (which name the family rather than embed the glyphs) fall back to the reader's own sans
/// serif font.
pub const FONT: &str = "sans-serif";

static DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

/// Registers the bundled font with plotters, once per process.
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is part of the binary and known to parse: failure is a build mistake.
        if plotters::style::register_font(FONT, FontStyle::Normal, DEJAVU_SANS).is_err() {
            panic!("the bundled assets/DejaVuSans.ttf could not be read as a font");
        }
    });
}

/// Text and line colours shared by every plot.
pub const INK: RGBColor = RGBColor(33, 33, 33);
pub const MUTED: RGBColor = RGBColor(110, 110, 110);
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Side A (and the single side of a run), and side B of a comparison.
pub const SIDE_A: RGBColor = RGBColor(31, 100, 170);
pub const SIDE_B: RGBColor = RGBColor(214, 96, 20);
/// Positive and negative partnerships in the network picture.
pub const ALLIED: RGBColor = RGBColor(33, 102, 172);
pub const HOSTILE: RGBColor = RGBColor(190, 30, 45);

/// The scenarios of a comparison, the reference first: the Okabe-Ito colours (told apart
/// with every common colour-vision deficiency), ordered so two scenarios keep the blue and
/// orange of `SIDE_A` and `SIDE_B`; yellow (faint on white) and black come last, then four
/// of Paul Tol's muted colours for up to `analysis::compare::MAX_SCENARIOS`.
pub const SCENARIO_COLORS: [RGBColor; 12] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
    RGBColor(0, 0, 0),
    RGBColor(200, 180, 30),
    RGBColor(136, 34, 85),
    RGBColor(68, 170, 153),
    RGBColor(153, 153, 51),
    RGBColor(102, 102, 102),
];

/// The colour of scenario `i` of a comparison (0: the reference).
pub fn scenario_color(i: usize) -> RGBColor {
    SCENARIO_COLORS[i % SCENARIO_COLORS.len()]
}

/// Ten colours that stay apart from each other (lines of the event chart, channels).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The colour of item `i` of a short list drawn in one picture (a long one takes
/// `series::series_style`, which adds dashes).
pub fn palette(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
pub type AreaResult<DB> =
    Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// One plot kind: what it is called and how it is drawn on any backend.
pub trait Plot {
    /// File name without extension, unique within a results folder.
    fn stem(&self) -> String;
    /// The plot's title, also its heading in the report.
    fn title(&self) -> String;
    /// One sentence saying how to read the picture (the report's caption).
    fn caption(&self) -> String;
    /// Size in pixels.
    fn size(&self) -> (u32, u32) {
        (1000, 560)
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// A plot as the exporters and the report use it: without the backend type parameter.
pub trait Figure {
    fn file_stem(&self) -> String;
    fn heading(&self) -> String;
    fn explanation(&self) -> String;
    /// The picture as an SVG document.
    fn svg(&self) -> io::Result<String>;
    /// Writes the picture as a PNG file.
    fn write_png(&self, path: &Path) -> io::Result<()>;
}

fn drawing_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("drawing a plot failed: {e}"))
}

/// Longest plot file stem: names of states, metrics and outcomes may be 200 bytes each and
/// a stem joins several, while a file name (stem and `.png`) must fit 255 bytes.
const MAX_STEM: usize = 120;

impl<P: Plot> Figure for P {
    /// The stem every file and link of this plot uses: long ones shortened (with a hash, so
    /// they stay distinct).
    fn file_stem(&self) -> String {
        super::shorten(&self.stem(), MAX_STEM)
    }
    fn heading(&self) -> String {
        self.title()
    }
    fn explanation(&self) -> String {
        self.caption()
    }
    fn svg(&self) -> io::Result<String> {
        register_font();
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, self.size()).into_drawing_area();
            root.fill(&WHITE).map_err(drawing_error)?;
            self.draw(&root).map_err(drawing_error)?;
            root.present().map_err(drawing_error)?;
        }
        Ok(text)
    }
    fn write_png(&self, path: &Path) -> io::Result<()> {
        register_font();
        let root = BitMapBackend::new(path, self.size()).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        self.draw(&root).map_err(drawing_error)?;
        root.present().map_err(drawing_error)
    }
}

/// Every picture of a run, in the order the report shows them.
pub fn run_figures(s: &RunSummary) -> Vec<Box<dyn Figure + '_>> {
    let mut figures: Vec<Box<dyn Figure + '_>> = Vec::new();
    if !s.outcomes.is_empty() {
        figures.push(Box::new(outcomes::OutcomeChart { summary: s }));
    }
    for (index, series) in s.series.iter().enumerate() {
        figures.push(Box::new(fan::FanChart {
            summary: s,
            series,
            index,
        }));
    }
    if !s.series.is_empty() {
        figures.push(Box::new(histogram::FinalDistributions { summary: s }));
    }
    let drawn = s.exceedance.iter().take(exceedance::MOST_DRAWN);
    for (index, curve) in drawn.enumerate() {
        figures.push(Box::new(exceedance::ExceedanceChart {
            summary: s,
            curve,
            index,
        }));
    }
    if !s.events.is_empty() {
        figures.push(Box::new(events::EventChart { summary: s }));
    }
    if s.world.states.len() >= 2 {
        // The matrix first: it is legible at any number of states, the network picture
        // (a selection above `network::ALL_TIES` states) complements it.
        figures.push(Box::new(partnerships::PartnershipMatrix { summary: s }));
        figures.push(Box::new(network::NetworkPicture { summary: s }));
    }
    figures
}

/// Every picture of a comparison, in the order its report shows them: the outcomes across
/// the scenarios, the paired differences, each metric's effect over time, then each
/// metric's fans overlaid.
pub fn compare_figures(c: &Comparison) -> Vec<Box<dyn Figure + '_>> {
    let mut figures: Vec<Box<dyn Figure + '_>> = Vec::new();
    if !c.outcomes.is_empty() {
        figures.push(Box::new(across::OutcomesAcross { comparison: c }));
        figures.push(Box::new(differences::DifferenceChart { comparison: c }));
    }
    let metrics = shared_metrics(c);
    for (index, (label, _)) in metrics.iter().enumerate() {
        if c.effects.iter().any(|e| &e.metric == label) {
            figures.push(Box::new(effect::EffectOverTime {
                comparison: c,
                metric: label.clone(),
                index,
            }));
        }
    }
    for (index, (_, series)) in metrics.into_iter().enumerate() {
        figures.push(Box::new(overlay::OverlayFan {
            comparison: c,
            series,
            index,
        }));
    }
    figures
}

/// Metrics every scenario tracks (same label), in the reference's order: the label and each
/// scenario's series.
pub fn shared_metrics(c: &Comparison) -> Vec<(String, Vec<&crate::analysis::MetricSeries>)> {
    c.reference()
        .series
        .iter()
        .filter_map(|r| {
            let all: Option<Vec<_>> = c
                .scenarios
                .iter()
                .map(|s| s.series.iter().find(|x| x.metric == r.metric))
                .collect();
            all.map(|all| (r.metric.clone(), all))
        })
        .collect()
}

/// Writes every figure as `plots/<stem>.png` and `plots/<stem>.svg`.
fn write_figures(figures: &[Box<dyn Figure + '_>], dir: &Path) -> io::Result<()> {
    let plots = dir.join("plots");
    journal::create_dir_all(&plots)?;
    for figure in figures {
        let stem = figure.file_stem();
        let png = plots.join(format!("{stem}.png"));
        journal::note(&png)?;
        figure.write_png(&png)?;
        journal::write(&plots.join(format!("{stem}.svg")), figure.svg()?)?;
    }
    Ok(())
}

/// The plots of a run, in `plots/`.
pub struct RunPlots;

impl Exporter<RunSummary> for RunPlots {
    fn write(&self, s: &RunSummary, dir: &Path) -> io::Result<()> {
        write_figures(&run_figures(s), dir)
    }
}

/// The plots of a comparison, in `plots/` (each scenario's own plots are in `a/`, `b/` ...).
pub struct ComparePlots;

impl Exporter<Comparison> for ComparePlots {
    fn write(&self, c: &Comparison, dir: &Path) -> io::Result<()> {
        write_figures(&compare_figures(c), dir)
    }
}

// ---------------------------------------------------------------------------------------
// Shared drawing helpers.

/// How a tick's value is written on an axis.
pub type Ticks<'f> = Box<dyn Fn(&f64) -> String + 'f>;

/// Axis descriptions and tick labels of a line chart (`None`: plotters' default ticks).
pub struct Axes<'f> {
    pub x: String,
    pub y: String,
    pub x_ticks: Option<Ticks<'f>>,
    pub y_ticks: &'f dyn Fn(&f64) -> String,
}

impl<'f> Axes<'f> {
    /// The axes of a chart over time: steps from the start along x (whole numbers, in the
    /// scenario's own unit), or their dates when the scenario has a `start`; `y` described
    /// and labelled as given.
    pub fn over_time(m: &Manifest, y: String, y_ticks: &'f dyn Fn(&f64) -> String) -> Self {
        let x_ticks: Ticks = match m.calendar {
            None => Box::new(|x| crate::output::numbers::fixed(*x, 0)),
            Some(c) => Box::new(move |x| c.date(x.round() as i64)),
        };
        Axes {
            x: time_axis(m),
            y,
            x_ticks: Some(x_ticks),
            y_ticks,
        }
    }
}

/// Where a chart over time ends: the last step of the longest of its series (given as their
/// numbers of points, step 0 first), and at least 1 so that the axis is never empty.
pub fn last_step(points: impl IntoIterator<Item = usize>) -> f64 {
    points
        .into_iter()
        .max()
        .unwrap_or(0)
        .saturating_sub(1)
        .max(1) as f64
}

/// The chart type every line plot draws on.
pub type LineChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A line chart over `x` and `y` in the house style (margins, label areas, fonts, grid),
/// with its axes and grid already drawn.
pub fn line_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    axes: Axes<'_>,
) -> Result<LineChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(28)
        .margin_bottom(10)
        .margin_top(4)
        .x_label_area_size(52)
        .y_label_area_size(72)
        .build_cartesian_2d(x, y)?;
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(axes.x).y_desc(axes.y);
    if let Some(ticks) = &axes.x_ticks {
        mesh.x_label_formatter(ticks.as_ref());
    }
    house_style(mesh.y_label_formatter(axes.y_ticks)).draw()?;
    Ok(chart)
}

/// The house style of a chart's axes: label fonts, a light grid and the axis colour.
pub fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style((FONT, 15).into_font().color(&INK))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK.mix(0.8))
}

/// A horizontal category chart: one row per item (row `i` at [`row_y`]), the items' names
/// in a label area `names` pixels wide (drawn by the caller), values along the x axis.
pub struct Bars<'f> {
    pub x: std::ops::Range<f64>,
    pub rows: usize,
    pub names: u32,
    /// Room right of the plot (for values written beside the rows) and above it.
    pub right: u32,
    pub top: u32,
    pub x_desc: &'f str,
    pub x_ticks: &'f dyn Fn(&f64) -> String,
}

impl Bars<'static> {
    /// One row per outcome on a probability axis from 0 to 100%, with room for the value
    /// beside each row: the outcome charts of a run and of a comparison.
    pub fn probabilities(rows: usize, names: u32) -> Self {
        Bars {
            x: 0f64..1f64,
            rows,
            names,
            right: 40,
            top: 10,
            x_desc: "probability (share of trajectories), with 95% interval",
            x_ticks: &|x| crate::output::numbers::whole_percent(*x),
        }
    }
}

/// A category chart in the house style, with its axis and grid already drawn.
pub fn bar_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    bars: Bars<'_>,
) -> Result<LineChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(bars.right)
        .margin_top(bars.top)
        .margin_bottom(8)
        .x_label_area_size(52)
        .y_label_area_size(bars.names + 24)
        .build_cartesian_2d(bars.x, -0.6f64..(bars.rows as f64 - 0.4))?;
    house_style(
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(bars.x_desc)
            .x_label_formatter(bars.x_ticks),
    )
    .draw()?;
    Ok(chart)
}

/// Rows of a horizontal category chart: row `i` of `n` sits at `y = n - 1 - i`, so the first
/// item is on top.
pub fn row_y(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// The names of a category chart's rows (outcomes), written in its label area.
fn row_name_style() -> TextStyle<'static> {
    text(16.0, &INK)
}

/// Width in pixels of the label area that the longest of the rows' `names` needs (the
/// `names` of [`Bars`]).
pub fn row_names_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: impl Iterator<Item = String>,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    label_width(area, names, &row_name_style())
}

/// Writes a row's name in the label area of a category chart, right-aligned against the
/// chart's left edge and level with the row: `at` is the row's point on that edge, in the
/// chart's coordinates.
pub fn row_name<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart<'_, DB>,
    at: (f64, f64),
    name: &str,
) -> DrawResult<DB> {
    let (px, py) = chart.backend_coord(&at);
    root.draw(&Text::new(
        name.to_string(),
        (px - 12, py),
        row_name_style().pos(Pos::new(HPos::Right, VPos::Center)),
    ))
}

/// A 95% interval across a row of a category chart: a line from `low` to `high` at height
/// `y` drawn in `line`, and an upright cap `half` above and below at each end in `cap`.
pub fn interval_whisker(
    (low, high): (f64, f64),
    y: f64,
    half: f64,
    line: ShapeStyle,
    cap: ShapeStyle,
) -> [PathElement<(f64, f64)>; 3] {
    [
        PathElement::new(vec![(low, y), (high, y)], line),
        PathElement::new(vec![(low, y - half), (low, y + half)], cap),
        PathElement::new(vec![(high, y - half), (high, y + half)], cap),
    ]
}

/// Width in pixels the longest label needs.
pub fn label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: impl Iterator<Item = String>,
    style: &TextStyle<'_>,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut widest = 0;
    for label in labels {
        widest = widest.max(area.estimate_text_size(&label, style)?.0);
    }
    Ok(widest)
}

/// A text style in the bundled font.
pub fn text(size: f64, color: &RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(HPos::Left, VPos::Top),
    }
}

/// A file-name fragment from an analyst's label: `Share(Pakistan, USA, aid)` ->
/// `share_pakistan_usa_aid`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "plot".to_string()
    } else {
        out
    }
}

/// `quarter` -> `quarters`: the time axis counts steps in the scenario's own unit.
pub fn plural(unit: &str) -> String {
    if unit.is_empty() {
        "steps".to_string()
    } else if unit.ends_with('s') {
        unit.to_string()
    } else {
        format!("{unit}s")
    }
}

/// The time axis' description.
pub fn time_axis(m: &Manifest) -> String {
    if m.calendar.is_some() {
        return format!("date ({})", plural(&m.step_unit));
    }
    format!("{} from the start", plural(&m.step_unit))
}

/// A line naming the run under a title.
pub fn run_line(m: &Manifest) -> String {
    format!(
        "{}: {} trajectories, seed {}, {} {}",
        m.scenario,
        m.trajectories,
        m.seed,
        m.steps,
        plural(&m.step_unit)
    )
}

/// The span of values to show: the data's extent with a little air, kept inside the metric's
/// own range, and never empty.
pub fn extent(values: impl Iterator<Item = f64>, range: (f64, f64)) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return range;
    }
    let air = ((hi - lo) * 0.08)
        .max(0.02 * (range.1 - range.0).abs())
        .max(1e-6);
    ((lo - air).max(range.0), (hi + air).min(range.1))
}

/// Draws the title and a grey line under it at the top of `root`; returns the rest.
pub fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> AreaResult<DB> {
    root.draw(&Text::new(title.to_string(), (20, 14), text(24.0, &INK)))?;
    root.draw(&Text::new(
        subtitle.to_string(),
        (20, 44),
        text(15.0, &MUTED),
    ))?;
    let (_, rest) = root.split_vertically(70);
    Ok(rest)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub enum Key {
    /// A line of this colour and width.
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled swatch (a band) of this colour and opacity.
    Band(RGBColor, f64),
    /// A ring (a node of the network picture).
    Dot(RGBColor),
    /// An arrow pointing right.
    Arrow(RGBColor),
    /// A line of one of many series (`series::series_style`), of this width.
    Series(series::SeriesStyle, u32),
}

/// Draws a legend as rows of entries at the top of `area`, wrapping as needed; returns the
/// area left below it.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, Key)],
) -> AreaResult<DB> {
    let style = text(15.0, &INK);
    let (width, _) = area.dim_in_pixel();
    let (left, row_height, key_width, gap) = (20i32, 26i32, 26i32, 22i32);
    let (mut x, mut y) = (left, 6i32);
    for (label, key) in items {
        let (w, _) = area.estimate_text_size(label, &style)?;
        let needed = key_width + 6 + w as i32;
        if x > left && x + needed > width as i32 - 20 {
            x = left;
            y += row_height;
        }
        let mid = y + 9;
        match *key {
            Key::Series(style, w) => {
                series::draw_key(area, (x, mid), (x + key_width, mid), style, w)?
            }
            Key::Line(c, w) => area.draw(&PathElement::new(
                vec![(x, mid), (x + key_width, mid)],
                c.stroke_width(w),
            ))?,
            Key::Dashed(c) => area.draw(&DashedPathElement::new(
                vec![(x, mid), (x + key_width, mid)],
                5,
                4,
                c.stroke_width(2),
            ))?,
            Key::Band(c, alpha) => area.draw(&Rectangle::new(
                [(x, mid - 7), (x + key_width, mid + 7)],
                c.mix(alpha).filled(),
            ))?,
            Key::Dot(c) => {
                area.draw(&Circle::new((x + key_width / 2, mid), 7, c.stroke_width(2)))?
            }
            Key::Arrow(c) => {
                area.draw(&PathElement::new(
                    vec![(x, mid), (x + key_width - 6, mid)],
                    c.stroke_width(2),
                ))?;
                area.draw(&Polygon::new(
                    vec![
                        (x + key_width, mid),
                        (x + key_width - 9, mid - 5),
                        (x + key_width - 9, mid + 5),
                    ],
                    c.filled(),
                ))?
            }
        }
        area.draw(&Text::new(
            label.clone(),
            (x + key_width + 6, mid),
            style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += needed + gap;
    }
    let (_, rest) = area.split_vertically(y + row_height + 4);
    Ok(rest)
}

/// Dashed vertical markers with labels for events scheduled at fixed steps, drawn in chart
/// coordinates; labels are laid out (`label_layout`) so that none covers another and none
/// leaves the chart.
pub fn event_markers<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    scheduled: &[(String, u32)],
    y_range: (f64, f64),
) -> DrawResult<DB> {
    let style = text(13.0, &MUTED);
    let (mut labels, mut heights) = (Vec::new(), Vec::new());
    for (name, step) in scheduled {
        let (w, h) = chart.plotting_area().estimate_text_size(name, &style)?;
        heights.push(h as i32);
        labels.push(label_layout::Label {
            x: chart.backend_coord(&(f64::from(*step), y_range.1)).0,
            width: w as i32,
        });
    }
    let right = chart.plotting_area().get_pixel_range().0.end;
    let placed = label_layout::place(&labels, right);
    for (i, (name, step)) in scheduled.iter().enumerate() {
        let (at, w, h) = (placed[i], labels[i].width, heights[i]);
        let x = f64::from(*step);
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(x, y_range.0), (x, y_range.1)],
            6,
            4,
            MUTED.stroke_width(1),
        )))?;
        let dy = 6 + 18 * at.row as i32;
        let left = at.dx;
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, y_range.1))
                + Rectangle::new(
                    [(left - 2, dy - 2), (left + w + 4, dy + h + 2)],
                    WHITE.mix(0.85).filled(),
                )
                + Text::new(
                    name.clone(),
                    (left, dy),
                    style.pos(Pos::new(HPos::Left, VPos::Top)),
                ),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_only_lowercase_words() {
        assert_eq!(slug("Share(Pakistan, USA, aid)"), "share_pakistan_usa_aid");
        assert_eq!(slug("  "), "plot");
        assert_eq!(
            slug("Partnership(Pākistan, Russia)"),
            "partnership_p_kistan_russia"
        );
    }

    #[test]
    fn time_axes_count_in_the_scenarios_unit() {
        assert_eq!(plural("quarter"), "quarters");
        assert_eq!(plural("years"), "years");
        assert_eq!(plural(""), "steps");
    }

    #[test]
    fn a_time_axis_ends_at_the_longest_series_last_step_and_is_never_empty() {
        assert_eq!(last_step([5, 11, 3]), 10.0);
        assert_eq!(last_step([1]), 1.0);
        assert_eq!(last_step(None), 1.0);
    }

    #[test]
    fn extents_stay_inside_the_metric_range() {
        let (lo, hi) = extent([0.1, 0.5].into_iter(), (0.0, 1.0));
        assert!((0.0..0.1).contains(&lo) && hi > 0.5 && hi <= 1.0);
        assert_eq!(extent(std::iter::empty(), (-1.0, 1.0)), (-1.0, 1.0));
        let (lo, hi) = extent([0.3, 0.3].into_iter(), (0.0, 1.0));
        assert!(lo < 0.3 && hi > 0.3);
    }
}
