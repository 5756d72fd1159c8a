//! `errspec import openapi` on a 5 MB document, against the bare parse of the same text:
//!
//! - `import/json_value`: `serde_json::from_str::<serde_json::Value>` (the baseline);
//! - `import/openapi_json`: `errspec_codegen::import::openapi::from_str` of the JSON;
//! - `import/openapi_json_checked`: the same, then the spec written and validated as `lint`
//!   does (`Draft::check`), which is what `errspec import` runs;
//! - `import/yaml_value` and `import/openapi_yaml`: the same document as YAML.
//!
//! The document is `errspec_benches::large_openapi`: a real Azure OpenAI document, its
//! operations repeated under new routes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use errspec_codegen::import::openapi;

fn import(c: &mut Criterion) {
    let json = errspec_benches::large_openapi(5_000_000);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let yaml = serde_yaml::to_string(&value).expect("YAML");
    assert_eq!(
        openapi::from_str(&json, "large.json")
            .expect("imports")
            .codes
            .len(),
        1
    );
    let mut g = c.benchmark_group("import");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("json_value", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(&json).expect("JSON")))
    });
    g.bench_function("openapi_json", |b| {
        b.iter(|| black_box(openapi::from_str(&json, "large.json").expect("imports")))
    });
    g.bench_function("openapi_json_checked", |b| {
        b.iter(|| {
            let draft = openapi::from_str(&json, "large.json").expect("imports");
            black_box(draft.check("large.yaml").expect("a valid spec"))
        })
    });
    g.bench_function("yaml_value", |b| {
        b.iter(|| black_box(serde_yaml::from_str::<serde_yaml::Value>(&yaml).expect("YAML")))
    });
    g.bench_function("openapi_yaml", |b| {
        b.iter(|| black_box(openapi::from_str(&yaml, "large.yaml").expect("imports")))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = import
}
criterion_main!(benches);
