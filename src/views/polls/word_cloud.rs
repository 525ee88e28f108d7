//! A word cloud laid out on the server as SVG: the most frequent words largest and nearest the
//! middle, each placed on a spiral out from the centre where it overlaps nothing placed before.
//! No script draws it, so it shows on the presenter screen, in the page without JavaScript, and
//! in a screenshot alike; the words and counts are also listed for screen readers.

use maud::{html, Markup};

/// The drawing's size in SVG units (it scales to its box).
pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 450.0;
/// Words drawn at most: beyond this the cloud is unreadable from the back of a room.
pub const MOST_WORDS: usize = 80;
const LARGEST_FONT: f64 = 72.0;
const SMALLEST_FONT: f64 = 16.0;
/// Words too many for their sizes are all made smaller, down to this.
const SMALLEST_SHRUNK_FONT: f64 = 11.0;
/// The share of the drawing the words' boxes may cover before they are shrunk: a spiral leaves
/// gaps, so more than about half does not fit.
const FILLED_SHARE: f64 = 0.45;
/// Colours with at least 4.5:1 contrast on white.
const PALETTE: [&str; 5] = ["#1a4f8b", "#8a2d00", "#1d6b35", "#6a2c8f", "#333333"];

/// A word where it goes: its centre, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedWord {
    pub word: String,
    pub count: u64,
    pub x: f64,
    pub y: f64,
    pub font_size: f64,
    pub colour: &'static str,
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    fn around(x: f64, y: f64, width: f64, height: f64) -> Self {
        Self {
            left: x - width / 2.0,
            top: y - height / 2.0,
            right: x + width / 2.0,
            bottom: y + height / 2.0,
        }
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn inside_drawing(&self) -> bool {
        self.left >= 0.0 && self.top >= 0.0 && self.right <= WIDTH && self.bottom <= HEIGHT
    }
}

/// A text's box at a font size, judged from its length (a server has no fonts to measure with;
/// wide letters average about 0.6 em).
fn text_box(word: &str, font_size: f64) -> (f64, f64) {
    let chars = word.chars().count().max(1) as f64;
    (chars * font_size * 0.6 + 6.0, font_size * 1.05)
}

/// Lays out `words` (most frequent first, as counted); the words that do not fit are left out.
pub fn layout(words: &[(String, u64)]) -> Vec<PlacedWord> {
    let shown = &words[..words.len().min(MOST_WORDS)];
    let Some(most) = shown.iter().map(|(_, count)| *count).max() else {
        return Vec::new();
    };
    // By the square root, so an area grows with the count rather than a side.
    let nominal: Vec<f64> = shown
        .iter()
        .map(|(_, count)| {
            SMALLEST_FONT + (LARGEST_FONT - SMALLEST_FONT) * (*count as f64 / most as f64).sqrt()
        })
        .collect();
    let covered: f64 = shown
        .iter()
        .zip(&nominal)
        .map(|((word, _), size)| {
            let (width, height) = text_box(word, *size);
            width * height
        })
        .sum();
    let shrink = (FILLED_SHARE * WIDTH * HEIGHT / covered).sqrt().min(1.0);
    let mut placed: Vec<PlacedWord> = Vec::with_capacity(shown.len());
    let mut boxes: Vec<Rect> = Vec::with_capacity(shown.len());
    for (index, ((word, count), nominal)) in shown.iter().zip(&nominal).enumerate() {
        let mut font_size = (nominal * shrink).max(SMALLEST_SHRUNK_FONT);
        // A long word is made smaller until it fits the width at all.
        while text_box(word, font_size).0 > WIDTH * 0.9 && font_size > SMALLEST_FONT {
            font_size -= 2.0;
        }
        let (width, height) = text_box(word, font_size);
        if let Some((x, y)) = free_spot(&boxes, width, height) {
            boxes.push(Rect::around(x, y, width, height));
            placed.push(PlacedWord {
                word: word.clone(),
                count: *count,
                x,
                y,
                font_size,
                colour: PALETTE[index % PALETTE.len()],
            });
        }
    }
    placed
}

/// The first spot on a spiral out from the centre where a box of this size overlaps nothing.
fn free_spot(boxes: &[Rect], width: f64, height: f64) -> Option<(f64, f64)> {
    let (centre_x, centre_y) = (WIDTH / 2.0, HEIGHT / 2.0);
    // The drawing is wider than tall: the spiral is too.
    let stretch = WIDTH / HEIGHT;
    let mut angle: f64 = 0.0;
    while angle < 400.0 {
        let radius = 2.0 * angle;
        let x = centre_x + radius * angle.cos() * stretch / 1.5;
        let y = centre_y + radius * angle.sin() / 1.5;
        let candidate = Rect::around(x, y, width, height);
        if candidate.inside_drawing() && !boxes.iter().any(|placed| placed.overlaps(&candidate)) {
            return Some((x, y));
        }
        if radius > WIDTH {
            break;
        }
        angle += 0.12;
    }
    None
}

/// The cloud as SVG with a list for screen readers; `label` names it.
pub fn word_cloud(words: &[(String, u64)], label: &str) -> Markup {
    let placed = layout(words);
    html! {
        figure.word-cloud {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(label) {
                @for word in &placed {
                    text x=(format!("{:.1}", word.x)) y=(format!("{:.1}", word.y))
                        font-size=(format!("{:.0}", word.font_size)) fill=(word.colour)
                        text-anchor="middle" dominant-baseline="central" {
                        (word.word)
                    }
                }
            }
            figcaption.visually-hidden {
                ol {
                    @for (word, count) in words.iter().take(MOST_WORDS) {
                        li { (word) ": " (count) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize) -> Vec<(String, u64)> {
        (0..n)
            .map(|i| (format!("word{i}"), (n - i) as u64))
            .collect()
    }

    #[test]
    fn words_do_not_overlap_and_stay_inside() {
        let placed = layout(&words(60));
        assert!(placed.len() >= 50, "only {} placed", placed.len());
        let boxes: Vec<Rect> = placed
            .iter()
            .map(|word| {
                let (width, height) = text_box(&word.word, word.font_size);
                Rect::around(word.x, word.y, width, height)
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.inside_drawing());
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b));
            }
        }
        // The most frequent word is the largest and in the middle.
        assert!(placed
            .iter()
            .all(|word| word.font_size <= placed[0].font_size));
        assert!((placed[0].x - WIDTH / 2.0).abs() < 1.0);
    }

    #[test]
    fn markup_in_words_is_text() {
        let cloud = word_cloud(&[("<script>".into(), 2)], "Words").into_string();
        assert!(cloud.contains("&lt;script&gt;"));
        assert!(!cloud.contains("<script>"));
        assert!(layout(&[]).is_empty());
    }

    #[test]
    fn a_very_long_word_is_shrunk_to_fit() {
        let long = "x".repeat(40);
        let placed = layout(&[(long, 5)]);
        assert_eq!(placed.len(), 1);
        assert!(placed[0].font_size < LARGEST_FONT);
    }
}
