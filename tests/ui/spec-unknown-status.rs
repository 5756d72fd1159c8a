mod api {
    errspec::include_spec!("specs/unknown-status.yaml");
}

fn main() {}
