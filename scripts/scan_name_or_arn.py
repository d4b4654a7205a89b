#!/usr/bin/env python3
"""Lists the string properties whose registry-schema description says they take either of two
identifiers of a resource ("name or ARN", "ID or ARN", "ARN or name"...), for review.

The vendored schemas in dsl/schemas/ keep no descriptions, so this reads the full registry
schemas cfn-lint ships (the project venv, `scripts/venv.sh`). Each reviewed hit whose two
identifiers both have kinds becomes an entry of dsl/codegen/data/kind_corrections.json with
its AWS documentation page, and so a union kind that takes either (K2 of issue 13). A hit is
marked `corrected` when the table has an entry for it, and `union` when the vendored schema
already states the alternatives as formats. It is a maintainer's tool, not part of the build:

    .venv/bin/python scripts/scan_name_or_arn.py

Only facts are printed (type, JSON pointer, the matched phrase); no documentation text.
"""

import glob
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
PHRASE = re.compile(
    r"\b(?:name|ID|ARN)s? or (?:the )?(?:full |short )?(?:name|ID|ARN|Amazon Resource Name)s?\b",
    re.IGNORECASE,
)


def cfn_lint_schemas():
    base = next(ROOT.glob(".venv/lib/python*/site-packages/cfnlint/data/schemas"))
    providers = json.loads((base / "providers/us-east-1.json").read_text())
    for type_name, digest in sorted(providers.items()):
        path = base / "resources" / f"{digest}.json"
        if path.exists():
            yield type_name, json.loads(path.read_text())


def strings(node, pointer):
    """(pointer, node) of every string-valued property below `node`."""
    for name, child in (node.get("properties") or {}).items():
        if not isinstance(child, dict):
            continue
        here = f"{pointer}/properties/{name}"
        if child.get("type") in ("string", None) and "properties" not in child:
            yield here, child
        if isinstance(child.get("properties"), dict):
            yield from strings(child, here)


def main():
    corrections = json.loads((ROOT / "dsl/codegen/data/kind_corrections.json").read_text())
    corrected = {(c["type"], c["pointer"]) for c in corrections["corrections"]}
    vendored = {}
    for path in glob.glob(str(ROOT / "dsl/schemas/*.json")):
        vendored.update(json.loads(pathlib.Path(path).read_text()))
    hits = 0
    for type_name, schema in cfn_lint_schemas():
        roots = [("", schema)] + [
            (f"/definitions/{k}", v) for k, v in (schema.get("definitions") or {}).items()
        ]
        for prefix, node in roots:
            for pointer, prop in strings(node, prefix):
                match = PHRASE.search(prop.get("description") or "")
                if not match:
                    continue
                hits += 1
                mark = ""
                if (type_name, pointer) in corrected:
                    mark = "corrected"
                else:
                    v = vendored.get(type_name, {})
                    for part in pointer.strip("/").split("/"):
                        v = v.get(part, {}) if isinstance(v, dict) else {}
                    if any("format" in a for a in v.get("anyOf", []) if isinstance(a, dict)):
                        mark = "union"
                print(f"{type_name}\t{pointer}\t{match.group(0)}\t{mark}")
    print(f"# {hits} properties")


if __name__ == "__main__":
    main()
