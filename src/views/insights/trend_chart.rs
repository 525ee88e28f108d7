//! A topic's questions at each of the last events as small bars, drawn here as SVG: no chart
//! library in the browser, and the figures are in the chart's text for screen readers.

use maud::{html, Markup};

use crate::app::insights::summary::EventRef;

/// How the chart is sized: a sparkline in a list, or larger on a topic's own page.
#[derive(Debug, Clone, Copy)]
pub struct ChartSize {
    pub bar_width: u32,
    pub gap: u32,
    pub height: u32,
}

pub const SPARKLINE: ChartSize = ChartSize {
    bar_width: 10,
    gap: 3,
    height: 28,
};

pub const LARGE: ChartSize = ChartSize {
    bar_width: 36,
    gap: 10,
    height: 96,
};

pub fn trend_chart(counts: &[u32], events: &[EventRef], size: ChartSize) -> Markup {
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let slots = u32::try_from(counts.len()).unwrap_or(0).max(1);
    let width = slots * size.bar_width + (slots - 1) * size.gap;
    let described: Vec<String> = counts
        .iter()
        .zip(events)
        .map(|(count, event)| format!("{count} at {}", event.title))
        .collect();
    let label = if described.is_empty() {
        "No events yet".to_owned()
    } else {
        format!("Questions at the last events: {}", described.join(", "))
    };
    // The lowest bar is a hairline, so an event without questions still shows as a place.
    html! {
        svg.trend-chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            width=(width) height=(size.height) viewBox={ "0 0 " (width) " " (size.height) } {
            title { (label) }
            @for (at, count) in counts.iter().enumerate() {
                @let x = u32::try_from(at).unwrap_or(0) * (size.bar_width + size.gap);
                @let bar = (size.height * count / most).max(1);
                rect x=(x) y=(size.height - bar) width=(size.bar_width) height=(bar)
                    class=(if *count == 0 { "trend-empty" } else { "trend-bar" }) {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(count: usize) -> Vec<EventRef> {
        (0..count)
            .map(|at| EventRef {
                id: at as i64,
                slug: format!("call-{at}"),
                title: format!("Call <{at}>"),
            })
            .collect()
    }

    #[test]
    fn bars_are_as_tall_as_their_share_of_the_busiest_event() {
        let chart = trend_chart(&[0, 2, 4], &events(3), SPARKLINE).into_string();
        assert!(chart.contains(r#"height="14""#), "{chart}");
        assert!(chart.contains(r#"height="28""#), "{chart}");
        assert!(chart.contains(r#"class="trend-empty""#));
        assert!(chart.contains("Questions at the last events: 0 at Call &lt;0&gt;, 2 at"));
    }

    #[test]
    fn a_chart_without_events_is_still_a_valid_image() {
        let chart = trend_chart(&[], &[], LARGE).into_string();
        assert!(chart.contains("No events yet"));
        assert!(chart.contains(r#"width="36""#));
    }
}
