"""The JSON Schemas of docs/schema/ checked against the real engine.

* Output schemas: leandesk_schema_samples runs the engine through a scenario and writes every entity
  its JSON codec emits; every sample must validate against docs/schema/<entity>.schema.json, every
  entity must have a schema and every schema samples, and each nullable field must be seen both
  null and set (or be listed in NEVER_NULL / NEVER_SET with the reason).
* Input schemas: docs/schema/input/<kind>.schema.json must reject an unknown key and accept a
  minimal input, and must agree with the engine on a corpus of good and bad inputs
  (leandesk_schema_samples --judge-inputs runs each through the create command and rolls back).

The samples binary is taken from $LEANDESK_SCHEMA_SAMPLES (ctest sets it), else the newest
build*/tests/schema/leandesk_schema_samples under the repository.
"""

import copy
import datetime
import json
import os
import pathlib
import re
import subprocess

import pytest
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

REPO = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO / "docs" / "schema"
INPUT_DIR = SCHEMA_DIR / "input"
ID_BASE = "https://leandesk.invalid/schema/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# The composite results of the engine (src/engine/engine.hpp) besides the entities of the codec.
COMPOSITES = {"step_actions", "project_review", "action_detail"}
INPUT_KINDS = {"user", "group", "step", "resource", "project", "action", "comment", "indicator", "photo"}

# Nullable fields the scenario cannot show both null and set, with the reason (none today: keep
# the list empty by extending the scenario in schema_samples.cpp).
NEVER_NULL = {}
NEVER_SET = {}


# ---- loading ------------------------------------------------------------------------------------

def _ecma_pattern(validator, pattern, instance, schema):
    """`pattern` with ECMA-262 semantics for a final `$` (end of input). Python's `$` also matches
    before a final newline, which would let "name\\n" pass a one-line pattern."""
    if not validator.is_type(instance, "string"):
        return
    python = re.sub(r"(?<!\\)\$$", r"\\Z", pattern)
    if not re.search(python, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _all_schema_files():
    return sorted(SCHEMA_DIR.glob("*.schema.json")) + sorted(INPUT_DIR.glob("*.schema.json"))


@pytest.fixture(scope="session")
def registry():
    resources = []
    for path in _all_schema_files():
        doc = _load(path)
        resources.append((doc["$id"], Resource.from_contents(doc)))
    return Registry().with_resources(resources)


def _validator(schema, registry):
    return Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def entity_schemas():
    return {p.name[: -len(".schema.json")]: _load(p) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))
            if p.name != "defs.schema.json"}


def input_schemas():
    return {p.name[: -len(".schema.json")]: _load(p) for p in sorted(INPUT_DIR.glob("*.schema.json"))}


def _samples_binary():
    env = os.environ.get("LEANDESK_SCHEMA_SAMPLES")
    if env:
        return pathlib.Path(env)
    found = sorted(REPO.glob("build*/tests/schema/leandesk_schema_samples"),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    if not found:
        pytest.fail("leandesk_schema_samples not found: build the project (target "
                    "leandesk_schema_samples) or set LEANDESK_SCHEMA_SAMPLES")
    return found[0]


def _run(args):
    proc = subprocess.run([str(_samples_binary()), *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (
        f"leandesk_schema_samples {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stderr}")


@pytest.fixture(scope="session")
def samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples") / "samples.json"
    _run([str(out)])
    return _load(out)


# ---- the schemas themselves ---------------------------------------------------------------------

@pytest.mark.parametrize("path", _all_schema_files(), ids=lambda p: str(p.relative_to(SCHEMA_DIR)))
def test_schema_is_valid_draft_2020_12(path):
    doc = _load(path)
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == DRAFT
    assert doc["$id"] == ID_BASE + str(path.relative_to(SCHEMA_DIR)), "$id must follow the file path"
    for pattern in _walk(doc, "pattern"):
        re.compile(pattern)


def _walk(node, key):
    """Every value of `key` anywhere under `node`."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


def _object_schemas(node):
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for v in node.values():
            yield from _object_schemas(v)
    elif isinstance(node, list):
        for v in node:
            yield from _object_schemas(v)


@pytest.mark.parametrize("path", _all_schema_files(), ids=lambda p: str(p.relative_to(SCHEMA_DIR)))
def test_objects_are_closed_and_described(path):
    doc = _load(path)
    if path.name == "defs.schema.json":
        for name, d in doc["$defs"].items():
            assert d.get("description"), f"$defs/{name} needs a description"
        return
    assert doc.get("title") and doc.get("description")
    assert doc["additionalProperties"] is False
    for prop, sub in doc["properties"].items():
        assert sub.get("description"), f"{path.name}: '{prop}' needs a description"
    if path.parent == SCHEMA_DIR:
        # Entities: every key the codec emits is required, except PersonView's e-mail (R13).
        optional = {"email"} if path.name == "person_view.schema.json" else set()
        assert set(doc["required"]) == set(doc["properties"]) - optional


def test_every_entity_has_a_schema_and_every_schema_has_samples(samples):
    schemas = set(entity_schemas())
    assert COMPOSITES <= schemas
    assert set(samples) == schemas, (
        f"entities without schema: {sorted(set(samples) - schemas)}; "
        f"schemas without samples: {sorted(schemas - set(samples))}")
    for name, items in samples.items():
        assert items, f"no sample of {name}"


def test_every_codec_entity_has_a_schema():
    """Each to_json overload of src/model/json.hpp and src/engine/engine.hpp has a schema."""
    names = set()
    for header in (REPO / "src/model/json.hpp", REPO / "src/engine/engine.hpp"):
        for cpp in re.findall(r"void to_json\(Json& j, const (\w+)& v\);", header.read_text()):
            names.add(re.sub(r"(?<!^)([A-Z])", r"_\1", cpp).lower())
    assert names, "no to_json declarations found"
    assert names == set(entity_schemas()), f"codec vs schemas: {sorted(names ^ set(entity_schemas()))}"


def test_input_schemas_cover_the_create_commands():
    assert set(input_schemas()) == INPUT_KINDS


# ---- samples against the output schemas ---------------------------------------------------------

@pytest.mark.parametrize("entity", sorted(entity_schemas()))
def test_samples_match_schema(entity, samples, registry):
    validator = _validator(entity_schemas()[entity], registry)
    problems = []
    for i, item in enumerate(samples.get(entity, [])):
        for err in validator.iter_errors(item):
            problems.append(f"{entity}[{i}] at /{'/'.join(map(str, err.absolute_path))}: {err.message}")
    assert not problems, "\n".join(problems[:20])


def _instances(samples, entity):
    """Every sample of `entity`, including those nested in composite results."""
    found = list(samples.get(entity, []))
    for outer, schema in entity_schemas().items():
        for prop, sub in schema["properties"].items():
            ref = sub.get("$ref") or sub.get("items", {}).get("$ref")
            if ref != f"{entity}.schema.json":
                continue
            for item in _instances(samples, outer):
                found.extend(item[prop] if "items" in sub else [item[prop]])
    return found


def _nullable_properties(schema, defs):
    for prop, sub in schema["properties"].items():
        if sub.get("$ref", "").startswith("defs.schema.json#/$defs/"):
            sub = defs[sub["$ref"].rsplit("/", 1)[1]]
        types = sub.get("type")
        if isinstance(types, list) and "null" in types:
            yield prop


def test_optional_fields_are_seen_null_and_set(samples):
    defs = _load(SCHEMA_DIR / "defs.schema.json")["$defs"]
    missing = []
    for entity, schema in entity_schemas().items():
        items = _instances(samples, entity)
        for prop in _nullable_properties(schema, defs):
            values = [item[prop] for item in items]
            if (entity, prop) not in NEVER_NULL and None not in values:
                missing.append(f"{entity}.{prop} never null")
            if (entity, prop) not in NEVER_SET and all(v is None for v in values):
                missing.append(f"{entity}.{prop} never set")
            if (entity, prop) in NEVER_NULL and None in values:
                missing.append(f"{entity}.{prop} is now null sometimes: drop it from NEVER_NULL")
            if (entity, prop) in NEVER_SET and any(v is not None for v in values):
                missing.append(f"{entity}.{prop} is now set sometimes: drop it from NEVER_SET")
    views = _instances(samples, "person_view")
    if not any("email" in v for v in views):
        missing.append("person_view with e-mail never seen")
    if all("email" in v for v in views):
        missing.append("person_view without e-mail never seen")
    assert not missing, "\n".join(missing)


def _week_exists(week):
    year, number = int(week[:4]), int(week[6:])
    return number <= datetime.date(year, 12, 28).isocalendar()[1]


def test_derived_values_follow_their_rules(samples):
    """What a JSON Schema cannot say: R16 display names, week 53, derived flags, log order."""
    for u in _instances(samples, "user"):
        name = " ".join(n for n in (u["first_name"], u["last_name"]) if n)
        expected = name if u["activated_at"] is not None and name else u["email"]
        assert u["display_name"] == expected, u
    for v in _instances(samples, "person_view"):
        name = " ".join(n for n in (v["first_name"], v["last_name"]) if n)
        if v["activated"] and name:
            assert v["display_name"] == name, v
        elif "email" in v:
            assert v["display_name"] == v["email"], v
    for entity, key in (("indicator_value", "week"), ("indicator_point", "week")):
        for item in _instances(samples, entity):
            assert _week_exists(item[key]), item
    for p in _instances(samples, "project"):
        if p["start_date"] and p["target_date"]:
            assert p["start_date"] <= p["target_date"], p
    actions = _instances(samples, "action")
    assert any(a["overdue"] for a in actions) and not all(a["overdue"] for a in actions)
    for a in actions:
        if a["overdue"]:
            assert a["due_date"] is not None and a["done_at"] is None, a
    seqs = [c["seq"] for c in samples["change"]]
    assert seqs == sorted(set(seqs)), "change seq must be strictly increasing"
    change_entities = entity_schemas()["change"]["properties"]["entity"]["enum"]
    seen = {(c["entity"], c["op"]) for c in samples["change"]}
    ops = {"member": "id", "participant": "id", "comment": "id", "photo": "id", "indicator_value": "ud"}
    for entity in change_entities:
        for op in ops.get(entity, "iud"):  # what the engine logs for each (no comment or photo edits)
            op = {"i": "insert", "u": "update", "d": "delete"}[op]
            assert (entity, op) in seen, f"no change record of {entity} {op} in the samples"
    for review in samples["project_review"]:
        for sa in review["steps"]:
            for a in sa["actions"]:
                assert a["step_id"] == sa["step"]["id"] and a["project_id"] == review["project"]["id"]


def test_schema_rejects_what_the_codec_never_emits(samples, registry):
    """The schemas are not vacuous: breaking a real sample makes it fail."""
    schemas = entity_schemas()
    mutations = [
        ("user", "email", "Ann@Example.com"),
        ("user", "status", "platinum"),
        ("user", "avatar", "ABC"),
        ("action", "priority", 4),
        ("action", "progress", 101),
        ("action", "due_date", "2026-02-30"),
        ("action", "title", "two\nlines"),
        ("action", "title", "   "),
        ("action", "owner_id", "ABCDEF00-0000-4000-8000-000000000000"),
        ("action", "impact", 2e15),
        ("step", "kind", "closed"),
        ("project", "status", "archived"),
        ("project", "start_date", "26-01-01"),
        ("indicator_value", "week", "2026-W54"),
        ("photo", "mime", "image/gif"),
        ("comment", "body", " \n\t"),
        ("group", "name", "x" * 201),
        ("change", "op", "upsert"),
        ("person_view", "email", None),
    ]
    for entity, key, value in mutations:
        item = copy.deepcopy(samples[entity][0])
        item[key] = value
        assert not _validator(schemas[entity], registry).is_valid(item), (entity, key, value)
    for entity in ("user", "action", "project", "change"):
        item = copy.deepcopy(samples[entity][0])
        item["extra"] = 1
        assert not _validator(schemas[entity], registry).is_valid(item), f"{entity} must be closed"
        item = copy.deepcopy(samples[entity][0])
        del item["id" if "id" in item else "seq"]
        assert not _validator(schemas[entity], registry).is_valid(item), f"{entity} id is required"
    # A change naming a field its entity does not have, or a member with a single id.
    change = copy.deepcopy(next(c for c in samples["change"] if c["entity"] == "action"))
    change["fields"] = ["password_hash"]
    assert not _validator(schemas["change"], registry).is_valid(change)
    change = copy.deepcopy(next(c for c in samples["change"] if c["entity"] == "member"))
    change["entity_id"] = change["entity_id"].split("/")[0]
    assert not _validator(schemas["change"], registry).is_valid(change)


# ---- input schemas ------------------------------------------------------------------------------

MINIMAL = {
    "user": {"email": "new.person@example.com"},
    "group": {"name": "Plant 3"},
    "step": {"name": "Review"},
    "resource": {"name": "Board"},
    "project": {"group_id": "$group", "name": "Lead time"},
    "action": {"project_id": "$project", "title": "Map the flow"},
    "comment": {"body": "Done."},
    "indicator": {"project_id": "$project", "name": "Lead time"},
    "photo": {},
}
FRESH_ID = "0f5c2a4e-9b1d-4c3a-8e7f-6a5b4c3d2e1f"
# The optional input keys whose field may be null: null leaves it unset. Elsewhere null is refused.
NULLABLE = {
    "user": set(), "group": set(), "step": set(), "comment": set(), "indicator": set(),
    "resource": {"url", "note"},
    "project": {"start_date", "target_date"},
    "action": {"owner_id", "due_date", "indicator_id", "impact"},
    "photo": {"taken_at"},
}


def _cases():
    """(kind, input, field, engine_only): field names the key the case is about (the engine's
    message must quote it when it refuses); engine_only gives the reason when the schema must
    accept an input that the engine refuses for a reason a JSON Schema cannot express."""
    c = []

    def add(kind, patch, field=None, engine_only=None, drop=None):
        data = dict(MINIMAL[kind])
        if drop:
            data.pop(drop)
        data.update(patch)
        c.append((kind, data, field, engine_only))

    good = {
        "id": [FRESH_ID, None],
        "name": ["x", "x" * 200, "é" * 200, "😀" * 200, " padded ", "a\u2028b", "a\u0085b"],
        "person_name": ["", "   ", "x" * 200, "Zoë", None],
        "title": ["x" * 300, "Fix it 🔧"],
        "short_text": ["", "x" * 200, "@line-3", None],
        "long_text": ["", "a\nb\tc\r\n", "x" * 20000, "ü" * 20000, None],
        "long_text_nonblank": ["a", " \n x", "x" * 20000],
        "date": ["2024-02-29", "1900-01-01", "9999-12-31", None],
        "bool": [True, False, None],
        "priority": [0, 3, None],
        "progress": [0, 100, None],
        "measure": [0, -3.5, 1e15, -1e15, 12, None],
        "taken_at": [0, 253402300799999, None],
        "url": ["https://a.example/x?y=1", "http://x", "https://" + "a" * 2040, None],
        "step_kind": ["open", "active", "done", None],
        "email": ["Mixed.Case@Example.COM", "a@b.co", "x" * 64 + "@example.com", "ünï@exämple.de"],
    }
    bad = {
        "id": ["not-an-id", FRESH_ID.upper(), FRESH_ID.replace("-", ""), "{" + FRESH_ID + "}",
               FRESH_ID + " ", 123, {"id": FRESH_ID}, []],
        "ref": ["nope", FRESH_ID.upper(), 7, {"x": 1}],
        "name": ["", "   ", "x" * 201, "é" * 201, "a\u0007b", "two\nlines", "tab\there", "nul\u0000",
                 "del\u007f", 42, True, ["x"], {"x": "y"}],
        "person_name": ["x" * 201, "a\u0001", "two\nlines", 3, False],
        "title": ["", "  ", "x" * 301, "a\nb", 5],
        "short_text": ["x" * 201, "a\nb", "esc\u001b", 1, []],
        "long_text": ["x" * 20001, "a\u0000b", "bell\u0007", "esc\u001b", "del\u007f", 7, {}],
        "long_text_nonblank": ["", " \n\t\r ", "x" * 20001, "a\u0000", 9],
        "date": ["2026-02-30", "26-01-01", "2026-13-01", "2026-00-10", "2026-01-00", "1899-12-31",
                 "2026-1-01", "2026/01/01", "2026-01-01T00:00:00Z", " 2026-01-01", "", 20260101],
        "bool": ["true", 1, 0, "yes"],
        "priority": [-1, 4, "2", 2.5, True],
        "progress": [-1, 101, "50", 50.5, False],
        "measure": [1.0000001e15, -1e16, 1e300, "1", True],
        "taken_at": [-1, 253402300800000, 1.5, "0"],
        "url": ["ftp://x.example", "https://a b", "javascript:alert(1)", "", "https://" + "a" * 2041,
                "http://x\n", 5],
        "step_kind": ["closed", "OPEN", "", 1],
        "email": ["", "plain", "a@b", "@b.co", "a@", "a@@b.co", "a@b@c.co", "a b@c.de", "a@b..co",
                  "a@.b.co", "a@b.co.", "<a@b.co>", "a,b@c.de", "a;b@c.de", 'a"b@c.de',
                  "x" * 65 + "@example.com", "a\u0001@b.co", "a@" + "b" * 250 + ".co", 5],
    }
    fields = {
        "user": {"id": "id", "first_name": "person_name", "last_name": "person_name",
                 "activated": "bool", "email": "email"},
        "group": {"id": "id", "name": "name"},
        "step": {"id": "id", "name": "name", "kind": "step_kind"},
        "resource": {"id": "id", "name": "name", "url": "url", "note": "long_text"},
        "project": {"id": "id", "group_id": "ref", "name": "name", "description": "long_text",
                    "future_state": "long_text", "start_date": "date", "target_date": "date"},
        "action": {"id": "id", "project_id": "ref", "title": "title", "description": "long_text",
                   "step_id": "ref", "owner_id": "ref", "context": "short_text", "due_date": "date",
                   "priority": "priority", "progress": "progress", "indicator_id": "ref",
                   "impact": "measure"},
        "comment": {"id": "id", "body": "long_text_nonblank"},
        "indicator": {"id": "id", "project_id": "ref", "name": "name", "unit": "short_text",
                      "baseline": "measure", "target": "measure"},
        "photo": {"id": "id", "caption": "short_text", "taken_at": "taken_at"},
    }
    refs = {"group_id": "$group", "project_id": "$project", "step_id": "$step", "owner_id": "$owner",
            "indicator_id": "$indicator"}
    for kind, table in fields.items():
        required = set(MINIMAL[kind])
        for key, shape in table.items():
            if shape == "ref":
                add(kind, {key: refs[key]})
                if key not in required:
                    add(kind, {key: None}, field=None if key in NULLABLE[kind] else key)
            for value in good.get(shape, []):
                if value is None and (key in required or key not in NULLABLE[kind]):
                    add(kind, {key: value}, field=key)  # null only clears a field that may be null
                    continue
                add(kind, {key: value})
            for value in bad[shape]:
                add(kind, {key: value}, field=key)
            if key in required:
                add(kind, {key: None}, field=key)
                add(kind, {}, field=key, drop=key)
        add(kind, {"colour": "red"}, field="colour")
        add(kind, {"Name": "x"}, field="Name")
    # Not an object at all.
    for kind in fields:
        for value in ([], "x", 1, True):
            c.append((kind, value, None, None))
    c.append(("photo", None, None, None))  # add_photo takes null for "no options"
    # R17: never collected; refused like any unknown key.
    for key in ("address", "iban", "card_number", "city"):
        c.append(("user", {**MINIMAL["user"], key: "x"}, key, None))
    # What the engine checks beyond the shape.
    c.append(("project", {**MINIMAL["project"], "start_date": "2026-05-01", "target_date": "2026-04-30"},
              "target_date", "target_date before start_date"))
    c.append(("project", {**MINIMAL["project"], "start_date": "2026-05-01", "target_date": "2026-05-01"},
              None, None))
    c.append(("action", {**MINIMAL["action"], "priority": 2.0}, "priority",
              "JSON Schema counts 2.0 as an integer; the engine wants an integer literal"))
    c.append(("photo", {"taken_at": 1.0}, "taken_at",
              "JSON Schema counts 1.0 as an integer; the engine wants an integer literal"))
    c.append(("action", {**MINIMAL["action"], "owner_id": "$outsider"}, "owner_id",
              "the owner must be a participant of the project"))
    c.append(("action", {**MINIMAL["action"], "owner_id": FRESH_ID}, "owner_id",
              "the owner must be a participant of the project"))
    c.append(("user", {"email": "ANN@example.com"}, None, "the address is taken (conflict)"))
    c.append(("group", {"name": "x", "id": "$group"}, None, "the id is taken (conflict)"))
    return c


CASES = _cases()


@pytest.fixture(scope="session")
def verdicts(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    (d / "cases.json").write_text(json.dumps([{"kind": k, "input": i} for k, i, _, _ in CASES]))
    _run(["--judge-inputs", str(d / "cases.json"), str(d / "verdicts.json")])
    out = _load(d / "verdicts.json")
    assert len(out) == len(CASES)
    return out


@pytest.mark.parametrize("kind", sorted(INPUT_KINDS))
def test_input_schema_accepts_minimal_and_rejects_unknown_key(kind, registry):
    validator = _validator(input_schemas()[kind], registry)
    minimal = {k: (FRESH_ID if isinstance(v, str) and v.startswith("$") else v)
               for k, v in MINIMAL[kind].items()}
    assert validator.is_valid(minimal), list(validator.iter_errors(minimal))
    assert not validator.is_valid({**minimal, "unknown_key": 1})
    assert not validator.is_valid({**minimal, "address": "1 Main St"})  # R17


@pytest.mark.parametrize("kind", sorted(INPUT_KINDS))
def test_input_schema_agrees_with_engine(kind, verdicts, registry):
    validator = _validator(input_schemas()[kind], registry)
    problems = []
    for (k, _, field, engine_only), verdict in zip(CASES, verdicts):
        if k != kind:
            continue
        data = verdict["input"]
        schema_ok = validator.is_valid(data)
        engine_ok = verdict["accepted"]
        shown = json.dumps(data, ensure_ascii=True)
        shown = shown if len(shown) < 160 else shown[:157] + "..."
        if engine_only:
            if not schema_ok or engine_ok:
                problems.append(f"{shown}: expected schema to accept and engine to refuse "
                                f"({engine_only}); schema {schema_ok}, engine {engine_ok}")
            continue
        if schema_ok != engine_ok:
            why = verdict.get("message", "") if not engine_ok else \
                "; ".join(e.message[:100] for e in validator.iter_errors(data))
            problems.append(f"{shown}: schema {'accepts' if schema_ok else 'refuses'}, engine "
                            f"{'accepts' if engine_ok else 'refuses'} ({why})")
            continue
        if not engine_ok:
            if verdict["code"] != "invalid argument":
                problems.append(f"{shown}: refused with {verdict['code']}, not invalid argument")
            if field and f"'{field}'" not in verdict["message"]:
                problems.append(f"{shown}: message does not name '{field}': {verdict['message']}")
    assert not problems, f"{len(problems)} disagreement(s):\n" + "\n".join(problems[:40])
