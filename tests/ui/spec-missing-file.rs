mod api {
    errspec::include_spec!("specs/does-not-exist.yaml");
}

fn main() {}
