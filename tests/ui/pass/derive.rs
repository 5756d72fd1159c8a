#![deny(warnings)]

#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "bad_input", status = 400, message = "Bad input", solution = "Fix it")]
    BadInput,
    #[errspec(code = "busy", alias = "BUSY", status = 503, message = "Busy")]
    Busy,
    Unknown(errspec::UnknownCode),
}

fn main() {
    assert_eq!(Codes::from_wire("BUSY"), Codes::Busy);
    assert_eq!(Codes::BadInput.solution(), Some("Fix it"));
    assert!(Codes::from_wire("other").is_unknown());
}
