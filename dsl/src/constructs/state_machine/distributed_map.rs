//! [`DistributedMap`]: a Map state in Distributed mode (Step Functions Developer Guide,
//! "Using Map state in Distributed mode for large-scale parallel workloads"): each item,
//! or batch of items, runs as a child workflow execution of the same state machine; the
//! items come from the input or from S3 ([`ItemReader`]); the results can go to S3
//! ([`DistributedMap::results_to`]); a share of failed items can be tolerated.
//!
//! Its permissions are the guide's "IAM policies for using Distributed Map states": the
//! role may start executions of its own state machine and describe and stop the child
//! executions (`execution:<name>/*`), list or read what the reader reads, and write
//! where the results go. The first two name the state machine, which names the role, so
//! they go in a policy of their own attached to the role ([`super::StateMachine`]): a
//! statement inside the role would make the role and the state machine refer to each
//! other.

use serde_json::{Map as JMap, Value as J, json};

use super::Definition;
use super::flow::{Flow, flow_options, path_problem};
use super::render::Render;
use super::service::resource;
use crate::constructs::grants::{self, Grant, Grantee, Target, actions};
pub use crate::constructs::wiring::MapBucket;
use crate::kind::Str;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::value::Value;

/// The most child executions a Distributed Map runs at once (the guide: "up to 10,000
/// parallel child workflow executions").
pub const MAX_CHILD_CONCURRENCY: u32 = 10_000;

/// The longest `Label` of a Map Run (the guide's `Label` field: up to 40 characters).
pub const MAX_LABEL: usize = 40;

/// The most bytes a batch of items may hold (`ItemBatcher`'s `MaxInputBytesPerBatch`:
/// up to 256 KiB).
pub const MAX_BATCH_BYTES: u32 = 262_144;

/// Characters a Map Run's `Label` may not hold besides whitespace and control characters
/// (the guide's `Label` field).
const LABEL_FORBIDDEN: &[char] = &[
    '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',',
    ';', ':', '/',
];

/// Where a bucket sits in the definition and in the grants.
#[derive(Clone, Debug)]
struct BucketUse {
    name: Value<Str>,
    target: Target<grants::on::Bucket>,
    resource: Option<ResourceRef>,
}

impl BucketUse {
    fn of(bucket: &impl MapBucket) -> Self {
        BucketUse {
            name: bucket.map_bucket_name(),
            target: bucket.map_bucket_target(),
            resource: bucket.map_bucket_resource(),
        }
    }

    /// `${Key}`: the bucket's name through a definition substitution.
    fn placeholder(&self, render: &mut Render) -> J {
        let key = render.value(self.resource.as_ref(), "Bucket", &self.name);
        json!(format!("${{{key}}}"))
    }

    /// The ARN of the objects under `prefix` (a key when `exact`).
    fn objects(&self, prefix: &str, exact: bool) -> Value<Str> {
        let pattern = if exact {
            prefix.to_string()
        } else {
            format!("{prefix}*")
        };
        crate::sub!(
            "${arn}/${pattern}",
            arn = self.target.arn().clone(),
            pattern = pattern.as_str()
        )
    }
}

/// How the header of a CSV file is found.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvHeader {
    /// The file's first line names the columns (`FIRST_ROW`).
    FirstRow,
    /// These names, in order: the file has no header line (`GIVEN`).
    Given(Vec<String>),
}

#[derive(Clone, Debug)]
enum Source {
    /// `s3:listObjectsV2` over a prefix: each object is an item.
    Objects { prefix: String },
    /// `s3:getObject` of a JSON array: each element is an item.
    Json { key: String },
    /// `s3:getObject` of a CSV file: each row is an item.
    Csv { key: String, header: CsvHeader },
}

/// Where a [`DistributedMap`] reads its items from in S3 (`ItemReader`).
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::Bucket;
/// use nephos::constructs::state_machine::{CsvHeader, ItemReader};
/// let mut stack = Stack::new("App");
/// let data = stack.add("Data", Bucket::new());
/// let objects = ItemReader::objects(&data).prefix("incoming/");
/// let rows = ItemReader::csv(&data, "orders.csv", CsvHeader::FirstRow).max_items(1000);
/// # let _ = (objects, rows, ItemReader::json(&data, "orders.json"));
/// ```
#[derive(Clone, Debug)]
pub struct ItemReader {
    bucket: BucketUse,
    source: Source,
    max_items: Option<u32>,
}

impl ItemReader {
    /// Each object of `bucket` is an item (its key, size, ETag and last-modified time),
    /// listed with `ListObjectsV2`; [`prefix`](ItemReader::prefix) narrows the list. The
    /// role may list the bucket.
    pub fn objects(bucket: &impl MapBucket) -> Self {
        ItemReader {
            bucket: BucketUse::of(bucket),
            source: Source::Objects {
                prefix: String::new(),
            },
            max_items: None,
        }
    }

    /// Each element of the JSON array in object `key` is an item. The role may read
    /// that object.
    pub fn json(bucket: &impl MapBucket, key: impl Into<String>) -> Self {
        ItemReader {
            bucket: BucketUse::of(bucket),
            source: Source::Json { key: key.into() },
            max_items: None,
        }
    }

    /// Each row of the CSV file in object `key` is an item, its columns named by
    /// `header`. The role may read that object.
    pub fn csv(bucket: &impl MapBucket, key: impl Into<String>, header: CsvHeader) -> Self {
        ItemReader {
            bucket: BucketUse::of(bucket),
            source: Source::Csv {
                key: key.into(),
                header,
            },
            max_items: None,
        }
    }

    /// Lists only the objects whose key starts with `prefix` (for
    /// [`objects`](ItemReader::objects); the role may list that prefix only).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        if let Source::Objects { prefix: p } = &mut self.source {
            *p = prefix.into();
        }
        self
    }

    /// Reads at most `n` items (`ReaderConfig.MaxItems`).
    pub fn max_items(mut self, n: u32) -> Self {
        self.max_items = Some(n);
        self
    }

    fn write(&self, render: &mut Render) -> J {
        let bucket = self.bucket.placeholder(render);
        let mut config = JMap::new();
        let (api, parameters) = match &self.source {
            Source::Objects { prefix } => {
                let mut p = json!({"Bucket": bucket});
                if !prefix.is_empty() {
                    p["Prefix"] = json!(prefix);
                }
                ("s3:listObjectsV2", p)
            }
            Source::Json { key } => {
                config.insert("InputType".into(), json!("JSON"));
                ("s3:getObject", json!({"Bucket": bucket, "Key": key}))
            }
            Source::Csv { key, header } => {
                config.insert("InputType".into(), json!("CSV"));
                match header {
                    CsvHeader::FirstRow => {
                        config.insert("CSVHeaderLocation".into(), json!("FIRST_ROW"));
                    }
                    CsvHeader::Given(names) => {
                        config.insert("CSVHeaderLocation".into(), json!("GIVEN"));
                        config.insert("CSVHeaders".into(), json!(names));
                    }
                }
                ("s3:getObject", json!({"Bucket": bucket, "Key": key}))
            }
        };
        if let Some(n) = self.max_items {
            config.insert("MaxItems".into(), json!(n));
        }
        let mut reader = json!({"Resource": resource(render, api, ""), "Parameters": parameters});
        if !config.is_empty() {
            reader["ReaderConfig"] = J::Object(config);
        }
        reader
    }

    fn problems(&self, out: &mut Vec<String>) {
        match &self.source {
            Source::Objects { .. } => {}
            Source::Json { key } | Source::Csv { key, .. } => {
                key_problem("item reader's", key, out)
            }
        }
        if let Source::Csv {
            header: CsvHeader::Given(names),
            ..
        } = &self.source
        {
            if names.is_empty() {
                out.push("its CSV header is `Given` with no column names".to_string());
            }
            for (i, a) in names.iter().enumerate() {
                if names[..i].contains(a) {
                    out.push(format!(
                        "its CSV header names the column `{}` twice",
                        a.escape_debug()
                    ));
                }
            }
        }
        if self.max_items == Some(0) {
            out.push(
                "its item reader reads at most 0 items (`max_items` takes 1 or more)".to_string(),
            );
        }
    }

    fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        let target = &self.bucket.target;
        match &self.source {
            Source::Objects { prefix } => {
                let mut list = Grant::new("listing the items' bucket")
                    .actions(&["s3:ListBucket"])
                    .on(target.arn().clone());
                if !prefix.is_empty() {
                    list = list.condition("StringLike", "s3:prefix", format!("{prefix}*"));
                }
                grants::grant(stack, grantee, list);
            }
            Source::Json { key } | Source::Csv { key, .. } => {
                grants::grant(
                    stack,
                    grantee,
                    Grant::new("reading the items' object")
                        .actions(&["s3:GetObject"])
                        .on(self.bucket.objects(key, true)),
                );
                grants::key::cover(stack, grantee, target, actions::KMS_READ, "s3");
            }
        }
    }
}

/// Where a [`DistributedMap`] writes its results: a prefix of a bucket (`ResultWriter`).
#[derive(Clone, Debug)]
struct ResultWriter {
    bucket: BucketUse,
    prefix: String,
}

impl ResultWriter {
    fn write(&self, render: &mut Render) -> J {
        let bucket = self.bucket.placeholder(render);
        json!({
            "Resource": resource(render, "s3:putObject", ""),
            "Parameters": {"Bucket": bucket, "Prefix": self.prefix},
        })
    }

    fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        let objects = self.bucket.objects(&self.prefix, false);
        grants::grant(
            stack,
            grantee,
            Grant::new("writing the map run's results")
                .actions(actions::S3_PUT)
                .actions(&["s3:GetObject"])
                .on(objects),
        );
        grants::key::cover(
            stack,
            grantee,
            &self.bucket.target,
            actions::KMS_READ_WRITE,
            "s3",
        );
    }
}

flow_options!(DistributedMap);

/// How each child workflow runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChildExecution {
    /// Standard child workflows (exactly once, up to a year).
    #[default]
    Standard,
    /// Express child workflows (at least once, up to five minutes, billed by duration).
    Express,
}

/// Runs `processor` as a child workflow execution for each item (or batch of items), up
/// to [`MAX_CHILD_CONCURRENCY`] at a time: a Map state in Distributed mode. The items
/// are the input's array (at [`items_path`](DistributedMap::items_path)) or what an
/// [`ItemReader`] reads from S3; the results are the array of the children's results, or
/// go to S3 with [`results_to`](DistributedMap::results_to).
///
/// The state machine's role may start executions of its own state machine and describe
/// and stop its child executions (a policy of its own, `<Id>MapRuns`), read what the
/// reader reads and write where the results go.
///
/// ```
/// use nephos::Stack;
/// use nephos::constructs::{Bucket, Code, Function, Runtime, StateMachine};
/// use nephos::constructs::state_machine::{Definition, DistributedMap, ItemReader, Task};
/// let mut stack = Stack::new("App");
/// let data = stack.add("Data", Bucket::new());
/// let resize = stack.add("Resize", Function::new(Runtime::Python312, "index.handler", Code::inline("...")));
/// let each = Definition::new("Resize").state("Resize", Task::invoke(&resize));
/// let flow = Definition::new("All").state(
///     "All",
///     DistributedMap::new(each)
///         .items_from(ItemReader::objects(&data).prefix("incoming/"))
///         .results_to(&data, "results/")
///         .max_concurrency(100)
///         .tolerated_failure_percentage(5.0),
/// );
/// stack.add("Thumbnails", StateMachine::new(flow));
/// let t = stack.synth().unwrap();
/// let state = &t.json()["Resources"]["Thumbnails"]["Properties"]["Definition"]["States"]["All"];
/// assert_eq!(state["ItemProcessor"]["ProcessorConfig"]["Mode"], "DISTRIBUTED");
/// assert!(t.json()["Resources"]["ThumbnailsMapRuns"].is_object());
/// ```
#[derive(Clone, Debug)]
pub struct DistributedMap {
    pub(super) processor: Definition,
    children: ChildExecution,
    items_path: Option<String>,
    reader: Option<ItemReader>,
    writer: Option<ResultWriter>,
    max_concurrency: Option<u32>,
    tolerated_percentage: Option<f64>,
    tolerated_count: Option<u32>,
    label: Option<String>,
    batch_items: Option<u32>,
    batch_bytes: Option<u32>,
    pub(super) flow: Flow,
}

impl DistributedMap {
    /// Runs `processor` as a Standard child workflow for each item of the input (an
    /// array, or the one at [`items_path`](DistributedMap::items_path)).
    pub fn new(processor: Definition) -> Self {
        DistributedMap {
            processor,
            children: ChildExecution::Standard,
            items_path: None,
            reader: None,
            writer: None,
            max_concurrency: None,
            tolerated_percentage: None,
            tolerated_count: None,
            label: None,
            batch_items: None,
            batch_bytes: None,
            flow: Flow::default(),
        }
    }

    /// How each child workflow runs (Standard unless set).
    pub fn children(mut self, kind: ChildExecution) -> Self {
        self.children = kind;
        self
    }

    /// The items are the array at `path` of the input (`$.orders`).
    pub fn items_path(mut self, path: impl Into<String>) -> Self {
        self.items_path = Some(path.into());
        self
    }

    /// The items are what `reader` reads from S3.
    pub fn items_from(mut self, reader: ItemReader) -> Self {
        self.reader = Some(reader);
        self
    }

    /// Writes the children's results to `bucket` under `prefix` (a manifest and result
    /// files) instead of returning them; the role may write there.
    pub fn results_to(mut self, bucket: &impl MapBucket, prefix: impl Into<String>) -> Self {
        self.writer = Some(ResultWriter {
            bucket: BucketUse::of(bucket),
            prefix: prefix.into(),
        });
        self
    }

    /// At most `n` child executions at a time (1 to [`MAX_CHILD_CONCURRENCY`]; that many
    /// unless set).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }

    /// The map run fails only when more than `percent` (0 to 100) of the items failed
    /// (0 unless set: one failed item fails it).
    pub fn tolerated_failure_percentage(mut self, percent: f64) -> Self {
        self.tolerated_percentage = Some(percent);
        self
    }

    /// The map run fails only when more than `n` items failed.
    pub fn tolerated_failure_count(mut self, n: u32) -> Self {
        self.tolerated_count = Some(n);
        self
    }

    /// Names the map runs of this state (their ARNs and the console show it).
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Gives each child a batch of at most `n` items (`ItemBatcher.MaxItemsPerBatch`).
    pub fn batch_items(mut self, n: u32) -> Self {
        self.batch_items = Some(n);
        self
    }

    /// Gives each child a batch of at most `bytes` bytes of items (up to
    /// [`MAX_BATCH_BYTES`]).
    pub fn batch_bytes(mut self, bytes: u32) -> Self {
        self.batch_bytes = Some(bytes);
        self
    }

    pub(super) fn problems(&self, out: &mut Vec<String>) {
        self.flow.problems(out);
        if let Some(p) = &self.items_path {
            path_problem("ItemsPath", p, out);
            if self.reader.is_some() {
                out.push("it has both an `items_path` and an item reader: its items come from one of them".to_string());
            }
        }
        if let Some(r) = &self.reader {
            r.problems(out);
        }
        if let Some(w) = &self.writer
            && w.prefix.chars().any(char::is_control)
        {
            out.push("its results prefix holds control characters".to_string());
        }
        match self.max_concurrency {
            Some(0) => out.push(format!(
                "its `max_concurrency` is 0; leave it unset for {MAX_CHILD_CONCURRENCY}, or give 1 to {MAX_CHILD_CONCURRENCY}"
            )),
            Some(n) if n > MAX_CHILD_CONCURRENCY => out.push(format!(
                "its `max_concurrency` is {n}; a Distributed Map runs at most {MAX_CHILD_CONCURRENCY} child executions at once"
            )),
            _ => {}
        }
        if let Some(p) = self.tolerated_percentage
            && !(0.0..=100.0).contains(&p)
        {
            out.push(format!(
                "its tolerated failure percentage is {p}; Step Functions takes 0 to 100"
            ));
        }
        if let Some(label) = &self.label {
            let n = label.chars().count();
            if n == 0 || n > MAX_LABEL {
                out.push(format!(
                    "its label is {n} characters; Step Functions takes 1 to {MAX_LABEL}"
                ));
            }
            if let Some(c) = label
                .chars()
                .find(|c| c.is_whitespace() || c.is_control() || LABEL_FORBIDDEN.contains(c))
            {
                out.push(format!(
                    "its label `{}` holds `{}`, which a map run's label may not (no whitespace, control characters or any of `{}`)",
                    label.escape_debug(),
                    c.escape_debug(),
                    LABEL_FORBIDDEN.iter().collect::<String>()
                ));
            }
        }
        if self.batch_items == Some(0) {
            out.push(
                "its batches hold at most 0 items (`batch_items` takes 1 or more)".to_string(),
            );
        }
        match self.batch_bytes {
            Some(0) => out.push("its batches hold at most 0 bytes (`batch_bytes` takes 1 or more)".to_string()),
            Some(b) if b > MAX_BATCH_BYTES => out.push(format!(
                "its batches hold at most {b} bytes; Step Functions takes up to {MAX_BATCH_BYTES} (256 KiB)"
            )),
            _ => {}
        }
    }

    /// Writes its fields but `Type`; its item processor through `render`.
    pub(super) fn write(&self, m: &mut JMap<String, J>, render: &mut Render) {
        let mut processor = self.processor.to_json(render);
        let execution = match self.children {
            ChildExecution::Standard => "STANDARD",
            ChildExecution::Express => "EXPRESS",
        };
        processor["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": execution});
        m.insert("ItemProcessor".into(), processor);
        if let Some(p) = &self.items_path {
            m.insert("ItemsPath".into(), json!(p));
        }
        if let Some(r) = &self.reader {
            m.insert("ItemReader".into(), r.write(render));
        }
        if let Some(w) = &self.writer {
            m.insert("ResultWriter".into(), w.write(render));
        }
        if let Some(n) = self.max_concurrency {
            m.insert("MaxConcurrency".into(), json!(n));
        }
        if let Some(p) = self.tolerated_percentage {
            m.insert("ToleratedFailurePercentage".into(), json!(p));
        }
        if let Some(n) = self.tolerated_count {
            m.insert("ToleratedFailureCount".into(), json!(n));
        }
        if let Some(l) = &self.label {
            m.insert("Label".into(), json!(l));
        }
        if self.batch_items.is_some() || self.batch_bytes.is_some() {
            let mut b = JMap::new();
            if let Some(n) = self.batch_items {
                b.insert("MaxItemsPerBatch".into(), json!(n));
            }
            if let Some(n) = self.batch_bytes {
                b.insert("MaxInputBytesPerBatch".into(), json!(n));
            }
            m.insert("ItemBatcher".into(), J::Object(b));
        }
        self.flow.write(m);
    }

    /// Grants what its reader reads and its writer writes (the child executions'
    /// permissions are the state machine's: see [`super::StateMachine`]).
    pub(super) fn grant(&self, stack: &mut Stack, grantee: &impl Grantee) {
        if let Some(r) = &self.reader {
            r.grant(stack, grantee);
        }
        if let Some(w) = &self.writer {
            w.grant(stack, grantee);
        }
    }
}

fn key_problem(what: &str, key: &str, out: &mut Vec<String>) {
    if key.is_empty() {
        out.push(format!("its {what} object key is empty"));
    } else if key.chars().any(char::is_control) {
        out.push(format!("its {what} object key holds control characters"));
    }
}
