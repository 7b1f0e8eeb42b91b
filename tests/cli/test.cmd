# plan test: a result line per file, asserts not reached counted, -k, --junit, approx().
plan test tests/cli/specs
plan test tests/cli/specs -k approx
plan test tests/cli/specs -k no_such_spec
plan test scripts
plan test tests/cli/no_such_dir
junit=$(mktemp) && plan test tests/cli/specs tests/cli/fixtures/spec.plan --junit "$junit" >/dev/null 2>&1; python3 tests/cli/junit_summary.py "$junit"; rm -f "$junit"
