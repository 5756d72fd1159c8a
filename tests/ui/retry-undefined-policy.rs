#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "busy", status = 503, message = "Busy", retry = TRANSIENT)]
    Busy,
    Unknown(errspec::UnknownCode),
}

fn main() {}
