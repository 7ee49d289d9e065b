//! Binary search among sorted words stored one after another (the related-text tables' words).
//!
//! ```
//! let words = b"gatewaykeynode";
//! let ends = [7, 10, 14];
//! assert_eq!(adf_scan::sorted::find(words, &ends, b"key"), Some(1));
//! assert_eq!(adf_scan::sorted::find(words, &ends, b"keys"), None);
//! ```

/// Where `key` is among the words of `words`, each ending where `ends` says, sorted by bytes
/// and distinct. A word's range that is out of bounds reads as empty.
pub fn find(words: &[u8], ends: &[u32], key: &[u8]) -> Option<usize> {
    let (mut low, mut high) = (0, ends.len());
    while low < high {
        let middle = (low + high) / 2;
        let start = if middle == 0 { 0 } else { ends[middle - 1] };
        let held = words
            .get(start as usize..ends[middle] as usize)
            .unwrap_or_default();
        match held.cmp(key) {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
            std::cmp::Ordering::Equal => return Some(middle),
        }
    }
    None
}
