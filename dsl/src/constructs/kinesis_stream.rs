//! [`KinesisStream`]: a Kinesis data stream, encrypted, read by functions.

use crate::constructs::RemovalPolicy;
use crate::constructs::Wrapped;
use crate::constructs::configure::Owned;
use crate::constructs::grants::EncryptionKey;
use crate::constructs::grants::{self, Granted, Grantee, Target};
#[cfg(feature = "lambda")]
use crate::constructs::wiring::{FunctionEnd, kinesis, stream::StreamTrigger};
use crate::kind::{Int, Str};
use crate::kinds::{KinesisStreamArn, KinesisStreamName};
use crate::kinesis::StreamHandle;
use crate::kinesis::stream::{EncryptionType, StreamEncryption, StreamMode, StreamModeDetails};
use crate::stack::handle::{Handle, ResourceRef};
use crate::stack::props::PropsBuilder;
use crate::stack::resource::Construct;
use crate::stack::stack::Stack;
use crate::value::value::{IntoValue, Value};

/// The AWS managed key of Kinesis, the default encryption (no key policy to manage).
const AWS_MANAGED_KEY: &str = "alias/aws/kinesis";
/// The shortest retention Kinesis allows, in hours.
const MIN_RETENTION_HOURS: i64 = 24;

/// A Kinesis data stream: on-demand capacity unless [`shards`](KinesisStream::shards)
/// is given, encrypted with Kinesis's AWS managed key unless a customer-managed key is
/// given (grants then cover it), kept when removed from the stack unless
/// [`RemovalPolicy::Destroy`] is chosen.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Code, Function, KinesisStream, Runtime, StartingPosition, StreamTrigger};
/// let mut stack = Stack::new("App");
/// let clicks = stack.add("Clicks", KinesisStream::new().retention_hours(48));
/// let f = stack.add("Counter", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// clicks.stream_to(&mut stack, &f, StreamTrigger::new(StartingPosition::TrimHorizon).parallelization_factor(2));
/// let t = stack.synth().unwrap();
/// let m = &t.json()["Resources"]["CounterClicksStream"]["Properties"];
/// assert_eq!(m["EventSourceArn"], serde_json::json!({"Fn::GetAtt": ["Clicks", "Arn"]}));
/// assert_eq!(m["ParallelizationFactor"], 2);
/// ```
#[derive(Clone, Debug)]
pub struct KinesisStream {
    /// The builder, the key every grant covers, the removal policy and the hatch.
    stream: Wrapped<crate::kinesis::Stream>,
}

impl Default for KinesisStream {
    fn default() -> Self {
        KinesisStream {
            stream: Wrapped::stateful(crate::kinesis::Stream::default()),
        }
    }
}

impl KinesisStream {
    /// An on-demand stream encrypted with the AWS managed key.
    pub fn new() -> Self {
        KinesisStream::default()
    }

    /// The physical stream name.
    pub fn name(mut self, name: impl IntoValue<Str>) -> Self {
        self.stream = self.stream.set(|s| s.name(name));
        self
    }

    /// Provisioned capacity of `n` shards instead of on-demand.
    pub fn shards(mut self, n: impl IntoValue<Int>) -> Self {
        self.stream = self.stream.set(|s| {
            s.stream_mode_details(StreamModeDetails::new(StreamMode::Provisioned))
                .shard_count(n)
        });
        self
    }

    /// Hours records are kept (24 to 8,760, checked at synth; 24 unless set).
    pub fn retention_hours(mut self, hours: impl IntoValue<Int>) -> Self {
        self.stream = self.stream.set(|s| s.retention_period_hours(hours));
        self
    }

    /// Encrypts with a KMS key (else the AWS managed `alias/aws/kinesis`).
    /// `key` is a key's ARN or ID (`key.arn()`, `key.id()` of an `AWS::KMS::Key`), an
    /// alias name (`alias.name()`, or `Value::<KmsAliasNameOrKeyArnOrId>::literal("alias/aws/kinesis")`
    /// for the AWS managed key) or an alias ARN, as Kinesis takes it (Amazon Kinesis Data Streams API Reference, `StartStreamEncryption`'s `KeyId`). Grants on
    /// the stream cover the key by its ARN; an alias other than an AWS managed one is refused
    /// when a grant is made (see [`grants::key`](crate::constructs::grants::key)).
    pub fn kms_key(mut self, key: impl Into<EncryptionKey>) -> Self {
        self.stream = self.stream.kms_key(key, |s, key| {
            s.stream_encryption(StreamEncryption::new(EncryptionType::Kms, key))
        });
        self
    }

    /// What happens to the stream's records when it leaves the stack (kept unless set).
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.stream = self.stream.removal_policy(Some(policy));
        self
    }

    /// Escape hatch to the generated `AWS::Kinesis::Stream` builder, after the
    /// construct's defaults and options.
    pub fn configure(
        mut self,
        f: impl Fn(crate::kinesis::Stream) -> crate::kinesis::Stream + Send + Sync + 'static,
    ) -> Self {
        self.stream = self.stream.configure(f);
        self
    }
}

/// The stream's properties grants are derived from.
const OWNED: &[Owned] = &[Owned::new(
    "StreamEncryption",
    "kms_key",
    "the KMS key that grants on the stream cover",
)];

impl Construct for KinesisStream {
    type Handle = KinesisStreamRef;

    fn add_to(self, stack: &mut Stack, id: &str) -> KinesisStreamRef {
        let ready = self.stream.prepare(stack, id, OWNED, |mut s| {
            if !s.props().contains("StreamEncryption") {
                s = s.stream_encryption(StreamEncryption::new(
                    EncryptionType::Kms,
                    Value::<crate::kinds::KmsAliasNameOrKeyArnOrId>::literal(AWS_MANAGED_KEY),
                ));
            }
            if !s.props().contains("StreamModeDetails") {
                s = s.stream_mode_details(StreamModeDetails::new(StreamMode::OnDemand));
            }
            s
        });
        // The schema allows from 1 hour; Kinesis keeps records at least 24 (Kinesis
        // Data Streams Developer Guide, "Changing the data retention period").
        if let Some(h) = ready
            .builder()
            .props()
            .get_json("RetentionPeriodHours")
            .and_then(|h| h.as_i64())
            .filter(|h| *h < MIN_RETENTION_HOURS)
        {
            stack.problem(crate::Diagnostic::error(
                crate::Location::property(id, "RetentionPeriodHours"),
                format!("stream `{id}` keeps records {h} hours, under Kinesis's minimum of {MIN_RETENTION_HOURS}"),
                "give 24 to 8,760 hours",
            ));
        }
        let added = ready.add_to(stack);
        KinesisStreamRef {
            stream: added.handle,
            kms_key: added.kms_key,
        }
    }
}

/// A stream added to a stack.
#[derive(Clone, Debug)]
pub struct KinesisStreamRef {
    stream: StreamHandle,
    kms_key: Option<EncryptionKey>,
}

impl KinesisStreamRef {
    /// The stream's ARN.
    pub fn arn(&self) -> Value<KinesisStreamArn> {
        self.stream.arn()
    }

    /// The stream's name.
    pub fn name(&self) -> Value<KinesisStreamName> {
        self.stream.name()
    }

    /// The generated resource's handle.
    pub fn handle(&self) -> &StreamHandle {
        &self.stream
    }

    /// What grants on the stream are on: its ARN and key.
    pub fn grant_target(&self) -> Target<grants::on::Stream> {
        Target::from(&self.stream).encrypted_with(self.kms_key.clone())
    }

    /// Lets `grantee` read records.
    pub fn grant_read(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::kinesis::read(stack, grantee, &self.grant_target())
    }

    /// Lets `grantee` put records.
    pub fn grant_write(&self, stack: &mut Stack, grantee: &impl Grantee) -> Vec<Granted> {
        grants::kinesis::write(stack, grantee, &self.grant_target())
    }

    /// Invokes `function` with batches of records read as `trigger` says: an event
    /// source mapping `<Function><Stream>Stream`, plus the read grant it needs.
    #[cfg(feature = "lambda")]
    pub fn stream_to(
        &self,
        stack: &mut Stack,
        function: &impl FunctionEnd,
        trigger: StreamTrigger,
    ) -> crate::lambda::EventSourceMappingHandle {
        kinesis::stream_to(
            stack,
            &self.grant_target(),
            self.handle(),
            function,
            trigger,
        )
    }
}

impl Handle for KinesisStreamRef {
    fn resource_ref(&self) -> &ResourceRef {
        self.stream.resource_ref()
    }
}
