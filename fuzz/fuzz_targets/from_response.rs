//! `Error::from_response` of the three APIs on a fuzzed status, `Retry-After` header and body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    errspec_fuzz::check_response(data);
});
