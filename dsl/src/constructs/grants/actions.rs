//! The IAM actions each grant allows, one table per service, as data: reviewing a
//! grant means reading these lists, and a change to them shows in every snapshot. They
//! are public so a construct written outside nephos grants exactly what the built-in
//! ones do (give them to [`Grant::actions`](super::Grant::actions)).

/// DynamoDB: reading items (and describing the table, which SDKs do on start).
pub const DYNAMODB_READ: &[&str] = &[
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
];

/// DynamoDB: writing items.
pub const DYNAMODB_WRITE: &[&str] = &[
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];

/// DynamoDB Streams: reading a table's stream (what an event source mapping needs).
pub const DYNAMODB_STREAM_READ: &[&str] = &[
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
];

/// DynamoDB Streams: listing streams has no resource-level permission.
pub const DYNAMODB_LIST_STREAMS: &[&str] = &["dynamodb:ListStreams"];

/// Kinesis: reading a stream's records, what an event source mapping needs (the
/// resource-level actions of AWS's `AWSLambdaKinesisExecutionRole`; `ListStreams` has
/// no resource and polling does not need it).
pub const KINESIS_READ: &[&str] = &[
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
    "kinesis:SubscribeToShard",
];

/// Kinesis: writing records.
pub const KINESIS_WRITE: &[&str] = &[
    "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
];

/// S3: reading objects.
pub const S3_READ_OBJECTS: &[&str] = &["s3:GetObject", "s3:GetObjectVersion"];

/// S3: listing the bucket and finding its region (bucket-level actions). SDKs and tools
/// call `GetBucketLocation` to find a bucket's region before using it (the AWS CLI's
/// `s3 sync`, Hadoop's S3A, older SDK versions), and `HeadBucket` needs `ListBucket`.
pub const S3_LIST: &[&str] = &["s3:GetBucketLocation", "s3:ListBucket"];

/// S3: what writers need on the bucket itself: its region (see [`S3_LIST`]).
pub const S3_LOCATE: &[&str] = &["s3:GetBucketLocation"];

/// S3: writing objects, multipart uploads included (SDK transfer managers list the parts
/// already uploaded to resume, and abort what they cannot finish).
pub const S3_PUT: &[&str] = &[
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
];

/// S3: deleting objects.
pub const S3_DELETE: &[&str] = &["s3:DeleteObject", "s3:DeleteObjectVersion"];

/// SNS: publishing to a topic.
pub const SNS_PUBLISH: &[&str] = &["sns:Publish"];

/// SQS, what API Gateway's `SQS-SendMessage` integration calls (API Gateway Developer
/// Guide, "Integration subtype reference": the subtype is the `SendMessage` action), and
/// nothing else.
pub const SQS_SEND_MESSAGE: &[&str] = &["sqs:SendMessage"];

/// SQS: sending messages.
pub const SQS_SEND: &[&str] = &[
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:SendMessage",
];

/// SQS: receiving and deleting messages (what an event source mapping needs).
pub const SQS_CONSUME: &[&str] = &[
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
];

/// Lambda: invoking a function.
pub const LAMBDA_INVOKE: &[&str] = &["lambda:InvokeFunction"];

/// Lambda: calling a function URL whose auth type is `AWS_IAM`.
pub const LAMBDA_INVOKE_URL: &[&str] = &["lambda:InvokeFunctionUrl"];

/// EventBridge: putting events on a bus (what a Lambda destination on a bus needs).
pub const EVENTS_PUT_EVENTS: &[&str] = &["events:PutEvents"];

/// API Gateway: calling an API's IAM-authorized methods or routes (SigV4-signed
/// requests), checked by API Gateway against the caller's policies.
pub const EXECUTE_API_INVOKE: &[&str] = &["execute-api:Invoke"];

/// Step Functions: starting an execution of a state machine (what API Gateway's
/// `StepFunctions-StartExecution` integration calls), and nothing else.
pub const STATES_START_EXECUTION: &[&str] = &["states:StartExecution"];

/// Step Functions: what a worker answering a task token calls (success, failure, and
/// heartbeats of a task with a heartbeat timeout).
pub const STATES_TASK_RESPONSE: &[&str] = &[
    "states:SendTaskFailure",
    "states:SendTaskHeartbeat",
    "states:SendTaskSuccess",
];

/// DynamoDB: writing one item (a REST API's `PutItem` integration), and nothing else.
pub const DYNAMODB_PUT_ITEM: &[&str] = &["dynamodb:PutItem"];

/// DynamoDB: reading one item by its key (a REST API's `GetItem` integration).
pub const DYNAMODB_GET_ITEM: &[&str] = &["dynamodb:GetItem"];

/// DynamoDB: querying a table or index by partition key (a REST API's `Query`
/// integration).
pub const DYNAMODB_QUERY: &[&str] = &["dynamodb:Query"];

/// CloudWatch Logs: writing a function's log streams (its log group exists already).
pub const LOGS_WRITE: &[&str] = &["logs:CreateLogStream", "logs:PutLogEvents"];

/// KMS, reading what a customer-managed key encrypts: SQS receive, S3 get, DynamoDB
/// reads and stream reads (AWS docs: "Key management" for SQS, "Using server-side
/// encryption with AWS KMS keys" for S3, "How Amazon DynamoDB uses AWS KMS").
pub const KMS_READ: &[&str] = &["kms:Decrypt", "kms:DescribeKey"];

/// KMS, writing DynamoDB items under a customer-managed key (same DynamoDB page).
pub const KMS_READ_WRITE: &[&str] = &[
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
];

/// KMS, producing into an encrypted queue, topic or bucket: a data key per message or
/// object, and decrypting it (AWS docs: SQS "Key management", SNS "Encryption at rest",
/// S3 multipart uploads).
pub const KMS_PRODUCE: &[&str] = &["kms:Decrypt", "kms:GenerateDataKey"];

/// KMS, what a service principal delivering into an encrypted queue or topic needs in
/// the key's policy (S3 event notifications, SNS to SQS: same AWS pages).
pub const KMS_SERVICE_DELIVERY: &[&str] = &["kms:Decrypt", "kms:GenerateDataKey*"];

/// KMS, encrypting with a key directly: encrypting, re-encrypting under it and making
/// data keys (AWS KMS Developer Guide, "Permissions reference": `Encrypt`,
/// `ReEncryptFrom`/`ReEncryptTo`, `GenerateDataKey`, `GenerateDataKeyWithoutPlaintext`,
/// `GenerateDataKeyPair*`).
pub const KMS_ENCRYPT: &[&str] = &["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

/// KMS, what writing a `SecureString` parameter under a customer-managed key needs:
/// `kms:Encrypt` for a standard parameter, `kms:GenerateDataKey` for an advanced one
/// (AWS Systems Manager User Guide, "How AWS Systems Manager Parameter Store uses AWS KMS").
pub const KMS_PARAMETER_WRITE: &[&str] = &["kms:Encrypt", "kms:GenerateDataKey"];

/// KMS, decrypting with a key directly (or what a service decrypts on a reader's
/// behalf, such as Secrets Manager reading a secret: AWS Secrets Manager User Guide,
/// "Secret encryption and decryption").
pub const KMS_DECRYPT: &[&str] = &["kms:Decrypt"];

/// Secrets Manager: reading a secret's value and metadata (AWS Secrets Manager User
/// Guide, "Permissions reference": `GetSecretValue`, `DescribeSecret`).
pub const SECRETSMANAGER_READ: &[&str] = &[
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
];

/// Secrets Manager: writing a new value of a secret and changing its settings.
pub const SECRETSMANAGER_WRITE: &[&str] = &[
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecret",
];

/// KMS, what a writer of a secret under a customer-managed key needs: Secrets Manager
/// makes a data key for each new value and decrypts the current one (same page).
pub const KMS_SECRET_WRITE: &[&str] = &["kms:Decrypt", "kms:GenerateDataKey"];

/// SSM Parameter Store: reading a parameter and its history (AWS Systems Manager User
/// Guide, "Restricting access to Parameter Store parameters using IAM policies";
/// `DescribeParameters` has no resource-level permission and is not granted).
pub const SSM_READ: &[&str] = &[
    "ssm:GetParameter",
    "ssm:GetParameterHistory",
    "ssm:GetParameters",
];

/// SSM Parameter Store: writing a new version of a parameter.
pub const SSM_WRITE: &[&str] = &["ssm:PutParameter"];

/// Step Functions: what a state machine's role needs to log to CloudWatch Logs. These
/// log-delivery actions take no resource-level permissions, so the resource is `*`
/// (AWS Step Functions Developer Guide, "IAM Policies for logging to CloudWatch Logs").
pub const STATES_LOG_DELIVERY: &[&str] = &[
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
];
