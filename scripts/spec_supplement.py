#!/usr/bin/env python3
"""Derives the hand-kept supplements in dsl/codegen/data/ from @aws-cdk/aws-service-spec.

The registry schemas lack two facts the generated types need, which the AWS service spec
(Apache-2.0) curates: which attributes Fn::GetAtt really offers beyond readOnlyProperties,
and which resource attribute a string property refers to (its `relationshipRefs`, such as
Lambda's `Role` -> `AWS::IAM::Role.Arn`); and, for types whose primary identifier has
several parts, which property `Ref` returns (`cfnRefIdentifier`). This script prints all three, for the covered
services, as JSON to compare with (or replace) dsl/codegen/data/extra_formats.json and
extra_attributes.json. It is a maintainer's tool, not part of the build:

    mkdir -p /tmp/svcspec && (cd /tmp/svcspec && npm install @aws-cdk/aws-service-spec@0.1.216)
    .venv/bin/python scripts/spec_supplement.py /tmp/svcspec > /tmp/supplement.json

Only facts are taken (type, property and attribute names); no documentation text.
"""

import gzip
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
COVERED = ["ApiGateway", "ApiGatewayV2", "CloudWatch", "DynamoDB", "Events", "IAM", "KMS",
           "Lambda", "Logs", "S3", "SNS", "SQS", "SSM", "SecretsManager", "StepFunctions"]


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
    types_by_id = {t["$id"]: t for t in db["typeDefinition"]["entities"]}
    uses = db["usesType"]["forward"]
    formats, attributes, ref_ids = {}, {}, {}
    for res in db["resource"]["entities"]:
        t = res["cloudFormationType"]
        parts = t.split("::")
        if parts[0] != "AWS" or parts[1] not in COVERED or t not in schemas:
            continue
        ids = schemas[t].get("primaryIdentifier", [])
        ref = res.get("cfnRefIdentifier") or []
        if len(ids) > 1 and len(ref) == 1:
            ref_ids[t] = ref[0]
        ro = {p.split("/", 2)[2].replace("/", ".") for p in schemas[t].get("readOnlyProperties", [])}
        extra = sorted(set(res.get("attributes", {})) - ro)
        if extra:
            attributes[t] = extra
        found = {}
        scopes = [("", res.get("properties", {}))]
        scopes += [(types_by_id[r["$id"]]["name"] + ".", types_by_id[r["$id"]].get("properties", {}))
                   for r in uses.get(res["$id"], []) if r["$id"] in types_by_id]
        for prefix, props in scopes:
            for name, p in sorted(props.items()):
                refs = p.get("relationshipRefs") or []
                targets = {target_format(schemas, r["cloudFormationType"], r["propertyName"]) for r in refs}
                if len(targets) == 1 and None not in targets:
                    found[prefix + name] = targets.pop()
        if found:
            formats[t] = found
    json.dump({"attributes": attributes, "formats": formats, "refs": ref_ids}, sys.stdout, indent=2, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
