//! Topics as centroids of their questions' vectors. A new question joins the topic whose
//! centroid is closest, when it is close enough, or starts a topic of its own: what keeps topics
//! (and their ids) steady as questions arrive. A full regrouping runs the same assignment over
//! every question, then lets each question move to the centroid now closest to it a few times,
//! so that the order questions came in matters less.

use crate::meaning::unit_vectors::cosine;

/// The running sums of each topic's vectors; a centroid is its sum's direction.
#[derive(Debug, Clone, Default)]
pub struct TopicCentroids {
    sums: Vec<Vec<f32>>,
    sizes: Vec<u32>,
}

impl TopicCentroids {
    pub fn len(&self) -> usize {
        self.sums.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    /// The closest topic that has questions, with the closeness (cosine to its centroid).
    pub fn nearest(&self, vector: &[f32]) -> Option<(usize, f32)> {
        self.sums
            .iter()
            .zip(&self.sizes)
            .enumerate()
            .filter(|(_, (_, size))| **size > 0)
            .map(|(topic, (sum, _))| (topic, closeness_to_sum(sum, vector)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// A topic whose members' vectors add up to `sum`; returns its number.
    pub fn push(&mut self, sum: Vec<f32>, size: u32) -> usize {
        self.sums.push(sum);
        self.sizes.push(size);
        self.sums.len() - 1
    }

    /// A topic's sum of vectors and how many they are.
    pub fn sum_of(&self, topic: usize) -> Option<(&[f32], u32)> {
        Some((self.sums.get(topic)?.as_slice(), *self.sizes.get(topic)?))
    }

    /// A new, empty topic; returns its number.
    pub fn start_topic(&mut self, dimensions: usize) -> usize {
        self.sums.push(vec![0.0; dimensions]);
        self.sizes.push(0);
        self.sums.len() - 1
    }

    /// Puts the vector in its closest topic when that is at least `threshold` close, or in a new
    /// topic; returns the topic.
    pub fn assign(&mut self, vector: &[f32], threshold: f32) -> usize {
        let topic = match self.nearest(vector) {
            Some((topic, closeness)) if closeness >= threshold => topic,
            _ => self.start_topic(vector.len()),
        };
        self.add(topic, vector);
        topic
    }

    pub fn add(&mut self, topic: usize, vector: &[f32]) {
        if let (Some(sum), Some(size)) = (self.sums.get_mut(topic), self.sizes.get_mut(topic)) {
            for (total, value) in sum.iter_mut().zip(vector) {
                *total += value;
            }
            *size += 1;
        }
    }

    fn remove(&mut self, topic: usize, vector: &[f32]) {
        if let (Some(sum), Some(size)) = (self.sums.get_mut(topic), self.sizes.get_mut(topic)) {
            for (total, value) in sum.iter_mut().zip(vector) {
                *total -= value;
            }
            *size = size.saturating_sub(1);
        }
    }
}

/// The cosine between a unit vector and the direction of a sum of unit vectors (the sum's length
/// grows with the topic, so it is divided out: a large topic pulls no harder than a small one).
fn closeness_to_sum(sum: &[f32], vector: &[f32]) -> f32 {
    let length = cosine(sum, sum).sqrt();
    if length > 0.0 {
        cosine(sum, vector) / length
    } else {
        0.0
    }
}

/// Every vector's topic: assigned in order as new questions are, then moved to the centroid now
/// closest (when close enough) `passes` times. Topics are numbered in order of first use, and a
/// topic left empty by the moves is dropped from the numbering.
pub fn group(vectors: &[Vec<f32>], threshold: f32, passes: usize) -> Vec<usize> {
    let mut centroids = TopicCentroids::default();
    let mut topics: Vec<usize> = vectors
        .iter()
        .map(|vector| centroids.assign(vector, threshold))
        .collect();
    for _ in 0..passes {
        let mut moved = false;
        for (at, vector) in vectors.iter().enumerate() {
            let current = topics[at];
            centroids.remove(current, vector);
            let target = match centroids.nearest(vector) {
                Some((topic, closeness)) if closeness >= threshold => topic,
                // Alone now, or nowhere else close enough: it stays.
                _ => current,
            };
            centroids.add(target, vector);
            moved |= target != current;
            topics[at] = target;
        }
        if !moved {
            break;
        }
    }
    renumbered(&topics)
}

/// Topics numbered 0, 1, … in order of first use.
fn renumbered(topics: &[usize]) -> Vec<usize> {
    let mut numbers: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    topics
        .iter()
        .map(|topic| {
            let next = numbers.len();
            *numbers.entry(*topic).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(values: &[f32]) -> Vec<f32> {
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        values.iter().map(|v| v / norm).collect()
    }

    #[test]
    fn a_close_question_joins_its_topic_and_a_far_one_starts_another() {
        let mut centroids = TopicCentroids::default();
        assert_eq!(centroids.assign(&unit(&[1.0, 0.0, 0.0]), 0.8), 0);
        assert_eq!(centroids.assign(&unit(&[0.95, 0.1, 0.0]), 0.8), 0);
        assert_eq!(centroids.assign(&unit(&[0.0, 1.0, 0.0]), 0.8), 1);
        assert_eq!(centroids.len(), 2);
        let (topic, closeness) = centroids.nearest(&unit(&[0.0, 0.9, 0.1])).unwrap();
        assert_eq!(topic, 1);
        assert!(closeness > 0.9);
    }

    #[test]
    fn a_large_topic_pulls_no_harder_than_a_small_one() {
        let mut centroids = TopicCentroids::default();
        for _ in 0..50 {
            centroids.assign(&unit(&[1.0, 0.0]), 0.8);
        }
        let (_, closeness) = centroids.nearest(&unit(&[1.0, 1.0])).unwrap();
        assert!(
            (closeness - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-4,
            "{closeness}"
        );
        assert_eq!(
            centroids.assign(&unit(&[1.0, 1.0]), 0.8),
            1,
            "45° away starts a topic"
        );
    }

    #[test]
    fn regrouping_finds_the_clusters_whatever_the_order() {
        let near = |x: f32, y: f32, z: f32| unit(&[x, y, z]);
        let vectors = vec![
            near(1.0, 0.1, 0.0),
            near(0.0, 1.0, 0.1),
            near(1.0, 0.0, 0.1),
            near(0.1, 1.0, 0.0),
            near(0.0, 0.1, 1.0),
            near(0.9, 0.2, 0.0),
        ];
        assert_eq!(group(&vectors, 0.8, 3), vec![0, 1, 0, 1, 2, 0]);
        assert!(group(&[], 0.8, 3).is_empty());
    }

    #[test]
    fn topics_are_numbered_in_order_of_first_use() {
        assert_eq!(renumbered(&[4, 4, 1, 7, 1]), vec![0, 0, 1, 2, 1]);
    }
}
