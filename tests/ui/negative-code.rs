#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = -1, status = 400, message = "Negative")]
    Negative,
    Unknown(errspec::UnknownCode),
}

fn main() {}
