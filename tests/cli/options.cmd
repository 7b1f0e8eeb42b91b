# Options the docs name that no other case runs (tests/cli/docs_options_test.py finds them).
# --stats: a line per sweep on stderr (times masked), from the backend asked for.
stats() { sed -E 's/[0-9.]+ ms/T ms/; s/run [0-9.]+ s/run T s/; s/, [0-9.]+[kM]? points\/s/, R points\/s/'; }
plan run --stats --backend interp --threads 2 tests/sweeps/budget_blocks.plan 2>&1 >/dev/null | stats
plan tests/sweeps/budget_blocks.plan --stats --backend interp 2>&1 >/dev/null | stats | sed -E 's/[0-9]+ threads/N threads/'
# fmt --write (the long form of -w) rewrites a file in place; then --check passes.
tmp=$(mktemp -d); printf 'let   x=1+2\nx*2\n' > "$tmp/a.plan"; (cd "$tmp" && plan fmt --check a.plan; plan fmt --write a.plan && cat a.plan && plan fmt --check a.plan); rm -rf "$tmp"
