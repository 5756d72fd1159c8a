//! `RetryAfterValue::parse` and `RetryAfter::resolve` on arbitrary header bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    errspec_fuzz::check_retry_after(data);
});
