//! Generated lookups read static hash tables built by the generator and probed by the
//! runtime (both with `errspec_core`'s hash): every documented value must be found, anything
//! else is unknown and kept.

use proptest::prelude::*;

mod many {
    errspec::include_spec!("tests/specs/many_codes.yaml");
}

proptest! {
    #[test]
    fn anything_else_is_unknown_and_kept(raw in "\\PC{0,24}") {
        let code = many::ErrorCode::from_wire(&raw);
        let documented = many::ErrorCode::ALL.iter().any(|c| c.as_str() == raw)
            || (raw.starts_with("ERROR_") && raw.ends_with("_OLD"));
        prop_assert_eq!(code.is_unknown(), !documented);
        if !documented {
            prop_assert_eq!(code.as_str(), raw.as_str());
        }
    }
}

#[test]
fn a_large_string_api_finds_every_code_and_alias() {
    use many::ErrorCode;
    assert_eq!(ErrorCode::ALL.len(), 100);
    for (i, code) in ErrorCode::ALL.iter().enumerate() {
        let wire = if i % 3 == 0 {
            format!("E-{}{i}", "x".repeat(i % 20))
        } else {
            format!("error_{i}")
        };
        assert_eq!(code.as_str(), wire);
        assert_eq!(ErrorCode::from_wire(&wire), *code);
        assert_eq!(ErrorCode::lookup(&wire), (code.clone(), false));
        assert_eq!(code.message(), Some(format!("Message {i}").as_str()));
        let solution = format!("Solution {i}");
        assert_eq!(code.solution(), (i % 5 == 0).then_some(solution.as_str()));
        assert_eq!(code.category().is_some(), i % 2 == 0);
        assert_eq!(code.retry_policy().is_some(), i % 7 == 0, "{wire}");
        assert_eq!(
            code.docs_anchor().map(|a| a.starts_with("code-")),
            Some(true)
        );
        if i % 10 == 0 {
            let alias = format!("ERROR_{i}_OLD");
            assert_eq!(ErrorCode::lookup(&alias), (code.clone(), true));
            assert_eq!(ErrorCode::from_wire(&alias), *code);
        }
    }
    let unknown = ErrorCode::from_wire("error_100");
    assert!(unknown.is_unknown());
    assert_eq!(unknown.as_str(), "error_100");
    assert_eq!(unknown.message(), None);
}

#[test]
fn integer_apis_take_only_canonical_numbers() {
    use voice::ErrorCode;
    assert_eq!(
        ErrorCode::from_wire("40001"),
        ErrorCode::ParameterValidation
    );
    for raw in ["040001", "+40001", "40001 ", "4e4", "-40001", "40001.0"] {
        let code = ErrorCode::from_wire(raw);
        assert!(code.is_unknown(), "{raw}");
        assert_eq!(code.as_str(), raw);
    }
    assert_eq!(ErrorCode::from_u32(40001), ErrorCode::ParameterValidation);
    assert_eq!(ErrorCode::from_u32(50500), ErrorCode::TemporaryDown);
    assert_eq!(ErrorCode::lookup("50500"), (ErrorCode::TemporaryDown, true));
    assert_eq!(ErrorCode::from_u32(7).as_u32(), Some(7));
}

mod voice {
    errspec::include_spec!("spec/sinch_voice.yaml");
}
