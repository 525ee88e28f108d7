//! What the insights digest tells — a period's most asked topics, those answered nowhere, those
//! rising — as mail, webhooks and the API show it (see `digest_telling` for where it goes).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::DigestPeriod;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestNews {
    pub period: DigestPeriod,
    pub starts_on: NaiveDate,
    /// The day after its last.
    pub ends_on: NaiveDate,
    /// Questions asked, failed searches made and open-text poll answers given in the period.
    pub questions: i64,
    pub searches: i64,
    pub poll_answers: i64,
    /// Ranked by demand in the period.
    pub top: Vec<DigestTopic>,
    /// Demand in the period and no answer anywhere.
    pub gaps: Vec<DigestTopic>,
    /// Asked in the period, and rising (or new) over the last events.
    pub rising: Vec<DigestTopic>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigestTopic {
    pub id: i64,
    pub label: String,
    pub questions: i64,
    pub votes: i64,
    pub searches: i64,
    pub demand: i64,
    /// new | rising | steady | fading
    pub trend: String,
    /// faq | docs | recording | none
    pub coverage: String,
}

impl DigestTopic {
    /// "3 questions, 12 votes, 2 failed searches · rising · answered nowhere"
    pub fn summary(&self) -> String {
        let mut counts = vec![counted(self.questions, "question", "questions")];
        if self.votes > 0 {
            counts.push(counted(self.votes, "vote", "votes"));
        }
        if self.searches > 0 {
            counts.push(counted(self.searches, "failed search", "failed searches"));
        }
        let covered = match self.coverage.as_str() {
            "faq" => "in the FAQ",
            "docs" => "in the docs",
            "recording" => "answered on a recording",
            _ => "answered nowhere",
        };
        format!("{} · {} · {covered}", counts.join(", "), self.trend)
    }
}

fn counted(count: i64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

impl DigestNews {
    /// Nothing was asked or searched for in the period: nothing is sent.
    pub fn is_quiet(&self) -> bool {
        self.top.is_empty()
    }

    /// "Topics in the week of 30 Nov 2026", "Topics in November 2026".
    pub fn title(&self) -> String {
        match self.period {
            DigestPeriod::Week => format!(
                "Topics in the week of {}",
                self.starts_on.format("%-d %b %Y")
            ),
            DigestPeriod::Month => format!(
                "Topics in {} {}",
                self.starts_on.format("%B"),
                self.starts_on.year()
            ),
        }
    }

    /// "12 questions, 3 failed searches; 2 topics answered nowhere"
    pub fn headline(&self) -> String {
        let mut said = vec![counted(self.questions, "question", "questions")];
        if self.searches > 0 {
            said.push(counted(self.searches, "failed search", "failed searches"));
        }
        if self.poll_answers > 0 {
            said.push(counted(self.poll_answers, "poll answer", "poll answers"));
        }
        let gaps = match self.gaps.len() {
            0 => "every topic answered somewhere".to_owned(),
            gaps => format!(
                "{} answered nowhere",
                counted(gaps as i64, "topic", "topics")
            ),
        };
        format!("{}; {gaps}", said.join(", "))
    }

    /// The lists as a reader goes through them: each topic once, where it first comes.
    pub fn sections(&self) -> Vec<(&'static str, Vec<&DigestTopic>)> {
        let mut shown: Vec<i64> = Vec::new();
        let mut sections = Vec::new();
        for (heading, list) in [
            ("Most asked", &self.top),
            ("Also answered nowhere", &self.gaps),
            ("Also rising", &self.rising),
        ] {
            let fresh: Vec<&DigestTopic> = list
                .iter()
                .filter(|topic| !shown.contains(&topic.id))
                .collect();
            shown.extend(fresh.iter().map(|topic| topic.id));
            if !fresh.is_empty() {
                sections.push((heading, fresh));
            }
        }
        sections
    }

    /// The team's page narrowed to the period.
    pub fn page_path(&self) -> String {
        format!(
            "/mod/insights?since={}&until={}",
            self.starts_on.format("%Y-%m-%d"),
            self.ends_on.format("%Y-%m-%d")
        )
    }
}

pub fn topic_path(id: i64) -> String {
    format!("/mod/insights/topics/{id}")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn topic(id: i64, label: &str, coverage: &str, trend: &str) -> DigestTopic {
        DigestTopic {
            id,
            label: label.into(),
            questions: 3,
            votes: 1,
            searches: 0,
            demand: 4,
            trend: trend.into(),
            coverage: coverage.into(),
        }
    }

    pub(crate) fn news() -> DigestNews {
        let nasty = topic(1, "<!channel> @everyone *docker*", "none", "rising");
        let covered = topic(2, "licence", "faq", "steady");
        let rising = topic(3, "backups", "docs", "new");
        DigestNews {
            period: DigestPeriod::Week,
            starts_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            questions: 9,
            searches: 2,
            poll_answers: 0,
            top: vec![nasty.clone(), covered],
            gaps: vec![nasty.clone()],
            rising: vec![nasty, rising],
        }
    }

    #[test]
    fn a_reader_meets_each_topic_once_where_it_first_comes() {
        let news = news();
        let sections: Vec<(&str, Vec<i64>)> = news
            .sections()
            .into_iter()
            .map(|(heading, list)| (heading, list.iter().map(|topic| topic.id).collect()))
            .collect();
        assert_eq!(
            sections,
            vec![("Most asked", vec![1, 2]), ("Also rising", vec![3])]
        );
        assert_eq!(news.title(), "Topics in the week of 30 Nov 2026");
        assert_eq!(
            news.headline(),
            "9 questions, 2 failed searches; 1 topic answered nowhere"
        );
        assert_eq!(
            news.page_path(),
            "/mod/insights?since=2026-11-30&until=2026-12-07"
        );
        assert_eq!(
            news.top[0].summary(),
            "3 questions, 1 vote · rising · answered nowhere"
        );
    }
}
