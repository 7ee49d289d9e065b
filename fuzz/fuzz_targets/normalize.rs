//! Text cleaning: no panic, and every cleaned range maps back to whole characters of the input.
#![no_main]

use adf_troubleshooter::normalize::Normalized;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let n = Normalized::new(&text);
    for (at, _) in n.text.char_indices() {
        let (start, end) = n.original_range(at, at + 1, &text);
        assert!(start <= end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
});
