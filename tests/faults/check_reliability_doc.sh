#!/usr/bin/env bash
# Keeps docs/reliability.md true to the fault suite it describes (ctest: faults.docs_current):
#   - every test this folder registers is named in the page (a new test cannot go undocumented);
#   - the page calls a test "disabled" only when ctest really has it disabled, and names every
#     disabled one (the page once listed fixed findings as "registered disabled" long after they
#     ran as regressions).
#
#   check_reliability_doc.sh <docs/reliability.md> <build>/tests/faults
set -euo pipefail
doc=${1:?usage: check_reliability_doc.sh <reliability.md> <ctest dir of tests/faults>}
dir=${2:?usage: check_reliability_doc.sh <reliability.md> <ctest dir of tests/faults>}

ctest --test-dir "$dir" --show-only=json-v1 >"${TMPDIR:-/tmp}/faults-tests.$$.json"
trap 'rm -f "${TMPDIR:-/tmp}/faults-tests.$$.json"' EXIT
python3 - "$doc" "${TMPDIR:-/tmp}/faults-tests.$$.json" <<'PY'
import json, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
tests = json.load(open(sys.argv[2]))["tests"]
failures = []
disabled = set()
for t in tests:
    name = t["name"]
    if name == "faults.docs_current":
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if props.get("DISABLED") in (True, "ON", "TRUE", "1"):
        disabled.add(name)
    if name not in doc:
        failures.append(f"{name} is registered but docs/reliability.md does not name it")
# A claim that tests are disabled: "registered disabled", "3 disabled", "**disabled**".
claim = re.compile(r"registered\W+disabled|\d+\s+disabled|\*\*disabled\*\*", re.IGNORECASE)
if not disabled:
    for line in doc.splitlines():
        if claim.search(line):
            failures.append("the page says tests are disabled, but none is: " + line.strip()[:160])
for name in sorted(disabled):
    if not re.search(re.escape(name) + r".{0,80}disabled", doc, flags=re.IGNORECASE | re.DOTALL):
        failures.append(f"{name} is disabled in ctest but the page does not say so")
for f in failures:
    print("FAIL:", f)
print(f"{len(tests)} tests checked against the page, {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
PY
