#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "bad_input", status = 400, message = "Bad input")]
    BadInput,
    Unknown(String, u32),
}

fn main() {}
