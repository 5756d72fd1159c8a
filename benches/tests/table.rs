//! The prototype lookup tables (`src/table.rs`) find every documented code and alias at its
//! position in `ErrorCode::ALL` and nothing else, so the benchmark compares equal results.

use errspec_apis::{hms_sovereign, sinch_numbers, sinch_voice};
use errspec_benches::{bench_int, proposed};

macro_rules! check {
    ($api:ident) => {{
        for (i, code) in $api::ErrorCode::ALL.iter().enumerate() {
            assert_eq!(proposed::$api::index(code.as_str()), Some(i), "{code}");
        }
        for unknown in [
            "",
            "0",
            "49999",
            "unknown",
            "a much longer value than any code",
        ] {
            assert_eq!(proposed::$api::index(unknown), None, "{unknown}");
        }
    }};
}

#[test]
fn the_generated_module_has_every_code() {
    assert_eq!(
        bench_int::ErrorCode::ALL.len(),
        errspec_benches::GENERATED_CODES
    );
}

#[test]
fn string_tables_find_every_code_and_nothing_else() {
    check!(hms_sovereign);
    check!(sinch_voice);
    check!(sinch_numbers);
    check!(bench_int);
}

#[test]
fn numeric_tables_find_every_code_and_nothing_else() {
    for (i, code) in bench_int::ErrorCode::ALL.iter().enumerate() {
        assert_eq!(
            proposed::bench_int::index_u32(code.as_u32().unwrap()),
            Some(i)
        );
    }
    for (i, code) in sinch_voice::ErrorCode::ALL.iter().enumerate() {
        assert_eq!(
            proposed::sinch_voice::index_u32(code.as_u32().unwrap()),
            Some(i)
        );
    }
    assert_eq!(proposed::bench_int::index_u32(49_999), None);
}

#[test]
fn aliases_map_to_their_code() {
    let position =
        |code: &sinch_voice::ErrorCode| sinch_voice::ErrorCode::ALL.iter().position(|c| c == code);
    assert_eq!(
        proposed::sinch_voice::index("50500"),
        position(&sinch_voice::ErrorCode::TemporaryDown)
    );
    assert_eq!(
        proposed::sinch_voice::index_u32(50500),
        position(&sinch_voice::ErrorCode::TemporaryDown)
    );
}
