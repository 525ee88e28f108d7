//! A topic's trend and coverage as badges, in words (not colour alone).

use maud::{html, Markup};

use crate::app::insights::summary::TopicSummary;
use crate::domain::Trend;

pub fn trend_badge(trend: Trend) -> Markup {
    let words = match trend {
        Trend::New => "new",
        Trend::Rising => "rising ↑",
        Trend::Steady => "steady",
        Trend::Fading => "fading ↓",
    };
    html! { span class={ "badge trend-" (trend.as_str()) } { (words) } }
}

pub fn coverage_badge(topic: &TopicSummary) -> Markup {
    let words = match topic.coverage.state() {
        "faq" => "in the FAQ",
        "docs" => "in the docs",
        "recording" => "answered on a recording",
        _ => "not answered anywhere",
    };
    html! { span class={ "badge cover-" (topic.coverage.state()) } { (words) } }
}
