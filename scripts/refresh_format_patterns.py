#!/usr/bin/env python3
"""Writes dsl/schemas/formats/cfn_lint_formats.json: the pattern cfn-lint checks each
"format keyword" with (its rules E1150-E1164, `cfnlint/rules/formats/*.py`), read from the
pinned cfn-lint itself (cfn-lint is MIT-0), so nephos's literal shapes (`Value::literal`)
are at least as strict as the lint gate.

Every rule class that subclasses cfn-lint's `FormatKeyword` and names a format is written
with its rule id and pattern (Python `regex` syntax, matched from the start). A rule that
overrides `format` (exceptions: an `ImageId` `resolve:ssm:` value on a launch template, an
empty `BucketName` on the bucket itself) is marked `exceptions: true`; the generator reads
only the pattern (nephos's own checks take dynamic references, and a bucket's own name is
no kind).

Usage: .venv/bin/python scripts/refresh_format_patterns.py  (scripts/regenerate.sh --refresh runs it)
"""

import importlib
import inspect
import json
import pathlib
import pkgutil

import cfnlint
import cfnlint.rules.formats as formats
from cfnlint.rules.formats.FormatKeyword import FormatKeyword

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "dsl" / "schemas" / "formats" / "cfn_lint_formats.json"


def main():
    rows = {}
    for info in pkgutil.iter_modules(formats.__path__):
        module = importlib.import_module(f"{formats.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, FormatKeyword) or cls is FormatKeyword:
                continue
            if cls.__module__ != module.__name__:
                continue
            rule = cls()
            if not rule.format_keyword or not rule.pattern:
                continue
            rows[rule.format_keyword] = {
                "rule": rule.id,
                "pattern": rule.pattern,
                "source": f"cfnlint/rules/formats/{info.name}.py",
                "exceptions": cls.format is not FormatKeyword.format,
            }
    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from importlib.metadata import version as v
        version = v("cfn-lint")
    doc = {
        "source": f"cfn-lint {version} (MIT-0), cfnlint/rules/formats: the pattern of each format keyword rule",
        "formats": dict(sorted(rows.items())),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    print(f"formats: {len(rows)} patterns in {OUT}")


if __name__ == "__main__":
    main()
