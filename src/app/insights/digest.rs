//! The insights digest: when a week or a month has ended, its most asked topics, those answered
//! nowhere and those rising are told once — by mail to the moderators who asked for it, and to
//! site-wide webhooks of `digest.weekly` or `digest.monthly`. Whichever instance finds a period
//! due first records its digest; the others see it recorded and stop.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::app::insights::overview::{overview, Filter};
use crate::app::insights::sources::Sources;
use crate::app::insights::summary::TopicSummary;
use crate::app::outreach::digest_news::{DigestNews, DigestTopic};
use crate::app::outreach::digest_telling::tell_digest;
use crate::app::outreach::webhooks::hears;
use crate::db::digests::{self as stored, DigestRow, NewDigest};
use crate::db::{self, DbConnection};
use crate::domain::{DigestPeriod, Trend};
use crate::error::AppError;

/// Topics in each of a digest's lists.
pub const LISTED: usize = 5;

/// Makes and tells the digest of every period that has ended by `now`, has none yet, and has
/// someone to tell; answers how many were told.
pub async fn tell_due(sources: &Sources<'_>, now: NaiveDateTime) -> Result<usize, AppError> {
    let mut told = 0;
    for period in DigestPeriod::ALL {
        let (starts_on, ends_on) = period.last_ended(now);
        let starts_at = midnight(starts_on);
        let due = sources
            .db
            .read(move |conn| {
                Ok(!stored::made(conn, period.as_str(), starts_at)? && is_wanted(conn, period)?)
            })
            .await?;
        if !due {
            continue;
        }
        let news = news_of(sources, period, starts_on, ends_on).await?;
        let body = serde_json::to_string(&news)
            .map_err(|error| AppError::internal("recording a digest", error))?;
        let recorded_now = sources
            .db
            .write(move |conn| {
                let recorded = stored::record(
                    conn,
                    &NewDigest {
                        period: period.as_str(),
                        starts_at,
                        ends_at: midnight(ends_on),
                        body: &body,
                        sent: !news.is_quiet(),
                        created_at: crate::app::now(),
                    },
                )?;
                if recorded && !news.is_quiet() {
                    let readers = stored::readers_of(conn, period.as_str())?;
                    tell_digest(conn, &news, &readers)?;
                    return Ok(true);
                }
                Ok(false)
            })
            .await?;
        if recorded_now {
            tracing::info!(period = period.as_str(), %starts_on, "insights digest told");
            told += 1;
        }
    }
    Ok(told)
}

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN)
}

/// Whether a moderator or a site-wide webhook wants the digest of `period`: nobody's digest is
/// worked out for nothing.
fn is_wanted(conn: &mut DbConnection, period: DigestPeriod) -> Result<bool, AppError> {
    if !stored::readers_of(conn, period.as_str())?.is_empty() {
        return Ok(true);
    }
    let kind = period.webhook_kind();
    Ok(db::webhooks::site_wide(conn)?
        .iter()
        .any(|hook| hears(hook, kind)))
}

/// What the period's digest tells: topics by their demand in the period, with their trend over
/// the last events.
pub async fn news_of(
    sources: &Sources<'_>,
    period: DigestPeriod,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<DigestNews, AppError> {
    let filter = Filter {
        since: Some(starts_on),
        until: Some(ends_on),
        ..Filter::default()
    };
    let found = overview(sources, &filter).await?;
    let listed = |keep: &dyn Fn(&TopicSummary) -> bool| -> Vec<DigestTopic> {
        found
            .topics
            .iter()
            .filter(|topic| keep(topic))
            .take(LISTED)
            .map(digest_topic)
            .collect()
    };
    Ok(DigestNews {
        period,
        starts_on,
        ends_on,
        questions: found.topics.iter().map(|topic| topic.questions).sum(),
        searches: found.topics.iter().map(|topic| topic.searches).sum(),
        poll_answers: found.topics.iter().map(|topic| topic.poll_answers).sum(),
        top: listed(&|_| true),
        gaps: listed(&TopicSummary::is_gap),
        rising: listed(&|topic| matches!(topic.trend, Trend::Rising | Trend::New)),
    })
}

fn digest_topic(topic: &TopicSummary) -> DigestTopic {
    DigestTopic {
        id: topic.id,
        label: topic.label.clone(),
        questions: topic.questions,
        votes: topic.votes,
        searches: topic.searches,
        demand: topic.demand,
        trend: topic.trend.as_str().to_owned(),
        coverage: topic.coverage.state().to_owned(),
    }
}

/// A digest as recorded.
pub struct Recorded {
    pub news: DigestNews,
    pub sent: bool,
    pub created_at: NaiveDateTime,
}

/// The latest digests, newest first (a digest that cannot be read back is left out).
pub async fn recent(sources: &Sources<'_>, limit: i64) -> Result<Vec<Recorded>, AppError> {
    let rows: Vec<DigestRow> = sources
        .db
        .read(move |conn| stored::recent(conn, limit))
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let news = serde_json::from_str(&row.body)
                .inspect_err(|error| tracing::warn!(digest = row.id, %error, "unreadable digest"))
                .ok()?;
            Some(Recorded {
                news,
                sent: row.sent,
                created_at: row.created_at,
            })
        })
        .collect())
}
