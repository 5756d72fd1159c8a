//! Code generation speed and scaling, against the cost of just reading the YAML:
//!
//! - `codegen/yaml_value/<n>`: `serde_yaml::from_str::<serde_yaml::Value>` of the spec (the
//!   baseline);
//! - `codegen/parse/<n>`: `errspec_codegen::parse` (typed parse and validation);
//! - `codegen/rust/<n>`: `parse` + `generate_rust`, what a build script does;
//! - `codegen/rust_docs/<n>`: `parse` + `generate_rust` + the Markdown reference page
//!   (`errspec_codegen::markdown`, templates compiled beforehand);
//! - `codegen/generate/<n>`: `generate_rust` alone, on an already validated model.
//!
//! `<n>` is 1,000 (20 samples) and 10,000 codes (10 samples), and 100,000 with
//! `ERRSPEC_BENCH_100K=1` (10 samples; that takes minutes). The specs are those of
//! `errspec_benches::specgen`; every size is one `errspec_codegen::parse` admits (the
//! 100,000-code spec is 28 MB).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use errspec_benches::specgen::{self, Kind};

fn codegen(c: &mut Criterion) {
    let mut sizes = vec![1_000, 10_000];
    if std::env::var_os("ERRSPEC_BENCH_100K").is_some_and(|v| v == "1") {
        sizes.push(100_000);
    }
    let templates = errspec_codegen::markdown::Templates::builtin().expect("built-in templates");
    let mut g = c.benchmark_group("codegen");
    g.sampling_mode(SamplingMode::Flat);
    for n in sizes {
        let yaml = specgen::spec(Kind::Integer, n);
        g.sample_size(if n > 1_000 { 10 } else { 20 });
        g.measurement_time(Duration::from_secs(match n {
            0..=1_000 => 5,
            1_001..=10_000 => 12,
            _ => 120,
        }));
        g.bench_with_input(BenchmarkId::new("yaml_value", n), &yaml, |b, yaml| {
            b.iter(|| {
                black_box(serde_yaml::from_str::<serde_yaml::Value>(yaml).expect("valid YAML"))
            })
        });
        // Every stage works on this spec before anything is timed.
        let api = errspec_codegen::parse(&yaml, "bench.yaml")
            .unwrap_or_else(|e| panic!("the {n}-code spec is refused:\n{e}"));
        assert_eq!(api.codes.len(), n);
        templates.render_api(&api).expect("the docs render");
        g.bench_with_input(BenchmarkId::new("parse", n), &yaml, |b, yaml| {
            b.iter(|| black_box(errspec_codegen::parse(yaml, "bench.yaml").expect("valid spec")))
        });
        g.bench_with_input(BenchmarkId::new("rust", n), &yaml, |b, yaml| {
            b.iter(|| {
                let api = errspec_codegen::parse(yaml, "bench.yaml").expect("valid spec");
                black_box(errspec_codegen::generate_rust(&api))
            })
        });
        g.bench_with_input(BenchmarkId::new("rust_docs", n), &yaml, |b, yaml| {
            b.iter(|| {
                let api = errspec_codegen::parse(yaml, "bench.yaml").expect("valid spec");
                let rust = errspec_codegen::generate_rust(&api);
                let docs = templates.render_api(&api).expect("the docs render");
                black_box((rust, docs))
            })
        });
        g.bench_with_input(BenchmarkId::new("generate", n), &api, |b, api| {
            b.iter(|| black_box(errspec_codegen::generate_rust(api)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = codegen
}
criterion_main!(benches);
