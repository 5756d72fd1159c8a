#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(status = 400, message = "Bad input")]
    BadInput,
    Unknown(errspec::UnknownCode),
}

fn main() {}
