mod api {
    errspec::include_spec!("specs/demo.yaml");
}

fn main() {
    assert_eq!(api::ErrorCode::from_wire("busy"), api::ErrorCode::Busy);
    assert_eq!(api::ErrorCode::Busy.retry_policy(), Some(&api::retry::TRANSIENT));
}
