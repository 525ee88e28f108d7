use std::str::FromStr;

/// The life of a question: pending review, approved (visible), rejected, answered, or merged
/// into another question.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum QuestionStatus {
    Pending,
    Approved,
    Rejected,
    Answered,
    Merged,
}

impl QuestionStatus {
    pub const ALL: [QuestionStatus; 5] = [
        QuestionStatus::Pending,
        QuestionStatus::Approved,
        QuestionStatus::Rejected,
        QuestionStatus::Answered,
        QuestionStatus::Merged,
    ];

    /// The statuses the public sees in an event's list.
    pub const LISTED: [QuestionStatus; 2] = [QuestionStatus::Approved, QuestionStatus::Answered];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::Pending => "pending",
            QuestionStatus::Approved => "approved",
            QuestionStatus::Rejected => "rejected",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Merged => "merged",
        }
    }

    /// A question that starts its life in an event with or without pre-moderation.
    pub fn initial(premoderated: bool) -> Self {
        if premoderated {
            QuestionStatus::Pending
        } else {
            QuestionStatus::Approved
        }
    }

    pub fn is_listed(self) -> bool {
        Self::LISTED.contains(&self)
    }

    /// Moderators approve what waits or was rejected by mistake.
    pub fn can_approve(self) -> bool {
        matches!(self, QuestionStatus::Pending | QuestionStatus::Rejected)
    }

    /// Moderators reject what waits or is in the list but not yet answered.
    pub fn can_reject(self) -> bool {
        matches!(self, QuestionStatus::Pending | QuestionStatus::Approved)
    }

    /// Words for the asker, on the follow page and next to their own question.
    pub fn describe(self) -> &'static str {
        match self {
            QuestionStatus::Pending => "awaiting moderation",
            QuestionStatus::Approved => "in the queue",
            QuestionStatus::Rejected => "not accepted",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Merged => "merged with a similar question",
        }
    }
}

impl FromStr for QuestionStatus {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| format!("unknown question status `{text}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for status in QuestionStatus::ALL {
            assert_eq!(status.as_str().parse::<QuestionStatus>().unwrap(), status);
        }
    }

    #[test]
    fn premoderation_decides_the_first_status() {
        assert_eq!(QuestionStatus::initial(true), QuestionStatus::Pending);
        assert_eq!(QuestionStatus::initial(false), QuestionStatus::Approved);
        assert!(!QuestionStatus::Pending.is_listed());
        assert!(QuestionStatus::Answered.is_listed());
    }

    #[test]
    fn moderation_moves() {
        assert!(QuestionStatus::Pending.can_approve() && QuestionStatus::Rejected.can_approve());
        assert!(!QuestionStatus::Answered.can_approve() && !QuestionStatus::Merged.can_approve());
        assert!(QuestionStatus::Approved.can_reject() && !QuestionStatus::Rejected.can_reject());
        assert!(!QuestionStatus::Answered.can_reject());
    }
}
