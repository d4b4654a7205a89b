#!/usr/bin/env python3
"""Derives the hand-kept supplements in dsl/codegen/data/ from @aws-cdk/aws-service-spec.

The registry schemas lack two facts the generated types need, which the AWS service spec
(Apache-2.0) curates: which attributes Fn::GetAtt really offers beyond readOnlyProperties,
and which resource attribute a string property refers to (its `relationshipRefs`, such as
Lambda's `Role` -> `AWS::IAM::Role.Arn`). (What `Ref` returns, `cfnRefIdentifier`, is vendored
by scripts/refresh_service_spec.py.) This script writes both, for every vendored
type, plus the properties that refer to any of several attributes (`unions`: a DynamoDB table's `SSESpecification.KMSMasterKeyId` is a KMS key's ARN or ID or an
alias name) and the types the spec does not describe (`not_in_spec`: their
attribute lists may be incomplete), to dsl/codegen/data/supplement.json. It is a maintainer's
tool, not part of the build:

    mkdir -p /tmp/svcspec && (cd /tmp/svcspec && npm install @aws-cdk/aws-service-spec@0.1.216)
    .venv/bin/python scripts/spec_supplement.py /tmp/svcspec

`relationshipRefs` also name targets a property is only related to (alarm actions, integration
URIs, a permissions boundary that may be an AWS managed policy). A format is kept only where
the property's name says it holds the target attribute (`names_the_target`); the formats of
the services reviewed by hand (`REVIEWED`) are kept as they are in the supplement.

Only facts are taken (type, property and attribute names); no documentation text.
"""

import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SUPPLEMENT = ROOT / "dsl" / "codegen" / "data" / "supplement.json"
# Services whose formats were reviewed property by property; their entries are kept.
REVIEWED = ["ApiGateway", "ApiGatewayV2", "CloudWatch", "DynamoDB", "Events", "IAM", "KMS",
            "Lambda", "Logs", "S3", "SNS", "SQS", "SSM", "SecretsManager", "StepFunctions"]

# References the AWS CloudFormation User Guide's resource reference pages state in the
# property's description but the service spec gives no `relationshipRefs` for (or, for
# ApiGateway, a reviewed service, were left out of the review): the property holds the value
# of that attribute. Merged over what the spec gives; `Definition.Prop` for nested types.
#   Route 53 RecordSet / RecordSetGroup: "HostedZoneId: The ID of the hosted zone",
#     "HealthCheckId: ... the ID of that health check"; DNSSEC, KeySigningKey,
#     QueryLoggingConfig: "The unique string (ID) used to identify a hosted zone".
#   RDS DBInstance: "OptionGroupName: Indicates that the DB instance should be associated
#     with the specified option group".
#   API Gateway Authorizer: "ProviderARNs: A list of the Amazon Cognito user pool ARNs".
# Not here: API Gateway Authorizer `AuthorizerCredentials` is a role ARN *or* the literal
# `arn:aws:iam::*:user/*` (use the caller's credentials), so it stays a plain string.
DOCUMENTED = {
    "AWS::Route53::RecordSet": {
        "HostedZoneId": "AWS::Route53::HostedZone.Id",
        "HealthCheckId": "AWS::Route53::HealthCheck.Id",
    },
    "AWS::Route53::RecordSetGroup": {
        "HostedZoneId": "AWS::Route53::HostedZone.Id",
        "RecordSet.HostedZoneId": "AWS::Route53::HostedZone.Id",
        "RecordSet.HealthCheckId": "AWS::Route53::HealthCheck.Id",
    },
    "AWS::Route53::DNSSEC": {"HostedZoneId": "AWS::Route53::HostedZone.Id"},
    "AWS::Route53::KeySigningKey": {"HostedZoneId": "AWS::Route53::HostedZone.Id"},
    "AWS::Route53::QueryLoggingConfig": {"HostedZoneId": "AWS::Route53::HostedZone.Id"},
    "AWS::RDS::DBInstance": {"OptionGroupName": "AWS::RDS::OptionGroup.Name"},
    "AWS::ApiGateway::Authorizer": {"ProviderARNs": "AWS::Cognito::UserPool.Arn"},
}

ABOUT = ("Facts the registry schemas lack, for every vendored type, derived from "
         "@aws-cdk/aws-service-spec 0.1.216 by scripts/spec_supplement.py: `attributes` are "
         "Fn::GetAtt attributes missing from readOnlyProperties; `formats` give the resource "
         "attribute a string property refers to (`Prop` or `Definition.Prop`), so the property "
         "takes that attribute's kind, kept only where the property's name says it holds that "
         "attribute (the services in REVIEWED were checked by hand: relationships that only mean "
         "'related to', such as alarm actions, integration URIs, route targets or a parent that "
         "may be a REST API's root, are left out); `not_attributes` are read-only properties the spec does not list "
         "as attributes (no Fn::GetAtt); `unions` give the attributes a string property refers to "
         "any one of (several `relationshipRefs`, kept only where the registry schemas state the "
         "same alternatives elsewhere, such as a KMS key's ARN or ID or an alias name), so the "
         "property takes their union kind; `not_in_spec` lists the types the spec does not describe, whose "
         "attribute lists may be incomplete.")


def names_the_target(prop, target):
    """Whether a property's own name says it holds `target` (`AWS::EC2::Subnet.Id`):
    the name is a distinctive attribute (`GroupName`; a bare `Name`, `Id` or `Arn` says
    nothing of the resource), or ends with the resource name (`Role`, `Subnets`), or with the
    end of the resource name followed by the attribute (`SubnetIds`, `RestApiId`)."""
    last = prop.rsplit(".", 1)[-1].lower()
    if last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    type_name, attr = target.split(".", 1)
    resource = type_name.split("::")[2].lower()
    attr = attr.lower()
    if (last == attr and attr not in ("name", "id", "arn")) or last.endswith(resource):
        return True
    if not last.endswith(attr):
        return False
    head = last[: -len(attr)]
    return len(head) >= 3 and resource.endswith(head)


def schema_unions(schemas):
    """The sets of resource attributes the registry schemas themselves give as alternatives
    of one property (`anyOf`/`oneOf` of `format`s: a KMS key's ARN or ID or an alias name)."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key in ("anyOf", "oneOf"):
                alts = node.get(key)
                if isinstance(alts, list):
                    formats = {a.get("format") for a in alts if isinstance(a, dict)}
                    formats = frozenset(f for f in formats if isinstance(f, str) and "::" in f)
                    if len(formats) > 1:
                        found.add(formats)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schemas)
    return found


def union_of(targets, known_unions):
    """A property whose relationshipRefs name several attributes refers to any of them only
    where they are alternative identities of one thing: all of them belong to a union the
    registry schemas state. Other multi-target references mostly mean 'related to' (an event
    rule's target, a state machine definition) and are left out."""
    if len(targets) < 2 or None in targets:
        return None
    if any(targets <= u for u in known_unions):
        return sorted(targets)
    return None


def load_schemas():
    out = {}
    for f in sorted((ROOT / "dsl" / "schemas").glob("*.json")):
        out.update(json.loads(f.read_text()))
    return out


def stripped(resource, attr):
    return attr[len(resource):] if attr.startswith(resource) and len(attr) > len(resource) and attr[len(resource)].isupper() else attr


def target_format(schemas, type_name, prop):
    """The format of the referenced attribute: its own, else Type.StrippedName."""
    schema = schemas.get(type_name)
    if schema is None:
        return None
    node = schema.get("properties", {}).get(prop)
    if node is None:
        return None
    if isinstance(node.get("format"), str) and "::" in node["format"]:
        return node["format"]
    return f"{type_name}.{stripped(type_name.split('::')[2], prop)}"


def main():
    spec_dir = pathlib.Path(sys.argv[1]) / "node_modules" / "@aws-cdk" / "aws-service-spec"
    db = json.load(gzip.open(spec_dir / "db.json.gz"))["schema"]
    schemas = load_schemas()
    old = json.loads(SUPPLEMENT.read_text())
    types_by_id = {t["$id"]: t for t in db["typeDefinition"]["entities"]}
    uses = db["usesType"]["forward"]
    formats, attributes, not_attributes, unions = {}, {}, {}, {}
    known_unions = schema_unions(schemas)
    for res in db["resource"]["entities"]:
        t = res["cloudFormationType"]
        parts = t.split("::")
        if t not in schemas:
            continue
        ro = {p.split("/", 2)[2].replace("/", ".") for p in schemas[t].get("readOnlyProperties", [])}
        extra = sorted(set(res.get("attributes", {})) - ro)
        if extra:
            attributes[t] = extra
        # Read-only properties the spec's curated attribute list lacks are no GetAtt
        # attributes (a Redshift cluster's `Id`, cfn-lint agrees).
        missing = sorted(ro - set(res.get("attributes", {})))
        if missing:
            not_attributes[t] = missing
        found = {}
        scopes = [("", res.get("properties", {}))]
        scopes += [(types_by_id[r["$id"]]["name"] + ".", types_by_id[r["$id"]].get("properties", {}))
                   for r in uses.get(res["$id"], []) if r["$id"] in types_by_id]
        for prefix, props in scopes:
            for name, p in sorted(props.items()):
                refs = p.get("relationshipRefs") or []
                targets = {target_format(schemas, r["cloudFormationType"], r["propertyName"]) for r in refs}
                union = union_of(targets, known_unions)
                if union:
                    unions.setdefault(t, {})[prefix + name] = union
                if len(targets) == 1 and None not in targets:
                    target = targets.pop()
                    if names_the_target(prefix + name, target):
                        found[prefix + name] = target
        if parts[1] in REVIEWED and parts[0] == "AWS":
            found = old.get("formats", {}).get(t, {})
        found = {**found, **DOCUMENTED.get(t, {})}
        if found:
            formats[t] = found
    described = {res["cloudFormationType"] for res in db["resource"]["entities"]}
    old.pop("refs", None)  # now dsl/schemas/aws-service-spec/reference.json
    old.update({
        "attributes": attributes,
        "formats": formats,
        "unions": unions,
        "not_attributes": not_attributes,
        "about": ABOUT,
        "not_in_spec": sorted(t for t in schemas if t not in described),
    })
    SUPPLEMENT.write_text(json.dumps(old, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
