//! Which topic a group of a full regrouping continues. Topics keep their ids (and what moderators
//! named, merged or hid) across a regrouping when they keep most of their questions: each new
//! group takes the id of the old topic it overlaps most, by Jaccard similarity of their
//! questions, strongest pairs first, each old id taken once. Two topics that merged live on as
//! one of them; a group that overlaps none enough is a new topic; an old topic no group
//! continues has ended.

use std::collections::HashSet;

/// Overlap at which a new group continues an old topic.
pub const CONTINUES: f64 = 0.5;

/// For each new group (its question ids), the id of the old topic it continues, if any.
pub fn continued_topics(old: &[(i64, Vec<i64>)], new: &[Vec<i64>]) -> Vec<Option<i64>> {
    let old_sets: Vec<(i64, HashSet<i64>)> = old
        .iter()
        .map(|(id, members)| (*id, members.iter().copied().collect()))
        .collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (at, group) in new.iter().enumerate() {
        let group: HashSet<i64> = group.iter().copied().collect();
        for (was, (_, members)) in old_sets.iter().enumerate() {
            let shared = group.intersection(members).count();
            if shared == 0 {
                continue;
            }
            let union = group.union(members).count();
            let overlap = shared as f64 / union as f64;
            if overlap >= CONTINUES {
                pairs.push((overlap, at, was));
            }
        }
    }
    // Strongest first; ties by position so that the result never depends on hashing.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut continued: Vec<Option<i64>> = vec![None; new.len()];
    let mut taken = vec![false; old_sets.len()];
    for (_, at, was) in pairs {
        if continued[at].is_none() && !taken[was] {
            continued[at] = Some(old_sets[was].0);
            taken[was] = true;
        }
    }
    continued
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_ids_of_the_topics_they_continue() {
        let old = vec![
            (10, vec![1, 2, 3, 4]),
            (11, vec![5, 6]),
            (12, vec![7, 8, 9]),
        ];
        let new = vec![vec![1, 2, 3, 4, 9], vec![5, 6, 7], vec![20, 21]];
        assert_eq!(continued_topics(&old, &new), vec![Some(10), Some(11), None]);
        // Two topics grouped as one live on as one of them.
        let merged = vec![vec![5, 6, 7, 8]];
        let old = vec![(11, vec![5, 6]), (12, vec![7, 8])];
        assert_eq!(continued_topics(&old, &merged), vec![Some(11)]);
    }

    #[test]
    fn a_split_topic_lives_on_in_its_larger_part_only() {
        let old = vec![(10, vec![1, 2, 3, 4, 5, 6])];
        let new = vec![vec![1, 2], vec![3, 4, 5, 6]];
        assert_eq!(continued_topics(&old, &new), vec![None, Some(10)]);
    }

    #[test]
    fn nothing_before_means_every_group_is_new() {
        assert_eq!(continued_topics(&[], &[vec![1], vec![2]]), vec![None, None]);
    }
}
