#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "bad_input", status = 400, message = "Bad input")]
    BadInput,
    #[errspec(code = "bad_input", status = 422, message = "Also bad input")]
    AlsoBadInput,
    Unknown(errspec::UnknownCode),
}

fn main() {}
