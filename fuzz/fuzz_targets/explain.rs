//! The whole diagnosis and its card: no panic, and evidence lies inside the input.
#![no_main]

use adf_troubleshooter::card::Card;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let diagnosis = adf_troubleshooter::explain(&text);
    let chars = text.chars().count();
    for evidence in diagnosis.matches.iter().flat_map(|m| &m.evidence) {
        if let (Some(start), Some(end)) = (evidence.start, evidence.end) {
            assert!(
                start <= end && end <= chars,
                "{evidence:?} in {chars} chars"
            );
        }
    }
    let _ = Card::from_diagnosis(&diagnosis, &text);
});
