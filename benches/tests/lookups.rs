//! The 10,000-code module the benchmarks time finds every documented code (as text and as a
//! number) and every alias, and nothing else, so the benchmarks compare equal results.

use errspec_benches::{bench_int, hand};

#[test]
fn every_code_of_the_10000_code_module_is_found() {
    use bench_int::ErrorCode;
    assert_eq!(ErrorCode::ALL.len(), errspec_benches::GENERATED_CODES);
    for code in ErrorCode::ALL {
        let n = code.as_u32().expect("an integer API");
        assert_eq!(ErrorCode::from_wire(code.as_str()), *code);
        assert_eq!(ErrorCode::from_u32(n), *code);
        assert_eq!(ErrorCode::lookup_u32(n), (code.clone(), false));
        // The hand-written baseline agrees.
        let hand = hand::bench_int::HandCode::from_u32(n);
        assert_eq!(format!("{hand:?}"), format!("{code:?}"));
    }
    for n in [0, 1, 39_999_999, 60_000_000, u32::MAX] {
        assert!(ErrorCode::from_u32(n).is_unknown(), "{n}");
        assert_eq!(ErrorCode::from_u32(n).as_u32(), Some(n));
    }
}

#[test]
fn aliases_of_the_10000_code_module_are_found_and_flagged() {
    use bench_int::ErrorCode;
    let spec = errspec_benches::specgen::rows(
        errspec_benches::specgen::Kind::Integer,
        errspec_benches::GENERATED_CODES,
    );
    let mut aliases = 0;
    for (row, code) in spec.iter().zip(ErrorCode::ALL) {
        for alias in &row.aliases {
            aliases += 1;
            assert_eq!(ErrorCode::lookup(alias), (code.clone(), true), "{alias}");
            let n: u32 = alias.parse().unwrap();
            assert_eq!(ErrorCode::lookup_u32(n), (code.clone(), true), "{alias}");
        }
    }
    assert!(aliases > 100, "{aliases}");
}
