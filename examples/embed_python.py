"""The scheduler's admission check of docs/embedding.md from Python, through embed/python/plan.py
(ctypes over libplan's C API). Runs as the golden test example.embed_python."""
import plan

s = plan.Session()
w = s.eval("70e9 * 2 B -> GiB")
print("weights:", w.value, w.unit, w.display, w.dimension)
assert w.value == 1.4e11 and w.display == "130.385 GiB"

s.set("gpus", 1024)
s.set("flops", plan.quantity(1e24, "FLOP"))
t = s.eval("flops / (gpus * 989 TFLOP/s * 40%) -> day")
print("time:", t.display, t.value)
assert abs(t.value - 1e24 / (1024 * 989e12 * 0.4)) < 1e-6

m = s.eval("llama3_70b")
print("model:", m["name"], "layers", m["layers"].value, "d_model", m["d_model"].value)
print("per GPU at tp = 8:", s.eval("stage_params(llama3_70b, tp = 8)").display)

s.eval("fn shard_bytes(params, tp = 1) = params * 2 B / tp")
b = s.call("shard_bytes", 70553706496, tp=8)
print("shard:", b.display, b.value)
assert b.value == 70553706496 * 2 / 8
print("sizes:", s.eval("[1 GB, 2 GiB]")[1].display, s.eval("2 GB > 1 GiB"), s.eval('"tp = {8}"'))

try:
    s.eval("gpus + 1 s")
except plan.Error as e:
    print(f"error {e.code} at {e.file}:{e.line}:{e.column}: {e.message}")
    print(e.rendered, end="")

# A host function: plan code calls it like its own, checked against the signature.
prices = {"H100": 2.5, "A100": 1.5}


def gpu_cost(gpu, hours):
    return plan.quantity(prices[gpu] * hours.value / 3600, "USD")


s.define_function("gpu_cost(gpu: String, hours: Time): Money", "USD for one GPU.", gpu_cost)
print("a day on 1024 H100:", s.eval('gpu_cost("H100", 1 day) * gpus -> USD').display)
try:
    s.eval('gpu_cost("TPU", 1 h)')
except plan.Error as e:
    print(f"error {e.code} at {e.file}:{e.line}:{e.column}: {e.message}")

# A sweep's rows: kept in sweeps(), or streamed to on_row.
streamed = []
t = plan.Session(on_row=streamed.append)
t.eval("sweep {\n  tp in [1, 2, 4, 8]\n  let per_gpu = 140 GB / tp -> GB\n  constraint per_gpu <= 80 GB\n"
       "  minimize tp\n  report top 1\n  report all\n}")
top = t.sweeps()[0]
print("report", top.kind, "best tp:", top.rows[0]["tp"].value, "streamed:", [r["per_gpu"].display for r in streamed])
assert [r["tp"].value for r in streamed] == [2, 4, 8]
t.cancel()
try:
    t.eval("sweep {\n  n in 1..10\n  minimize n\n  report top 1\n}")
except plan.Error as e:
    print(f"error {e.code}: {e.message}")
