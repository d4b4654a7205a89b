//! The answers of STS, S3, IAM, Lambda and CloudWatch Logs, checked like CloudFormation's
//! ([`super::answers`]) before any decision or output reads them.
//!
//! [`Checked`] wraps every seam, not only CloudFormation's: an answer outside what the
//! service itself guarantees is an error naming the call and the field (fail closed), and
//! text shown only to a person is cut, saying so. Escaping for the terminal stays where
//! every byte is written (`output::escape`).
//!
//! Sources: the IAM User Guide, "IAM and AWS STS quotas" (a policy document holds only tab,
//! line feed, carriage return and U+0020..U+00FF; the largest policy quota is a role's
//! inline policies, 10,240 characters not counting white space), the STS API reference
//! (`GetCallerIdentity` `Account`: 12 digits, checked in [`super::identity`]), the Lambda API
//! reference (`FunctionConfiguration`: `CodeSha256` is the base64 SHA-256 of the package,
//! `LastUpdateStatus` one of `Successful`, `Failed`, `InProgress`), and the CloudWatch Logs
//! API reference (`FilterLogEvents` answers at most 10,000 events in at most 1 MB; a log
//! stream name is 1-512 characters; timestamps are milliseconds since the epoch).

use async_trait::async_trait;

use super::answers::{Checked, MAX_ID, bounded_text, check_count, check_len, shown};
use super::error::{CfnError, ErrorKind};
use super::lambda::{CodeLocation, ConfigUpdate, FunctionState, Lambda, UpdateStatus};
use super::logs::{LogPage, LogQuery, LogReader};
use super::seam::{Iam, Staging};

/// The most non-white-space characters of any IAM policy document (a role's inline
/// policies together, the largest IAM policy quota).
pub const MAX_POLICY_CHARS: usize = 10_240;
/// The most events one `FilterLogEvents` page holds.
pub const MAX_LOG_EVENTS: usize = 10_000;
/// The longest log event message, in bytes: a whole `FilterLogEvents` answer is at most
/// 1 MB, so no one message is longer.
pub const MAX_LOG_MESSAGE: usize = 1 << 20;
/// The longest log stream name, in characters.
pub const MAX_LOG_STREAM: usize = 512;
/// The longest pagination token nephos passes back, in bytes: the API documents none; this
/// is far above any it writes.
pub const MAX_TOKEN: usize = 65_536;

/// Checks a policy document IAM answered (URL-decoded): its size and characters, and that
/// it is one JSON object with no repeated key.
///
/// # Errors
/// The first rule it breaks.
pub fn check_policy_document(field: &str, doc: &str) -> Result<(), String> {
    let chars = doc.chars().filter(|c| !c.is_whitespace()).count();
    if chars > MAX_POLICY_CHARS {
        return Err(format!(
            "{field} has {chars} characters (IAM allows at most {MAX_POLICY_CHARS})"
        ));
    }
    if let Some(c) = doc
        .chars()
        .find(|&c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
    {
        return Err(format!(
            "{field} holds U+{:04X}, a character IAM never allows in a policy",
            c as u32
        ));
    }
    match crate::source::unique_json::from_str_unique(doc) {
        Ok(v) if v.is_object() => Ok(()),
        Ok(_) => Err(format!("{field} is not a JSON object")),
        Err(e) => Err(format!("{field} is not JSON ({})", shown(&e.to_string()))),
    }
}

/// Checks what `GetFunctionConfiguration` answered about a function; cuts its reason.
///
/// # Errors
/// A `CodeSha256` that is not a base64 SHA-256, or a status longer than any spelling.
pub fn check_function_state(s: &mut FunctionState) -> Result<(), String> {
    if let UpdateStatus::Unknown(v) = &s.last_update {
        check_len("LastUpdateStatus", v, 64)?;
    }
    if let Some(h) = &s.code_sha256 {
        let base64 = h.len() == 44
            && h.ends_with('=')
            && h.as_bytes()[..43]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
        if !base64 {
            return Err(format!("CodeSha256 `{}` is not a base64 SHA-256", shown(h)));
        }
    }
    s.reason = s.reason.as_deref().map(bounded_text);
    Ok(())
}

/// Checks one page of `FilterLogEvents`.
///
/// # Errors
/// More events than a page holds, or a field longer or stranger than any CloudWatch Logs
/// writes.
pub fn check_log_page(p: &LogPage) -> Result<(), String> {
    check_count("events", p.events.len(), MAX_LOG_EVENTS)?;
    for e in &p.events {
        check_len("message", &e.message, MAX_LOG_MESSAGE)?;
        check_len("eventId", &e.id, MAX_ID)?;
        if e.stream.chars().count() > MAX_LOG_STREAM {
            return Err(format!(
                "logStreamName is longer than {MAX_LOG_STREAM} characters"
            ));
        }
        if e.timestamp_ms < 0 {
            return Err(format!("timestamp {} is before 1970", e.timestamp_ms));
        }
    }
    if let Some(t) = &p.next {
        check_len("nextToken", t, MAX_TOKEN)?;
    }
    Ok(())
}

/// The error for an answer of `service` that failed a check: never retried, and it says
/// what to do.
fn refused(call: &str, subject: &str, why: String) -> CfnError {
    CfnError::new(
        ErrorKind::Other,
        format!(
            "{call} for {} answered what AWS never does: {why}; nephos acts on none of it (retry; if it stays so, compare with the AWS CLI, the answer may be tampered with)",
            shown(subject)
        ),
    )
}

#[async_trait]
impl<S: Staging> Staging for Checked<S> {
    async fn account_id(&self) -> Result<String, CfnError> {
        let account = self.0.account_id().await?;
        super::identity::check_account(&account)?;
        Ok(account)
    }

    fn region(&self) -> String {
        self.0.region()
    }

    async fn bucket_exists(&self, bucket: &str) -> Result<bool, CfnError> {
        self.0.bucket_exists(bucket).await
    }

    async fn object_exists(&self, bucket: &str, key: &str) -> Result<bool, CfnError> {
        self.0.object_exists(bucket, key).await
    }

    async fn object_sha256(&self, bucket: &str, key: &str) -> Result<Option<String>, CfnError> {
        let sha = self.0.object_sha256(bucket, key).await?;
        if let Some(h) = &sha
            && (h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(refused(
                "HeadObject",
                key,
                "a SHA-256 that is not 64 hex digits".into(),
            ));
        }
        Ok(sha.map(|h| h.to_ascii_lowercase()))
    }

    async fn put_object(&self, bucket: &str, key: &str, body: Vec<u8>) -> Result<(), CfnError> {
        self.0.put_object(bucket, key, body).await
    }

    fn object_url(&self, bucket: &str, key: &str) -> String {
        self.0.object_url(bucket, key)
    }
}

#[async_trait]
impl<I: Iam> Iam for Checked<I> {
    async fn role_trust_policy(&self, role_name: &str) -> Result<Option<String>, CfnError> {
        let doc = self.0.role_trust_policy(role_name).await?;
        if let Some(d) = &doc {
            check_policy_document("AssumeRolePolicyDocument", d)
                .map_err(|why| refused("GetRole", role_name, why))?;
        }
        Ok(doc)
    }

    async fn managed_policy_document(&self, arn: &str) -> Result<Option<String>, CfnError> {
        let doc = self.0.managed_policy_document(arn).await?;
        if let Some(d) = &doc {
            check_policy_document("PolicyVersion Document", d)
                .map_err(|why| refused("GetPolicyVersion", arn, why))?;
        }
        Ok(doc)
    }
}

#[async_trait]
impl<L: Lambda> Lambda for Checked<L> {
    async fn update_function_code(&self, name: &str, code: &CodeLocation) -> Result<(), CfnError> {
        self.0.update_function_code(name, code).await
    }

    async fn update_function_configuration(
        &self,
        name: &str,
        update: &ConfigUpdate,
    ) -> Result<(), CfnError> {
        self.0.update_function_configuration(name, update).await
    }

    async fn function_state(&self, name: &str) -> Result<Option<FunctionState>, CfnError> {
        let mut state = self.0.function_state(name).await?;
        if let Some(s) = &mut state {
            check_function_state(s)
                .map_err(|why| refused("GetFunctionConfiguration", name, why))?;
        }
        Ok(state)
    }

    async fn drift_marker(&self, name: &str) -> Result<Option<String>, CfnError> {
        let marker = self.0.drift_marker(name).await?;
        if let Some(m) = &marker {
            check_drift_marker(m).map_err(|why| refused("GetFunction", name, why))?;
        }
        Ok(marker)
    }

    async fn set_drift_marker(&self, name: &str, value: Option<&str>) -> Result<(), CfnError> {
        self.0.set_drift_marker(name, value).await
    }
}

/// A drift marker is a tag value nephos wrote: property names separated by spaces, within
/// Lambda's 256-character limit for a tag value (AWS Lambda API Reference, `TagResource`).
fn check_drift_marker(marker: &str) -> Result<(), String> {
    if marker.chars().count() > 256 {
        return Err(format!(
            "a tag value of {} characters (Lambda allows 256)",
            marker.chars().count()
        ));
    }
    if let Some(c) = marker
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == ' '))
    {
        return Err(format!(
            "a {} tag holding {:?}, which no property name has",
            crate::cfn::lambda::DRIFT_MARKER,
            c
        ));
    }
    Ok(())
}

#[async_trait]
impl<L: LogReader> LogReader for Checked<L> {
    async fn filter_events(
        &self,
        query: &LogQuery,
        token: Option<String>,
    ) -> Result<Option<LogPage>, CfnError> {
        let page = self.0.filter_events(query, token).await?;
        if let Some(p) = &page {
            check_log_page(p).map_err(|why| refused("FilterLogEvents", &query.group, why))?;
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drift_marker_is_property_names_within_a_tag_value() {
        assert_eq!(check_drift_marker("Code Timeout"), Ok(()));
        let hostile = check_drift_marker("Code\u{1b}[2J").unwrap_err();
        assert!(hostile.contains("'\\u{1b}'"), "{hostile}");
        assert!(
            check_drift_marker(&"A".repeat(257))
                .unwrap_err()
                .contains("256")
        );
    }

    #[test]
    fn policy_documents_are_bounded_in_size_characters_and_shape() {
        let ok = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(check_policy_document("D", ok), Ok(()));
        // White space does not count, as IAM counts.
        let spaced = format!("{{\"a\": \"{}\"{}}}", "x".repeat(100), " ".repeat(20_000));
        assert_eq!(check_policy_document("D", &spaced), Ok(()));
        let big = format!("{{\"a\": \"{}\"}}", "x".repeat(MAX_POLICY_CHARS));
        assert!(
            check_policy_document("D", &big)
                .unwrap_err()
                .contains("10240")
        );
        let hidden = "{\"a\": \"\u{1b}[2J\u{202e}\"}";
        assert!(
            check_policy_document("D", hidden)
                .unwrap_err()
                .contains("U+001B")
        );
        assert!(
            check_policy_document("D", "[1]")
                .unwrap_err()
                .contains("object")
        );
        let repeated = r#"{"Effect": "Deny", "Effect": "Allow"}"#;
        assert!(
            check_policy_document("D", repeated)
                .unwrap_err()
                .contains("not JSON")
        );
    }

    #[test]
    fn a_function_state_is_checked_and_its_reason_cut() {
        let mut s = FunctionState {
            last_update: UpdateStatus::Successful,
            reason: Some("r".repeat(100_000)),
            code_sha256: Some(format!("{}=", "A".repeat(43))),
        };
        assert_eq!(check_function_state(&mut s), Ok(()));
        assert!(s.reason.as_deref().unwrap_or_default().len() < 5_000);
        s.code_sha256 = Some("not-a-hash\u{1b}".into());
        assert!(
            check_function_state(&mut s)
                .unwrap_err()
                .contains("CodeSha256")
        );
        let mut odd = FunctionState {
            last_update: UpdateStatus::Unknown("S".repeat(65)),
            reason: None,
            code_sha256: None,
        };
        assert!(
            check_function_state(&mut odd)
                .unwrap_err()
                .contains("LastUpdateStatus")
        );
    }

    /// IAM answering one document for every policy and role.
    struct OneDocument(String);

    #[async_trait]
    impl Iam for OneDocument {
        async fn role_trust_policy(&self, _: &str) -> Result<Option<String>, CfnError> {
            Ok(Some(self.0.clone()))
        }
        async fn managed_policy_document(&self, _: &str) -> Result<Option<String>, CfnError> {
            Ok(Some(self.0.clone()))
        }
    }

    fn no_raw_control(s: &str) {
        assert!(
            !s.chars().any(crate::output::escape::is_unsafe),
            "raw control character in {s:?}"
        );
    }

    #[tokio::test]
    async fn a_hostile_managed_policy_is_not_expanded_and_the_review_says_why() {
        use crate::diff::managed::{Expansion, expand};
        use serde_json::json;
        let role = |arns: serde_json::Value| {
            json!({"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {}, "ManagedPolicyArns": arns}}}})
        };
        let hostile = [
            // A statement hidden behind a screen erase and a bidi override.
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}], \"x\": \"\u{1b}[2J\u{202e}\"}".to_owned(),
            // Far more than IAM stores: a review listing twenty thousand statements.
            format!(
                "{{\"Statement\": [{}]}}",
                vec![r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#; 20_000].join(",")
            ),
            // Two effects: which one IAM applies is not for nephos to guess.
            r#"{"Statement": [{"Effect": "Deny", "Effect": "Allow", "Action": "*", "Resource": "*"}]}"#.to_owned(),
        ];
        for doc in hostile {
            let mut changes = crate::diff::security::diff(
                &role(json!([])),
                &role(json!(["arn:aws:iam::aws:policy/X"])),
            );
            expand(
                &mut changes,
                &Checked(OneDocument(doc)),
                Some("123456789012"),
            )
            .await;
            let Some(Expansion::Unknown { reason }) = &changes[0].expansion else {
                panic!("expanded: {:?}", changes[0].expansion);
            };
            assert!(
                reason.contains(
                    "GetPolicyVersion for arn:aws:iam::aws:policy/X answered what AWS never does"
                ),
                "{reason}"
            );
            no_raw_control(reason);
        }
    }

    #[tokio::test]
    async fn a_hostile_trust_policy_is_refused_not_searched() {
        let checked = Checked(OneDocument(
            "{\"Principal\": \"cloudformation.amazonaws.com\u{202e}\"}".into(),
        ));
        let e = checked
            .role_trust_policy("deployer")
            .await
            .expect_err("refused");
        assert!(e.to_string().contains("GetRole for deployer"), "{e}");
        no_raw_control(&e.to_string());
    }

    /// CloudWatch Logs answering one page.
    struct OnePage(LogPage);

    #[async_trait]
    impl LogReader for OnePage {
        async fn filter_events(
            &self,
            _: &LogQuery,
            _: Option<String>,
        ) -> Result<Option<LogPage>, CfnError> {
            Ok(Some(self.0.clone()))
        }
    }

    #[tokio::test]
    async fn a_log_page_cloudwatch_never_answers_stops_the_read() {
        use crate::cfn::logs::LogEvent;
        let event = |message: String, stream: &str, ts: i64| LogEvent {
            timestamp_ms: ts,
            stream: stream.into(),
            message,
            id: "1".into(),
        };
        let query = LogQuery {
            group: "/aws/lambda/f".into(),
            start_ms: 0,
            pattern: None,
        };
        let page = |events: Vec<LogEvent>, next: Option<String>| LogPage { events, next };
        for (hostile, field) in [
            (
                page(vec![event("x".repeat(MAX_LOG_MESSAGE + 1), "s", 1)], None),
                "message",
            ),
            (
                page(
                    vec![event("x".into(), &"s".repeat(MAX_LOG_STREAM + 1), 1)],
                    None,
                ),
                "logStreamName",
            ),
            (page(vec![event("x".into(), "s", -1)], None), "timestamp"),
            (
                page(vec![event("x".into(), "s", 1); MAX_LOG_EVENTS + 1], None),
                "events",
            ),
            (
                page(Vec::new(), Some("t".repeat(MAX_TOKEN + 1))),
                "nextToken",
            ),
        ] {
            let e = crate::logs::tail::read(&Checked(OnePage(hostile)), &query)
                .await
                .expect_err(field);
            let text = e.to_string();
            assert!(
                text.contains("FilterLogEvents for /aws/lambda/f answered what AWS never does")
                    && text.contains(field),
                "{text}"
            );
        }
        // An ordinary page passes whole: a control sequence in a message is the terminal
        // writer's to escape, not a reason to refuse.
        let ok = page(
            vec![event(
                "ERROR \u{1b}[2J".into(),
                "2026/12/01/[$LATEST]abc",
                1,
            )],
            None,
        );
        let read = crate::logs::tail::read(&Checked(OnePage(ok.clone())), &query)
            .await
            .unwrap_or_default();
        assert_eq!(read.events, ok.events);
    }
}
