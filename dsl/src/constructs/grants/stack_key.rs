//! The customer-managed KMS key a resource of the stack is encrypted with, read from its
//! properties when a grant on it is made (so a grant on a generated handle covers the key
//! as a construct's grant does). The properties read, per type, are those of the
//! CloudFormation resource specification (`dsl/schemas/`): `KmsMasterKeyId` of a queue or
//! topic, `KmsKeyId` of a Secrets Manager secret, `SSESpecification.KMSMasterKeyId` of a table,
//! `BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.
//! KMSMasterKeyID` of a bucket, `StreamEncryption.KeyId` of a Kinesis stream. A key given as
//! a key ID, a key ARN, a reference to an `AWS::KMS::Key` of the stack or to an
//! `AWS::KMS::Alias` of the stack pointing at one is granted on by the key's ARN; an AWS
//! managed key (`alias/aws/...`, or encryption with no key named) needs no grant. Anything
//! else (another alias, a computed value of unknown form) cannot be turned into the key's
//! ARN: `Err` with why.

use crate::constructs::grants::encryption_key::{EncryptionKey, Form};
use crate::kinds::{KmsKeyArn, KmsKeyId};
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, TargetKind};
use crate::value::merge_into;
use crate::value::value::Value;

/// The key of `resource`: `Ok(None)` when it has none or an AWS managed one.
pub(crate) fn key_of(
    stack: &Stack,
    resource: &ResourceRef,
) -> Result<Option<Value<KmsKeyArn>>, String> {
    let Some(entry) = stack.entry(&resource.target) else {
        return Ok(None);
    };
    let props = &entry.props.map;
    let (path, key) = match entry.type_name.as_str() {
        "AWS::SQS::Queue" | "AWS::SNS::Topic" => {
            ("KmsMasterKeyId", props.get("KmsMasterKeyId").cloned())
        }
        "AWS::SecretsManager::Secret" => ("KmsKeyId", props.get("KmsKeyId").cloned()),
        "AWS::DynamoDB::Table" => {
            let path = "SSESpecification.KMSMasterKeyId";
            let Some(sse) = props.get("SSESpecification") else {
                return Ok(None);
            };
            let mut sse = sse.clone();
            let shown = merge_into::computed(&sse);
            match merge_into::object(&mut sse) {
                None => return Err(format!("its `SSESpecification` is {shown}")),
                Some(sse) => (path, sse.get("KMSMasterKeyId").cloned()),
            }
        }
        "AWS::Kinesis::Stream" => {
            let path = "StreamEncryption.KeyId";
            let Some(enc) = props.get("StreamEncryption") else {
                return Ok(None);
            };
            let mut enc = enc.clone();
            let shown = merge_into::computed(&enc);
            match merge_into::object(&mut enc) {
                None => return Err(format!("its `StreamEncryption` is {shown}")),
                Some(enc) => (path, enc.get("KeyId").cloned()),
            }
        }
        "AWS::S3::Bucket" => {
            let path = "BucketEncryption.ServerSideEncryptionConfiguration";
            let Some(enc) = props.get("BucketEncryption") else {
                return Ok(None);
            };
            let mut enc = enc.clone();
            let shown = merge_into::computed(&enc);
            let Some(rules) = merge_into::object(&mut enc)
                .and_then(|m| m.get_mut("ServerSideEncryptionConfiguration"))
            else {
                return Err(format!("its `BucketEncryption` is {shown}"));
            };
            let shown = merge_into::computed(rules);
            let Some(rules) = merge_into::array(rules) else {
                return Err(format!("its `{path}` is {shown}"));
            };
            let mut keys = Vec::new();
            for rule in rules.iter_mut() {
                let shown = merge_into::computed(rule);
                let Some(default) = merge_into::object(rule)
                    .map(|m| m.get("ServerSideEncryptionByDefault").cloned())
                else {
                    return Err(format!("a rule of its `{path}` is {shown}"));
                };
                let mut default = default.unwrap_or(Expr::Object(Default::default()));
                let shown = merge_into::computed(&default);
                let Some(default) = merge_into::object(&mut default) else {
                    return Err(format!(
                        "a rule's `ServerSideEncryptionByDefault` is {shown}"
                    ));
                };
                if let Some(k) = default.get("KMSMasterKeyID") {
                    keys.push(k.clone());
                }
            }
            if keys.len() > 1 {
                return Err(format!("its `{path}` names {} keys", keys.len()));
            }
            (path, keys.pop())
        }
        _ => return Ok(None),
    };
    match key {
        None | Some(Expr::NoValue) => Ok(None),
        Some(key) => as_key_arn(stack, &key, 0).map_err(|why| format!("its `{path}` {why}")),
    }
}

/// The secrets a service creates and manages for a resource, `(type, attribute that is
/// the secret's ARN, property naming the KMS key that encrypts it)`, from the CloudFormation
/// resource specification (`dsl/schemas/`): RDS's managed master user secret
/// (`MasterUserSecret.KmsKeyId`), Redshift's managed admin password
/// (`MasterPasswordSecretKmsKeyId`), an EventBridge connection's secret
/// (`KmsKeyIdentifier`).
const MANAGED_SECRETS: &[(&str, &str, &str)] = &[
    ("AWS::Events::Connection", "SecretArn", "KmsKeyIdentifier"),
    (
        "AWS::RDS::DBCluster",
        "MasterUserSecret.SecretArn",
        "MasterUserSecret.KmsKeyId",
    ),
    (
        "AWS::RDS::DBInstance",
        "MasterUserSecret.SecretArn",
        "MasterUserSecret.KmsKeyId",
    ),
    (
        "AWS::Redshift::Cluster",
        "MasterPasswordSecretArn",
        "MasterPasswordSecretKmsKeyId",
    ),
];

/// The key of a target known by ARN whose ARN is an attribute of a resource of the stack:
/// `None` when the ARN is no such attribute (nothing to read); the key the resource names
/// for a managed secret ([`MANAGED_SECRETS`]); for any other attribute of a resource of the
/// stack granted as a secret (`service` `secretsmanager`), an `Err`: the secret's key is
/// not known, and a grant without it would fail at run time.
pub(crate) fn attribute_key(
    stack: &Stack,
    arn: &Expr,
    service: &str,
) -> Option<Result<Option<Value<KmsKeyArn>>, String>> {
    let Expr::GetAtt(t, attribute) = arn else {
        return None;
    };
    if t.kind != TargetKind::Resource {
        return None;
    }
    let entry = stack.entry(t)?;
    let Some((_, _, path)) = MANAGED_SECRETS
        .iter()
        .find(|(ty, a, _)| *ty == entry.type_name && *a == &**attribute)
    else {
        return (service == "secretsmanager").then(|| {
            Err(format!(
                "it is the attribute `{attribute}` of `{}` ({}), whose encryption key nephos does not know",
                t.id, entry.type_name
            ))
        });
    };
    let mut at: Option<Expr> = None;
    for (i, name) in path.split('.').enumerate() {
        let next = if i == 0 {
            entry.props.map.get(name).cloned()
        } else {
            let mut object = at.take()?;
            let shown = merge_into::computed(&object);
            match merge_into::object(&mut object) {
                Some(map) => map.get(name).cloned(),
                None => return Some(Err(format!("its `{path}` is in {shown}"))),
            }
        };
        match next {
            Some(e) => at = Some(e),
            None => return Some(Ok(None)),
        }
    }
    match at {
        None | Some(Expr::NoValue) => Some(Ok(None)),
        Some(key) => {
            Some(as_key_arn(stack, &key, 0).map_err(|why| format!("`{}`'s `{path}` {why}", t.id)))
        }
    }
}

/// The property of a resource of type `type_name` naming its KMS key, as a dotted path
/// (what [`key_of`] reads), for the types grants read a key of.
pub(crate) fn key_property(type_name: &str) -> Option<&'static str> {
    match type_name {
        "AWS::SQS::Queue" | "AWS::SNS::Topic" => Some("KmsMasterKeyId"),
        "AWS::SecretsManager::Secret" => Some("KmsKeyId"),
        "AWS::DynamoDB::Table" => Some("SSESpecification.KMSMasterKeyId"),
        "AWS::Kinesis::Stream" => Some("StreamEncryption.KeyId"),
        "AWS::S3::Bucket" => Some("BucketEncryption.ServerSideEncryptionConfiguration"),
        _ => None,
    }
}

/// The ARN of a key given to a grant (a construct's `.kms_key()`,
/// [`Target::encrypted_with`](super::Target::encrypted_with)), read like a key named by
/// a resource's properties: a literal or a reference to a resource of the stack by what it
/// is ([`as_key_arn`]). A value computed at deploy time (a parameter, an import) is read by
/// the kind it was given as: a key ARN as is, a key ID as the ARN of that key in the stack's
/// account and region (where the service resolves an ID); an alias, or a union kind that
/// may be one, is refused.
pub(crate) fn given_key_arn(
    stack: &Stack,
    key: &EncryptionKey,
) -> Result<Option<Value<KmsKeyArn>>, String> {
    let expr = &key.value().expr;
    let known_here = match expr {
        Expr::Lit(_) => true,
        Expr::Ref(t) | Expr::GetAtt(t, _) => t.kind == TargetKind::Resource,
        _ => false,
    };
    if known_here {
        return as_key_arn(stack, expr, 0).map_err(|why| format!("its key {why}"));
    }
    let shown = merge_into::computed(expr);
    match key.form() {
        Form::Arn => Ok(Some(key.value().clone().cast())),
        Form::Id => Ok(Some(arn_of_key_id(key.value().clone().cast()))),
        Form::AliasName => Err(format!(
            "its key is an alias name, {shown}: IAM authorizes a key's use on the key's ARN, which an alias does not give"
        )),
        Form::Unknown => Err(format!(
            "its key is {shown}, of a kind that may be an alias, so nephos cannot tell which key's ARN to grant on"
        )),
    }
}

/// The ARN of the key with ID `id` in the stack's account and region: a service given a
/// key ID looks it up there (a key of another account is named by its ARN).
fn arn_of_key_id(id: Value<KmsKeyId>) -> Value<KmsKeyArn> {
    crate::sub!(
        "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${id}",
        id = id
    )
    .cast()
}

/// The ARN of the key `key` names, `None` for an AWS managed key: a literal key ARN as
/// is, a literal key ID as its ARN in the stack's account and region, an AWS managed alias
/// (`alias/aws/...`, by name or ARN) as none; the ID or ARN of an `AWS::KMS::Key` of the
/// stack as its ARN; an `AWS::KMS::Alias` of the stack as the key its `TargetKeyId` names
/// (`depth` bounds that step to one). Any other alias is an `Err` (IAM authorizes on the
/// key's ARN; nephos does not grant on every key instead), as is any other value.
fn as_key_arn(stack: &Stack, key: &Expr, depth: u8) -> Result<Option<Value<KmsKeyArn>>, String> {
    match key {
        Expr::Lit(serde_json::Value::String(s)) => {
            let alias = s.strip_prefix("alias/").or_else(|| {
                s.starts_with("arn:")
                    .then(|| s.split_once(":alias/").map(|(_, a)| a))
                    .flatten()
            });
            match alias {
                Some(a) if a.starts_with("aws/") => Ok(None),
                Some(_) => Err(format!(
                    "is the alias `{}`: IAM authorizes a key's use on the key's ARN, which an alias does not give (nephos does not grant on every key instead)",
                    s.escape_debug()
                )),
                None if s.starts_with("arn:") && s.contains(":key/") => {
                    Ok(Some(Value::literal(s.as_str())))
                }
                None if !s.is_empty() && !s.contains([':', '/']) => {
                    Ok(Some(arn_of_key_id(Value::from_expr(key.clone()))))
                }
                None => Err(format!(
                    "is `{}`, not a key ID or key ARN",
                    s.escape_debug()
                )),
            }
        }
        Expr::GetAtt(t, _) | Expr::Ref(t) if t.kind == TargetKind::Resource => {
            let entry = stack.entry(t);
            let type_name = entry.map(|e| e.type_name.as_str());
            // An alias of the stack (its `Ref` is its name) stands for the key it points
            // at, which a grant can name.
            if type_name == Some("AWS::KMS::Alias") && matches!(key, Expr::Ref(_)) && depth == 0 {
                return match entry.and_then(|e| e.props.map.get("TargetKeyId")) {
                    Some(target) => as_key_arn(stack, target, depth + 1).map_err(|why| {
                        format!("is the alias `{}`, whose `TargetKeyId` {why}", t.id)
                    }),
                    None => Err(format!(
                        "is the alias `{}`, which names no `TargetKeyId`",
                        t.id
                    )),
                };
            }
            let is_key = type_name == Some("AWS::KMS::Key");
            let is_arn = matches!(key, Expr::Ref(_))
                || matches!(key, Expr::GetAtt(_, a) if &**a == "Arn" || &**a == "KeyId");
            if is_key && is_arn {
                Ok(Some(Value::from_expr(Expr::GetAtt(
                    t.clone(),
                    "Arn".into(),
                ))))
            } else {
                Err(format!(
                    "refers to `{}`, which is not the ID or ARN of an `AWS::KMS::Key` of this stack",
                    t.id
                ))
            }
        }
        other => Err(format!(
            "is {}, so nephos cannot tell which key's ARN to grant on",
            merge_into::computed(other)
        )),
    }
}
