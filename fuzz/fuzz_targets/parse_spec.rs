//! The spec loader on arbitrary bytes: an error or a valid model, never a panic; a valid
//! model generates Rust that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `load` refuses invalid UTF-8 before parsing; the lossy text still reaches the parser.
    errspec_fuzz::check_spec(&String::from_utf8_lossy(data));
});
