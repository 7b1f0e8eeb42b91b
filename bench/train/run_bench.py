#!/usr/bin/env python3
"""Training throughput of the CPU reference trainer against PyTorch on CPU.

Runs plan-bench-train (the C++ trainer's step: forward, backward, clip,
AdamW) and the same model/batch/threads/optimizer in PyTorch, in one run, and
prints tokens/s, the ratio, and the trainer's FLOP/s against the sgemm peak
measured on this machine. Not part of CTest (it takes about a minute).

Usage: /usr/bin/python3 bench/train/run_bench.py --binary BUILD/validation/bench_train/plan-bench-train
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in tests/validation
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "validation"))
from torch_reference import make_gpt  # noqa: E402  (the same model as the correctness test)


def torch_tokens_per_s(d, layers, heads, threads, batch, seq, vocab, warmup, min_seconds):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = make_gpt(vocab, seq, d, layers, heads, 4 * d)
    named = list(model.named_parameters())
    with torch.no_grad():  # GPT-2 init, as the C++ trainer (speed does not depend on it)
        for n, p in named:
            if p.dim() >= 2:
                p.normal_(0.0, 0.02)
    decay = [p for _, p in named if p.dim() >= 2]
    no_decay = [p for _, p in named if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95), eps=1e-8)

    def step():
        idx = torch.randint(0, vocab, (batch, seq))
        tgt = torch.randint(0, vocab, (batch, seq))
        opt.zero_grad(set_to_none=True)
        _, loss = model(idx, tgt)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(warmup):
        step()
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_seconds or steps < 3:
        step()
        steps += 1
    return steps * batch * seq / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True, help="path to plan-bench-train")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=64)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--min-seconds", type=float, default=5.0)
    ap.add_argument("--shape", action="append", help="d_model x layers, e.g. 128x4 (default: 16x1 and 128x4)")
    ap.add_argument("--json", help="also write all numbers to this file")
    args = ap.parse_args()
    shapes = args.shape or ["16x1", "128x4"]

    cmd = [args.binary, "--threads", str(args.threads), "--batch", str(args.batch), "--seq", str(args.seq),
           "--heads", str(args.heads), "--min-seconds", str(args.min_seconds)]
    for s in shapes:
        cmd += ["--shape", s]
    ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    peak = ours["sgemm_peak_flops"]

    import torch
    print("machine: %s, %d CPUs; OpenBLAS core %s; PyTorch %s; %d threads, batch %d, context %d, byte vocab"
          % (os.uname().machine, os.cpu_count(), ours["openblas_core"], torch.__version__, args.threads,
             args.batch, args.seq))
    print("measured sgemm peak (OpenBLAS, %d threads): %.1f GFLOP/s" % (args.threads, peak / 1e9))
    print()
    print("%-8s %9s %12s %12s %7s %12s %8s %8s" % ("shape", "N", "ours tok/s", "torch tok/s", "ratio",
                                                  "ours GFLOP/s", "of peak", "+attn"))
    rows = []
    for run in ours["runs"]:
        d, layers = run["d_model"], run["n_layers"]
        t = torch_tokens_per_s(d, layers, args.heads, args.threads, args.batch, args.seq, 256, 2, args.min_seconds)
        row = dict(run, torch_tokens_per_s=t, ratio=run["tokens_per_s"] / t, peak_fraction=run["flops_6n"] / peak,
                   peak_fraction_attn=run["flops_6n_attn"] / peak)
        rows.append(row)
        print("%-8s %9d %12.0f %12.0f %6.1fx %12.1f %7.1f%% %7.1f%%" % (
            "%dx%d" % (d, layers), run["n_params"], run["tokens_per_s"], t, row["ratio"], run["flops_6n"] / 1e9,
            100 * row["peak_fraction"], 100 * row["peak_fraction_attn"]))
    print()
    print("GFLOP/s = 6N x tokens/s (C = 6ND); '+attn' adds 12 L T d per token (PaLM's MFU convention).")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"sgemm_peak_flops": peak, "openblas_core": ours["openblas_core"], "runs": rows}, f, indent=2)


if __name__ == "__main__":
    main()
