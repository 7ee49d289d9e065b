//! Sorting for the whole engine through one compiled merge sort, so that the wasm does not carry
//! the standard library's sort once per element type (about 4 KB each).
//!
//! ```
//! use adf_troubleshooter::sort;
//! let mut pairs = vec![(2, 'b'), (1, 'z'), (2, 'a')];
//! sort::by_key(&mut pairs, |p| p.0);
//! assert_eq!(pairs, [(1, 'z'), (2, 'b'), (2, 'a')]);
//! ```
//!
//! Every sort here is stable; where the standard library's unstable sort was used the order was
//! total, so the result is the same.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably.
pub fn by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = stable_order(items.len(), &mut |a, b| {
        compare(&items[a], &items[b]) == Ordering::Less
    });
    permute(items, order);
}

/// Sorts `items` by the key `key` gives, stably.
pub fn by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order.
pub fn sort<T: Ord>(items: &mut [T]) {
    by(items, T::cmp);
}

/// Below this many items an insertion sort is quicker than merging.
const SHORT: usize = 16;

/// The positions of `len` items in sorted order, `less` comparing two positions: a bottom-up
/// merge sort that takes from the left run on ties. Not generic, so compiled once.
#[inline(never)]
fn stable_order(len: usize, less: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    if len <= SHORT {
        for end in 1..len {
            let mut at = end;
            while at > 0 && less(order[at], order[at - 1]) {
                order.swap(at, at - 1);
                at -= 1;
            }
        }
        return order;
    }
    let mut merged = vec![0; len];
    let mut width = 1;
    while width < len {
        let mut start = 0;
        while start < len {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut left, mut right) = (start, middle);
            for slot in &mut merged[start..end] {
                if right < end && (left == middle || less(order[right], order[left])) {
                    *slot = order[right];
                    right += 1;
                } else {
                    *slot = order[left];
                    left += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// Puts the item at `order[k]` at position `k`, following each cycle of the permutation.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_stable_sort() {
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 5, 8, 17, 64, 100, 257] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|at| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, at)
                })
                .collect();
            let mut ours = items.clone();
            by_key(&mut ours, |item| item.0);
            let mut theirs = items.clone();
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs, "{len}");
            sort(&mut ours);
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "{len}");
        }
    }
}
