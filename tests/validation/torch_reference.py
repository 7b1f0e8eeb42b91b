#!/usr/bin/env python3
"""PyTorch reference for tests/validation/test_torch_reference.cpp.

The C++ test writes the model shape, weights, one batch and the optimizer
settings to a binary file; this script builds the same GPT-2-style model in
PyTorch, loads those weights, and writes back the logits, the loss, every
parameter gradient and the losses of N AdamW steps on that batch (the llm.c
check). Nothing here is checked in as numbers: the reference is computed
fresh on every test run.

Usage: torch_reference.py IN OUT            (exit 0 ok, 2 usage/format, 3 no torch)

IN  (little-endian): b"PLANREF1"; int32 V, T, C, L, NH, M, B, NSTEPS;
    float64 beta1, beta2, eps, weight_decay, grad_clip; float64 lr[NSTEPS];
    uint32 n, then n bytes of "name:d0xd1;..." (the C++ parameter layout);
    uint64 nparams; int32 inputs[B*T]; int32 targets[B*T]; float32 params[nparams]
OUT: b"PLANOUT1"; float32 logits[B*T*V]; float32 loss; float32 grads[nparams];
    float32 step_losses[NSTEPS]
"""
import math
import struct
import sys


def fail(msg, code=2):
    sys.stderr.write("torch_reference.py: " + msg + "\n")
    sys.exit(code)


def make_gpt(V, T, C, L, NH, M):
    """The GPT-2-style model of validation/model.hpp, in PyTorch (also used by
    bench/train/run_bench.py). Parameter names and order match the C++ layout."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(C, 3 * C)
            self.proj = nn.Linear(C, C)

        def forward(self, x):
            b, t, c = x.shape
            hs = c // NH
            q, k, v = self.qkv(x).split(c, dim=2)
            q = q.view(b, t, NH, hs).transpose(1, 2)
            k = k.view(b, t, NH, hs).transpose(1, 2)
            v = v.view(b, t, NH, hs).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
            mask = torch.tril(torch.ones(t, t, dtype=torch.bool))
            att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
            y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
            return self.proj(y)

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(C, M)
            self.proj = nn.Linear(M, C)

        def forward(self, x):
            return self.proj(F.gelu(self.fc(x), approximate="tanh"))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(C)
            self.attn = Attention()
            self.ln2 = nn.LayerNorm(C)
            self.mlp = Mlp()

        def forward(self, x):
            x = x + self.attn(self.ln1(x))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte = nn.Parameter(torch.zeros(V, C))
            self.wpe = nn.Parameter(torch.zeros(T, C))
            self.h = nn.ModuleList([Block() for _ in range(L)])
            self.lnf = nn.LayerNorm(C)
            self.head = nn.Linear(C, V, bias=False)

        def forward(self, idx, tgt):
            x = self.wte[idx] + self.wpe[: idx.shape[1]]
            for blk in self.h:
                x = blk(x)
            logits = self.head(self.lnf(x))
            return logits, F.cross_entropy(logits.view(-1, V), tgt.view(-1))

    return GPT()


def main():
    if len(sys.argv) != 3:
        fail("usage: torch_reference.py IN OUT")
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except Exception as e:  # ImportError, or a broken install
        fail("cannot import torch with %s (%s); install Debian's python3-torch "
             "(apt-get install python3-torch python3-numpy)" % (sys.executable, e), 3)
    torch.set_num_threads(1)

    data = open(sys.argv[1], "rb").read()
    if data[:8] != b"PLANREF1":
        fail("%s: bad magic" % sys.argv[1])
    pos = 8

    def take(fmt):
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    V, T, C, L, NH, M, B, NSTEPS = take("8i")
    beta1, beta2, eps, wd, clip = take("5d")
    lrs = take("%dd" % NSTEPS)
    (nlen,) = take("I")
    layout = data[pos:pos + nlen].decode()
    pos += nlen
    (nparams,) = take("Q")
    inputs = torch.tensor(take("%di" % (B * T)), dtype=torch.long).view(B, T)
    targets = torch.tensor(take("%di" % (B * T)), dtype=torch.long).view(B, T)
    flat = torch.frombuffer(bytearray(data[pos:pos + 4 * nparams]), dtype=torch.float32)
    if flat.numel() != nparams:
        fail("truncated parameter block")

    model = make_gpt(V, T, C, L, NH, M)
    named = list(model.named_parameters())
    ours = ";".join("%s:%s" % (n, "x".join(str(d) for d in p.shape)) for n, p in named)
    if ours != layout:
        fail("parameter layout differs:\n  C++:     %s\n  PyTorch: %s" % (layout, ours))
    with torch.no_grad():
        off = 0
        for _, p in named:
            p.copy_(flat[off:off + p.numel()].view_as(p))
            off += p.numel()

    decay = [p for _, p in named if p.dim() >= 2]
    no_decay = [p for _, p in named if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": wd},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=lrs[0], betas=(beta1, beta2), eps=eps, foreach=False)
    out = bytearray(b"PLANOUT1")
    step_losses = []
    for k in range(NSTEPS):
        for g in opt.param_groups:
            g["lr"] = lrs[k]
        opt.zero_grad(set_to_none=True)
        logits, loss = model(inputs, targets)
        loss.backward()
        if k == 0:
            out += struct.pack("<%df" % logits.numel(), *logits.detach().reshape(-1).tolist())
            out += struct.pack("<f", loss.item())
            grads = torch.cat([p.grad.reshape(-1) for _, p in named])
            out += struct.pack("<%df" % grads.numel(), *grads.tolist())
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        step_losses.append(loss.item())
    out += struct.pack("<%df" % NSTEPS, *step_losses)
    with open(sys.argv[2], "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
