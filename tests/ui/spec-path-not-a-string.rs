mod api {
    errspec::include_spec!(specs::demo);
}

fn main() {}
