//! `errspec import openapi` on real documents (trimmed, under `fixtures/import/openapi/`, see
//! the README there), on edits of them that exercise each extension and each bad input, and on
//! a large document built from their real paths.

use std::path::PathBuf;

use errspec_codegen::import::openapi;
use errspec_codegen::import::{Draft, Wire};
use errspec_codegen::ir::FieldType;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/openapi")
        .join(name)
}

fn text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// The draft passes every check a spec goes through, and generates Rust that parses.
fn valid(draft: &Draft) -> errspec_codegen::ir::Api {
    let api = draft
        .check("imported.yaml")
        .unwrap_or_else(|e| panic!("{e}\n{}", draft.to_yaml()));
    let rust = errspec_codegen::generate_rust(&api);
    syn::parse_file(&rust).unwrap_or_else(|e| panic!("{e}\n{rust}"));
    api
}

fn code<'d>(draft: &'d Draft, wire: &str) -> &'d errspec_codegen::import::DraftCode {
    draft
        .codes
        .iter()
        .find(|c| c.code == Some(Wire::Str(wire.into())))
        .unwrap_or_else(|| panic!("no code {wire} in\n{}", draft.to_yaml()))
}

fn has_note(draft: &Draft, part: &str) -> bool {
    draft.notes.iter().any(|n| n.contains(part))
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` once in the fixture"
    );
    text.replacen(from, to, 1)
}

// ---------------------------------------------------------------------------------------------
// CAMARA: an error-code enumeration per status, messages in the examples.

#[test]
fn camara_gives_a_status_per_response_and_its_codes_with_their_examples_messages() {
    let draft = openapi::read(&fixture("CAMARA_common.yaml")).unwrap();
    let api = valid(&draft);

    assert_eq!(draft.name, "CAMARA common data types");
    assert_eq!(draft.id, "camara_common_data_types");
    assert_eq!(
        draft.source,
        "CAMARA_common.yaml (CAMARA common data types wip)"
    );
    assert!(
        has_note(&draft, "states no `openapi` version"),
        "{:?}",
        draft.notes
    );

    // One status per component response, taken from the `status` its schema enumerates.
    let numbers: Vec<u16> = draft.statuses.iter().map(|s| s.number).collect();
    assert_eq!(
        numbers,
        [400, 401, 403, 404, 405, 406, 409, 410, 412, 415, 422, 429, 500, 501, 502, 503, 504]
    );
    // The response's description names it when it reads as a name.
    let s404 = draft.statuses.iter().find(|s| s.number == 404).unwrap();
    assert_eq!(s404.name, "Not found");
    assert!(s404.inferred.is_empty());
    let s422 = draft.statuses.iter().find(|s| s.number == 422).unwrap();
    assert_eq!(s422.name, "Unprocessable Content");

    // One envelope: ErrorInfo with the allOf's enumerations merged in.
    assert_eq!(draft.envelopes.len(), 1, "{}", draft.to_yaml());
    let e = &draft.envelopes[0];
    assert_eq!(e.id, "error_info");
    assert!(e.root.is_empty());
    assert_eq!(e.code_field, "code");
    assert_eq!(e.code_accepts, [FieldType::String]);
    assert_eq!(e.message.as_deref(), Some("message"));
    assert_eq!(e.fields.len(), 1);
    assert_eq!(e.fields[0].0, "status");
    assert_eq!(e.fields[0].1, FieldType::Integer);

    // Every enumerated code, in the document's order, with its status, the message of its
    // example (stated, so not inferred) and the example's description.
    assert_eq!(draft.codes.len(), 27, "{}", draft.to_yaml());
    assert_eq!(api.codes.len(), 27);
    let first: Vec<String> = draft.codes[..4]
        .iter()
        .map(|c| c.code.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        first,
        [
            "INVALID_ARGUMENT",
            "OUT_OF_RANGE",
            "UNAUTHENTICATED",
            "PERMISSION_DENIED"
        ]
    );
    let c = code(&draft, "INVALID_ARGUMENT");
    assert_eq!(c.status, Some(400));
    assert_eq!(
        c.message,
        "Client specified an invalid argument, request body or query param."
    );
    assert_eq!(
        c.description.as_deref(),
        Some("Invalid Argument. Generic Syntax Exception")
    );
    assert!(c.inferred.is_empty());
    let c = code(&draft, "TOO_MANY_REQUESTS");
    assert_eq!(c.status, Some(429));
    assert_eq!(c.message, "Rate limit reached.");
    assert_eq!(code(&draft, "TIMEOUT").status, Some(504));
    // Each code holds to a single status, so none is left without one.
    assert!(draft.codes.iter().all(|c| c.status.is_some()));
    assert!(draft.forward_compatibility.is_none());
}

#[test]
fn the_same_document_as_json_imports_the_same() {
    let yaml: serde_json::Value = serde_yaml::from_str(&text("CAMARA_common.yaml")).unwrap();
    let json = serde_json::to_string_pretty(&yaml).unwrap();
    let from_yaml = openapi::from_str(&text("CAMARA_common.yaml"), "CAMARA_common.yaml").unwrap();
    let from_json = openapi::from_str(&json, "CAMARA_common.yaml").unwrap();
    // serde_json's map sorts keys, so only the order of statuses (sorted anyway), codes within
    // one response and envelopes survive; compare as sets where the order is the JSON's.
    assert_eq!(from_yaml.statuses, from_json.statuses);
    let mut a: Vec<String> = from_yaml.codes.iter().map(|c| format!("{c:?}")).collect();
    let mut b: Vec<String> = from_json.codes.iter().map(|c| format!("{c:?}")).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------------
// Azure OpenAI: `default` responses only, an error object under `error`, and an inner error
// whose code is an open `x-ms-enum` with per-value descriptions.

#[test]
fn azure_openai_gives_nested_envelopes_and_an_open_described_code() {
    let draft = openapi::read(&fixture("azure_openai_inference.yaml")).unwrap();
    valid(&draft);
    assert_eq!(
        draft.source,
        "azure_openai_inference.yaml (Azure OpenAI Service API 2024-10-21)"
    );
    assert_eq!(
        draft.description.as_deref(),
        Some("Azure OpenAI APIs for completions and search")
    );

    // `default` cannot be a status: a note, and no status.
    assert!(draft.statuses.is_empty());
    assert!(
        has_note(&draft, "`default` responses (2, the first at `$.paths['/deployments/{deployment-id}/completions'].post.responses.default`) cannot be statuses"),
        "{:#?}",
        draft.notes
    );

    // The error object under `error` (errorBase's code and message merged through allOf), and
    // the inner errors under it, whose code enumerates values.
    let ids: Vec<&str> = draft.envelopes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["error", "inner_error", "dalle_inner_error"],
        "{}",
        draft.to_yaml()
    );
    let e = &draft.envelopes[0];
    assert_eq!(e.root, ["error"]);
    assert_eq!(e.code_field, "code");
    assert_eq!(e.message.as_deref(), Some("message"));
    let fields: Vec<(&str, FieldType)> = e.fields.iter().map(|f| (f.0.as_str(), f.1)).collect();
    assert_eq!(
        fields,
        [
            ("param", FieldType::String),
            ("type", FieldType::String),
            ("inner_error", FieldType::Object)
        ]
    );
    let inner = &draft.envelopes[1];
    assert_eq!(inner.root, ["error", "inner_error"]);
    assert_eq!(inner.message, None);
    assert_eq!(
        inner.description.as_deref(),
        Some("Inner error with additional details.")
    );

    // The code, described per value by x-ms-enum; its message is the description's first
    // sentence, marked inferred; no status is stated.
    assert_eq!(draft.codes.len(), 1);
    let c = code(&draft, "ResponsibleAIPolicyViolation");
    assert_eq!(
        c.description.as_deref(),
        Some("The prompt violated one of more content filter rules.")
    );
    assert_eq!(
        c.message,
        "The prompt violated one of more content filter rules"
    );
    assert_eq!(c.inferred, ["message"]);
    assert_eq!(c.status, None);
    // Both inner errors list it, so it belongs to no single envelope.
    assert_eq!(c.envelope, None);

    // modelAsString: true is the document's word that more codes may come.
    assert_eq!(
        draft.forward_compatibility.as_deref(),
        Some("The document marks the codes as open, so codes not listed may be sent: `x-ms-enum.modelAsString: true` at `$.components.schemas.innerErrorCode['x-ms-enum']`.")
    );
}

// ---------------------------------------------------------------------------------------------
// Per-value descriptions and open markers in every form the importer reads, written into the
// 409 enumeration of the CAMARA document.

const CAMARA_409_ENUM: &str = "                  code:
                    enum:
                      - ABORTED
                      - ALREADY_EXISTS
                      - CONFLICT
                      - INCOMPATIBLE_STATE
";

fn camara_409(code_schema: &str) -> Draft {
    let doc = replace_once(&text("CAMARA_common.yaml"), CAMARA_409_ENUM, code_schema);
    let draft = openapi::from_str(&doc, "CAMARA_common.yaml").unwrap();
    valid(&draft);
    draft
}

#[test]
fn x_enum_descriptions_as_a_list_or_a_mapping() {
    let draft = camara_409(
        "                  code:
                    enum: [ABORTED, ALREADY_EXISTS, CONFLICT, INCOMPATIBLE_STATE]
                    x-enum-descriptions:
                      - Another process is modifying the resource.
                      - The resource exists.
                      - A duplicate. Deprecated.
                      - The state does not allow it.
",
    );
    let c = code(&draft, "CONFLICT");
    assert_eq!(
        c.description.as_deref(),
        Some("A duplicate. Deprecated.\n\nDuplication of an existing resource"),
        "the per-value description first, then the example's"
    );
    // The example's message is stated: it stays the message.
    assert_eq!(c.message, "A specified resource duplicate entry found.");

    let draft = camara_409(
        "                  code:
                    enum: [ABORTED, ALREADY_EXISTS, CONFLICT, INCOMPATIBLE_STATE]
                    x-enumDescriptions:
                      ALREADY_EXISTS: The resource exists.
",
    );
    assert_eq!(
        code(&draft, "ALREADY_EXISTS").description.as_deref(),
        Some("The resource exists.\n\nTrying to create an existing resource")
    );
    assert!(draft.forward_compatibility.is_none());
}

#[test]
fn one_of_consts_x_stripe_enum_and_x_extensible_enum() {
    let draft = camara_409(
        "                  code:
                    oneOf:
                      - const: ABORTED
                        description: Aborted by a concurrent change.
                      - const: GONE_AWAY
                        description: Not in the examples.
",
    );
    assert_eq!(
        code(&draft, "GONE_AWAY").description.as_deref(),
        Some("Not in the examples.")
    );
    assert_eq!(code(&draft, "GONE_AWAY").message, "Not in the examples");
    assert_eq!(code(&draft, "GONE_AWAY").status, Some(409));
    // The examples of codes the oneOf no longer lists are noted, not imported.
    assert!(has_note(
        &draft,
        "carries the code `ALREADY_EXISTS`, which its schema does not enumerate"
    ));
    assert!(draft
        .codes
        .iter()
        .all(|c| c.code != Some(Wire::Str("ALREADY_EXISTS".into()))));

    let draft = camara_409(
        "                  code:
                    enum: [ABORTED, ALREADY_EXISTS, CONFLICT, INCOMPATIBLE_STATE]
                    x-stripeEnum:
                      kind: open
                      values:
                        - value: ABORTED
                          description: Stripe-style description.
",
    );
    assert_eq!(
        code(&draft, "ABORTED")
            .description
            .as_deref()
            .map(|d| d.lines().next().unwrap()),
        Some("Stripe-style description.")
    );
    let fc = draft.forward_compatibility.as_deref().unwrap();
    assert!(
        fc.contains("`x-stripeEnum` (kind: open) at `$.components.responses.Generic409"),
        "{fc}"
    );

    let draft = camara_409(
        "                  code:
                    x-extensible-enum: [ABORTED, ALREADY_EXISTS, CONFLICT, INCOMPATIBLE_STATE, LOCKED]
",
    );
    assert_eq!(code(&draft, "LOCKED").status, Some(409));
    assert_eq!(code(&draft, "LOCKED").inferred, ["message"]);
    assert_eq!(
        code(&draft, "LOCKED").message,
        "LOCKED",
        "no description: the code itself"
    );
    assert!(draft
        .forward_compatibility
        .as_deref()
        .unwrap()
        .contains("`x-extensible-enum` at `$.components.responses.Generic409.content['application/json'].schema.allOf[1].properties.code['x-extensible-enum']`"));
}

#[test]
fn a_code_under_two_statuses_gets_none_and_a_note() {
    let draft = camara_409(
        "                  code:
                    enum: [ABORTED, ALREADY_EXISTS, CONFLICT, INCOMPATIBLE_STATE, INVALID_ARGUMENT]
",
    );
    let c = code(&draft, "INVALID_ARGUMENT");
    assert_eq!(c.status, None);
    assert!(
        c.note.as_deref().unwrap().contains("statuses 400, 409"),
        "{:?}",
        c.note
    );
}

// ---------------------------------------------------------------------------------------------
// Operations, statuses named by reason phrase, and retry extensions, on the Azure document.

fn azure_with(
    edit: impl Fn(&str) -> String,
) -> Result<Draft, errspec_codegen::import::ImportError> {
    openapi::from_str(
        &edit(&text("azure_openai_inference.yaml")),
        "azure_openai_inference.yaml",
    )
}

#[test]
fn explicit_statuses_are_named_by_reason_phrase_and_retried_as_x_speakeasy_retries_says() {
    let draft = azure_with(|t| {
        let t = replace_once(
            t,
            "      responses:
        default:
          description: Service unavailable
",
            "      responses:
        '429':
          description: The caller has sent too many requests; see Retry-After.
          content:
            application/json:
              schema:
                $ref: \"#/components/schemas/errorResponse\"
        '503':
          description: Service unavailable
          content:
            application/json:
              schema:
                $ref: \"#/components/schemas/errorResponse\"
        5XX:
          description: Service unavailable
",
        );
        replace_once(
            &t,
            "paths:\n",
            "x-speakeasy-retries:
  strategy: backoff
  backoff:
    initialInterval: 500
    maxInterval: 60000
    maxElapsedTime: 3600000
    exponent: 1.5
  statusCodes: [5XX, 429]
  retryConnectionErrors: true
paths:\n",
        )
    })
    .unwrap();
    let api = valid(&draft);
    let s429 = draft.statuses.iter().find(|s| s.number == 429).unwrap();
    assert_eq!(s429.name, "Too Many Requests");
    assert_eq!(s429.inferred, ["name"]);
    assert_eq!(
        s429.description.as_deref(),
        Some("The caller has sent too many requests; see Retry-After.")
    );
    let s503 = draft.statuses.iter().find(|s| s.number == 503).unwrap();
    assert_eq!(s503.name, "Service unavailable");
    assert!(s503.inferred.is_empty());

    assert_eq!(draft.policies.len(), 1);
    let p = &draft.policies[0];
    assert_eq!(p.name, "retries");
    assert_eq!(p.initial_ms, Some(500));
    assert_eq!(p.max_delay_ms, Some(60_000));
    assert_eq!(p.multiplier, Some(1.5));
    // 500, 750, 1125, ... capped at 60 s: the delays that fit in an hour, plus the first try.
    let mut spent = 0.0;
    let mut delay = 500.0_f64;
    let mut attempts = 1;
    while spent + delay <= 3_600_000.0 {
        spent += delay;
        attempts += 1;
        delay = (delay * 1.5).min(60_000.0);
    }
    assert_eq!(p.max_attempts, Some(attempts));
    assert!(attempts > 60, "{attempts}");
    assert_eq!(p.inferred, ["max_attempts"]);
    assert!(p
        .description
        .as_deref()
        .unwrap()
        .contains("connection errors are retried too"));
    assert_eq!(s429.retry.as_deref(), Some("retries"));
    assert_eq!(s503.retry.as_deref(), Some("retries"));
    assert!(has_note(
        &draft,
        "applies to every `5XX` status; it was set on the documented ones (503)"
    ));
    assert!(has_note(&draft, "`5XX` responses (1, the first at"));
    assert_eq!(api.policies.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Bad input: each a clear error naming the file and, where it can, the place.

#[test]
fn not_json_or_yaml_is_refused_with_its_line() {
    let e =
        openapi::from_str("{\"openapi\": \"3.1.0\",\n \"paths\": {,}}", "api.json").unwrap_err();
    assert_eq!(e.file, "api.json");
    assert_eq!(e.at.as_deref(), Some("line 2, column 12"));
    assert!(e.message.starts_with("the file is not valid JSON"), "{e}");

    let e = openapi::from_str("openapi: 3.1.0\npaths: [\n  - : :\n", "api.yaml").unwrap_err();
    assert!(
        e.message
            .starts_with("the file is neither JSON nor valid YAML"),
        "{e}"
    );
    assert!(e.at.as_deref().unwrap().starts_with("line "), "{e}");

    let e = openapi::from_str("just a sentence", "notes.txt").unwrap_err();
    assert!(e.message.contains("not an OpenAPI object"), "{e}");
}

#[test]
fn swagger_2_is_refused_with_how_to_convert_it() {
    let doc = format!("swagger: \"2.0\"\n{}", text("CAMARA_common.yaml"));
    let e = openapi::from_str(&doc, "CAMARA_common.yaml").unwrap_err();
    assert_eq!(e.at.as_deref(), Some("$.swagger"));
    assert_eq!(e.message, "this is a Swagger (OpenAPI 2.0) document");
    assert!(e.help.as_deref().unwrap().contains("swagger2openapi"));
    assert!(e
        .to_string()
        .starts_with("error: CAMARA_common.yaml: at `$.swagger`:"));
}

#[test]
fn a_ref_cycle_is_refused_at_the_ref() {
    let e = azure_with(|t| {
        replace_once(
            t,
            "    errorBase:
      type: object
",
            "    errorBase:
      type: object
      allOf:
        - $ref: \"#/components/schemas/error\"
",
        )
    })
    .unwrap_err();
    assert_eq!(
        e.at.as_deref(),
        Some("$.components.schemas.errorBase.allOf[0]['$ref']"),
        "{e}"
    );
    assert!(e.message.contains("`$ref` cycle"), "{e}");

    // A chain of references that comes back to its start.
    let e = azure_with(|t| {
        replace_once(
            t,
            "    innerErrorCode:
      description: Error codes for the inner error object.
",
            "    innerErrorCode:
      $ref: \"#/components/schemas/loop\"
    loop:
      $ref: \"#/components/schemas/innerErrorCode\"
    unused:
      description: Error codes for the inner error object.
",
        )
    })
    .unwrap_err();
    assert!(e.message.contains("leads back to itself"), "{e}");
    assert!(e.at.as_deref().unwrap().ends_with("['$ref']"), "{e}");
}

#[test]
fn a_ref_to_another_document_is_a_note_and_a_dangling_one_an_error() {
    let draft = azure_with(|t| {
        t.replacen(
            "$ref: \"#/components/schemas/errorBase\"",
            "$ref: \"common.yaml#/components/schemas/errorBase\"",
            2,
        )
    });
    // Without errorBase the error objects have no code field; the inner errors still do.
    let draft = draft.unwrap();
    valid(&draft);
    assert!(
        has_note(&draft, "`$ref: common.yaml#/components/schemas/errorBase` (at `$.components.schemas.error.allOf[0]['$ref']`) is in another document"),
        "{:#?}",
        draft.notes
    );

    let e = azure_with(|t| {
        replace_once(
            t,
            "$ref: '#/components/schemas/dalleErrorResponse'",
            "$ref: '#/components/schemas/dalleErrorResponses'",
        )
    })
    .unwrap_err();
    assert_eq!(
        e.at.as_deref(),
        Some("$.paths['/deployments/{deployment-id}/images/generations'].post.responses.default.content['application/json'].schema['$ref']")
    );
    assert!(e.message.contains("points to nothing"), "{e}");
}

#[test]
fn a_document_without_error_responses_is_refused() {
    let e = azure_with(|t| t.replace("        default:\n", "        '200':\n")).unwrap_err();
    assert_eq!(e.file, "azure_openai_inference.yaml");
    assert!(
        e.message.starts_with("the document has no error responses"),
        "{e}"
    );
    let e = openapi::from_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n", "t.yaml")
        .unwrap_err();
    assert!(
        e.message.starts_with("the document has no error responses"),
        "{e}"
    );
    let e = openapi::from_str("info: {title: t, version: '1'}\n", "t.yaml").unwrap_err();
    assert!(e.message.contains("not an OpenAPI document"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Size: real paths repeated.

/// The Azure document as JSON, its two operations repeated under new routes until it is at
/// least `bytes` long.
fn large_document(bytes: usize) -> String {
    let mut doc: serde_json::Value =
        serde_yaml::from_str(&text("azure_openai_inference.yaml")).unwrap();
    let paths = doc["paths"].as_object().unwrap().clone();
    let one = serde_json::to_string(&paths).unwrap().len();
    let copies = bytes / one + 1;
    let out = doc["paths"].as_object_mut().unwrap();
    for i in 0..copies {
        for (route, item) in &paths {
            out.insert(format!("/v{i}{route}"), item.clone());
        }
    }
    serde_json::to_string(&doc).unwrap()
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "50 MB takes half a minute unoptimised; run in release"
)]
fn a_50_mb_document_imports_or_fails_cleanly_in_seconds() {
    let doc = large_document(50_000_000);
    assert!(doc.len() >= 50_000_000);
    let start = std::time::Instant::now();
    let draft = openapi::from_str(&doc, "large.json").unwrap();
    // Timed by the `import` benchmark, not here; printed for a person running it.
    let took = start.elapsed();
    valid(&draft);
    assert_eq!(draft.codes.len(), 1);
    assert!(has_note(&draft, "`default` responses ("));
    println!("large.json: {} bytes, imported in {took:?}", doc.len());
}

#[test]
fn a_response_key_that_is_no_status_is_a_note() {
    let draft = azure_with(|t| {
        replace_once(
            t,
            "        default:\n          description: An error occurred.\n",
            "        é4:\n          description: An error occurred.\n",
        )
    })
    .unwrap();
    valid(&draft);
    assert!(
        has_note(&draft, "the response key `é4` at `$.paths['/deployments/{deployment-id}/images/generations'].post.responses['é4']` is not a status"),
        "{:#?}",
        draft.notes
    );
}

#[test]
fn codes_known_from_examples_and_enumerations_beside_the_code_field_are_noted() {
    // The 409 code enumerates nothing: its examples name the codes; a `reason` beside it
    // enumerates values of its own.
    let draft = camara_409(
        "                  code:
                    type: string
                  reason:
                    enum: [LOCKED, STALE]
",
    );
    let c = code(&draft, "ABORTED");
    assert_eq!(c.status, Some(409));
    assert_eq!(
        c.message,
        "Resource is being modified by another operation. Please wait, and retry if appropriate."
    );
    assert!(c.note.as_deref().unwrap().contains("known only from the example at `$.components.responses.Generic409.content['application/json'].examples.GENERIC_409_ABORTED`"));
    assert!(
        has_note(&draft, "the error body's `reason` enumerates 2 values"),
        "{:#?}",
        draft.notes
    );

    // Two examples of one code with different messages: the first is the message, the other
    // is noted.
    let doc = replace_once(
        &text("CAMARA_common.yaml"),
        "                code: ALREADY_EXISTS\n",
        "                code: ABORTED\n",
    );
    let draft = openapi::from_str(&doc, "CAMARA_common.yaml").unwrap();
    valid(&draft);
    assert!(!has_note(&draft, "carries the code `ABORTED`"));
    let c = code(&draft, "ABORTED");
    assert!(
        c.note.as_deref().unwrap().contains("other examples give the messages \"The resource that a client tried to create already exists.\""),
        "{:?}",
        c.note
    );
}
