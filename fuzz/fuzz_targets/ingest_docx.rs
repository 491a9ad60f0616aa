//! Any bytes named `.docx`: ingest returns a Document or an error, never panics or hangs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = nianbao_ingest::from_bytes("fuzz.docx", bytes);
});
