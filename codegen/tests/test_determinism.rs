//! Generation is a function of the spec text alone: byte-identical across repeated runs,
//! across threads (each with its own `HashMap` hash keys) running at once, and equal to the
//! checked-in output another process wrote. The same holds for diagnostics.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use errspec_codegen::{generate_rust, load, parse, Builder};

fn specs() -> Vec<PathBuf> {
    errspec_codegen::discover_specs(Path::new("../spec")).unwrap()
}

/// The Rust of every spec, in order.
fn generate_all(sources: &[(String, String)]) -> Vec<String> {
    sources
        .iter()
        .map(|(name, text)| generate_rust(&parse(text, name).unwrap()))
        .collect()
}

fn sources() -> Vec<(String, String)> {
    specs()
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect()
}

#[test]
fn repeated_runs_are_byte_identical() {
    let sources = sources();
    let first = generate_all(&sources);
    for _ in 0..5 {
        assert!(generate_all(&sources) == first);
    }
}

/// Threads released together, so that the generations overlap; each thread seeds its
/// `RandomState`s anew.
fn generate_in_threads(threads: usize, sources: &Arc<Vec<(String, String)>>) -> Vec<Vec<String>> {
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let sources = Arc::clone(sources);
            std::thread::spawn(move || {
                barrier.wait();
                generate_all(&sources)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn concurrent_runs_on_any_number_of_threads_are_byte_identical() {
    let sources = Arc::new(sources());
    let expected = generate_all(&sources);
    for threads in [1, 2, 4, 8] {
        for (i, output) in generate_in_threads(threads, &sources).iter().enumerate() {
            assert!(*output == expected, "thread {i} of {threads} differs");
        }
    }
}

/// The checked-in files were written by another process, with other hash keys.
#[test]
fn output_equals_the_checked_in_files() {
    let generated = Builder::new().spec_dir("../spec").generate().unwrap();
    assert_eq!(generated.len(), 3);
    for g in &generated {
        let path = Path::new("../generated/rust").join(format!("{}.rs", g.api.id));
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(
            on_disk == g.rust,
            "{} differs from what the specs generate now; run `cargo run -p errspec-codegen --bin errspec -- generate`",
            path.display()
        );
        assert!(g.rust == generate_rust(&load(&g.spec).unwrap()));
    }
}

#[test]
fn diagnostics_are_deterministic_across_threads() {
    let bad: Vec<PathBuf> = std::fs::read_dir("tests/bad_specs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    let report = move || -> Vec<String> {
        bad.iter()
            .map(|p| load(p).unwrap_err().to_string())
            .collect()
    };
    let expected = report();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let report = report.clone();
            std::thread::spawn(report)
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap() == expected);
    }
}
