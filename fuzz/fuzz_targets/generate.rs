//! The full generate path on specs assembled from fuzzed names, strings, codes and statuses:
//! `parse` + `generate_rust` + `syn::parse_file`.
#![no_main]

use errspec_fuzz::SpecInput;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: SpecInput| {
    errspec_fuzz::check_spec(&input.render());
});
