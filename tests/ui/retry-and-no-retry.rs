const TRANSIENT: errspec::RetryPolicy = errspec::RetryPolicy {
    name: "transient",
    initial: std::time::Duration::from_secs(1),
    multiplier: 2.0,
    max_delay: std::time::Duration::from_secs(30),
    max_attempts: 3,
    jitter: errspec::Jitter::None,
    retry_after: None,
    methods: errspec::Methods::IDEMPOTENT,
};

#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
enum Codes {
    #[errspec(code = "busy", status = 503, message = "Busy", retry = TRANSIENT, no_retry)]
    Busy,
    Unknown(errspec::UnknownCode),
}

fn main() {}
