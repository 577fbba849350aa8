//! The report's charts, drawn by plotters into inline SVG: one bar per
//! period against the required level as a dashed line. A bar is green when
//! the period met the requirement and red when it did not; a period without a
//! measurement has no bar and is labelled `no data`. Colour is never the only
//! sign: the tables beside each chart say met or missed in words and symbols.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The fill of a bar of a period that met its requirement (and nothing else
/// in a chart has it: the browser test counts bars by it).
pub(crate) const MET_FILL: RGBColor = RGBColor(0x2E, 0x7D, 0x32);
/// The fill of a bar of a period that missed its requirement.
pub(crate) const MISSED_FILL: RGBColor = RGBColor(0xC6, 0x28, 0x28);
const REQUIRED_LINE: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

/// One bar: the period's label, its value (percent) if measured, and whether it met.
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: Option<f64>,
    /// The value as the tables print it, written above the bar.
    pub(crate) text: String,
    pub(crate) met: bool,
}

/// A bar chart of percentages over periods with the required level, as SVG
/// text. `floor` is the lowest percentage the axis shows (availability
/// charts zoom in on the top of the scale).
pub(crate) fn bars(bars: &[Bar], required: f64, floor: f64, caption: &str) -> String {
    let mut svg = String::new();
    // Drawing into a String cannot fail for want of a file; should plotters
    // still refuse, the report shows the tables without the chart.
    if draw(&mut svg, bars, required, floor, caption).is_err() {
        return String::new();
    }
    // plotters writes fixed pixel sizes; the page scales the chart to its
    // column, so the SVG gets a role and a name for screen readers.
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMinYMin meet\" ",
            attr(caption)
        ),
        1,
    )
}

fn draw(
    out: &mut String,
    bars: &[Bar],
    required: f64,
    floor: f64,
    caption: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = bars.len().max(1);
    let root = SVGBackend::with_string(out, (640, 260)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 15))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..n as f64, floor..top(floor))?;
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| {
            // Labels sit at the middle of each bar's slot.
            let slot = x.floor();
            if (x - slot - 0.5).abs() < 1e-9 {
                labels.get(slot as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| {
            if *y > 100.0 {
                String::new()
            } else {
                format!("{y}%")
            }
        })
        .y_labels(6)
        .label_style(("sans-serif", 12))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
        let v = b.value?.clamp(floor, 100.0);
        let fill = if b.met { MET_FILL } else { MISSED_FILL };
        let x = i as f64;
        Some(Rectangle::new(
            [(x + 0.2, floor), (x + 0.8, v)],
            fill.filled(),
        ))
    }))?;
    // Each bar's value written above it (a bar of 0% has no height to see).
    let style = TextStyle::from(("sans-serif", 12).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let lift = (100.0 - floor) * 0.01;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let (text, y) = match b.value {
            Some(v) => (b.text.clone(), v.clamp(floor, 100.0) + lift),
            None => ("no data".to_string(), floor + lift),
        };
        Text::new(text, (i as f64 + 0.5, y), style.clone())
    }))?;
    let line = ShapeStyle {
        color: REQUIRED_LINE.to_rgba(),
        filled: false,
        stroke_width: 2,
    };
    chart.draw_series(DashedLineSeries::new(
        [(0.0, required), (n as f64, required)],
        6,
        4,
        line,
    ))?;
    root.present()?;
    Ok(())
}

/// Room above 100% for the label of a full bar.
fn top(floor: f64) -> f64 {
    100.0 + (100.0 - floor) * 0.08
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The lowest percentage an availability chart shows: a little below the
/// lowest of the values and the requirement, so that 99.9% and 99.99% are
/// told apart, on a round step.
pub(crate) fn availability_floor(values: impl Iterator<Item = f64>, required: f64) -> f64 {
    let low = values.fold(required, f64::min);
    let gap = (100.0 - low).max(0.01);
    let floor = 100.0 - gap * 1.25;
    let step = 10f64.powf(gap.log10().floor());
    ((floor / step).floor() * step).clamp(0.0, 99.99)
}
