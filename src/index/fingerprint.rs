//! Fingerprints of wording, the candidate index of `precedent`. A passage's words (lowercased,
//! split at anything not a letter or digit) are hashed in overlapping runs of [`K`]; of each
//! window of [`W`] consecutive runs the smallest hash is kept (winnowing, as plagiarism
//! detectors select fingerprints). Two texts that share a stretch of [`GUARANTEED`] words or
//! more share at least one fingerprint: the window that lies inside the stretch picks the same
//! smallest hash in both. About one run in four is kept, so a passage of 100 words has about 25.
//!
//! The hash is FNV-1a, written here: fingerprints are stored in the index and must not change
//! with a dependency's version.

/// Words per run.
pub const K: usize = 4;
/// Runs per window.
pub const W: usize = 6;
/// A shared stretch of this many words always yields a shared fingerprint.
pub const GUARANTEED: usize = K + W - 1;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

/// Each word's hash, in order.
fn words(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h = OFFSET;
    let mut open = false;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                h = fnv(h, l.encode_utf8(&mut buf).as_bytes());
            }
            open = true;
        } else if open {
            out.push(h);
            h = OFFSET;
            open = false;
        }
    }
    if open {
        out.push(h);
    }
    out
}

/// The text's fingerprints, sorted, each once.
pub fn fingerprints(text: &str) -> Vec<u64> {
    let w = words(text);
    if w.len() < K {
        return Vec::new();
    }
    let runs: Vec<u64> = w
        .windows(K)
        .map(|run| run.iter().fold(OFFSET, |h, x| fnv(h, &x.to_le_bytes())))
        .collect();
    let mut out: Vec<u64> = runs
        .windows(W.min(runs.len()))
        .filter_map(|win| win.iter().min().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_stretch_long_enough_always_shares_a_fingerprint() {
        // Real paragraphs: every stretch of GUARANTEED words of one, set inside other words,
        // shares a fingerprint with the paragraph.
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/corpus/resolutions/a-res-80-215-human-rights-digital-tech-adopted.txt"
        ))
        .expect("the test corpus");
        let all: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let whole = fingerprints(&text);
        for start in (0..all.len() - GUARANTEED).step_by(7) {
            let stretch = all[start..start + GUARANTEED].join(" ");
            let within = format!("Unrelated words before it, {stretch} and after it as well.");
            let f = fingerprints(&within);
            assert!(
                f.iter().any(|x| whole.binary_search(x).is_ok()),
                "no shared fingerprint for {stretch:?}"
            );
        }
        // About one run in four is kept.
        let runs = all.len();
        assert!(
            whole.len() * 3 < runs && whole.len() * 6 > runs,
            "{} of {runs}",
            whole.len()
        );
    }

    #[test]
    fn case_and_punctuation_do_not_matter_and_word_order_does() {
        let a = fingerprints("Bridging the gender digital divide, including for women and girls");
        let b = fingerprints("bridging THE gender digital divide including for women and girls.");
        assert_eq!(a, b);
        let c = fingerprints("girls and women for including divide digital gender the bridging");
        assert!(a.iter().all(|x| !c.contains(x)));
        assert!(fingerprints("too short").is_empty());
    }
}
