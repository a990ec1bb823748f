//! Bar charts drawn on the server as SVG: no JavaScript, nothing loaded. Each chart is an image
//! with a name, and a table of the same figures beside it for screen readers and for anyone who
//! wants the numbers.

use maud::{Markup, html};

use crate::domain::Day;

/// One set of bars: its name (the table's column), the class that colours it, and a value per
/// day (`None` draws nothing and reads as `missing` in the table).
pub struct Series<'a> {
    pub name: &'a str,
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

const BAR: f64 = 14.0;
const GAP: f64 = 8.0;
const LEFT: f64 = 30.0;
const TOP: f64 = 8.0;
const HEIGHT: f64 = 120.0;
const BOTTOM: f64 = 22.0;

/// A chart of `series` by day, from 0 to `max` (at least 1), with the figures as `shown` writes
/// them and `missing` for a day without a value.
pub fn bars(
    id: &str,
    title: &str,
    days: &[Day],
    series: &[Series<'_>],
    max: f64,
    shown: fn(f64) -> String,
    missing: &str,
) -> Markup {
    let max = max.max(1.0);
    let group = BAR * series.len() as f64 + GAP;
    let width = LEFT + group * days.len().max(7) as f64 + GAP;
    let total = TOP + HEIGHT + BOTTOM;
    let y = |v: f64| TOP + HEIGHT - (v.clamp(0.0, max) / max) * HEIGHT;
    let every = days.len().div_ceil(10).max(1);
    let title_id = format!("{id}-title");
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {width:.0} {total:.0}")) role="img" aria-labelledby=(title_id) {
                title id=(title_id) { (title) }
                @for tick in [0.0, max / 2.0, max].into_iter().filter(|t| shown(*t).parse::<f64>().ok() == Some(*t)) {
                    line.grid x1=(LEFT) x2=(width) y1=(format!("{:.1}", y(tick))) y2=(format!("{:.1}", y(tick))) {}
                    text.axis x=(LEFT - 4.0) y=(format!("{:.1}", y(tick) + 4.0)) text-anchor="end" { (shown(tick)) }
                }
                @for (i, day) in days.iter().enumerate() {
                    @let x0 = LEFT + GAP + group * i as f64;
                    @for (s, set) in series.iter().enumerate() {
                        @if let Some(v) = set.values.get(i).copied().flatten() {
                            rect class=(set.class) x=(format!("{:.1}", x0 + BAR * s as f64)) y=(format!("{:.1}", y(v)))
                                width=(format!("{:.1}", BAR - 2.0)) height=(format!("{:.1}", TOP + HEIGHT - y(v))) {}
                        }
                    }
                    @if i % every == 0 || i + 1 == days.len() {
                        text.axis x=(format!("{:.1}", x0 + (group - GAP) / 2.0)) y=(format!("{:.0}", total - 6.0)) text-anchor="middle" { (day) }
                    }
                }
            }
            @if series.len() > 1 {
                figcaption.chart-key {
                    @for set in series { span { svg.swatch viewBox="0 0 10 10" aria-hidden="true" { rect class=(set.class) width="10" height="10" {} } " " (set.name) } " " }
                }
            }
            details {
                summary { "Show as a table" }
                div.table-wrap {
                    table.data {
                        caption { (title) }
                        thead { tr { th scope="col" { "Day" } @for set in series { th scope="col" { (set.name) } } } }
                        tbody {
                            @for (i, day) in days.iter().enumerate() {
                                tr {
                                    th scope="row" { (day) }
                                    @for set in series {
                                        td { @match set.values.get(i).copied().flatten() { Some(v) => (shown(v)), None => (missing) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
