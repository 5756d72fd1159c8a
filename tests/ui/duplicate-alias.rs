#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = 50300, status = 503, message = "Down")]
    Down,
    #[errspec(code = 50301, alias = 50300, status = 503, message = "Misconfigured")]
    Misconfigured,
    Unknown(errspec::UnknownCode),
}

fn main() {}
