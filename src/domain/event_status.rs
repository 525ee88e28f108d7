use std::str::FromStr;

/// Where an event is in its life: drafted, open for questions, live on air, closed, archived.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Draft,
    Open,
    Live,
    Closed,
    Archived,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        EventStatus::Draft,
        EventStatus::Open,
        EventStatus::Live,
        EventStatus::Closed,
        EventStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Open => "open",
            EventStatus::Live => "live",
            EventStatus::Closed => "closed",
            EventStatus::Archived => "archived",
        }
    }

    /// Questions and votes are taken only while the event is open or on air.
    pub fn accepts_questions(self) -> bool {
        matches!(self, EventStatus::Open | EventStatus::Live)
    }

    /// An event still to come (or on air) can take the questions a closed one did not get to.
    pub fn accepts_carry_over(self) -> bool {
        matches!(
            self,
            EventStatus::Draft | EventStatus::Open | EventStatus::Live
        )
    }

    /// A closed or archived event is over: nothing of it is on screen any more.
    pub fn is_over(self) -> bool {
        matches!(self, EventStatus::Closed | EventStatus::Archived)
    }

    /// Drafts are for organisers only; everything else has a public page.
    pub fn is_public(self) -> bool {
        self != EventStatus::Draft
    }
}

impl FromStr for EventStatus {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "unknown event status `{text}`: expected draft, open, live, closed or archived"
                )
            })
    }
}

impl std::fmt::Display for EventStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for status in EventStatus::ALL {
            assert_eq!(status.as_str().parse::<EventStatus>().unwrap(), status);
        }
        assert!("paused".parse::<EventStatus>().is_err());
    }

    #[test]
    fn only_open_and_live_take_questions() {
        let taking: Vec<_> = EventStatus::ALL
            .into_iter()
            .filter(|s| s.accepts_questions())
            .collect();
        assert_eq!(taking, [EventStatus::Open, EventStatus::Live]);
    }
}
