#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "", status = 400, message = "Empty")]
    Empty,
    Unknown(errspec::UnknownCode),
}

fn main() {}
