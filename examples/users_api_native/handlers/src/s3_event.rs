//! The S3 event handler: for each record of an S3 notification, HeadObject the object, log its
//! size and content type, and hand it to the branch for its content type.
//!
//! The branches are the tutorial's: images (`image/jpeg`, `image/png`, `image/gif`), JSON
//! (`application/json`), text (`text/plain`, `text/csv`), and everything else. In the tutorial
//! each branch is a placeholder that logs what it would process ("Processing image: s3://...",
//! with "e.g., resize, watermark" left as a comment), and so is each branch here: the
//! decision of which branch an object takes is the part that is real and tested.
//!
//! As in the tutorial, a record whose HeadObject fails is logged and skipped, the other records
//! are still handled, and the invocation succeeds; so S3 does not retry the event. Two
//! differences make the handler work on keys the Go version would miss:
//!
//! - the object key is URL-decoded first ([`decode_key`]): S3 notifications encode keys as
//!   form data (`my photo.jpg` arrives as `my+photo.jpg`), and HeadObject on the raw key is a
//!   404;
//! - the content type is matched on its media type alone, case-insensitively
//!   ([`classify`]), so `text/plain; charset=utf-8` is text, not "unsupported".

use std::fmt;
use std::future::Future;

use aws_lambda_events::s3::{S3Event, S3EventRecord};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use lambda_runtime::Error;

/// The branch an object takes, chosen by its content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    /// `image/jpeg`, `image/png` or `image/gif`.
    Image,
    /// `application/json`.
    Json,
    /// `text/plain` or `text/csv`.
    Text,
    /// Anything else, including an object without a content type: logged as unsupported.
    Other,
}

/// Chooses the branch for a `Content-Type` value. Parameters (`; charset=...`) and case are
/// ignored, since S3 stores the header exactly as the uploader sent it.
pub fn classify(content_type: &str) -> ContentKind {
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "image/jpeg" | "image/png" | "image/gif" => ContentKind::Image,
        "application/json" => ContentKind::Json,
        "text/plain" | "text/csv" => ContentKind::Text,
        _ => ContentKind::Other,
    }
}

/// Where an object lives, with its key decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectLocation {
    /// The bucket's name.
    pub bucket: String,
    /// The object's key, URL-decoded.
    pub key: String,
}

impl fmt::Display for ObjectLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// The object a record names, or `None` when the record lacks a bucket name or a key (never
/// the case for a real notification, but the event type allows it).
pub fn object_location(record: &S3EventRecord) -> Option<ObjectLocation> {
    let bucket = record.s3.bucket.name.as_deref().filter(|s| !s.is_empty())?;
    let key = record.s3.object.key.as_deref().filter(|s| !s.is_empty())?;
    Some(ObjectLocation {
        bucket: bucket.to_owned(),
        key: decode_key(key),
    })
}

/// Decodes an S3 notification's object key, which is form-URL-encoded: `+` is a space and
/// `%XX` a byte. A malformed escape is kept as it is; a key whose bytes are not UTF-8 after
/// decoding is returned undecoded (S3 keys are UTF-8, so that is a malformed event).
pub fn decode_key(raw: &str) -> String {
    fn hex(byte: u8) -> Option<u8> {
        // Not `u8::from_str_radix`: it would accept a sign, reading "%+f" as 15.
        char::from(byte)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                decoded.push(b' ');
                i += 1;
            }
            b'%' => match (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            ) {
                (Some(high), Some(low)) => {
                    decoded.push(high << 4 | low);
                    i += 3;
                }
                _ => {
                    decoded.push(b'%');
                    i += 1;
                }
            },
            byte => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| raw.to_owned())
}

/// What HeadObject told about an object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectMetadata {
    /// Size in bytes.
    pub content_length: Option<i64>,
    /// The stored `Content-Type`.
    pub content_type: Option<String>,
}

/// The line a branch logs for an object, which is all each branch does in the tutorial.
pub fn branch_message(kind: ContentKind, location: &ObjectLocation, content_type: &str) -> String {
    match kind {
        ContentKind::Image => format!("Processing image: {location}"),
        ContentKind::Json => format!("Processing JSON file: {location}"),
        ContentKind::Text => format!("Processing text file: {location}"),
        ContentKind::Other => format!("Unsupported content type: {content_type}"),
    }
}

/// What became of one record, returned so tests (and a future caller) can see the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordOutcome {
    /// The object was headed and went through the branch for its content type (an
    /// unsupported type included: it is logged and counts as processed, as in the tutorial).
    Processed {
        /// The object.
        location: ObjectLocation,
        /// The branch it took.
        kind: ContentKind,
    },
    /// HeadObject failed (the object was deleted since, or access is denied): logged and
    /// skipped.
    HeadFailed {
        /// The object.
        location: ObjectLocation,
    },
    /// The record named no object: logged and skipped.
    NoObject,
}

/// Where object metadata comes from. The handler depends on this trait, not on the SDK, so
/// its flow is tested against an in-memory fake.
pub trait ObjectStore {
    /// HeadObject on `bucket`/`key` (the key already decoded).
    fn head_object(
        &self,
        bucket: &str,
        key: &str,
    ) -> impl Future<Output = Result<ObjectMetadata, Error>> + Send;
}

/// The real store: HeadObject through the S3 client.
#[derive(Clone, Debug)]
pub struct S3ObjectStore {
    client: aws_sdk_s3::Client,
}

impl S3ObjectStore {
    /// A store reading through `client`.
    pub fn new(client: aws_sdk_s3::Client) -> Self {
        Self { client }
    }
}

impl ObjectStore for S3ObjectStore {
    fn head_object(
        &self,
        bucket: &str,
        key: &str,
    ) -> impl Future<Output = Result<ObjectMetadata, Error>> + Send {
        let request = self.client.head_object().bucket(bucket).key(key);
        async move {
            let output = request
                .send()
                .await
                // The SDK error's Display is only "service error": log the service's code and
                // message (HeadObject has no body, so a 404 is just "NotFound"), or the whole
                // chain for a failure that never reached the service.
                .map_err(|e| match e.code() {
                    Some(code) => {
                        Error::from(format!("{code}: {}", e.message().unwrap_or("no message")))
                    }
                    None => Error::from(DisplayErrorContext(e).to_string()),
                })?;
            Ok(ObjectMetadata {
                content_length: output.content_length(),
                content_type: output.content_type().map(str::to_owned),
            })
        }
    }
}

/// Handles one S3 notification, record by record and in order, and reports what became of
/// each. The Lambda entry point discards the report and always succeeds, as the tutorial's
/// handler returns nil whatever happened to its records.
pub async fn handle_event<S: ObjectStore>(store: &S, event: &S3Event) -> Vec<RecordOutcome> {
    let mut outcomes = Vec::with_capacity(event.records.len());
    for record in &event.records {
        outcomes.push(handle_record(store, record).await);
    }
    outcomes
}

async fn handle_record<S: ObjectStore>(store: &S, record: &S3EventRecord) -> RecordOutcome {
    let Some(location) = object_location(record) else {
        eprintln!("Skipping S3 record without a bucket name or object key");
        return RecordOutcome::NoObject;
    };
    eprintln!("Processing S3 event: {location}");

    let metadata = match store.head_object(&location.bucket, &location.key).await {
        Ok(metadata) => metadata,
        Err(error) => {
            eprintln!("Error getting object metadata: {error}");
            return RecordOutcome::HeadFailed { location };
        }
    };
    // Go dereferences both fields and would panic on a missing one; log it instead.
    match metadata.content_length {
        Some(size) => eprintln!("Object size: {size} bytes"),
        None => eprintln!("Object size: unknown"),
    }
    let content_type = metadata.content_type.as_deref().unwrap_or_default();
    eprintln!("Content type: {content_type}");

    let kind = classify(content_type);
    eprintln!("{}", branch_message(kind, &location, content_type));
    eprintln!("Successfully processed: {location}");
    RecordOutcome::Processed { location, kind }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use std::collections::HashMap;
    use std::sync::Mutex;

    #[test]
    fn classifies_the_tutorials_content_types() {
        for (content_type, kind) in [
            ("image/jpeg", ContentKind::Image),
            ("image/png", ContentKind::Image),
            ("image/gif", ContentKind::Image),
            ("application/json", ContentKind::Json),
            ("text/plain", ContentKind::Text),
            ("text/csv", ContentKind::Text),
            ("application/pdf", ContentKind::Other),
            ("image/webp", ContentKind::Other),
            ("binary/octet-stream", ContentKind::Other),
            ("", ContentKind::Other),
        ] {
            assert_eq!(classify(content_type), kind, "{content_type}");
        }
    }

    #[test]
    fn classifies_on_the_media_type_alone() {
        assert_eq!(classify("text/plain; charset=utf-8"), ContentKind::Text);
        assert_eq!(classify("Application/JSON"), ContentKind::Json);
        assert_eq!(classify(" IMAGE/PNG ;q=1"), ContentKind::Image);
        // A prefix is not a match.
        assert_eq!(classify("text/plainx"), ContentKind::Other);
    }

    #[test]
    fn each_branch_logs_what_it_processes() {
        let location = ObjectLocation {
            bucket: "b".into(),
            key: "uploads/a.png".into(),
        };
        assert_eq!(
            branch_message(ContentKind::Image, &location, "image/png"),
            "Processing image: s3://b/uploads/a.png"
        );
        assert_eq!(
            branch_message(ContentKind::Json, &location, "application/json"),
            "Processing JSON file: s3://b/uploads/a.png"
        );
        assert_eq!(
            branch_message(ContentKind::Text, &location, "text/csv"),
            "Processing text file: s3://b/uploads/a.png"
        );
        assert_eq!(
            branch_message(ContentKind::Other, &location, "application/pdf"),
            "Unsupported content type: application/pdf"
        );
    }

    #[test]
    fn decodes_form_encoded_keys() {
        assert_eq!(decode_key("uploads/plain.txt"), "uploads/plain.txt");
        assert_eq!(decode_key("uploads/my+photo.jpg"), "uploads/my photo.jpg");
        assert_eq!(decode_key("a%2Bb%3Dc"), "a+b=c");
        assert_eq!(decode_key("caf%C3%A9.csv"), "café.csv");
        assert_eq!(decode_key("%e2%82%ac"), "€");
    }

    #[test]
    fn keeps_malformed_escapes() {
        assert_eq!(decode_key("100%"), "100%");
        assert_eq!(decode_key("50%zz"), "50%zz");
        assert_eq!(decode_key("%+f"), "% f");
        assert_eq!(decode_key("%4"), "%4");
        // Decodes to bytes that are not UTF-8: the raw key is kept.
        assert_eq!(decode_key("bad%FF"), "bad%FF");
    }

    /// A notification as S3 delivers it (one record per object, keys form-encoded).
    fn record(bucket: &str, key: &str) -> Value {
        json!({
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": "us-east-1",
            "eventTime": "2026-11-27T12:00:00.000Z",
            "eventName": "ObjectCreated:Put",
            "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
            "requestParameters": {"sourceIPAddress": "203.0.113.10"},
            "responseElements": {
                "x-amz-request-id": "C3D13FE58DE4C810",
                "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"
            },
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "uploads",
                "bucket": {
                    "name": bucket,
                    "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                    "arn": format!("arn:aws:s3:::{bucket}")
                },
                "object": {
                    "key": key,
                    "size": 1024,
                    "eTag": "d41d8cd98f00b204e9800998ecf8427e",
                    "sequencer": "0055AED6DCD90281E5"
                }
            }
        })
    }

    fn event(records: Vec<Value>) -> S3Event {
        serde_json::from_value(json!({ "Records": records })).expect("an S3 event deserializes")
    }

    #[test]
    fn locates_the_object_of_a_record() {
        let event = event(vec![record("uploads-bucket", "uploads/my+cat.gif")]);
        assert_eq!(
            object_location(&event.records[0]),
            Some(ObjectLocation {
                bucket: "uploads-bucket".into(),
                key: "uploads/my cat.gif".into(),
            })
        );
        assert_eq!(
            object_location(&event.records[0]).unwrap().to_string(),
            "s3://uploads-bucket/uploads/my cat.gif"
        );
    }

    /// An in-memory bucket: heads the objects it holds, fails for any other key, and records
    /// every call.
    #[derive(Default)]
    struct FakeStore {
        objects: HashMap<(String, String), ObjectMetadata>,
        calls: Mutex<Vec<(String, String)>>,
    }

    impl FakeStore {
        fn with(mut self, bucket: &str, key: &str, content_type: &str) -> Self {
            self.objects.insert(
                (bucket.into(), key.into()),
                ObjectMetadata {
                    content_length: Some(1024),
                    content_type: Some(content_type.into()),
                },
            );
            self
        }
    }

    impl ObjectStore for FakeStore {
        fn head_object(
            &self,
            bucket: &str,
            key: &str,
        ) -> impl Future<Output = Result<ObjectMetadata, Error>> + Send {
            let id = (bucket.to_owned(), key.to_owned());
            self.calls.lock().unwrap().push(id.clone());
            let result = self
                .objects
                .get(&id)
                .cloned()
                .ok_or_else(|| Error::from("NotFound: 404"));
            std::future::ready(result)
        }
    }

    fn processed(bucket: &str, key: &str, kind: ContentKind) -> RecordOutcome {
        RecordOutcome::Processed {
            location: ObjectLocation {
                bucket: bucket.into(),
                key: key.into(),
            },
            kind,
        }
    }

    #[tokio::test]
    async fn routes_every_record_to_its_branch() {
        let store = FakeStore::default()
            .with("b", "uploads/a.jpg", "image/jpeg")
            .with("b", "uploads/data.json", "application/json")
            .with("b", "uploads/report q3.csv", "text/csv")
            .with("b", "uploads/notes.txt", "text/plain; charset=utf-8")
            .with("b", "uploads/doc.pdf", "application/pdf");
        let outcomes = handle_event(
            &store,
            &event(vec![
                record("b", "uploads/a.jpg"),
                record("b", "uploads/data.json"),
                record("b", "uploads/report+q3.csv"),
                record("b", "uploads/notes.txt"),
                record("b", "uploads/doc.pdf"),
            ]),
        )
        .await;
        assert_eq!(
            outcomes,
            [
                processed("b", "uploads/a.jpg", ContentKind::Image),
                processed("b", "uploads/data.json", ContentKind::Json),
                processed("b", "uploads/report q3.csv", ContentKind::Text),
                processed("b", "uploads/notes.txt", ContentKind::Text),
                processed("b", "uploads/doc.pdf", ContentKind::Other),
            ]
        );
    }

    #[tokio::test]
    async fn a_failed_head_skips_only_that_record() {
        let store = FakeStore::default()
            .with("b", "uploads/first.png", "image/png")
            .with("b", "uploads/third.json", "application/json");
        let outcomes = handle_event(
            &store,
            &event(vec![
                record("b", "uploads/first.png"),
                record("b", "uploads/deleted.png"),
                record("b", "uploads/third.json"),
            ]),
        )
        .await;
        assert_eq!(
            outcomes,
            [
                processed("b", "uploads/first.png", ContentKind::Image),
                RecordOutcome::HeadFailed {
                    location: ObjectLocation {
                        bucket: "b".into(),
                        key: "uploads/deleted.png".into(),
                    },
                },
                processed("b", "uploads/third.json", ContentKind::Json),
            ]
        );
        assert_eq!(store.calls.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_record_without_an_object_is_skipped_without_a_call() {
        let mut no_key = record("b", "ignored");
        no_key["s3"]["object"]
            .as_object_mut()
            .unwrap()
            .remove("key");
        let store = FakeStore::default();
        let outcomes = handle_event(&store, &event(vec![no_key])).await;
        assert_eq!(outcomes, [RecordOutcome::NoObject]);
        assert!(store.calls.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_object_without_content_type_is_unsupported_not_a_crash() {
        let mut store = FakeStore::default();
        store
            .objects
            .insert(("b".into(), "blob".into()), ObjectMetadata::default());
        let outcomes = handle_event(&store, &event(vec![record("b", "blob")])).await;
        assert_eq!(outcomes, [processed("b", "blob", ContentKind::Other)]);
    }

    #[tokio::test]
    async fn an_empty_event_does_nothing() {
        let store = FakeStore::default();
        assert!(handle_event(&store, &event(vec![])).await.is_empty());
        assert!(store.calls.lock().unwrap().is_empty());
    }
}
