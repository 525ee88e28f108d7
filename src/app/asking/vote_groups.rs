//! The questions a batch of votes touches, grouped: each canonical question with those merged
//! into it, so that a vote on any of them counts once for the group.

use std::collections::HashMap;

use crate::db::vote_batch;
use crate::db::DbConnection;
use crate::error::AppError;

/// The batch's groups: each canonical question with the questions merged into it.
pub(crate) struct Groups {
    members: HashMap<i64, Vec<i64>>,
    canonical_of: HashMap<i64, i64>,
}

impl Groups {
    pub(super) fn of(conn: &mut DbConnection, canonical_ids: &[i64]) -> Result<Self, AppError> {
        let merged = vote_batch::merged_members(conn, canonical_ids)?;
        Ok(Self::from_rows(canonical_ids, &merged))
    }

    /// Groups from the canonical questions and the (question, canonical) rows merged into them.
    /// A question merged into another is that one's member only, even when it was named as a
    /// canonical itself: a vote on it must be found in the group it counts for.
    fn from_rows(canonical_ids: &[i64], merged: &[(i64, i64)]) -> Self {
        let canonical_of: HashMap<i64, i64> = canonical_ids
            .iter()
            .map(|&id| (id, id))
            .chain(merged.iter().copied())
            .collect();
        let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
        for (&question, &canonical) in &canonical_of {
            members.entry(canonical).or_default().push(question);
        }
        Self {
            members,
            canonical_of,
        }
    }

    /// The canonical question and those merged into it.
    pub(crate) fn members(&self, canonical_id: i64) -> impl Iterator<Item = i64> + '_ {
        self.members
            .get(&canonical_id)
            .into_iter()
            .flatten()
            .copied()
    }

    pub(crate) fn canonical_of(&self, question_id: i64) -> Option<i64> {
        self.canonical_of.get(&question_id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canonical_merged_meanwhile_belongs_to_the_group_it_went_to() {
        // 7 was locked as a canonical, then found merged into 3.
        let groups = Groups::from_rows(&[3, 7], &[(7, 3), (9, 3)]);
        assert_eq!(groups.canonical_of(7), Some(3));
        assert_eq!(groups.canonical_of(9), Some(3));
        let mut members: Vec<i64> = groups.members(3).collect();
        members.sort_unstable();
        assert_eq!(members, [3, 7, 9]);
        assert_eq!(groups.members(7).count(), 0);
    }
}
