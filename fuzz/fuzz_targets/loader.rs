//! Bytes -> scenario: parse, check and compile, as `simulate check` does. Whatever the bytes,
//! the loader must answer `Ok` or `Err` (a message for the user), never panic, never hang
//! and never allocate without bound.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Err(error) = entente::scenario::parse(Path::new("fuzz.ron"), bytes) {
        // Rendering the message is part of the path a user sees.
        let _ = error.to_string();
    }
});
