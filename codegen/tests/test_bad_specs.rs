//! The bad-spec corpus: each `tests/bad_specs/<name>.yaml` makes one mistake, and
//! `<name>.expected` holds exactly what errspec reports for it (file:line:column, YAML path,
//! message, help). None may panic, hang or take long. Set `ERRSPEC_BLESS=1` to rewrite the
//! `.expected` files after a deliberate change of wording, then review the diff.
//!
//! Also replays the spec loader's fuzz seeds (`fuzz/corpus/parse_spec/`), and checks the
//! limits that no checked-in file can show (a 50 MB scalar, too many nodes).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use errspec_codegen::{generate_rust, load, parse, Diagnostic, Error, MAX_SPEC_BYTES};

const CORPUS: &str = "tests/bad_specs";

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("tests/bad_specs is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every problem is located inside the file and says how to fix it.
#[track_caller]
fn assert_well_formed(d: &Diagnostic, source: &[u8]) {
    let lines = source.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
    assert!(d.line >= 1 && d.line <= lines, "line out of the file: {d}");
    assert!(d.column >= 1, "column: {d}");
    assert!(!d.message.is_empty(), "no message: {d:?}");
    assert!(
        d.help.as_deref().is_some_and(|h| !h.is_empty()),
        "no help: {d:?}"
    );
}

#[test]
fn every_bad_spec_gives_its_expected_located_errors() {
    let bless = std::env::var_os("ERRSPEC_BLESS").is_some();
    let files = corpus();
    assert!(files.len() >= 30, "the corpus shrank to {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let started = Instant::now();
        let result = load(path);
        let elapsed = started.elapsed();
        let diagnostics = match result {
            Ok(_) => {
                failures.push(format!("{}: accepted", path.display()));
                continue;
            }
            Err(Error::Spec(diagnostics)) => diagnostics,
            Err(other) => {
                failures.push(format!("{}: not a spec error: {other}", path.display()));
                continue;
            }
        };
        // Generous for a debug build on a loaded machine; the cases that used to take
        // seconds or minutes (deep flow nesting) now stop at the first problem.
        assert!(
            elapsed < Duration::from_secs(5),
            "{} took {elapsed:?}",
            path.display()
        );
        let source = std::fs::read(path).unwrap();
        for d in diagnostics.iter() {
            assert_well_formed(d, &source);
        }
        let actual = format!("{diagnostics}\n");
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_expected_file_has_its_spec() {
    for entry in std::fs::read_dir(CORPUS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "expected") {
            assert!(
                path.with_extension("yaml").is_file(),
                "{} has no spec",
                path.display()
            );
        }
    }
}

/// A spec saved with a byte-order mark and CRLF line ends reads exactly like the LF one: the
/// same errors at the same places.
#[test]
fn bom_and_crlf_report_like_lf() {
    let read = |name: &str| {
        let path = Path::new(CORPUS).join(name);
        match load(&path) {
            Err(Error::Spec(d)) => d
                .iter()
                .map(|d| (d.line, d.column, d.path.clone(), d.message.clone()))
                .collect::<Vec<_>>(),
            other => panic!("{name}: {other:?}"),
        }
    };
    assert_eq!(
        read("bom_crlf_unknown_status.yaml"),
        read("unknown_status.yaml")
    );
}

/// The shipped specs saved with a byte-order mark and CRLF line ends generate byte-identical
/// Rust.
#[test]
fn bom_and_crlf_generate_the_same_rust() {
    for spec in errspec_codegen::discover_specs(Path::new("../spec")).unwrap() {
        let lf = std::fs::read_to_string(&spec).unwrap();
        let windows = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
        let name = spec.display().to_string();
        let expected = generate_rust(&parse(&lf, &name).unwrap());
        let actual = generate_rust(&parse(&windows, &name).unwrap());
        assert!(expected == actual, "{name}: CRLF output differs");
    }
}

/// Keywords are valid codes: they get identifiers of their own.
#[test]
fn keyword_codes_get_identifiers() {
    let source = std::fs::read_to_string(Path::new(CORPUS).join("keyword_code_collision.yaml"))
        .unwrap()
        .replace(
            "  - code: Self\n    status: 400\n    message: Self again\n",
            "  - code: crate\n    status: 400\n    message: Crate\n  - code: type\n    status: 400\n    message: Type\n  - code: unknown\n    status: 400\n    message: Unknown\n",
        );
    let api = parse(&source, "keywords.yaml").expect("keyword codes are valid");
    let variants: Vec<&str> = api.codes.iter().map(|c| c.variant.as_str()).collect();
    assert_eq!(
        variants,
        ["BadInput", "SelfCode", "Crate", "Type", "UnknownCode"]
    );
    syn::parse_file(&generate_rust(&api)).expect("the generated Rust parses");
}

/// A 50 MB scalar is refused before any YAML is parsed.
#[test]
fn a_50_mb_spec_is_refused_at_once() {
    let dir = std::env::temp_dir().join(format!("errspec-bad-50mb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.yaml");
    let base = std::fs::read_to_string(Path::new(CORPUS).join("unknown_status.yaml")).unwrap();
    let huge = base.replace(
        "  source: demo.txt\n",
        &format!("  source: {}\n", "x".repeat(MAX_SPEC_BYTES + (1 << 20))),
    );
    std::fs::write(&path, &huge).unwrap();
    let started = Instant::now();
    let file_result = load(&path);
    let text_result = parse(&huge, "huge.yaml");
    let elapsed = started.elapsed();
    std::fs::remove_dir_all(&dir).unwrap();
    let message = format!(
        "the spec is larger than {} MiB",
        MAX_SPEC_BYTES / (1024 * 1024)
    );
    match file_result {
        Err(Error::Spec(d)) => {
            assert_eq!(d.len(), 1);
            assert_eq!(d.0[0].message, message);
            assert_eq!((d.0[0].line, d.0[0].column), (1, 1));
        }
        other => panic!("{other:?}"),
    }
    let d = text_result.unwrap_err();
    assert_eq!(d.0[0].message, message);
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

/// A spec just under the size limit made of tiny nodes is refused before the YAML library
/// holds all of them in memory.
#[test]
fn too_many_nodes_are_refused() {
    let base = std::fs::read_to_string(Path::new(CORPUS).join("unknown_status.yaml")).unwrap();
    let source = format!("{base}limits: [{}0]\n", "0,".repeat(300_000));
    let d = parse(&source, "nodes.yaml").unwrap_err();
    assert_eq!(d.len(), 1, "{d}");
    assert_eq!(d.0[0].path, "limits");
    assert!(
        d.0[0].message.contains("more than 250000 YAML nodes"),
        "{d}"
    );
}

/// A catalog of 100,000 codes is admitted: the node limit grows with the file (here 700,000
/// nodes in 3.6 MB), up to a cap that still bounds a hostile file.
#[test]
fn a_catalog_of_100000_codes_is_admitted() {
    let mut source = String::from(
        "version: 2\napi: { id: big, name: Big, source: big.txt, code_type: integer }\n\
         envelopes:\n  - { id: e, code: { field: code, accepts: [integer] } }\ncodes:\n",
    );
    for n in 0..100_000 {
        source.push_str(&format!("  - {{ code: {n}, message: \"Error {n}\" }}\n"));
    }
    let api = parse(&source, "big.yaml").unwrap();
    assert_eq!(api.codes.len(), 100_000);
    assert_eq!(api.codes[99_999].wire, "99999");
}

/// The fuzz seeds of the spec loader (the shipped specs and what the fuzzer kept), through the
/// same checks as the `parse_spec` target.
#[test]
fn the_spec_fuzz_corpus_replays_cleanly() {
    let dir = Path::new("../fuzz/corpus/parse_spec");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).expect("fuzz/corpus/parse_spec is checked in") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let source = String::from_utf8_lossy(&bytes);
        match parse(&source, "fuzz.yaml") {
            Ok(api) => {
                let rust = generate_rust(&api);
                syn::parse_file(&rust)
                    .unwrap_or_else(|e| panic!("{}: generated Rust: {e}", path.display()));
            }
            Err(d) => {
                for d in d.iter() {
                    assert_well_formed(d, source.as_bytes());
                }
            }
        }
        replayed += 1;
    }
    assert!(replayed >= 3, "only {replayed} seeds");
}

/// Specs within the size limits that make many problems, or long chains of references, are
/// still reported quickly and in bounded text: each help lists a few names, not all of them,
/// and an `extends` chain is followed only so far.
#[test]
fn many_problems_and_long_chains_stay_fast_and_bounded() {
    let n = 5_000;
    let mut source = String::from(
        "api: { id: many, name: Many, source: many.txt, code_type: string }\n\
         envelopes: [{ id: plain, code: { field: code, accepts: [string] } }]\n\
         statuses: [{ status: 400, name: Bad Request }]\n\
         categories:\n",
    );
    for i in 0..n {
        source.push_str(&format!("  - {{ id: c{i}, title: C }}\n"));
    }
    source.push_str("codes:\n");
    for i in 0..n {
        source.push_str(&format!(
            "  - {{ code: x{i}, status: 400, message: M, category: missing{i} }}\n"
        ));
    }
    source.push_str("retry:\n  policies:\n");
    for i in 0..n {
        source.push_str(&format!("    p{i}: {{ extends: p{} }}\n", i + 1));
    }
    source.push_str(&format!("    p{n}: {{ initial: 1s, max_attempts: 2 }}\n"));
    let started = Instant::now();
    let d = parse(&source, "many.yaml").unwrap_err();
    let elapsed = started.elapsed();
    let text = d.to_string();
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(
        text.len() < 3_000_000,
        "{} bytes of diagnostics",
        text.len()
    );
    let undefined = d
        .iter()
        .filter(|d| d.message.starts_with("category `missing"))
        .collect::<Vec<_>>();
    assert_eq!(undefined.len(), n);
    assert_eq!(
        undefined[0].help.as_deref(),
        Some("define it, or use one of: `c0`, `c1`, `c2`, `c3`, `c4`, `c5`, `c6`, `c7`, ...")
    );
    assert!(
        d.iter()
            .any(|d| d.message == "policy `p0` extends more than 16 policies in a row"),
        "{text:.2000}"
    );
}

/// A large spec with many values of the wrong type gets every one reported in one run, each at
/// its own line: the repair rounds re-read the repaired document from memory, so they are not
/// cut short by the spec's size (a 300 KB spec used to stop after 17 of them).
#[test]
fn every_structural_problem_of_a_large_spec_is_reported() {
    let (codes, wrong) = (3_000, 90);
    let mut source = String::from(
        "api: { id: large, name: Large, source: large.txt, code_type: string }\n\
         envelopes: [{ id: plain, code: { field: code, accepts: [string] } }]\n\
         statuses: [{ status: 400, name: Bad Request }]\n\
         codes:\n",
    );
    let mut expected_lines = Vec::new();
    for i in 0..codes {
        let message = if i % (codes / wrong) == 0 {
            expected_lines.push(source.lines().count() + 1);
            "[not, a, string]".to_owned()
        } else {
            format!("\"Message number {i}, with enough text to make the spec a real size\"")
        };
        source.push_str(&format!(
            "  - {{ code: code_{i}, status: 400, message: {message}, description: \"The description of code number {i}\" }}\n"
        ));
    }
    assert!(source.len() > 300_000, "{} bytes", source.len());
    let d = parse(&source, "large.yaml").unwrap_err();
    let lines: Vec<usize> = d
        .iter()
        .filter(|d| d.message == "invalid type: sequence, expected a string")
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, expected_lines, "{d}");
    assert!(lines.len() >= wrong, "{} problems", lines.len());
    assert_eq!(d.iter().count(), lines.len(), "{d}");
}
