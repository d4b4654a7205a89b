#!/usr/bin/env python3
"""Lists the string properties whose NAME says ARN (`...Arn`, `...ARN`, `...Arns`, `...ARNs`)
but which the generated code types as a plain string (`kind::Str` or `kind::List<kind::Str>`),
with the evidence a generator rule "type them `AnyArn`" needs (issue 13, atk13c A second half).

What is typed now is read from the generated code itself (dsl/src/generated), so every source
of a kind the generator has counts without re-implementing it: the schema's `format`, the
supplement, kind_corrections.json, the same-name rule and the ARN-pattern rule
(`any_arn::demands_arn`). A property is a candidate when its setter takes `Str`/`List<Str>`.

Evidence per candidate:
- the vendored schema's `pattern` (dsl/schemas), classified by what it admits (tested on sample
  texts with Python's `re`, which reads these simple patterns as ECMA-262 does);
- the registry description of the same JSON pointer. The vendored schemas keep no
  descriptions, so they come from the registry schemas cfn-lint ships (the project venv,
  `scripts/venv.sh`; default /work/main/.venv, or $CFNLINT_SCHEMAS).

Classes (`class` in the output):
- `arn_only`: the description says ARN ("ARN", "Amazon Resource Name") and nothing that
  admits another form; the pattern (if any) admits no plain name.
- `more_than_arn`: the description or pattern admits another form (a name, an ID, an alias,
  a URL, `*`/wildcards, an ARN prefix or the empty text): it would be an exclusion.
- `no_evidence`: no description at that pointer, or one that does not say ARN.
The reviewed exclusions are kept in dsl/codegen/data/arn_named_exclusions.json (written by
hand from this listing), which the generator's ARN-name rule (dsl/codegen/src/arn_names.rs)
reads: every other candidate takes `AnyArn`. `--check` (a step of scripts/test.sh) fails on a
candidate its `exclusions` do not list (the rule missed it, or a plain string came back), on
an exclusion that is no candidate, and on an entry of its other lists that is one.

    python3 dsl/codegen/scripts/arn_named_strings.py            # JSON listing to stdout
    python3 dsl/codegen/scripts/arn_named_strings.py --summary  # counts only
    python3 dsl/codegen/scripts/arn_named_strings.py --check    # listing vs the exclusions
    ... --cfn-docs DIR   # also read descriptions the registry lacks from the archived
                         # CloudFormation User Guide markdown (doc_source of
                         # awsdocs/aws-cloudformation-user-guide at 6c68a17a)

Only facts and short quoted phrases (at most a sentence fragment) are printed, no
documentation text beyond that.
"""

import glob
import json
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[3]
GENERATED = ROOT / "dsl/src/generated"
EXCLUSIONS = ROOT / "dsl/codegen/data/arn_named_exclusions.json"

NAME = re.compile(r"(?:Arn|ARN|arn)s?$")
# A struct's doc line: the resource (`AWS::S::T`) or a property type (`AWS::S::T.Def`).
STRUCT_DOC = re.compile(r"^/// (?:Property type )?`(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)(?:\.([A-Za-z0-9_]+))?` \(\[CloudFormation")
STRUCT = re.compile(r"^pub struct (\w+)")
IMPL = re.compile(r"^impl (\w+) \{")
SET = re.compile(r"\.set::<(.*?)>\(\s*\"([^\"]+)\"", re.S)

POSITIVE = re.compile(r"\bARNs?\b|Amazon Resource Names?", re.I)
# Words that say the value may be something else than one plain ARN.
NEGATIVE = [
    (re.compile(r"\b(?:name|ID|identifier|alias|URL|key)s?\s*,?\s*or\s+(?:the\s+|an?\s+|its\s+|full\s+)*(?:ARN|Amazon Resource Name)", re.I), "another form or ARN"),
    (re.compile(r"\b(?:ARN|Amazon Resource Name)s?\s*,?\s*or\s+(?:the\s+|an?\s+|its\s+|short\s+|friendly\s+)*(?:name|ID|identifier|alias|URL|key ID)", re.I), "ARN or another form"),
    (re.compile(r"\balias(?:es)?\b", re.I), "alias"),
    (re.compile(r"wildcard|\"\*\"|'\*'|`\*`|\(\*\)|asterisk", re.I), "wildcard"),
    (re.compile(r"empty string|\"\"|set to empty|an empty value", re.I), "empty"),
    (re.compile(r"\bARN (?:prefix|pattern)|prefix of the ARN|partial ARN", re.I), "ARN prefix/pattern"),
    (re.compile(r"\bURL\b|\bURI\b", re.I), "URL/URI"),
    (re.compile(r"\bname\b[^.]{0,60}\bor\b[^.]{0,60}\bARN\b|\bARN\b[^.]{0,60}\bor\b[^.]{0,60}\b(?:name|ID)\b", re.I), "name/ID or ARN (loose)"),
]

SAMPLES = {
    "arn": "arn:aws:iam::123456789012:role/example",
    "name": "example-name",
    "empty": "",
    "wildcard": "*",
}


def cfn_lint_base():
    env = os.environ.get("CFNLINT_SCHEMAS")
    if env:
        return pathlib.Path(env)
    venvs = [pathlib.Path(os.environ["NEPHOS_VENV"])] if os.environ.get("NEPHOS_VENV") else []
    for venv in venvs + [ROOT / ".venv", pathlib.Path("/work/main/.venv")]:
        hit = next(venv.glob("lib/python*/site-packages/cfnlint/data/schemas"), None)
        if hit:
            return hit
    sys.exit("no cfn-lint schemas: set CFNLINT_SCHEMAS or run scripts/venv.sh")


def described_schemas():
    base = cfn_lint_base()
    providers = json.loads((base / "providers/us-east-1.json").read_text())
    out = {}
    for type_name, digest in providers.items():
        path = base / "resources" / f"{digest}.json"
        if path.exists():
            out[type_name] = json.loads(path.read_text())
    return out


def cfn_doc_descriptions():
    """Property descriptions from the CloudFormation User Guide markdown (the archived
    awsdocs/aws-cloudformation-user-guide `doc_source` folder, last content 2023-09), by
    anchor `cfn-<service>-<type>[-<definition>]-<property>` in lower case; empty unless
    `--cfn-docs DIR` is given. A second source for properties the registry schemas do not
    describe."""
    if "--cfn-docs" not in sys.argv:
        return {}
    folder = pathlib.Path(sys.argv[sys.argv.index("--cfn-docs") + 1])
    out = {}
    entry = re.compile(
        r'^`([^`]+)`\s*<a name="(cfn-[^"]+)"></a>\s*\n(.*?)(?=^\*Required\*|^`[^`]+`\s*<a name|\Z)',
        re.S | re.M,
    )
    for path in folder.glob("aws-*.md"):
        text = re.sub(r"\\(.)", r"\1", path.read_text(errors="replace"))
        for m in entry.finditer(text):
            out[m.group(2).lower()] = " ".join(m.group(3).split())
    return out


def cfn_doc_key(type_name, pointer):
    service, resource = type_name.split("::")[1:]
    parts = pointer.strip("/").split("/")
    middle = parts[1] if len(parts) > 2 else None
    key = "-".join(["cfn", service, resource] + ([middle] if middle else []) + [parts[-1]])
    return key.lower()


def generated_kinds():
    """(type, definition or '', property) -> set of kind texts of its setters."""
    kinds = {}
    for path in sorted(GENERATED.rglob("*.rs")):
        lines = path.read_text().splitlines()
        doc = None
        struct_of = {}
        for line in lines:
            m = STRUCT_DOC.match(line)
            if m:
                doc = (m.group(1), m.group(2) or "")
                continue
            m = STRUCT.match(line)
            if m and doc:
                struct_of[m.group(1)] = doc
                doc = None
        text = "\n".join(lines)
        impls = [(m.start(), m.group(1)) for m in re.finditer(r"^impl (\w+) \{", text, re.M)]
        for i, (start, name) in enumerate(impls):
            if name not in struct_of:
                continue
            end = impls[i + 1][0] if i + 1 < len(impls) else len(text)
            for m in SET.finditer(text, start, end):
                kind = re.sub(r"\s+", "", m.group(1))
                kinds.setdefault(struct_of[name] + (m.group(2),), set()).add(kind)
    return kinds


def resolve(schema, node):
    ref = node.get("$ref") if isinstance(node, dict) else None
    if ref and ref.startswith("#/"):
        target = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {})
        return target
    return node


def is_string(schema, node):
    node = resolve(schema, node)
    t = node.get("type")
    return t == "string" or (isinstance(t, list) and "string" in t)


def properties(schema, node, pointer):
    """(name, node, pointer) of an object's properties, with those of its `oneOf`/`anyOf`
    alternatives (the generator merges them into one type)."""
    for name, child in (node.get("properties") or {}).items():
        if isinstance(child, dict):
            yield name, child, f"{pointer}/properties/{name}"
    for key in ("oneOf", "anyOf"):
        for i, alt in enumerate(node.get(key) or []):
            if not isinstance(alt, dict) or "$ref" in alt:
                continue
            for name, child in (alt.get("properties") or {}).items():
                if isinstance(child, dict) and name not in (node.get("properties") or {}):
                    yield name, child, f"{pointer}/{key}/{i}/properties/{name}"


def walk(schema):
    """(definition scope, property name, pointer, node, is_list) of every string or
    list-of-strings property, at the root, in definitions and in inline objects."""
    roots = [("", "", schema)] + [
        (name, f"/definitions/{name}", d) for name, d in (schema.get("definitions") or {}).items()
    ]
    stack = list(roots)
    while stack:
        scope, pointer, node = stack.pop()
        for name, child, here in properties(schema, node, pointer):
            if isinstance(child.get("properties"), dict) and "$ref" not in child:
                # An inline object: its struct is named after the property.
                stack.append((name, here, child))
            elif is_string(schema, child):
                yield scope, name, here, child, False
            elif resolve(schema, child).get("type") == "array":
                items = resolve(schema, child).get("items") or {}
                if is_string(schema, items):
                    yield scope, name, here, child, True


def at(schema, pointer):
    node = schema
    for part in pointer.strip("/").split("/"):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def pattern_of(schema, node, is_list):
    n = resolve(schema, node)
    if is_list:
        n = resolve(schema, n.get("items") or {})
    return n.get("pattern") or node.get("pattern")


def admits(pattern):
    """Which sample texts the pattern admits (None: Python cannot read it)."""
    try:
        rx = re.compile(pattern)
    except re.error:
        return None
    return sorted(k for k, v in SAMPLES.items() if rx.search(v))


def description_of(described, type_name, pointer, is_list):
    node = at(described.get(type_name, {}), pointer)
    if not isinstance(node, dict):
        return None
    text = node.get("description")
    if not text and is_list and isinstance(node.get("items"), dict):
        text = node["items"].get("description")
    if not text and "$ref" in node:
        text = resolve(described[type_name], node).get("description")
    return text


def quote(text, match, width=90):
    """The sentence fragment around `match`, at most `width` characters."""
    s = max(0, match.start() - width // 2)
    e = min(len(text), match.end() + width // 2)
    frag = re.sub(r"\s+", " ", text[s:e]).strip()
    return ("..." if s else "") + frag + ("..." if e < len(text) else "")


def classify(description, pattern, admitted):
    reasons = []
    # A pattern that spells out `arn` and still admits a plain name states an alternative
    # (`(arn:...:billingview/)?name`, `^arn:...|^name$`); a pattern without `arn` that
    # admits a name is only loose (`^[\s\S]*$`, `\S`) and says nothing either way.
    if admitted is not None and "arn" in pattern.lower():
        if "name" in admitted:
            reasons.append({"by": "pattern", "admits": "a plain name beside the ARN"})
        elif "empty" in admitted:
            reasons.append({"by": "pattern", "admits": "the empty text beside the ARN"})
        elif "wildcard" in admitted:
            reasons.append({"by": "pattern", "admits": "* beside the ARN"})
    if description:
        for rx, what in NEGATIVE:
            m = rx.search(description)
            if m:
                reasons.append({"by": "description", "admits": what, "quote": quote(description, m)})
                break
    positive = bool(description and POSITIVE.search(description))
    # A pattern that spells out `arn:` and admits no plain name, `*` or the empty text
    # (unanchored, or with a lookahead `any_arn::demands_arn` does not read) is evidence too.
    if pattern and "arn:" in pattern.lower() and admitted is not None and not (
        {"name", "empty", "wildcard"} & set(admitted)
    ):
        positive = True
    if reasons:
        return "more_than_arn", reasons, positive
    if positive:
        return "arn_only", [], positive
    return "no_evidence", [], positive


def listing():
    kinds = generated_kinds()
    described = described_schemas()
    cfn_docs = cfn_doc_descriptions()
    rows = []
    counts = {"arn_named_string_properties": 0, "typed": 0, "no_setter": 0, "candidates": 0}
    typed_by = {}
    for path in sorted(glob.glob(str(ROOT / "dsl/schemas/*.json"))):
        for type_name, schema in sorted(json.loads(pathlib.Path(path).read_text()).items()):
            seen = set()
            for scope, name, pointer, node, is_list in walk(schema):
                if not NAME.search(name) or pointer in seen:
                    continue
                seen.add(pointer)
                counts["arn_named_string_properties"] += 1
                got = kinds.get((type_name, scope, name))
                if not got:
                    counts["no_setter"] += 1
                    continue
                plain = {"nephos::kind::Str", "nephos::kind::List<nephos::kind::Str>"}
                if not got & plain:
                    counts["typed"] += 1
                    for k in got:
                        key = "AnyArn" if "AnyArn" in k else "other kind"
                        typed_by[key] = typed_by.get(key, 0) + 1
                    continue
                counts["candidates"] += 1
                pattern = pattern_of(schema, node, is_list)
                admitted = admits(pattern) if pattern else None
                description = description_of(described, type_name, pointer, is_list)
                source = "registry"
                if not description and cfn_docs.get(cfn_doc_key(type_name, pointer)):
                    description = cfn_docs[cfn_doc_key(type_name, pointer)]
                    source = "cfn-docs-2023"
                cls, reasons, positive = classify(description, pattern, admitted)
                row = {
                    "type": type_name,
                    "pointer": pointer,
                    "list": is_list,
                    "class": cls,
                }
                if pattern:
                    row["pattern"] = pattern
                    row["pattern_admits"] = admitted
                if reasons:
                    row["reasons"] = reasons
                if description:
                    m = POSITIVE.search(description)
                    row["says_arn"] = quote(description, m) if m else None
                    row["description_source"] = source
                else:
                    row["says_arn"] = None
                rows.append(row)
    counts["typed_by"] = typed_by
    for c in ("arn_only", "more_than_arn", "no_evidence"):
        counts[c] = sum(1 for r in rows if r["class"] == c)
    return counts, rows


def main():
    counts, rows = listing()
    if "--summary" in sys.argv:
        print(json.dumps(counts, indent=1))
        return
    if "--check" in sys.argv:
        # The generator's ARN-name rule (dsl/codegen/src/arn_names.rs) types every candidate
        # but the exclusions: a candidate left is a property the rule missed (or a kind that
        # came back), an entry of another list that is a candidate again is stale.
        data = json.loads(EXCLUSIONS.read_text())
        keys = {(e["type"], e["pointer"]) for e in data["exclusions"]}
        typed = {
            (e["type"], e["pointer"])
            for name in ("reviewed_not_excluded", "typed_admitting_empty")
            for e in data.get(name, [])
        }
        typed |= {
            (e["type"], e["pointer"])
            for e in data.get("log_group_consumers", {}).get("entries", [])
        } - keys
        cand = {(r["type"], r["pointer"]): r for r in rows}
        bad = 0
        for key in sorted(set(cand) - keys):
            print("untyped ARN-named string (not an exclusion):", *key)
            bad += 1
        for key in sorted(keys - set(cand)):
            print("stale exclusion (no candidate):", *key)
            bad += 1
        for key in sorted(typed & set(cand)):
            print("reviewed as typed but a plain string:", *key)
            bad += 1
        print(json.dumps(counts))
        sys.exit(1 if bad else 0)
    print(json.dumps({"counts": counts, "candidates": rows}, indent=1))


if __name__ == "__main__":
    main()
