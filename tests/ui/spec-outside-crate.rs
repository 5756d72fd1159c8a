mod api {
    errspec::include_spec!("../specs/demo.yaml");
}

fn main() {}
