//! The `errspec` subcommands beyond the Rust summary: `generate` writing docs, `check` for
//! drift, `lint`, `schema`, `--templates`, and the documented exit statuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A directory holding copies of the three specs under `spec/`.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-cmd-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    for spec in errspec_codegen::discover_specs(&root().join("spec")).unwrap() {
        std::fs::copy(&spec, dir.join("spec").join(spec.file_name().unwrap())).unwrap();
    }
    dir
}

fn errspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn generate_writes_rust_and_docs_and_lists_both() {
    let dir = scratch("generate");
    let out = errspec(&dir, &["generate"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    for api in ["hms_sovereign", "sinch_numbers", "sinch_voice"] {
        assert!(
            stdout.contains(&format!("generated/rust/{api}.rs (updated)")),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("generated/docs/{api}.md (updated)")),
            "{stdout}"
        );
        let page = std::fs::read_to_string(dir.join(format!("generated/docs/{api}.md"))).unwrap();
        let checked_in =
            std::fs::read_to_string(root().join(format!("generated/docs/{api}.md"))).unwrap();
        assert_eq!(
            page, checked_in,
            "{api}: the CLI writes what the test snapshots hold"
        );
    }
    assert!(
        stdout.contains("generated/docs/README.md (updated)"),
        "{stdout}"
    );
    let again = errspec(&dir, &["generate"]);
    assert!(!text(&again.stdout).contains("(updated)"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_fails_on_stale_output_and_passes_after_generate() {
    let dir = scratch("check");
    let out = errspec(&dir, &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stale: generated/rust/sinch_voice.rs: missing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stale: generated/docs/README.md: missing"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "7 of 7 generated files are stale; run `errspec generate` and commit the result"
        ),
        "{stderr}"
    );

    assert!(errspec(&dir, &["generate"]).status.success());
    let out = errspec(&dir, &["check"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("ok: all 7 generated files are up to date (3 specs in spec)"),
        "{stdout}"
    );

    // A spec edit leaves both outputs of that spec stale, and only those.
    let voice = dir.join("spec/sinch_voice.yaml");
    let source = std::fs::read_to_string(&voice).unwrap();
    std::fs::write(
        &voice,
        source.replacen("    message: ", "    message: Edited ", 1),
    )
    .unwrap();
    let out = errspec(&dir, &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let stale: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("stale: "))
        .collect();
    assert_eq!(
        stale,
        [
            "stale: generated/rust/sinch_voice.rs: differs from what the spec generates",
            "stale: generated/docs/sinch_voice.md: differs from what the spec generates",
        ]
    );

    // A hand edit of a checked-in page is drift too.
    assert!(errspec(&dir, &["generate"]).status.success());
    let page = dir.join("generated/docs/hms_sovereign.md");
    let edited = std::fs::read_to_string(&page).unwrap() + "\nedited by hand\n";
    std::fs::write(&page, edited).unwrap();
    let out = errspec(&dir, &["check", "--docs-out", "generated/docs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("stale: generated/docs/hms_sovereign.md"));
    assert!(errspec(&dir, &["generate"]).status.success());
    assert!(errspec(&dir, &["check"]).status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_names_the_command_with_the_options_given() {
    let dir = scratch("check-options");
    let out = errspec(
        &dir,
        &["check", "--rust-out", "out/rs", "--docs-out", "out/md"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("run `errspec generate --rust-out out/rs --docs-out out/md`"),
        "{}",
        text(&out.stderr)
    );
    let out = errspec(
        &dir,
        &["generate", "--rust-out", "out/rs", "--docs-out", "out/md"],
    );
    assert!(out.status.success());
    assert!(dir.join("out/md/sinch_voice.md").is_file());
    // The outputs' headers name the command line that wrote them.
    let rust = std::fs::read_to_string(dir.join("out/rs/sinch_voice.rs")).unwrap();
    assert!(
        rust.starts_with(
            "// @generated by errspec from `sinch_voice.yaml`. Do not edit: edit the spec and\n\
             // regenerate (`errspec generate --rust-out out/rs --docs-out out/md`).\n"
        ),
        "{}",
        &rust[..200]
    );
    for page in ["sinch_voice.md", "README.md"] {
        let md = std::fs::read_to_string(dir.join("out/md").join(page)).unwrap();
        assert!(
            md.lines().nth(1).is_some_and(|l| l.trim().starts_with(
                "regenerate (`errspec generate --rust-out out/rs --docs-out out/md`)"
            )),
            "{page}: {}",
            &md[..200]
        );
    }
    let out = errspec(
        &dir,
        &["check", "--rust-out", "out/rs", "--docs-out", "out/md"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_covers_a_schema_kept_beside_the_specs() {
    let dir = scratch("check-schema");
    assert!(errspec(&dir, &["generate"]).status.success());
    std::fs::write(dir.join("spec/errspec.schema.json"), "{}\n").unwrap();
    let out = errspec(&dir, &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stale: spec/errspec.schema.json"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`errspec generate` and `errspec schema --out spec/errspec.schema.json`"),
        "{stderr}"
    );
    let out = errspec(&dir, &["schema", "--out", "spec/errspec.schema.json"]);
    assert!(text(&out.stdout).contains("wrote spec/errspec.schema.json"));
    assert!(errspec(&dir, &["check"]).status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_prints_the_checked_in_schema() {
    let out = errspec(&root(), &["schema"]);
    assert!(out.status.success());
    let checked_in = std::fs::read_to_string(root().join("spec/errspec.schema.json")).unwrap();
    assert_eq!(text(&out.stdout), checked_in);
}

#[test]
fn templates_flag_renders_with_a_users_templates() {
    let dir = scratch("templates");
    std::fs::create_dir_all(dir.join("tpl")).unwrap();
    std::fs::write(
        dir.join("tpl/api.md.j2"),
        "# {{ api.name }}\n\n{% for s in statuses %}- {{ s.number }} {{ s.name }}\n{% endfor %}",
    )
    .unwrap();
    let out = errspec(&dir, &["generate", "--templates", "tpl"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = std::fs::read_to_string(dir.join("generated/docs/sinch_numbers.md")).unwrap();
    assert!(
        page.contains("\n# Sinch Numbers REST API\n\n- 200 OK\n- 201 Created\n"),
        "{page}"
    );
    assert!(errspec(&dir, &["check", "--templates", "tpl"])
        .status
        .success());
    let out = errspec(&dir, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the built-in templates give other pages"
    );

    std::fs::write(dir.join("tpl/api.md.j2"), "{{ api.nmae }}\n").unwrap();
    let out = errspec(&dir, &["generate", "--templates", "tpl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("template `api.md.j2`"),
        "{}",
        text(&out.stderr)
    );
    let out = errspec(&dir, &["generate", "--templates", "missing-dir"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lint_warns_without_failing_unless_warnings_are_denied() {
    let dir = scratch("lint");
    let out = errspec(&dir, &["lint"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let located = |prefix: &str, rest: &str| {
        stdout.lines().any(|l| {
            l.strip_prefix(prefix)
                .and_then(|l| l.split_once(": at `"))
                .is_some_and(|(at, tail)| {
                    at.split(':').all(|n| n.parse::<usize>().is_ok()) && tail.starts_with(rest)
                })
        })
    };
    assert!(
        located(
            "warning[missing-solution]: spec/sinch_voice.yaml:",
            "codes[2]`: code `40003` has no solution"
        ),
        "{stdout}"
    );
    assert!(
        located(
            "warning[inferred-status]: spec/hms_sovereign.yaml:",
            "codes[0].status`: the status of code `unauthorized` (401) is inferred"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  help: "));
    let summary = stdout.lines().last().unwrap();
    assert!(summary.starts_with("3 specs linted, "), "{summary}");
    assert!(summary.contains("inferred-status: "), "{summary}");

    let out = errspec(&dir, &["lint", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::write(
        dir.join("clean.yaml"),
        "api: { id: t, name: T, source: s, code_type: string }\n\
         envelopes: [{ id: e, code: { field: code, accepts: [string] } }]\n\
         statuses: [{ status: 400, name: Bad Request }]\n\
         codes: [{ code: invalid, status: 400, message: m, solution: s }]\n",
    )
    .unwrap();
    let out = errspec(&dir, &["lint", "--deny-warnings", "clean.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "1 spec linted, 0 warnings\n");

    std::fs::write(dir.join("spec/bad.yaml"), "api: {}\n").unwrap();
    let out = errspec(&dir, &["lint"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("spec/bad.yaml:1:6"));
    assert!(text(&out.stdout).contains(", 1 invalid"));
    let out = errspec(&dir, &["lint", "--spec-dir", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_is_complete_and_documents_exit_statuses() {
    let here = root();
    let out = errspec(&here, &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for command in ["generate", "check", "lint", "schema", "verify"] {
        assert!(help.contains(&format!("  {command} ")), "{help}");
    }
    assert!(
        help.contains("Exit status:\n  0  success\n  1  problems found"),
        "{help}"
    );
    assert!(help.contains("  2  usage or I/O error"), "{help}");
    let flags: [(&str, &[&str]); 5] = [
        (
            "generate",
            &["--spec-dir", "--rust-out", "--docs-out", "--templates"],
        ),
        (
            "check",
            &["--spec-dir", "--rust-out", "--docs-out", "--templates"],
        ),
        ("lint", &["--spec-dir", "--deny-warnings", "[SPEC]..."]),
        ("schema", &["--out"]),
        ("verify", &["--against", "--ignore", "<SPEC>"]),
    ];
    for (command, flags) in flags {
        let out = errspec(&here, &[command, "--help"]);
        assert!(out.status.success());
        let help = text(&out.stdout);
        assert!(help.contains("Exit status: 0"), "{command}: {help}");
        for flag in flags {
            assert!(help.contains(flag), "{command}: {flag} missing in {help}");
        }
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let here = root();
    assert_eq!(errspec(&here, &["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        errspec(&here, &["verify", "spec/sinch_voice.yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(errspec(&here, &[]).status.code(), Some(2));
}

/// Every output file under `dir`, with its contents, temporary files included.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    for sub in ["generated/rust", "generated/docs"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            files.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    files
}

/// Changes what every output of the HMS spec says, so the next run rewrites its `.rs` and `.md`.
fn edit_hms(dir: &Path) {
    let spec = dir.join("spec/hms_sovereign.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let edited = text.replacen(
        "message: Invalid or missing API key",
        "message: Invalid or missing or revoked API key",
        1,
    );
    assert_ne!(
        text, edited,
        "the HMS spec holds the message this test edits"
    );
    std::fs::write(&spec, edited).unwrap();
}

#[test]
fn a_run_killed_mid_write_leaves_the_previous_outputs_whole() {
    let dir = scratch("killed");
    assert!(errspec(&dir, &["generate"]).status.success());
    let before = snapshot(&dir);
    edit_hms(&dir);
    // 16 blocks of 512 bytes: every `.rs` is larger, so the first write past it is killed by
    // SIGXFSZ in the middle of the file.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 16 && exec {} generate",
            env!("CARGO_BIN_EXE_errspec")
        ))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success(), "the file size limit stops the run");
    let after = snapshot(&dir);
    for (path, old) in &before {
        assert!(
            after.get(path) == Some(old),
            "{} changed though the run was killed",
            path.display()
        );
    }
    // What the run left is at most its own partial temporary file, never a cut output.
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            name.starts_with(".errspec-") && name.ends_with(".tmp"),
            "unexpected file {name}"
        );
    }
    // The next run completes and replaces them.
    let out = errspec(&dir, &["generate"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        std::fs::read_to_string(dir.join("generated/rust/hms_sovereign.rs"))
            .unwrap()
            .contains("revoked API key")
    );
}

/// Outputs are written through private temporary files, but land with the mode of the file they
/// replace, or a new file's (0666 less the umask), readable by whoever reads the sources.
#[cfg(unix)]
#[test]
fn outputs_keep_the_mode_of_the_file_they_replace() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("modes");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec {} generate",
            env!("CARGO_BIN_EXE_errspec")
        ))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = |p: &str| std::fs::metadata(dir.join(p)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("generated/rust/hms_sovereign.rs"), 0o644);
    assert_eq!(mode("generated/docs/README.md"), 0o644);
    let rust = dir.join("generated/rust/hms_sovereign.rs");
    std::fs::set_permissions(&rust, std::fs::Permissions::from_mode(0o640)).unwrap();
    edit_hms(&dir);
    assert!(errspec(&dir, &["generate"]).status.success());
    assert_eq!(
        mode("generated/rust/hms_sovereign.rs"),
        0o640,
        "replaced, mode kept"
    );
}

#[test]
fn a_docs_directory_that_cannot_be_written_leaves_the_rust_unchanged() {
    let dir = scratch("unwritable");
    assert!(errspec(&dir, &["generate"]).status.success());
    let rust = dir.join("generated/rust/hms_sovereign.rs");
    let before = std::fs::read(&rust).unwrap();
    edit_hms(&dir);
    // A file where the docs directory should be: no permission bit is needed for the refusal,
    // so this holds when the tests run as root too.
    std::fs::write(dir.join("docs-file"), "not a directory").unwrap();
    let out = errspec(&dir, &["generate", "--docs-out", "docs-file"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("docs-file"),
        "the error names the directory: {}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&rust).unwrap(),
        before,
        "the Rust is not replaced when the docs cannot be written"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("generated/rust"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staged files are removed: {leftovers:?}"
    );
}

/// A spec's problems as the CLI prints them: each with an excerpt of its line and a caret under
/// the column, all of them in one run; coloured only when asked for and never with `NO_COLOR`.
/// The snapshots are `tests/cli/four_mistakes.{plain,color}.txt`; `ERRSPEC_BLESS=1` rewrites
/// them.
#[test]
fn diagnostics_are_rendered_with_excerpts_plain_and_coloured() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = "tests/bad_specs/four_mistakes.yaml";
    let run = |color: &str, no_color: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_errspec"));
        cmd.args(["--color", color, "lint", spec]).current_dir(dir);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    let bless = std::env::var_os("ERRSPEC_BLESS").is_some();
    for (snapshot, rendered) in [
        ("tests/cli/four_mistakes.plain.txt", run("never", false)),
        ("tests/cli/four_mistakes.color.txt", run("always", false)),
    ] {
        let path = dir.join(snapshot);
        if bless {
            std::fs::write(&path, &rendered).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            rendered, expected,
            "{snapshot} is stale: rerun with ERRSPEC_BLESS=1"
        );
    }
    let plain = run("never", false);
    assert_eq!(plain.matches("\nerror: ").count() + 1, 4, "{plain}");
    assert!(plain.contains("  |   ^^^^^^ at `api`"), "{plain}");
    assert!(plain.ends_with("4 errors in spec\n"), "{plain}");
    assert!(!plain.contains('\u{1b}'));
    assert!(run("always", false).contains('\u{1b}'));
    // NO_COLOR wins over everything, `--color always` included; `auto` off a terminal is plain.
    assert_eq!(run("always", true), plain);
    assert_eq!(run("auto", false), plain);
}

/// A missing spec directory is named with the option that sets it and its default.
#[test]
fn a_missing_spec_directory_names_the_option_and_the_default() {
    let dir = std::env::temp_dir().join(format!("errspec-nospec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for args in [&["generate"][..], &["check"], &["lint"]] {
        let out = errspec(&dir, args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "the spec directory spec does not exist (set by --spec-dir, default `spec`"
            ),
            "{args:?}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
