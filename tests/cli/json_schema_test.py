# Every JSON line plan prints with --json (values, print lines, sweeps on stdout; errors on stderr)
# validates against docs/plan-output.schema.json, and says what it should.
# Usage: json_schema_test.py PLAN SOURCE_ROOT
import json
import subprocess
import sys

import jsonschema

plan, root = sys.argv[1], sys.argv[2]
schema = json.load(open(f"{root}/docs/plan-output.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


def lines(*args):
    p = subprocess.run([plan, *args], capture_output=True, text=True, cwd=root)
    out = [json.loads(line) for line in p.stdout.splitlines()]
    err = [json.loads(line) for line in p.stderr.splitlines()]
    for item in out + err:
        validator.validate(item)
    return p.returncode, out, err


def check(condition, what):
    if not condition:
        sys.exit("FAIL: " + what)
    print("ok:", what)


code, out, err = lines("eval", "--json", "70e9 * 2 B -> GiB")
check(code == 0 and out == [{"type": "Data", "value": 140e9, "unit": "GiB", "display": "130.385 GiB",
                             "dimension": "Data", "base_unit": "B"}], "a quantity")

code, out, err = lines("eval", "--json", '{ name = "gpt2", sizes = [1 GB], tied = true }')
record = out[0]
check(record["type"] == "{ name: String, sizes: List<Data>, tied: Bool }", "a record names its type")
check(record["value"]["name"] == {"type": "String", "value": "gpt2"}, "a string inside a record is wrapped as at the top")
check(record["value"]["tied"] == {"type": "Bool", "value": True}, "so is a Bool")
check(record["value"]["sizes"]["value"][0]["display"] == "1 GB", "and a list and its items")
for top in ('"gpt2"', "true", "[1 GB]"):
    code, out, err = lines("eval", "--json", top)
    inner = lines("eval", "--json", "{ x = " + top + " }")[1][0]["value"]["x"]
    check(out[0] == inner, f"{top} is the same at the top level as inside a record")

code, out, err = lines("eval", "--json", "80 GB + 3 s")
d = err[0]["diagnostic"]
check(code == 2 and out == [] and (d["code"], d["file"], d["line"], d["column"]) == ("E0201", "<expr>", 1, 1),
      "an error is a JSON diagnostic on stderr")
check([n["message"] for n in d["notes"]] == ["Data", "Time"] and d["notes"][1]["column"] == 9, "with its labels as notes")

code, out, err = lines("run", "--json", "tests/cli/json/outputs.plan")
check(code == 1 and len(out) == 3, "run --json: three lines on stdout")
check(out[0]["value"]["memory"]["display"] == "80 GB", "a bare expression's value")
check(out[1] == {"print": "memory 80 GB"}, "a print line")
sweep = out[2]["sweep"]
check((sweep["name"], sweep["feasible"], sweep["points"]) == ("small", 3, 3), "a sweep")
report = sweep["reports"][0]
check(report["title"] == "top 2 by smallest b", "its report's title names the objective")
check([row["value"]["b"]["display"] for row in report["rows"]] == ["2 GB", "4 GB"], "its rows are records")
d = err[0]["diagnostic"]
check((d["code"], d["line"], d["column"], d["message"]) == ("E0601", 11, 8, "assertion failed: too large"), "a failed assert")
check(d["notes"][0]["message"] == "left side 80 GB, right side 1 GB", "with its values")

try:
    validator.validate({"type": "Data", "value": 1.0})
    check(False, "the schema rejects a quantity without its unit")
except jsonschema.ValidationError:
    check(True, "the schema rejects a quantity without its unit")
