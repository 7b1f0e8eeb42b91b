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
