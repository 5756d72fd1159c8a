#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "bad_input", status = 400, mesage = "Bad input")]
    BadInput,
    Unknown(errspec::UnknownCode),
}

fn main() {}
