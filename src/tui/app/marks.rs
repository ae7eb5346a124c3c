//! `Marks`: which rows the user has marked, as a bitset over row indices. Knows nothing of
//! what a row is or whether it may be marked; `App` decides that.

/// A fixed-size bitset with a running count, so the footer never scans a million rows.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    words: Vec<u64>,
    count: usize,
}

impl Marks {
    pub fn new(len: usize) -> Self {
        Self {
            words: vec![0; len.div_ceil(64)],
            count: 0,
        }
    }

    /// Grows to hold `len` rows (rows are only ever appended while marks are live).
    pub fn resize(&mut self, len: usize) {
        self.words.resize(len.div_ceil(64), 0);
    }

    pub fn contains(&self, row: u32) -> bool {
        let (w, b) = split(row);
        self.words.get(w).is_some_and(|word| word & (1 << b) != 0)
    }

    pub fn set(&mut self, row: u32, on: bool) {
        let (w, b) = split(row);
        let Some(word) = self.words.get_mut(w) else {
            return;
        };
        let was = *word & (1 << b) != 0;
        if on && !was {
            *word |= 1 << b;
            self.count += 1;
        } else if !on && was {
            *word &= !(1 << b);
            self.count -= 1;
        }
    }

    pub fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
        self.count = 0;
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// Marked row indices in ascending (list) order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            // One step per set bit: the lowest, then the word without it.
            std::iter::successors((word != 0).then_some(word), |&rest| {
                let rest = rest & (rest - 1);
                (rest != 0).then_some(rest)
            })
            .map(move |rest| w as u32 * 64 + rest.trailing_zeros())
        })
    }
}

fn split(row: u32) -> (usize, u32) {
    ((row / 64) as usize, row % 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_iterates_in_order() {
        let mut marks = Marks::new(200);
        for row in [150, 3, 64, 3, 0, 63, 127] {
            marks.set(row, true);
        }
        assert_eq!(marks.count(), 6);
        assert_eq!(
            marks.iter().collect::<Vec<_>>(),
            vec![0, 3, 63, 64, 127, 150]
        );
        for row in [0, 63, 127, 64, 64] {
            marks.set(row, false);
        }
        assert_eq!(marks.count(), 2);
        assert!(!marks.contains(64) && marks.contains(150));
        marks.set(5000, true);
        assert_eq!(marks.count(), 2, "out of range is ignored");
    }
}
