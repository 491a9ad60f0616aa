//! Strings made of pieces by a fixed generator, for tests that hold a fast reading to its
//! definition.

/// `count` strings of up to `max_pieces - 1` pieces each, the same on every run.
pub(crate) fn made_of(pieces: &[&str], max_pieces: usize, count: usize) -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |bound: usize| {
        // xorshift64: no dependency, and the strings never change.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    (0..count)
        .map(|_| {
            (0..next(max_pieces))
                .map(|_| pieces[next(pieces.len())])
                .collect()
        })
        .collect()
}
