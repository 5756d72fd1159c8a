#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = 40001, status = 400, message = "Parameter validation")]
    ParameterValidation,
    #[errspec(code = "40002", status = 400, message = "Missing parameter")]
    MissingParameter,
    Unknown(errspec::UnknownCode),
}

fn main() {}
