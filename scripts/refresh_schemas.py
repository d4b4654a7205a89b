#!/usr/bin/env python3
"""Refreshes dsl/schemas/ from the CloudFormation registry schemas in the pinned cfn-lint.

Keeps only facts the generator and the deployer use (types, required, enums, patterns,
lengths, ranges, formats, read-only / create-only / write-only properties, identifiers) and
drops prose (`description`), handler permission lists and other metadata. Writes one file per
service namespace (`AWS_Lambda.json`), one resource type per line, keys sorted, so a refresh
shows up in review as per-type line changes.

Usage: .venv/bin/python scripts/refresh_schemas.py  (scripts/regenerate.sh --refresh runs it)
"""

import json
import datetime
import pathlib
import sys

import cfnlint

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "dsl" / "schemas"
SCHEMAS = pathlib.Path(cfnlint.__file__).parent / "data" / "schemas"
# The stateful resource types (cfn-lint's data for rule I3011, the same 29 types that
# @aws-cdk/aws-service-spec marks `isStateful`): read by nephos::facts::is_stateful_type.
STATEFUL = pathlib.Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "StatefulResources.json"
STATEFUL_OUT = ROOT / "dsl" / "data" / "stateful-resources.json"
# Lambda's runtime lifecycle (cfn-lint's data for rules W2531, E2531 and E2533: when each
# runtime was deprecated, and since when Lambda refuses to create and to update a function on
# it): read by nephos's synth check of `AWS::Lambda::Function.Runtime` (synth/lambda_runtimes.rs).
RUNTIMES = pathlib.Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json"
RUNTIMES_OUT = ROOT / "dsl" / "data" / "lambda-runtime-lifecycle.json"
# The day the table was vendored: synth judges the dates on it, never on the clock.
RUNTIMES_AS_OF = ROOT / "dsl" / "data" / "lambda-runtime-lifecycle.as-of"
# The types whose DeletionPolicy/UpdateReplacePolicy may be Snapshot (cfn-lint's
# `valid_snapshot_types`, rule E3035, after the AWS DeletionPolicy attribute page); on any
# other type CloudFormation deletes the resource: read by nephos::facts::snapshots_on_delete.
SNAPSHOT_OUT = ROOT / "dsl" / "data" / "snapshot-types.json"
# The Fn::GetAtt attribute names cfn-lint accepts for each type (rule E1010): the registry
# schema's readOnlyProperties, corrected by cfn-lint's data for the types whose GetAtt
# CloudFormation serves differently (every property of some legacy types, a few named
# exceptions). The generator offers a getter only for a name in this table.
GETATTS_OUT = OUT / "getatt" / "getatts.json"
# The AWS partitions (id, region regex, regions, DNS suffix) of the AWS SDKs' endpoint data,
# as botocore ships it (`botocore/data/partitions.json`; botocore is pinned by the venv's
# awscli): the generator writes them into nephos::facts (AWS::Partition, AWS::URLSuffix,
# the partition an ARN's region belongs to).
PARTITIONS_OUT = ROOT / "dsl" / "data" / "partitions.json"
REGION = "us-east-1"

# Keywords worth nothing to the generator: prose, examples, handler permissions, links.
DROP = {
    "description", "$comment", "examples", "title", "$schema", "handlers", "sourceUrl",
    "documentationUrl", "propertyTransform", "lifecycle", "typeConfiguration", "resourceLink",
    "default", "relationshipRef", "arrayType", "enumCaseInsensitive",
    "propertyTransformDescription", "replacementStrategy", "taggable",
}
# Keywords whose value maps names to schemas (the names are data, never keywords).
NAMED = {"properties", "definitions", "patternProperties", "dependencies"}
# Keywords whose value is data, not a schema.
DATA = {"enum", "required", "const", "readOnlyProperties", "createOnlyProperties",
        "writeOnlyProperties", "primaryIdentifier", "additionalIdentifiers",
        "deprecatedProperties", "conditionalCreateOnlyProperties", "tagging", "typeName",
        "dependentRequired", "dependentExcluded", "requiredXor", "requiredOr", "uniqueKeys"}


def strip(node):
    if isinstance(node, list):
        return [strip(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in DROP:
            continue
        # Only `insertionOrder: false` is a fact the diff needs (such a list compares as a
        # multiset); `true` is the default and would only add noise.
        if key == "insertionOrder":
            if value is False:
                out[key] = False
            continue
        if key in NAMED and isinstance(value, dict):
            out[key] = {name: strip(sub) for name, sub in value.items()}
        elif key in DATA:
            out[key] = value
        else:
            out[key] = strip(value)
    return out


def main():
    providers = json.loads((SCHEMAS / "providers" / f"{REGION}.json").read_text())
    by_service = {}
    for type_name, digest in providers.items():
        schema = json.loads((SCHEMAS / "resources" / f"{digest}.json").read_text())
        if schema.get("typeName") != type_name:
            sys.exit(f"{digest}.json holds {schema.get('typeName')}, expected {type_name}")
        schema = strip(schema)
        if isinstance(schema.get("tagging"), dict):
            schema["tagging"] = {k: v for k, v in schema["tagging"].items() if k != "permissions"}
        vendor, service = type_name.split("::")[:2]
        by_service.setdefault(f"{vendor}_{service}", {})[type_name] = schema
    for old in OUT.glob("*.json"):
        old.unlink()
    for name, types in sorted(by_service.items()):
        lines = [
            json.dumps(t, separators=(",", ":")) + ":" + json.dumps(s, sort_keys=True, separators=(",", ":"))
            for t, s in sorted(types.items())
        ]
        (OUT / f"{name}.json").write_text("{\n" + ",\n".join(lines) + "\n}\n")
    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from importlib.metadata import version as v
        version = v("cfn-lint")
    (OUT / "SOURCE").write_text(
        f"cfn-lint {version}, region {REGION}: {len(providers)} resource types\n"
    )
    STATEFUL_OUT.write_text(STATEFUL.read_text())
    RUNTIMES_OUT.write_text(RUNTIMES.read_text())
    RUNTIMES_AS_OF.write_text(datetime.date.today().isoformat() + "\n")
    from cfnlint.helpers import valid_snapshot_types
    SNAPSHOT_OUT.write_text(json.dumps({"SnapshotTypes": sorted(valid_snapshot_types)}, indent=1) + "\n")
    write_getatts(providers)
    write_partitions()
    print(f"schemas: {len(providers)} types in {len(by_service)} files under {OUT}", file=sys.stderr)


def write_getatts(providers):
    """Writes GETATTS_OUT: type -> sorted attribute names, as cfn-lint's GetAtt table holds
    them. Its keys are regular expressions; literal names (`Endpoint\\.Address`) are kept
    unescaped, patterns (`Outputs\\..*`) are left out: no getter can name them."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    import re

    table = {}
    for type_name in sorted(providers):
        names = []
        for key in PROVIDER_SCHEMA_MANAGER.get_type_getatts(type_name, REGION).keys():
            name = key.replace("\\.", ".")
            if re.fullmatch(r"[A-Za-z0-9_.]+", name):
                names.append(name)
        table[type_name] = sorted(set(names))
    GETATTS_OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(t) + ":" + json.dumps(n, separators=(",", ":")) for t, n in table.items()]
    GETATTS_OUT.write_text("{\n" + ",\n".join(lines) + "\n}\n")


def write_partitions():
    """Writes PARTITIONS_OUT: each partition's id, regionRegex, dnsSuffix and listed
    regions from botocore's partitions.json, sorted by id, with the botocore version."""
    import botocore

    data = json.loads((pathlib.Path(botocore.__file__).parent / "data" / "partitions.json").read_text())
    partitions = [
        {
            "id": p["id"],
            "regionRegex": p["regionRegex"],
            "dnsSuffix": p["outputs"]["dnsSuffix"],
            "regions": sorted(p["regions"]),
        }
        for p in sorted(data["partitions"], key=lambda p: p["id"])
    ]
    out = {"source": f"botocore {botocore.__version__} botocore/data/partitions.json", "partitions": partitions}
    PARTITIONS_OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
