//! `errspec diff`: the verdict of each kind of change, each a small edit of a shipped spec,
//! through the library and the CLI, and `--against-git` in a temporary repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use errspec_codegen::diff::{diff, Verdict};
use errspec_codegen::parse;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shipped(spec: &str) -> String {
    std::fs::read_to_string(root().join("spec").join(spec)).unwrap()
}

/// `spec`'s text with each `(find, replace)` applied; each `find` must occur exactly once, so
/// that an edit never lands somewhere else when the spec changes.
fn edited(spec: &str, edits: &[(&str, &str)]) -> String {
    let mut text = shipped(spec);
    for (find, replace) in edits {
        let n = text.matches(find).count();
        assert_eq!(n, 1, "{spec}: `{find}` occurs {n} times, not once");
        text = text.replacen(find, replace, 1);
    }
    text
}

/// One kind of change: an edit of a shipped spec, the lines `diff` gives for it and the
/// verdict.
struct Case {
    name: &'static str,
    spec: &'static str,
    edits: &'static [(&'static str, &'static str)],
    changes: &'static [&'static str],
    verdict: Verdict,
}

const CASES: &[Case] = &[
    Case {
        name: "code removed",
        spec: "sinch_voice.yaml",
        edits: &[(
            "  - code: 40003\n    variant: InvalidRequest\n    status: 400\n    category: bad_request\n    message: Request data missing\n    description: A 40003 error is an invalid request error.\n    example: '{\"status\": \"400 InvalidRequest\", \"errorCode\": 40003, \"message\": \"Request data missing\"}'\n",
            "",
        )],
        changes: &["major: code 40003 (ErrorCode::InvalidRequest) removed"],
        verdict: Verdict::Major,
    },
    Case {
        name: "code added",
        spec: "sinch_voice.yaml",
        edits: &[(
            "  - code: 50301\n",
            "  - code: 50302
    variant: Maintenance
    status: 503
    category: service_unavailable
    message: Down for maintenance
  - code: 50301\n",
        )],
        changes: &["minor: code 50302 (ErrorCode::Maintenance) added"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "variant renamed, wire value kept",
        spec: "sinch_voice.yaml",
        edits: &[("variant: ParameterValidation", "variant: MethodValidation")],
        changes: &["major: code 40001 (ErrorCode::MethodValidation): variant renamed from \
                    `ErrorCode::ParameterValidation` to `ErrorCode::MethodValidation`"],
        verdict: Verdict::Major,
    },
    Case {
        name: "wire value changed, variant kept",
        spec: "sinch_voice.yaml",
        edits: &[("  - code: 40001\n", "  - code: 40009\n")],
        changes: &["major: code 40009 (ErrorCode::ParameterValidation): wire value changed from \
                    `40001` to `40009`: bodies with `40001` no longer parse to it"],
        verdict: Verdict::Major,
    },
    Case {
        name: "wire value and variant both changed: no longer the same code",
        spec: "sinch_voice.yaml",
        edits: &[
            ("  - code: 40001\n", "  - code: 40009\n"),
            ("variant: ParameterValidation", "variant: MethodValidation"),
        ],
        changes: &[
            "major: code 40001 (ErrorCode::ParameterValidation) removed",
            "minor: code 40009 (ErrorCode::MethodValidation) added",
        ],
        verdict: Verdict::Major,
    },
    Case {
        name: "wire value changed, the old one kept as an alias",
        spec: "sinch_voice.yaml",
        edits: &[
            ("  - code: 40001\n", "  - code: 40009\n"),
            (
                "    solution: You can fix this by using the correct method.\n",
                "    solution: You can fix this by using the correct method.
    errata:
      - field: code
        page_shows: \"40001\"
        alias: true
        description: The code was 40001 before.
",
            ),
        ],
        changes: &[
            "minor: code 40009 (ErrorCode::ParameterValidation): wire value changed from `40001` \
             to `40009`; `40001` is still accepted as an alias",
            "patch: erratum on the code the page shows as `40001` added",
        ],
        verdict: Verdict::Minor,
    },
    Case {
        name: "alias added",
        spec: "sinch_voice.yaml",
        edits: &[(
            "    solution: You can fix this by using the correct method.\n",
            "    solution: You can fix this by using the correct method.
    errata:
      - field: code
        page_shows: \"40099\"
        alias: true
        description: Some bodies carry 40099.
",
        )],
        changes: &[
            "minor: code 40001 (ErrorCode::ParameterValidation): alias `40099` added",
            "patch: erratum on the code the page shows as `40099` added",
        ],
        verdict: Verdict::Minor,
    },
    Case {
        name: "alias removed",
        spec: "sinch_voice.yaml",
        edits: &[("    aliases: [50500]\n", "")],
        changes: &["major: code 50300 (ErrorCode::TemporaryDown): alias `50500` removed: bodies \
                    with it no longer parse to the code"],
        verdict: Verdict::Major,
    },
    Case {
        name: "code's severity changed (version 2)",
        spec: "sinch_voice.yaml",
        edits: &[(
            "    variant: ParameterValidation\n    status: 400\n",
            "    variant: ParameterValidation\n    status: 400\n    severity: warning\n",
        )],
        changes: &["major: code 40001 (ErrorCode::ParameterValidation): severity \
                    (`ErrorCode::severity`, `is_error`) changed from `error` to `warning`"],
        verdict: Verdict::Major,
    },
    Case {
        name: "code's status dropped (version 2)",
        spec: "sinch_voice.yaml",
        edits: &[(
            "    variant: InvalidRequest\n    status: 400\n",
            "    variant: InvalidRequest\n",
        )],
        changes: &["major: code 40003 (ErrorCode::InvalidRequest): status `400` removed"],
        verdict: Verdict::Major,
    },
    Case {
        name: "code deprecated (version 2)",
        spec: "sinch_voice.yaml",
        edits: &[(
            "    variant: InvalidRequest\n",
            "    variant: InvalidRequest\n    deprecated: { note: Sent as 40002 now., replaced_by: 40002 }\n",
        )],
        changes: &["minor: code 40003 (ErrorCode::InvalidRequest): deprecated (`#[deprecated]`)"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "name alias added (version 2)",
        spec: "sinch_voice.yaml",
        edits: &[("    aliases: [50500]\n", "    aliases: [50500, TEMPORARILY_DOWN]\n")],
        changes: &["minor: code 50300 (ErrorCode::TemporaryDown): alias `TEMPORARILY_DOWN` added"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "documentation address template added (version 2)",
        spec: "sinch_voice.yaml",
        edits: &[(
            "  code_type: integer\n",
            "  code_type: integer\n  docs_url: \"https://developers.sinch.com/errors#{code}\"\n",
        )],
        changes: &["minor: API: documentation address template (`ErrorCode::docs_url`) \
                    `https://developers.sinch.com/errors#{code}` added"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "causes given (version 2)",
        spec: "sinch_voice.yaml",
        edits: &[(
            "    variant: InvalidRequest\n",
            "    variant: InvalidRequest\n    causes: [The body is empty.]\n",
        )],
        changes: &["patch: code 40003 (ErrorCode::InvalidRequest): causes changed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "code's status changed",
        spec: "hms_sovereign.yaml",
        edits: &[("{ code: conflict, status: 409,", "{ code: conflict, status: 422,")],
        changes: &["major: code conflict (ErrorCode::Conflict): status changed from `409` to `422`"],
        verdict: Verdict::Major,
    },
    Case {
        name: "code's category changed",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "{ code: invalid_destination, status: 400, category: call,",
            "{ code: invalid_destination, status: 400, category: validation,",
        )],
        changes: &["major: code invalid_destination (ErrorCode::InvalidDestination): category \
                    changed from `Category::Call` to `Category::Validation`"],
        verdict: Verdict::Major,
    },
    Case {
        name: "message changed",
        spec: "hms_sovereign.yaml",
        edits: &[("message: Call not found,", "message: No such call,")],
        changes: &["patch: code call_not_found (ErrorCode::CallNotFound): message changed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "solution removed",
        spec: "sinch_voice.yaml",
        edits: &[("    solution: You can fix this by using the correct method.\n", "")],
        changes: &["patch: code 40001 (ErrorCode::ParameterValidation): solution removed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "retry attempts changed, in a policy another extends",
        spec: "sinch_voice.yaml",
        edits: &[("      max_attempts: 3\n", "      max_attempts: 5\n")],
        changes: &[
            "minor: retry policy temporary (retry::TEMPORARY): max attempts changed from `3` to `5`",
            "minor: retry policy throttled (retry::THROTTLED): max attempts changed from `3` to `5`",
        ],
        verdict: Verdict::Minor,
    },
    Case {
        name: "Retry-After default changed",
        spec: "hms_sovereign.yaml",
        edits: &[("default: 60s, cap: 1h", "default: 30s, cap: 1h")],
        changes: &["minor: retry policy rate_limited (retry::RATE_LIMITED): Retry-After default \
                    changed from `60000 ms` to `30000 ms`"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "status's retry policy changed",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "Server temporarily unavailable, retry: transient }",
            "Server temporarily unavailable, retry: rate_limited }",
        )],
        changes: &["minor: status 503 (Status::ServiceUnavailable): retry policy changed from \
                    `transient` to `rate_limited`"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "retry policy removed, with the status that used it",
        spec: "sinch_numbers.yaml",
        edits: &[
            (
                "    retry: subsystem_unavailable\n    inferred: [retry]\n",
                "",
            ),
            (
                "    subsystem_unavailable:
      description: A required subsystem is unavailable; retry later.
      backoff: exponential
      initial: 2s
      multiplier: 2
      max_delay: 30s
      max_attempts: 3
      jitter: full
      inferred: [initial, multiplier, max_delay, max_attempts, jitter]
",
                "",
            ),
        ],
        changes: &[
            "major: retry policy subsystem_unavailable (retry::SUBSYSTEM_UNAVAILABLE) removed",
            "minor: status 503 (Status::ServiceUnavailable): retry policy `subsystem_unavailable` \
             removed",
            "patch: status 503 (Status::ServiceUnavailable): fields marked inferred changed from \
             [retry] to []",
        ],
        verdict: Verdict::Major,
    },
    Case {
        name: "retry policy added",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "    # The 429 branch reads Retry-After",
            "    patient:
      description: Long waits.
      backoff: exponential
      initial: 5s
      multiplier: 2
      max_delay: 1m
      max_attempts: 4
      jitter: full
    # The 429 branch reads Retry-After",
        )],
        changes: &["minor: retry policy patient (retry::PATIENT) added"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "status added",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "  - { status: 409,",
            "  - { status: 408, name: Request Timeout, description: The request took too long }\n  - { status: 409,",
        )],
        changes: &["minor: status 408 (Status::RequestTimeout) added"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "status removed",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "  - { status: 204, name: No Content, description: \"Request succeeded, no content returned (delete operations)\" }\n",
            "",
        )],
        changes: &["major: status 204 (Status::NoContent) removed"],
        verdict: Verdict::Major,
    },
    Case {
        name: "status renamed: its variant with it",
        spec: "hms_sovereign.yaml",
        edits: &[("name: Created, description: Resource", "name: Resource Created, description: Resource")],
        changes: &[
            "major: status 201 (Status::ResourceCreated): variant renamed from `Status::Created` \
             to `Status::ResourceCreated`",
            "patch: status 201 (Status::ResourceCreated): name changed",
        ],
        verdict: Verdict::Major,
    },
    Case {
        name: "status description changed",
        spec: "sinch_numbers.yaml",
        edits: &[("description: Authentication token is invalid.", "description: The token is invalid.")],
        changes: &["patch: status 401 (Status::Unauthorized): description changed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "category added: Category is exhaustive",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "  - { id: call, title: Call errors, inferred: [title] }\n",
            "  - { id: call, title: Call errors, inferred: [title] }\n  - { id: number, title: Number errors }\n",
        )],
        changes: &["major: category number (Category::Number) added: `Category` is exhaustive, a \
                    match on it without a wildcard no longer compiles"],
        verdict: Verdict::Major,
    },
    Case {
        name: "category title changed",
        spec: "sinch_numbers.yaml",
        edits: &[("title: 403 - Forbidden", "title: Forbidden")],
        changes: &["patch: category forbidden (Category::Forbidden): title changed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "categories reordered: Category's Ord follows",
        spec: "sinch_numbers.yaml",
        edits: &[(
            "  - { id: bad_request, title: 400 - Bad request }\n  - { id: forbidden, title: 403 - Forbidden }\n",
            "  - { id: forbidden, title: 403 - Forbidden }\n  - { id: bad_request, title: 400 - Bad request }\n",
        )],
        changes: &["minor: categories reordered: `Category`'s `Ord` follows the order"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "envelope field added: the variant's fields are matched without `..`",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "      - { name: type, type: string, description: Error category }\n",
            "      - { name: type, type: string, description: Error category }\n      - { name: request_id, type: string }\n",
        )],
        changes: &["major: envelope error_object (Envelope::ErrorObject): field request_id \
                    (Envelope::ErrorObject { request_id: Option<String> }) added"],
        verdict: Verdict::Major,
    },
    Case {
        name: "envelope field's Rust type changed",
        spec: "sinch_numbers.yaml",
        edits: &[(
            "{ name: code, type: integer, description: The HTTP status of the response. }",
            "{ name: code, type: string, description: The HTTP status of the response. }",
        )],
        changes: &["major: envelope rpc_error (Envelope::RpcError): field code (Envelope::RpcError \
                    { code: Option<i64> }) changed to field code (Envelope::RpcError { code: \
                    Option<String> })"],
        verdict: Verdict::Major,
    },
    Case {
        name: "envelope field's JSON type changed, same Rust type",
        spec: "sinch_numbers.yaml",
        edits: &[("{ name: details, type: array,", "{ name: details, type: object,")],
        changes: &["patch: envelope rpc_error (Envelope::RpcError): field details's documented \
                    type changed from array to object, read as the same Rust type"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "code no longer accepted as a JSON string",
        spec: "sinch_voice.yaml",
        edits: &[(
            "code: { field: errorCode, accepts: [integer, string] }",
            "code: { field: errorCode, accepts: [integer] }",
        )],
        changes: &["major: envelope voice_error (Envelope::VoiceError): the code is no longer \
                    accepted as a JSON string"],
        verdict: Verdict::Major,
    },
    Case {
        name: "envelope's code field changed",
        spec: "hms_sovereign.yaml",
        edits: &[("code: { field: code, accepts: [string] }", "code: { field: error_code, accepts: [string] }")],
        changes: &["major: envelope error_object (Envelope::ErrorObject): code field changed from \
                    `code` to `error_code`"],
        verdict: Verdict::Major,
    },
    Case {
        name: "envelope's statuses widened",
        spec: "sinch_numbers.yaml",
        edits: &[("    statuses: [400, 403]\n", "    statuses: [400, 403, 404]\n")],
        changes: &["minor: envelope code_text (Envelope::CodeText): statuses it is documented for \
                    changed from [400, 403] to [400, 403, 404]"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "envelope added",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "\nstatuses:\n",
            "  - id: plain
    code: { field: code, accepts: [string] }
    message: detail

statuses:
",
        )],
        changes: &["minor: envelope plain (Envelope::Plain) added"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "limit's maximum changed",
        spec: "hms_sovereign.yaml",
        edits: &[("    max: 10\n", "    max: 20\n")],
        changes: &["minor: limit call_control_commands (limits::CALL_CONTROL_COMMANDS): maximum \
                    changed from `10` to `20`"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "limit removed, with its mention in a common error",
        spec: "sinch_voice.yaml",
        edits: &[
            (
                "limits:
  - id: concurrent_calls
    max: 10
    scope: account
    description: At most 10 calls concurrently; contact your account manager if you need to make more.
",
                "",
            ),
            ("    limit: concurrent_calls\n", ""),
        ],
        changes: &[
            "major: limit concurrent_calls (limits::CONCURRENT_CALLS) removed",
            "patch: common error too_many_calls (COMMON_ERRORS): related limit `concurrent_calls` \
             removed",
        ],
        verdict: Verdict::Major,
    },
    Case {
        name: "common error removed",
        spec: "sinch_voice.yaml",
        edits: &[(
            "  - id: balance_too_low
    title: Balance is too low
    solution: Add more money to your account.
    codes: [40200]
    inferred: [codes]
",
            "",
        )],
        changes: &["minor: common error balance_too_low (COMMON_ERRORS) removed"],
        verdict: Verdict::Minor,
    },
    Case {
        name: "forward-compatibility statement removed",
        spec: "sinch_numbers.yaml",
        edits: &[(
            "  forward_compatibility: >-
    Additional codes might be added in the future. If you encounter a code that is not on this
    list, please consult the HTTP error codes for a definition.
",
            "",
        )],
        changes: &["major: API: forward-compatibility statement removed (`FORWARD_COMPATIBILITY`)"],
        verdict: Verdict::Major,
    },
    Case {
        name: "API id changed",
        spec: "hms_sovereign.yaml",
        edits: &[("  id: hms_sovereign\n", "  id: hms\n")],
        changes: &["major: API: id (the module's name, `DOCS_PAGE`) changed from `hms_sovereign` \
                    to `hms`"],
        verdict: Verdict::Major,
    },
    Case {
        name: "API description changed",
        spec: "sinch_numbers.yaml",
        edits: &[(
            "description: The following HTTP status codes are used by the Numbers REST API.",
            "description: The HTTP status codes of the Numbers REST API.",
        )],
        changes: &["patch: API: description changed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "erratum description changed",
        spec: "sinch_voice.yaml",
        edits: &[(
            "errspec files these codes under 422.",
            "they are filed under 422.",
        )],
        changes: &["patch: erratum on the heading the page shows as `420 - Unprocessable Entity`: \
                    description changed"],
        verdict: Verdict::Patch,
    },
    Case {
        name: "codes reordered",
        spec: "hms_sovereign.yaml",
        edits: &[(
            "  - { code: insufficient_credits, status: 402, category: billing, inferred: [status],
      message: Insufficient credits balance, solution: Add credits in the billing dashboard }
  - { code: payment_required, status: 402, category: billing, inferred: [status],
      message: Payment required, solution: Add credits to make outbound calls }
",
            "  - { code: payment_required, status: 402, category: billing, inferred: [status],
      message: Payment required, solution: Add credits to make outbound calls }
  - { code: insufficient_credits, status: 402, category: billing, inferred: [status],
      message: Insufficient credits balance, solution: Add credits in the billing dashboard }
",
        )],
        changes: &["patch: codes reordered (`ErrorCode::ALL`)"],
        verdict: Verdict::Patch,
    },
];

fn lines(old: &str, new: &str) -> (Vec<String>, Option<Verdict>) {
    let old = parse(old, "old.yaml").unwrap_or_else(|d| panic!("old spec: {d}"));
    let new = parse(new, "new.yaml").unwrap_or_else(|d| panic!("edited spec: {d}"));
    let d = diff(&old, &new);
    (
        d.changes.iter().map(ToString::to_string).collect(),
        d.verdict(),
    )
}

#[test]
fn every_kind_of_change_has_its_verdict() {
    assert!(CASES.len() >= 20);
    let mut names = std::collections::HashSet::new();
    for case in CASES {
        assert!(names.insert(case.name), "two cases named {}", case.name);
        let old = shipped(case.spec);
        let new = edited(case.spec, case.edits);
        let (changes, verdict) = lines(&old, &new);
        assert_eq!(changes, case.changes, "{}", case.name);
        assert_eq!(verdict, Some(case.verdict), "{}", case.name);
        // Back again: the reverse edit is a change too, and undoing it is no change.
        let (back, _) = lines(&new, &old);
        assert!(
            !back.is_empty(),
            "{}: the reverse edit finds nothing",
            case.name
        );
        assert_eq!(lines(&new, &new).0, Vec::<String>::new(), "{}", case.name);
    }
    // All three verdicts are covered.
    for v in [Verdict::Major, Verdict::Minor, Verdict::Patch] {
        assert!(CASES.iter().any(|c| c.verdict == v), "no {v} case");
    }
}

#[test]
fn reverse_edits_swap_added_and_removed() {
    // Adding a code is minor; taking it out again is major.
    let case = CASES.iter().find(|c| c.name == "code added").unwrap();
    let new = edited(case.spec, case.edits);
    assert_eq!(
        lines(&new, &shipped(case.spec)).0,
        ["major: code 50302 (ErrorCode::Maintenance) removed"]
    );
    // A new alias is minor; the same alias dropped is major.
    let case = CASES.iter().find(|c| c.name == "alias added").unwrap();
    let with_alias = edited(case.spec, case.edits);
    assert_eq!(
        lines(&with_alias, &shipped(case.spec)).0,
        [
            "major: code 40001 (ErrorCode::ParameterValidation): alias `40099` removed: bodies \
             with it no longer parse to the code",
            "patch: erratum on the code the page shows as `40099` removed",
        ]
    );
}

#[test]
fn shipped_specs_compared_with_themselves_have_no_change() {
    for spec in [
        "hms_sovereign.yaml",
        "sinch_numbers.yaml",
        "sinch_voice.yaml",
    ] {
        let text = shipped(spec);
        let (changes, verdict) = lines(&text, &text);
        assert!(changes.is_empty(), "{spec}: {changes:?}");
        assert_eq!(verdict, None);
    }
}

#[test]
fn changes_are_ordered_major_first_then_by_place_in_the_spec() {
    let old = shipped("sinch_voice.yaml");
    let new = edited(
        "sinch_voice.yaml",
        &[
            (
                "message: Request data missing\n",
                "message: Request data is missing\n",
            ),
            ("      max_attempts: 3\n", "      max_attempts: 4\n"),
            ("  - code: 40001\n", "  - code: 40009\n"),
            (
                "variant: InvalidAuthorizationKey",
                "variant: BadAuthorizationKey",
            ),
        ],
    );
    let (changes, verdict) = lines(&old, &new);
    assert_eq!(
        changes,
        [
            "major: code 40009 (ErrorCode::ParameterValidation): wire value changed from `40001` \
             to `40009`: bodies with `40001` no longer parse to it",
            "major: code 40004 (ErrorCode::BadAuthorizationKey): variant renamed from \
             `ErrorCode::InvalidAuthorizationKey` to `ErrorCode::BadAuthorizationKey`",
            "minor: retry policy temporary (retry::TEMPORARY): max attempts changed from `3` to `4`",
            "minor: retry policy throttled (retry::THROTTLED): max attempts changed from `3` to `4`",
            "patch: code 40003 (ErrorCode::InvalidRequest): message changed",
        ]
    );
    assert_eq!(verdict, Some(Verdict::Major));
}

// The CLI.

fn errspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A directory with `old.yaml`, the shipped spec, and `new.yaml`, the case's edit of it.
fn pair(case: &str) -> tempfile::TempDir {
    let case = CASES.iter().find(|c| c.name == case).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.yaml"), shipped(case.spec)).unwrap();
    std::fs::write(dir.path().join("new.yaml"), edited(case.spec, case.edits)).unwrap();
    dir
}

#[test]
fn cli_prints_each_change_and_the_verdict_and_fails_on_major() {
    let dir = pair("wire value changed, variant kept");
    let out = errspec(dir.path(), &["diff", "old.yaml", "new.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "major: code 40009 (ErrorCode::ParameterValidation): wire value changed from `40001` to \
         `40009`: bodies with `40001` no longer parse to it\n\
         verdict: major (1 change: 1 major, 0 minor, 0 patch)\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn cli_tells_a_rename_from_a_wire_change() {
    let dir = pair("variant renamed, wire value kept");
    let out = errspec(dir.path(), &["diff", "old.yaml", "new.yaml"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.starts_with(
            "major: code 40001 (ErrorCode::MethodValidation): variant renamed from \
             `ErrorCode::ParameterValidation` to `ErrorCode::MethodValidation`\n"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("removed") && !stdout.contains("added"),
        "{stdout}"
    );
}

#[test]
fn cli_fail_on_sets_the_threshold() {
    let dir = pair("code added");
    let run = |extra: &[&str]| {
        let mut args = vec!["diff", "old.yaml", "new.yaml"];
        args.extend_from_slice(extra);
        errspec(dir.path(), &args)
    };
    let default = run(&[]);
    assert_eq!(default.status.code(), Some(0));
    assert_eq!(
        text(&default.stdout),
        "minor: code 50302 (ErrorCode::Maintenance) added\n\
         verdict: minor (1 change: 0 major, 1 minor, 0 patch)\n"
    );
    assert_eq!(run(&["--fail-on", "major"]).status.code(), Some(0));
    assert_eq!(run(&["--fail-on", "minor"]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "patch"]).status.code(), Some(1));

    let dir = pair("message changed");
    let patch = |fail_on: &str| {
        errspec(
            dir.path(),
            &["diff", "old.yaml", "new.yaml", "--fail-on", fail_on],
        )
    };
    assert_eq!(patch("minor").status.code(), Some(0));
    assert_eq!(patch("patch").status.code(), Some(1));
}

#[test]
fn cli_same_spec_is_no_change_whatever_the_threshold() {
    let dir = pair("code added");
    let out = errspec(
        dir.path(),
        &["diff", "old.yaml", "old.yaml", "--fail-on", "patch"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "verdict: none (the generated API is the same)\n"
    );
}

#[test]
fn cli_invalid_or_missing_spec_is_an_error_reported_like_lint() {
    let dir = pair("code added");
    std::fs::write(
        dir.path().join("bad.yaml"),
        shipped("sinch_voice.yaml").replacen("    status: 400\n", "    status: 499\n", 1),
    )
    .unwrap();
    let out = errspec(dir.path(), &["diff", "old.yaml", "bad.yaml"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(text(&out.stdout), "", "no verdict for an invalid spec");
    assert!(stderr.contains("bad.yaml:"), "{stderr}");
    assert!(
        stderr.contains("499"),
        "the excerpt shows the line: {stderr}"
    );
    assert!(stderr.ends_with("1 error in spec\n"), "{stderr}");

    let out = errspec(dir.path(), &["diff", "old.yaml", "absent.yaml"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.starts_with("error: absent.yaml: "), "{stderr}");
}

#[test]
fn cli_wrong_number_of_specs_is_a_usage_error() {
    let dir = pair("code added");
    for args in [
        &["diff", "old.yaml"][..],
        &["diff", "--against-git", "HEAD", "old.yaml", "new.yaml"],
    ] {
        let out = errspec(dir.path(), args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr.starts_with("error: diff: "), "{stderr}");
        assert!(stderr.contains("Usage: errspec diff"), "{stderr}");
    }
}

// `--against-git`.

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=errspec",
            "-c",
            "user.email=errspec@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// A repository whose one commit holds `spec/sinch_voice.yaml` as shipped.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    std::fs::create_dir(dir.path().join("spec")).unwrap();
    std::fs::write(
        dir.path().join("spec/sinch_voice.yaml"),
        shipped("sinch_voice.yaml"),
    )
    .unwrap();
    git(dir.path(), &["add", "spec/sinch_voice.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "spec"]);
    dir
}

#[test]
fn against_git_compares_the_committed_spec_with_the_working_file() {
    let repo = repository();
    let spec = repo.path().join("spec/sinch_voice.yaml");
    let out = errspec(
        repo.path(),
        &["diff", "--against-git", "HEAD", "spec/sinch_voice.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "verdict: none (the generated API is the same)\n"
    );

    let case = CASES
        .iter()
        .find(|c| c.name == "variant renamed, wire value kept")
        .unwrap();
    std::fs::write(&spec, edited(case.spec, case.edits)).unwrap();
    let expected = format!(
        "{}\nverdict: major (1 change: 1 major, 0 minor, 0 patch)\n",
        case.changes[0]
    );
    // From the repository's root, from its spec directory, and from elsewhere by an
    // absolute path: the path is resolved where errspec runs, git runs in the spec's directory.
    let absolute = spec.to_str().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    for (dir, path) in [
        (repo.path(), "spec/sinch_voice.yaml"),
        (&repo.path().join("spec"), "sinch_voice.yaml"),
        (elsewhere.path(), absolute),
    ] {
        let out = errspec(dir, &["diff", "--against-git", "HEAD", path]);
        assert_eq!(out.status.code(), Some(1), "{path}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), expected, "{path}");
    }

    // Committed, the edit is no longer a change against HEAD, and HEAD~1 still sees it.
    git(repo.path(), &["commit", "-q", "-am", "rename"]);
    let out = errspec(
        repo.path(),
        &["diff", "--against-git", "HEAD", "spec/sinch_voice.yaml"],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = errspec(
        repo.path(),
        &["diff", "--against-git", "HEAD~1", "spec/sinch_voice.yaml"],
    );
    assert_eq!(text(&out.stdout), expected);
}

#[test]
fn against_git_failures_are_errors() {
    let repo = repository();
    let spec = "spec/sinch_voice.yaml";
    // A revision that does not exist.
    let out = errspec(repo.path(), &["diff", "--against-git", "v9.9", spec]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: `git show v9.9:./sinch_voice.yaml` in spec failed: "),
        "{stderr}"
    );
    // An option where the revision goes is not handed to git.
    let out = errspec(repo.path(), &["diff", "--against-git=--output=x", spec]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error: --against-git `--output=x` is not a revision"),
        "{}",
        text(&out.stderr)
    );
    assert!(!repo.path().join("spec/x").exists());
    // A spec that was never committed.
    std::fs::write(
        repo.path().join("spec/new.yaml"),
        shipped("hms_sovereign.yaml"),
    )
    .unwrap();
    let out = errspec(
        repo.path(),
        &["diff", "--against-git", "HEAD", "spec/new.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("git show HEAD:./new.yaml"));
    // Outside any repository.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(
        elsewhere.path().join("x.yaml"),
        shipped("hms_sovereign.yaml"),
    )
    .unwrap();
    let out = errspec(
        elsewhere.path(),
        &["diff", "--against-git", "HEAD", "x.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: `git show HEAD:./x.yaml` in . failed"));
}

#[test]
fn against_git_reports_a_committed_invalid_spec_with_its_committed_line() {
    let repo = repository();
    let spec = repo.path().join("spec/sinch_voice.yaml");
    let bad = shipped("sinch_voice.yaml").replacen("    status: 400\n", "    status: 499\n", 1);
    std::fs::write(&spec, &bad).unwrap();
    git(repo.path(), &["commit", "-q", "-am", "bad"]);
    // The working file is fixed; the committed one is not.
    std::fs::write(&spec, shipped("sinch_voice.yaml")).unwrap();
    let out = errspec(
        repo.path(),
        &["diff", "--against-git", "HEAD", "spec/sinch_voice.yaml"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("HEAD:spec/sinch_voice.yaml:"), "{stderr}");
    assert!(
        stderr.contains("status: 499"),
        "the excerpt is the committed line, not the working file's: {stderr}"
    );
    assert!(stderr.ends_with("1 error in spec\n"), "{stderr}");
}

#[test]
fn help_documents_diff_its_forms_and_exit_statuses() {
    let here = root();
    let help = text(&errspec(&here, &["--help"]).stdout);
    assert!(help.contains("  diff "), "{help}");
    assert!(
        help.contains("a change at or above --fail-on (diff)"),
        "{help}"
    );
    let out = errspec(&here, &["diff", "--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for needle in [
        "errspec diff [OPTIONS] OLD NEW",
        "errspec diff [OPTIONS] --against-git REV SPEC",
        "--fail-on <VERDICT>",
        "[possible values: major, minor, patch]",
        "[default: major]",
        "Exit status: 0 if nothing changed or the verdict is below --fail-on, 1 if it is at or \
         above it, 2",
    ] {
        assert!(help.contains(needle), "{needle} missing in {help}");
    }
}
