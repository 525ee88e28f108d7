//! Closeness past what a pool of texts shares. Every question of a MirageOS hangout names
//! MirageOS and unikernels, so any two of them are close in meaning (cosines of 0.6 to 0.7 for
//! unrelated ones) and a twin barely stands out. Their vectors share one direction, their mean;
//! taking that direction out of both vectors before comparing them leaves what sets each text
//! apart (the common-component removal of Arora et al., "A simple but tough-to-beat baseline for
//! sentence embeddings", 2017). Unlike subtracting the mean, it gives texts that lack the shared
//! topic nothing in common by that lack.
//!
//! A small pool says little about what is shared: the direction is taken out only in part,
//! the more the larger the pool.

use super::unit_vectors::cosine;

/// How many texts count as much as the pool itself when deciding how much of the shared
/// direction to take out: 2 texts take out a sixth, 24 two thirds, 500 nearly all.
const PRIOR_TEXTS: f32 = 10.0;

/// What a pool of texts shares, and how much of it to take out.
#[derive(Debug, Clone)]
pub struct Background {
    /// The unit vector along the pool's mean.
    direction: Vec<f32>,
    /// 2w − w², for the share w of the direction taken out (see `closeness`).
    removed: f32,
}

impl Background {
    /// The background of these unit vectors; `None` for an empty pool (or one whose vectors
    /// cancel out).
    pub fn of<'a>(vectors: impl IntoIterator<Item = &'a [f32]>) -> Option<Self> {
        let mut sum: Vec<f32> = Vec::new();
        let mut count = 0usize;
        for vector in vectors {
            if sum.is_empty() {
                sum = vec![0.0; vector.len()];
            }
            if vector.len() != sum.len() {
                continue;
            }
            for (total, value) in sum.iter_mut().zip(vector) {
                *total += value;
            }
            count += 1;
        }
        let length = sum.iter().map(|value| value * value).sum::<f32>().sqrt();
        if count == 0 || length <= f32::EPSILON {
            return None;
        }
        let share = count as f32 / (count as f32 + PRIOR_TEXTS);
        Some(Self {
            direction: sum.into_iter().map(|value| value / length).collect(),
            removed: 2.0 * share - share * share,
        })
    }

    /// The cosine of `a` and `b` once the shared direction is taken out of both: with
    /// a' = a − w(a·u)u, a'·b' = a·b − (2w − w²)(a·u)(b·u) and |a'|² = 1 − (2w − w²)(a·u)².
    pub fn closeness(&self, a: &[f32], b: &[f32]) -> f32 {
        let (along_a, along_b) = (self.along(a), self.along(b));
        let dot = cosine(a, b) - self.removed * along_a * along_b;
        let length_a = (1.0 - self.removed * along_a * along_a).max(f32::EPSILON);
        let length_b = (1.0 - self.removed * along_b * along_b).max(f32::EPSILON);
        (dot / (length_a * length_b).sqrt()).clamp(-1.0, 1.0)
    }

    fn along(&self, vector: &[f32]) -> f32 {
        if vector.len() == self.direction.len() {
            cosine(vector, &self.direction)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(values: &[f32]) -> Vec<f32> {
        let length = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        values.iter().map(|v| v / length).collect()
    }

    #[test]
    fn what_every_text_shares_stops_making_them_close() {
        // Axis 0 is the project's name, in every text; axes 1 and 2 are two topics.
        let mut pool: Vec<Vec<f32>> = (0..40)
            .map(|n| {
                let topic = if n % 2 == 0 { 1 } else { 2 };
                let mut values = vec![0.9, 0.0, 0.0, 0.0];
                values[topic] = 0.45;
                values[3] = 0.05 * (n % 5) as f32;
                unit(&values)
            })
            .collect();
        let twin_a = unit(&[0.9, 0.4, 0.0, 0.1]);
        let twin_b = unit(&[0.9, 0.45, 0.0, 0.0]);
        let other = unit(&[0.9, 0.0, 0.45, 0.0]);
        pool.extend([twin_a.clone(), twin_b.clone(), other.clone()]);
        let background = Background::of(pool.iter().map(Vec::as_slice)).unwrap();
        assert!(cosine(&twin_a, &other) > 0.75, "raw, all look alike");
        let twins = background.closeness(&twin_a, &twin_b);
        let strangers = background.closeness(&twin_a, &other);
        assert!(twins > 0.9, "{twins}");
        assert!(strangers < 0.3, "{strangers}");
    }

    #[test]
    fn a_small_pool_takes_little_out_and_an_empty_one_nothing() {
        let a = unit(&[1.0, 0.2]);
        let b = unit(&[0.2, 1.0]);
        let two = Background::of([a.as_slice(), b.as_slice()]).unwrap();
        let closeness = two.closeness(&a, &b);
        assert!(
            closeness > 0.0 && closeness < cosine(&a, &b),
            "{closeness}: lower than raw, not opposite"
        );
        assert!(Background::of(std::iter::empty::<&[f32]>()).is_none());
        let same = two.closeness(&a, &a);
        assert!((same - 1.0).abs() < 1e-5, "{same}");
    }
}
