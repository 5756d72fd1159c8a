//! `errspec import smithy` on trimmed AWS models (fixtures/import/smithy, provenance in its
//! README): every error shape comes out with the wire code, status, category and retry class
//! the model gives it, the spec passes validation, and its Rust parses.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};

use errspec_codegen::import::smithy;
use errspec_codegen::import::{Draft, ImportError};
use errspec_codegen::ir;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/smithy")
        .join(name)
}

fn model(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

/// The draft of a fixture, checked as `errspec lint` checks a spec, and its Rust parsed.
fn import(name: &str) -> (Draft, ir::Api) {
    let draft = smithy::read(&fixture(name)).unwrap_or_else(|e| panic!("{e}"));
    let api = draft
        .check("imported.yaml")
        .unwrap_or_else(|e| panic!("{e}\n{}", draft.to_yaml()));
    let rust = errspec_codegen::generate_rust(&api);
    syn::parse_file(&rust).unwrap_or_else(|e| panic!("{e}\n{rust}"));
    (draft, api)
}

/// What the model says of one error shape, read straight from the JSON.
#[derive(Debug, PartialEq)]
struct Expected {
    code: String,
    status: Option<u16>,
    category: String,
    retry: Option<String>,
}

/// Every error shape of the model, by the Smithy traits, in shape-id order.
fn expected(model: &Value) -> Vec<Expected> {
    let shapes = model["shapes"].as_object().unwrap();
    shapes
        .iter()
        .filter_map(|(id, shape)| {
            let traits = &shape["traits"];
            let category = traits.get("smithy.api#error")?.as_str()?.to_owned();
            let query = traits.get("aws.protocols#awsQueryError");
            let code = query
                .map(|q| q["code"].as_str().unwrap().to_owned())
                .unwrap_or_else(|| id.rsplit_once('#').unwrap().1.to_owned());
            let status = query
                .and_then(|q| q.get("httpResponseCode"))
                .or_else(|| traits.get("smithy.api#httpError"))
                .map(|s| u16::try_from(s.as_u64().unwrap()).unwrap());
            let retry = traits.get("smithy.api#retryable").map(|r| {
                if r.get("throttling") == Some(&Value::Bool(true)) {
                    "throttling".to_owned()
                } else {
                    "transient".to_owned()
                }
            });
            Some(Expected {
                code,
                status,
                category,
                retry,
            })
        })
        .collect()
}

fn imported(api: &ir::Api) -> Vec<Expected> {
    api.codes
        .iter()
        .map(|c| Expected {
            code: c.wire.clone(),
            status: c.status.map(|s| api.statuses[s].number),
            category: api.categories[c.category.unwrap()].id.clone(),
            retry: c.retry.map(|p| api.policies[p].name.clone()),
        })
        .collect()
}

fn code<'a>(api: &'a ir::Api, wire: &str) -> &'a ir::Code {
    api.codes
        .iter()
        .find(|c| c.wire == wire)
        .unwrap_or_else(|| panic!("no code {wire}"))
}

fn note_with<'a>(draft: &'a Draft, text: &str) -> &'a str {
    draft
        .notes
        .iter()
        .find(|n| n.contains(text))
        .unwrap_or_else(|| panic!("no note with {text:?} in {:#?}", draft.notes))
}

#[test]
fn sqs_every_error_shape_with_its_query_code_and_status() {
    let m = model("sqs-2012-11-05.json");
    let (draft, api) = import("sqs-2012-11-05.json");
    let want = expected(&m);
    assert_eq!(want.len(), 28, "the model's error shapes");
    assert_eq!(imported(&api), want);
    // 24 of them carry awsQueryError, whose code is the wire code; 4 have no status at all.
    let with_query = want.iter().filter(|e| e.code.contains('.')).count();
    assert_eq!(with_query, 17, "AWS.SimpleQueueService.* and KMS.* codes");
    assert_eq!(api.codes.iter().filter(|c| c.status.is_none()).count(), 4);
    note_with(&draft, "no status (neither `httpError` nor `awsQueryError`) for: InvalidAttributeName, InvalidAttributeValue, InvalidIdFormat, InvalidMessageContents");
    let statuses: Vec<u16> = api.statuses.iter().map(|s| s.number).collect();
    assert_eq!(statuses, [400, 403, 404]);
    assert_eq!(api.statuses[0].name, "Bad Request");

    assert_eq!(api.name, "Amazon Simple Queue Service");
    assert_eq!(api.id, "amazon_simple_queue_service");
    assert_eq!(
        api.source,
        "sqs-2012-11-05.json: Smithy 2.0 model of `com.amazonaws.sqs#AmazonSQS`, version 2012-11-05"
    );
    assert_eq!(api.text, ir::TextFormat::Markdown);

    let q = code(&api, "AWS.SimpleQueueService.NonExistentQueue");
    assert_eq!(q.variant, "QueueDoesNotExist");
    assert_eq!(
        q.aliases,
        ["QueueDoesNotExist"],
        "`__type` carries the shape name"
    );
    assert_eq!(
        q.message,
        "Ensure that the `QueueUrl` is correct and that the queue has not been deleted."
    );
    // A code whose query code is its shape name needs no alias.
    assert!(code(&api, "InvalidAddress").aliases.is_empty());
    let deprecated = code(&api, "InvalidIdFormat");
    assert!(deprecated.deprecated.is_some());
    assert!(draft.to_yaml().contains(
        "    deprecated:\n      note: \"exception has been included in ReceiptHandleIsInvalid\"\n"
    ));
    // A list in the documentation stays a list, after the first paragraph.
    let kms = code(&api, "KMS.InvalidKeyUsageException");
    assert_eq!(
        kms.message,
        "The request was rejected for one of the following reasons:"
    );
    assert!(kms
        .description
        .as_deref()
        .unwrap()
        .starts_with("- The KeyUsage value"));

    // awsJson1_0 with awsQueryCompatible: one envelope, `__type` and `message`.
    assert_eq!(api.envelopes.len(), 1);
    let e = &api.envelopes[0];
    assert_eq!(
        (e.id.as_str(), e.code_field.as_str()),
        ("aws_json1_0", "__type")
    );
    assert_eq!(e.message_field.as_deref(), Some("message"));
    assert!(e.fields.is_empty());
    note_with(&draft, "x-amzn-query-error");
    note_with(&draft, "prefixed with its namespace");
    assert!(api.policies.is_empty(), "no error of SQS is retryable");
    assert!(api.categories.iter().map(|c| c.id.as_str()).eq(["client"]));
}

#[test]
fn lambda_rest_json_errors_through_resources() {
    let m = model("lambda-2015-03-31.json");
    let (draft, api) = import("lambda-2015-03-31.json");
    let want = expected(&m);
    assert_eq!(want.len(), 38);
    // Most of them are reached only through the service's resources.
    assert_eq!(imported(&api), want);
    assert!(api
        .codes
        .iter()
        .all(|c| c.aliases.is_empty() && c.status.is_some()));
    assert_eq!(
        api.codes.iter().filter(|c| c.category == Some(1)).count(),
        15
    );
    assert_eq!(
        api.categories
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["client", "server"]
    );

    // restJson1: the type in `code` or `__type`; the message member of most shapes is
    // `Message`, the others' kept as a field.
    let ids: Vec<(&str, &str)> = api
        .envelopes
        .iter()
        .map(|e| (e.id.as_str(), e.code_field.as_str()))
        .collect();
    assert_eq!(
        ids,
        [("rest_json1_code", "code"), ("rest_json1_type", "__type")]
    );
    let e = &api.envelopes[0];
    assert_eq!(e.message_field.as_deref(), Some("Message"));
    let fields: Vec<&str> = e.fields.iter().map(|f| f.name.as_str()).collect();
    assert!(fields.contains(&"Type"), "{fields:?}");
    assert!(fields.contains(&"message"), "{fields:?}");
    assert!(
        !fields.contains(&"retryAfterSeconds"),
        "a header is not a body field"
    );
    note_with(&draft, "X-Amzn-Errortype");
    let too_many = draft
        .codes
        .iter()
        .find(|c| {
            c.code.as_ref().map(ToString::to_string).as_deref() == Some("TooManyRequestsException")
        })
        .unwrap();
    assert!(too_many
        .note
        .as_deref()
        .unwrap()
        .contains("`retryAfterSeconds` is sent in the header `Retry-After`"));
}

#[test]
fn pricing_retry_classes_and_inferred_numbers() {
    let m = model("pricing-2017-10-15.json");
    let (draft, api) = import("pricing-2017-10-15.json");
    let want = expected(&m);
    assert_eq!(want.len(), 8);
    assert_eq!(imported(&api), want);
    assert_eq!(
        code(&api, "ThrottlingException")
            .retry
            .map(|p| api.policies[p].name.as_str()),
        Some("throttling")
    );
    assert_eq!(
        code(&api, "InternalErrorException")
            .retry
            .map(|p| api.policies[p].name.as_str()),
        Some("transient")
    );
    assert_eq!(api.codes.iter().filter(|c| c.retry.is_some()).count(), 2);
    for p in &api.policies {
        for field in [
            "initial",
            "multiplier",
            "max_delay",
            "max_attempts",
            "jitter",
        ] {
            assert!(p.inferred.iter().any(|f| f == field), "{} {field}", p.name);
        }
        assert_eq!(p.max_attempts, 3);
    }
    note_with(&draft, "feature-retry-behavior");
    assert_eq!(api.envelopes[0].id, "aws_json1_1");
    assert_eq!(api.envelopes[0].message_field.as_deref(), Some("Message"));
}

#[test]
fn sts_query_protocol_is_noted_and_gets_the_json_envelope() {
    let m = model("sts-2011-06-15.json");
    let (draft, api) = import("sts-2011-06-15.json");
    let want = expected(&m);
    assert_eq!(want.len(), 8);
    assert_eq!(imported(&api), want);
    assert_eq!(
        code(&api, "IDPRejectedClaim").variant,
        "IdpRejectedClaimException"
    );
    // Not JSON + awsQueryCompatible: the query code is the only wire value.
    assert!(api.codes.iter().all(|c| c.aliases.is_empty()));
    let note = note_with(&draft, "awsQuery, whose error bodies are XML");
    assert!(note.contains("errspec reads JSON bodies only"), "{note}");
    let e = &api.envelopes[0];
    assert_eq!(
        (e.id.as_str(), e.code_field.as_str()),
        ("aws_json1_0", "__type")
    );
    assert!(e
        .description
        .as_deref()
        .unwrap()
        .contains("the JSON variant of the service's awsQuery"));
}

/// The SQS fixture, edited as JSON.
fn sqs_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut m = model("sqs-2012-11-05.json");
    edit(m["shapes"].as_object_mut().unwrap());
    serde_json::to_string(&m).unwrap()
}

#[test]
fn error_shapes_no_operation_returns_are_noted() {
    let text = sqs_with(|shapes| {
        for shape in shapes.values_mut() {
            if let Some(errors) = shape.get_mut("errors").and_then(Value::as_array_mut) {
                errors.retain(|e| e["target"] != "com.amazonaws.sqs#OverLimit");
            }
        }
    });
    let draft = smithy::from_str(&text, "sqs.json").unwrap();
    assert_eq!(draft.codes.len(), 27);
    note_with(&draft, "left out: com.amazonaws.sqs#OverLimit");
    draft.check("sqs.yaml").unwrap();
}

#[test]
fn references_to_undefined_or_non_error_shapes_are_noted() {
    let text = sqs_with(|shapes| {
        shapes.remove("com.amazonaws.sqs#OverLimit");
        shapes
            .get_mut("com.amazonaws.sqs#EmptyBatchRequest")
            .unwrap()["traits"]
            .as_object_mut()
            .unwrap()
            .remove("smithy.api#error");
    });
    let draft = smithy::from_str(&text, "sqs.json").unwrap();
    assert_eq!(draft.codes.len(), 26);
    note_with(&draft, "com.amazonaws.sqs#OverLimit (from `$.shapes[");
    note_with(
        &draft,
        "without the `smithy.api#error` trait, left out: com.amazonaws.sqs#EmptyBatchRequest",
    );
}

fn refused(text: &str) -> ImportError {
    smithy::from_str(text, "model.json").expect_err("refused")
}

#[test]
fn bad_input_is_refused_with_where_and_why() {
    let e = refused("{\"smithy\": \"2.0\",\n \"shapes\": {,}}");
    assert_eq!(e.file, "model.json");
    assert_eq!(e.at.as_deref(), Some("line 2, column 13"));
    assert!(e.message.starts_with("the file is not JSON"), "{e}");

    let e = refused("$version: \"2\"\nnamespace example\n");
    assert!(e.help.unwrap().contains("Smithy IDL"));

    let e = refused("{\"openapi\": \"3.0.0\"}");
    assert!(e.message.contains("no `smithy` version"), "{e}");
    let e = refused("{\"smithy\": \"2.0\"}");
    assert!(e.message.contains("no `shapes`"), "{e}");
    let e = refused("{\"smithy\": \"3.0\", \"shapes\": {}}");
    assert_eq!(e.at.as_deref(), Some("$.smithy"));
    let e = refused("[1]");
    assert!(e.message.contains("not an object"), "{e}");

    let e = refused("{\"smithy\": \"2.0\", \"shapes\": {\"a#S\": {\"type\": \"string\"}}}");
    assert_eq!(e.message, "the model has no service shape");

    // No error shape: the service of the SQS model, alone.
    let mut m = model("sqs-2012-11-05.json");
    let shapes = m["shapes"].as_object_mut().unwrap();
    shapes.retain(|id, _| id == "com.amazonaws.sqs#AmazonSQS");
    let e = refused(&m.to_string());
    assert!(e.message.contains("returns no error shape"), "{e}");
    assert_eq!(
        e.at.as_deref(),
        Some("$.shapes[\"com.amazonaws.sqs#AmazonSQS\"]")
    );

    let text = sqs_with(|shapes| {
        shapes.get_mut("com.amazonaws.sqs#OverLimit").unwrap()["traits"]["smithy.api#error"] =
            Value::from("caller");
    });
    let e = refused(&text);
    assert_eq!(
        e.at.as_deref(),
        Some("$.shapes[\"com.amazonaws.sqs#OverLimit\"].traits[\"smithy.api#error\"]")
    );
    let text = sqs_with(|shapes| {
        shapes.get_mut("com.amazonaws.sqs#OverLimit").unwrap()["traits"]["smithy.api#retryable"] =
            Value::from(true);
    });
    assert!(refused(&text).message.contains("retryable"));
    let text = sqs_with(|shapes| {
        shapes.get_mut("com.amazonaws.sqs#AmazonSQS").unwrap()["operations"][0] =
            Value::from("com.amazonaws.sqs#AddPermission");
    });
    let e = refused(&text);
    assert_eq!(
        e.at.as_deref(),
        Some("$.shapes[\"com.amazonaws.sqs#AmazonSQS\"].operations[0]")
    );
}

#[test]
fn a_model_of_several_services_names_them_and_one_can_be_picked() {
    let mut m = model("sqs-2012-11-05.json");
    let mut sts = model("sts-2011-06-15.json");
    let shapes = m["shapes"].as_object_mut().unwrap();
    shapes.append(sts["shapes"].as_object_mut().unwrap());
    let text = m.to_string();
    let e = refused(&text);
    assert_eq!(
        e.message,
        "the model defines 2 services: com.amazonaws.sqs#AmazonSQS, com.amazonaws.sts#AWSSecurityTokenServiceV20110615"
    );
    assert!(e.help.unwrap().contains("read_service"));
    let draft = smithy::from_str_service(
        &text,
        "both.json",
        "com.amazonaws.sts#AWSSecurityTokenServiceV20110615",
    )
    .unwrap();
    assert_eq!(draft.codes.len(), 8, "only the errors STS returns");
    note_with(&draft, "com.amazonaws.sqs#");
    let e = smithy::from_str_service(&text, "both.json", "com.amazonaws.x#Nope").unwrap_err();
    assert!(e.help.unwrap().starts_with("its services: "));
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let e = smithy::read(Path::new("/nonexistent/model.json")).unwrap_err();
    assert_eq!(e.file, "/nonexistent/model.json");
}
