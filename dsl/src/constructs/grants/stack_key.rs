//! The customer-managed KMS key a resource of the stack is encrypted with, read from its
//! properties when a grant on it is made (so a grant on a generated handle covers the key
//! as a construct's grant does). The properties read, per type, are those of the
//! CloudFormation resource specification (`dsl/schemas/`): `KmsMasterKeyId` of a queue or
//! topic, `KmsKeyId` of a Secrets Manager secret, `SSESpecification.KMSMasterKeyId` of a table,
//! `BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.
//! KMSMasterKeyID` of a bucket. A key given as a key ID, a key ARN or a reference to an
//! `AWS::KMS::Key` of the stack is granted on by its ARN; an AWS managed key
//! (`alias/aws/...`, or encryption with no key named) needs no grant. Anything else
//! (another alias, a computed value) cannot be turned into the key's ARN: `Err` with why.

use crate::constructs::wiring::merge_into;
use crate::kinds::KmsKeyArn;
use crate::stack::handle::ResourceRef;
use crate::stack::stack::Stack;
use crate::value::expr::{Expr, TargetKind};
use crate::value::value::Value;

/// The key of `resource`: `Ok(None)` when it has none or an AWS managed one.
pub(crate) fn key_of(
    stack: &Stack,
    resource: &ResourceRef,
) -> Result<Option<Value<KmsKeyArn>>, String> {
    let Some(entry) = stack.resources.iter().find(|e| e.target == resource.target) else {
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
        Some(key) => as_key_arn(stack, &key).map_err(|why| format!("its `{path}` {why}")),
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

/// The ARN of a key given to a grant typed as a key ARN (a construct's `.kms_key()`,
/// [`Target::encrypted_with`](super::Target::encrypted_with)), read like a key named by
/// a resource's properties: a literal key ID becomes its ARN, an AWS managed alias needs
/// no grant, another alias is refused (KMS authorizes on the key's ARN). A computed value
/// is taken as the key ARN its type says it is.
pub(crate) fn given_key_arn(
    stack: &Stack,
    key: &Value<KmsKeyArn>,
) -> Result<Option<Value<KmsKeyArn>>, String> {
    match &key.expr {
        Expr::Lit(_) | Expr::GetAtt(..) | Expr::Ref(_) if !matches!(&key.expr, Expr::Ref(t) | Expr::GetAtt(t, _) if t.kind != TargetKind::Resource) => {
            as_key_arn(stack, &key.expr).map_err(|why| format!("its key {why}"))
        }
        _ => Ok(Some(key.clone())),
    }
}

/// The ARN of the key `key` names, `None` for an AWS managed key.
fn as_key_arn(stack: &Stack, key: &Expr) -> Result<Option<Value<KmsKeyArn>>, String> {
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
                    "is the alias `{}`: IAM authorizes a key's use on the key's ARN, which an alias does not give",
                    s.escape_debug()
                )),
                None if s.starts_with("arn:") && s.contains(":key/") => {
                    Ok(Some(Value::literal(s.as_str())))
                }
                None if !s.is_empty() && !s.contains([':', '/']) => Ok(Some(Value::from_expr(
                    crate::sub!(
                        "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${id}",
                        id = s.as_str()
                    )
                    .expr,
                ))),
                None => Err(format!(
                    "is `{}`, not a key ID or key ARN",
                    s.escape_debug()
                )),
            }
        }
        Expr::GetAtt(t, _) | Expr::Ref(t) if t.kind == TargetKind::Resource => {
            let is_key = stack
                .resources
                .iter()
                .any(|e| e.target == *t && e.type_name == "AWS::KMS::Key");
            let is_arn =
                matches!(key, Expr::Ref(_)) || matches!(key, Expr::GetAtt(_, a) if &**a == "Arn");
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
