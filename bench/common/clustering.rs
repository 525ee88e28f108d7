//! How well a grouping matches the true one: the adjusted Rand index and the V-measure (the
//! harmonic mean of homogeneity and completeness), over items labelled by both.

use std::collections::HashMap;

fn pairs(count: f64) -> f64 {
    count * (count - 1.0) / 2.0
}

/// Adjusted Rand index of `found` against `truth` (same length, one label per item).
pub fn adjusted_rand_index(truth: &[usize], found: &[usize]) -> f64 {
    let mut cells: HashMap<(usize, usize), f64> = HashMap::new();
    let mut rows: HashMap<usize, f64> = HashMap::new();
    let mut columns: HashMap<usize, f64> = HashMap::new();
    for (t, f) in truth.iter().zip(found) {
        *cells.entry((*t, *f)).or_default() += 1.0;
        *rows.entry(*t).or_default() += 1.0;
        *columns.entry(*f).or_default() += 1.0;
    }
    let index: f64 = cells.values().map(|n| pairs(*n)).sum();
    let row_pairs: f64 = rows.values().map(|n| pairs(*n)).sum();
    let column_pairs: f64 = columns.values().map(|n| pairs(*n)).sum();
    let expected = row_pairs * column_pairs / pairs(truth.len() as f64);
    let most = (row_pairs + column_pairs) / 2.0;
    if (most - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (index - expected) / (most - expected)
}

fn entropy(counts: impl Iterator<Item = f64>, total: f64) -> f64 {
    counts
        .filter(|n| *n > 0.0)
        .map(|n| {
            let p = n / total;
            -p * p.ln()
        })
        .sum()
}

/// (homogeneity, completeness, V-measure) of `found` against `truth`.
pub fn v_measure(truth: &[usize], found: &[usize]) -> (f64, f64, f64) {
    let total = truth.len() as f64;
    let mut cells: HashMap<(usize, usize), f64> = HashMap::new();
    let mut classes: HashMap<usize, f64> = HashMap::new();
    let mut clusters: HashMap<usize, f64> = HashMap::new();
    for (t, f) in truth.iter().zip(found) {
        *cells.entry((*t, *f)).or_default() += 1.0;
        *classes.entry(*t).or_default() += 1.0;
        *clusters.entry(*f).or_default() += 1.0;
    }
    let class_entropy = entropy(classes.values().copied(), total);
    let cluster_entropy = entropy(clusters.values().copied(), total);
    let class_given_cluster: f64 = cells
        .iter()
        .map(|((_, f), n)| -(n / total) * (n / clusters[f]).ln())
        .sum();
    let cluster_given_class: f64 = cells
        .iter()
        .map(|((t, _), n)| -(n / total) * (n / classes[t]).ln())
        .sum();
    let homogeneity = if class_entropy > 0.0 {
        1.0 - class_given_cluster / class_entropy
    } else {
        1.0
    };
    let completeness = if cluster_entropy > 0.0 {
        1.0 - cluster_given_class / cluster_entropy
    } else {
        1.0
    };
    let v = if homogeneity + completeness > 0.0 {
        2.0 * homogeneity * completeness / (homogeneity + completeness)
    } else {
        0.0
    };
    (homogeneity, completeness, v)
}
