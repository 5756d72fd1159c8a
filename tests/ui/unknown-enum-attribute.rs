#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
#[errspec(name = "Demo API")]
enum Codes {
    #[errspec(code = "bad_input", status = 400, message = "Bad input")]
    BadInput,
    Unknown(errspec::UnknownCode),
}

fn main() {}
