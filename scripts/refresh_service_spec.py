#!/usr/bin/env python3
"""Refreshes dsl/schemas/aws-service-spec/{replacement,reference}.json from the AWS service spec.

The source is the npm package @aws-cdk/aws-service-spec (Apache-2.0), pinned below; only
facts are kept: for every resource type, the property paths whose change replaces the
resource (`causesReplacement: yes`) or may replace it (`causesReplacement: maybe`). The
registry schemas' `createOnlyProperties` miss some of them (a DynamoDB table's KeySchema);
dsl/codegen merges both sources.

Paths are slash-separated below `Properties`; `*` stands for any element of a list or map
(`Validity/Type`, `Rules/*/Name`). A path below one that already replaces is not listed.
One resource type per line, keys sorted, so a refresh shows up in review as per-type lines.

arn_templates.json holds the ARN of each type the spec records (`arnTemplate`), so a literal
of an ARN kind can be checked against its service and resource prefix (dsl/codegen/src/kind_shapes.rs).

reference.json holds what `Ref` returns, for the types where the spec records it
(`cfnRefIdentifier`: the property or attribute names whose value `Ref` gives, joined by `|`
when there are several, such as an EventBridge rule on a custom bus, `EventBusName|Name`).
The spec leaves it out where `Ref` returns the primary identifier; dsl/codegen then keeps the
registry schema's `primaryIdentifier` (dsl/codegen/src/reference.rs).

Usage: python3 scripts/refresh_service_spec.py  (scripts/regenerate.sh --refresh runs it;
it runs `npm pack` of the pinned version into a temporary folder).
"""

import gzip
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@aws-cdk/aws-service-spec"
VERSION = "0.1.216"
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "dsl" / "schemas" / "aws-service-spec" / "replacement.json"
REF_OUT = OUT.parent / "reference.json"
ARN_OUT = OUT.parent / "arn_templates.json"
MAX_DEPTH = 8  # type definitions may be recursive; deeper paths are not worth a fact


def fetch(tmp):
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = next(pathlib.Path(tmp).glob("*.tgz"))
    with tarfile.open(tgz) as t:
        member = t.getmember("package/db.json.gz")
        return json.loads(gzip.decompress(t.extractfile(member).read()))


def refs(ty):
    """(path suffix, type definition id) for every type definition a property type uses."""
    kind = ty.get("type")
    if kind == "ref":
        yield "", ty["reference"]["$ref"]
    elif kind in ("array", "map"):
        for suffix, ref in refs(ty.get("element", {})):
            yield "/*" + suffix, ref
    elif kind == "union":
        for member in ty.get("types", []):
            yield from refs(member)


def walk(props, prefix, defs, depth, out):
    for name, prop in sorted(props.items()):
        path = f"{prefix}{name}"
        fact = prop.get("causesReplacement")
        if fact in ("yes", "maybe"):
            out[fact].add(path)
        if fact == "yes" or depth >= MAX_DEPTH:
            continue
        for suffix, ref in refs(prop.get("type", {})):
            nested = defs.get(ref)
            if nested is not None:
                walk(nested.get("properties", {}), f"{path}{suffix}/", defs, depth + 1, out)


def write_reference(resources):
    """reference.json: per type, the names `Ref` returns (`cfnRefIdentifier`), in spec order."""
    refs = {r["cloudFormationType"]: r["cfnRefIdentifier"] for r in resources
            if r.get("cfnRefIdentifier")}
    lines = [json.dumps(t) + ":" + json.dumps(names) for t, names in sorted(refs.items())]
    head = json.dumps(f"{PACKAGE} {VERSION} (npm, Apache-2.0), db.json.gz: cfnRefIdentifier")
    REF_OUT.write_text("{\n\"source\":" + head + ",\n\"types\":{\n" + ",\n".join(lines) + "\n}}\n")
    print(f"service spec: {len(refs)} types with a Ref identifier -> {REF_OUT}", file=sys.stderr)


def write_arn_templates(resources):
    """arn_templates.json: per type, the ARN the spec gives it (`arnTemplate`, from the IAM
    Service Authorization Reference: `arn:${Partition}:sns:${Region}:${Account}:${TopicName}`)."""
    arns = {r["cloudFormationType"]: r["arnTemplate"] for r in resources if r.get("arnTemplate")}
    lines = [json.dumps(t) + ":" + json.dumps(a) for t, a in sorted(arns.items())]
    head = json.dumps(f"{PACKAGE} {VERSION} (npm, Apache-2.0), db.json.gz: arnTemplate")
    ARN_OUT.write_text("{\n\"source\":" + head + ",\n\"types\":{\n" + ",\n".join(lines) + "\n}}\n")
    print(f"service spec: {len(arns)} types with an ARN template -> {ARN_OUT}", file=sys.stderr)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        db = fetch(tmp)
    schema = db["schema"]
    defs = {d["$id"]: d for d in schema["typeDefinition"]["entities"]}
    types = {}
    for resource in schema["resource"]["entities"]:
        out = {"yes": set(), "maybe": set()}
        walk(resource.get("properties", {}), "", defs, 0, out)
        if out["yes"] or out["maybe"]:
            types[resource["cloudFormationType"]] = {k: sorted(v) for k, v in out.items() if v}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(t) + ":" + json.dumps(f, sort_keys=True, separators=(",", ":"))
             for t, f in sorted(types.items())]
    head = json.dumps(f"{PACKAGE} {VERSION} (npm, Apache-2.0), db.json.gz: causesReplacement")
    OUT.write_text("{\n\"source\":" + head + ",\n\"types\":{\n" + ",\n".join(lines) + "\n}}\n")
    write_reference(schema["resource"]["entities"])
    write_arn_templates(schema["resource"]["entities"])
    maybe = sum(len(f.get("maybe", [])) for f in types.values())
    print(f"service spec: {len(types)} types, {maybe} may-replace paths -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
