#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "bad_input", status = 400, status = 422, message = "Bad input")]
    BadInput,
    Unknown(errspec::UnknownCode),
}

fn main() {}
