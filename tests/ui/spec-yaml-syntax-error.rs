mod api {
    errspec::include_spec!("specs/yaml-syntax-error.yaml");
}

fn main() {}
