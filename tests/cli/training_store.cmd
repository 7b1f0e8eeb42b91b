# One run store shared by concurrent processes, a crashed one, and damage (issue 12, part 4).
set -o pipefail; tmp=$(mktemp -d); head -c 300000 data/tinyshakespeare.txt > "$tmp/c.txt"; cd "$tmp"
printf 'use validation\nlet runs = train_runs("c.txt", [tiny_model(16, 1), tiny_model(32, 1)], [8192, 16384, 32768], "runs.sqlite",\n    training_options(seq = 16, batch = 4, eval_tokens = 256, threads = 1))\nprint [r.val_loss for r in runs]\n' > g.plan
# Two processes start together on a new store: no "database is locked", every run trained once
# (how the six are split between them, and how many the later one finds already stored, depends
# on timing: only the total and the answers are compared).
plan run g.plan > a.out 2> a.log & plan run g.plan > b.out 2> b.log & wait
cat a.log b.log | grep -c ' to train): '
cmp a.out b.out && cat a.out
# A third reads every run back and trains nothing.
plan run g.plan 2>&1 | sed -n 1p
# A process killed while training leaves a claim; the next run takes it over and does not wait.
# (The binary itself, not the `plan` shell function, so that kill -9 reaches it.)
rm runs.sqlite; "$plan_bin" run g.plan > /dev/null 2> killed.log & pid=$!; sleep 0.3; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; true
plan run g.plan 2> resumed.log; grep -c 'waiting' resumed.log || true
# A damaged store (garbage over the runs table) is an error naming it; nothing is retrained.
printf '%4000s' | tr ' ' '\253' | dd of=runs.sqlite bs=1 seek=4096 conv=notrunc status=none
plan run g.plan
cd /; rm -rf "$tmp"; set +o pipefail
