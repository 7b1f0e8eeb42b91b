# plan train (docs/validation.md, "Using it"): the documented example at a tiny size, every
# option, the text and the JSON result, the progress lines, and mistakes. Timings vary and are
# masked; losses are checked against ln(256) = 5.545 (a byte model that learned nothing).
set -o pipefail; tmp=$(mktemp -d); head -c 30000 data/tinyshakespeare.txt > "$tmp/c.txt"
mask() { sed -E 's/[0-9]+\.[0-9]{4}\b/L.LLLL/g; s/[0-9]+ tokens\/s \(1 threads, [0-9.]+ s\)/R tokens\/s (1 threads, T s)/'; }
plan train --corpus "$tmp/c.txt" --d-model 16 --layers 1 --heads 2 --tokens 2048 --seed 1 --lr 1e-3 --threads 1 --seq 16 --batch 4 --quiet | mask
# The progress bar: one line per tenth of the steps on a pipe, the last at the last step.
plan train --corpus "$tmp/c.txt" --d-model 16 --layers 1 --heads 2 --tokens 2048 --threads 1 --seq 16 --batch 4 2>&1 >/dev/null | sed -E 's/  loss.*//'
plan train --corpus "$tmp/c.txt" --d-model 16 --layers 1 --heads 2 --tokens 2048 --threads 1 --seq 16 --batch 4 --quiet 2>&1 >/dev/null | wc -l
# Every option; --json prints one object. Counts are exact (C = 6ND); the loss fell below ln(256).
check() { python3 -c 'import json, math, sys; r = json.load(sys.stdin); t = {k: v for k, v in r.items() if k not in ("tokens_per_s", "train_seconds", "train_loss", "train_loss_smoothed", "val_loss", "corpus")}; print(json.dumps(t, sort_keys=True)); print("C == 6ND:", r["compute_flops"] == 6 * r["n_params"] * r["tokens"]); print("losses below ln(256):", all(3 < r[k] < math.log(256) for k in ("train_loss", "train_loss_smoothed", "val_loss")))'; }
plan train --corpus "$tmp/c.txt" --format text --d-model 16 --layers 1 --heads 2 --d-mlp 32 --seq 16 --batch 4 --tokens 3000 --seed 7 --lr 3e-3 --min-lr-ratio 0.2 --warmup 2 --weight-decay 0.05 --grad-clip 0.5 --val-fraction 0.2 --eval-tokens 512 --threads 1 --json --quiet | check
# The same seed trains the same model: equal losses, to the last bit; another seed, other losses.
loss() { plan train --corpus "$tmp/c.txt" --d-model 16 --layers 1 --heads 2 --seq 16 --batch 4 --tokens 2048 --threads 1 --json --quiet "$@" | python3 -c 'import json, sys; print(repr(json.load(sys.stdin)["val_loss"]))'; }
a=$(loss --seed 3); b=$(loss --seed 3); c=$(loss --seed 4); [ "$a" = "$b" ] && echo "seed 3 twice: equal"; [ "$a" != "$c" ] && echo "seed 4: different"
# Mistakes: no corpus, a missing corpus, heads that do not divide d_model, a format it is not in.
plan train --d-model 16
plan train --corpus "$tmp/none.txt" --quiet 2>&1 | sed "s|$tmp|<tmp>|g"
plan train --corpus "$tmp/c.txt" --d-model 16 --heads 3 --quiet
plan train --corpus "$tmp/c.txt" --format tokens --quiet 2>&1 | sed "s|$tmp|<tmp>|g"
plan train --corpus "$tmp/c.txt" --format csv
rm -rf "$tmp"; set +o pipefail
