# Continuation lines: a line that starts with a binary operator continues the statement above.
plan run tests/cli/continuation/lora.plan
plan test tests/cli/continuation/lora.plan
plan fmt tests/cli/continuation/lora.plan
# fmt keeps each break (before the operator) and is idempotent
t=$(mktemp) && plan fmt tests/cli/continuation/lora.plan > "$t" && plan fmt "$t" | diff "$t" - && echo idempotent; rm -f "$t"
# a UTF-8 byte-order mark at the start of a file is accepted; columns do not count it
plan run tests/cli/continuation/bom.plan
plan run tests/cli/continuation/bom_error.plan
plan fmt --check tests/cli/continuation/bom.plan
