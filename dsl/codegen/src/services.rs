//! The services nephos generates code for: one cargo feature each on `nephos`.

/// One covered service namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Service {
    /// The second part of the type names, such as `Lambda` in `AWS::Lambda::Function`.
    pub namespace: &'static str,
    /// The module and cargo feature name, such as `lambda`.
    pub module: &'static str,
    /// Whether the feature is in `nephos`'s default features.
    pub default: bool,
}

const fn svc(namespace: &'static str, module: &'static str, default: bool) -> Service {
    Service {
        namespace,
        module,
        default,
    }
}

/// Every covered service. Adding a service is one line here plus its feature in
/// `dsl/Cargo.toml`.
pub const SERVICES: &[Service] = &[
    svc("ApiGateway", "apigateway", true),
    svc("ApiGatewayV2", "apigatewayv2", false),
    svc("CloudWatch", "cloudwatch", false),
    svc("DynamoDB", "dynamodb", true),
    svc("Events", "events", false),
    svc("IAM", "iam", true),
    svc("KMS", "kms", false),
    svc("Lambda", "lambda", true),
    svc("Logs", "logs", true),
    svc("S3", "s3", true),
    svc("SNS", "sns", true),
    svc("SQS", "sqs", true),
    svc("SSM", "ssm", false),
    svc("SecretsManager", "secretsmanager", false),
    svc("StepFunctions", "stepfunctions", false),
];

/// The covered service a type name belongs to, if any.
pub fn service_of(type_name: &str) -> Option<&'static Service> {
    let mut parts = type_name.split("::");
    let (vendor, namespace) = (parts.next()?, parts.next()?);
    if vendor != "AWS" {
        return None;
    }
    SERVICES.iter().find(|s| s.namespace == namespace)
}
