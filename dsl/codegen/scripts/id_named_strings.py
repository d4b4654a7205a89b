#!/usr/bin/env python3
"""Lists the string properties whose NAME says they take a network ID (a subnet, a security
group, a VPC), a KMS key or a Route 53 hosted zone ID, but which the generated code types as
a plain string (`kind::Str` or `kind::List<kind::Str>`), with the evidence the generator's
ID-name rule (dsl/codegen/src/build/id_kinds.rs) needs: the registry description of the same
JSON pointer and the schema's `pattern` (issue 13, atk13d F1).

What is typed now is read from the generated code itself (dsl/src/generated), so every
source of a kind counts (format, supplement, corrections, same-name, the ARN rules and the
ID-pattern rule); the schema walk and the description lookup are those of
arn_named_strings.py (registry descriptions from the schemas cfn-lint ships in the project
venv, or $CFNLINT_SCHEMAS).

The reviewed decisions are kept in dsl/codegen/data/id_named_kinds.json: `typed` entries
(the generator gives them their `formats`, each with its source) and `left` entries (a
candidate reviewed and left a plain string, with why: names, comma-joined lists, no
evidence). `--check` fails on a candidate neither list names (a new property to review)
and on a `left` entry that is no longer a candidate.

    python3 dsl/codegen/scripts/id_named_strings.py          # JSON listing to stdout
    python3 dsl/codegen/scripts/id_named_strings.py --check  # listing vs the decisions
"""

import glob
import importlib.util
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("arn_named", HERE / "arn_named_strings.py")
arn = importlib.util.module_from_spec(spec)
spec.loader.exec_module(arn)

ROOT = arn.ROOT
DECISIONS = ROOT / "dsl/codegen/data/id_named_kinds.json"

# The name families: what a property named so takes, if the description agrees.
FAMILIES = [
    ("subnet", re.compile(r"(?:Subnet(?:Id|ID|Ids|IDs|s)|VPCZoneIdentifier)$")),
    ("security_group", re.compile(r"SecurityGroup(?:Id|ID|Ids|IDs|s)?$")),
    ("vpc", re.compile(r"(?:Vpc|VPC)(?:Id|ID|Identifier)$")),
    ("kms_key", re.compile(r"(?:Kms|KMS)Key(?:Id|ID|Identifier)?$|(?:Kms|KMS)MasterKeyId$")),
    ("hosted_zone", re.compile(r"HostedZoneId$")),
]
PLAIN = {"nephos::kind::Str", "nephos::kind::List<nephos::kind::Str>"}


def listing():
    kinds = arn.generated_kinds()
    described = arn.described_schemas()
    rows = []
    for path in sorted(glob.glob(str(ROOT / "dsl/schemas/*.json"))):
        for type_name, schema in sorted(json.loads(pathlib.Path(path).read_text()).items()):
            seen = set()
            for scope, name, pointer, node, is_list in arn.walk(schema):
                family = next((f for f, rx in FAMILIES if rx.search(name)), None)
                if family is None or pointer in seen or arn.NAME.search(name):
                    continue
                seen.add(pointer)
                got = kinds.get((type_name, scope, name))
                if not got or not got & PLAIN:
                    continue
                row = {"type": type_name, "pointer": pointer, "list": is_list, "family": family}
                pattern = arn.pattern_of(schema, node, is_list)
                if pattern:
                    row["pattern"] = pattern
                d = arn.description_of(described, type_name, pointer, is_list)
                if d:
                    row["description"] = " ".join(d.split())[:300]
                rows.append(row)
    return rows


def main():
    rows = listing()
    if "--check" in sys.argv:
        data = json.loads(DECISIONS.read_text())
        typed = {(e["type"], e["pointer"]) for e in data["typed"]}
        left = {(e["type"], e["pointer"]) for e in data["left"]}
        cand = {(r["type"], r["pointer"]) for r in rows}
        bad = 0
        for key in sorted(cand - left - typed):
            print("unreviewed ID-named plain string:", *key)
            bad += 1
        for key in sorted(cand & typed):
            print("typed by id_named_kinds.json but still a plain string:", *key)
            bad += 1
        for key in sorted(left - cand):
            print("stale `left` entry (no candidate):", *key)
            bad += 1
        print(json.dumps({"candidates": len(cand), "typed": len(typed), "left": len(left)}))
        sys.exit(1 if bad else 0)
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
