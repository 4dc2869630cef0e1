#!/usr/bin/env python3
"""Validates `boxoffice --json` outputs against their schemas in schemas/json/ (draft 2020-12).

    check_json.py DIR            every DIR/NAME--*.json against schemas/json/NAME.schema.json
    check_json.py NAME FILE      one output (FILE, or - for standard input) against NAME

Every schema is checked as a schema first, and `$ref`s resolve by relative path between the files,
as the HTTP API's OpenAPI document will reference them. Exits 1 on the first kind of violation,
printing every one found.
"""
import datetime
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "json"


def registry():
    resources = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        contents = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(contents)
        resources.append((path.as_uri(), Resource.from_contents(contents)))
    return Registry().with_resources(resources)


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    if not isinstance(value, str):
        return True
    if "T" not in value or not (value.endswith("Z") or value[-6] in "+-"):
        raise ValueError(f"not an ISO 8601 time with its offset: {value}")
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def validator(name, reg):
    path = SCHEMAS / f"{name}.schema.json"
    if not path.exists():
        raise SystemExit(f"check_json: no schema {path.name}")
    return jsonschema.Draft202012Validator({"$ref": path.as_uri()}, registry=reg, format_checker=FORMATS)


def check(name, text, source, reg):
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return [f"{source}: not JSON: {error}"]
    return [
        f"{source} ({name}): {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator(name, reg).iter_errors(value)
    ]


def main(argv):
    reg = registry()
    problems = []
    count = 0
    if len(argv) == 2:
        for path in sorted(pathlib.Path(argv[1]).glob("*.json")):
            name = path.name.split("--", 1)[0]
            problems += check(name, path.read_text(), path.name, reg)
            count += 1
    elif len(argv) == 3:
        text = sys.stdin.read() if argv[2] == "-" else pathlib.Path(argv[2]).read_text()
        problems += check(argv[1], text, argv[2], reg)
        count = 1
    else:
        raise SystemExit(__doc__)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"check_json: {count} outputs, {len(problems)} violations of schemas/json")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
