#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
struct Codes {
    code: String,
}

fn main() {}
