// The sizing library's hardware catalog, training memory, inference and cost modules
// (stdlib/hardware.plan, memory.plan, inference.plan, cost.plan), through the embedding API:
// formulas on inputs worked out by hand, the validation against Korthikanti et al. 2022, and
// properties (monotone in micro-batch, ZeRO-3 divides by d, tensor parallelism divides by t).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "plan/plan.hpp"

namespace {

plan::SessionOptions quiet() {
    plan::SessionOptions o;
    o.print_expressions = false;
    return o;
}

const char* kModules = "use models\nuse hardware\nuse memory\nuse inference\nuse cost\nuse quantization\nuse finetune\nuse capacity\nuse card\nuse parallelism::experts\n";

// A session with the four modules (and models) loaded.
struct Sizing {
    plan::Session s{quiet()};
    Sizing() {
        plan::Result r = s.eval(kModules, "<modules>");
        if (!r.ok()) FAIL(r.errors.at(0).rendered);
    }
    // The value of an expression in SI base units (bytes, seconds, FLOP, USD, joules).
    double si(const std::string& code) {
        plan::Result r = s.eval(code, "<test>");
        if (!r.ok()) FAIL(code << "\n" << r.errors.at(0).rendered);
        REQUIRE(r.value);
        REQUIRE(r.value->number);
        return *r.value->number;
    }
    std::string show(const std::string& code) {
        plan::Result r = s.eval(code, "<test>");
        if (!r.ok()) return "error: " + r.errors.at(0).message;
        return r.value ? r.value->display : "<no value>";
    }
    bool truth(const std::string& code) { return show(code) == "true"; }
};

}  // namespace

TEST_CASE("every module loads, alone and with the others", "[hardware]") {
    for (const char* m : {"hardware", "memory", "inference", "cost"}) {
        plan::Session s(quiet());
        plan::Result r = s.eval(std::string("use ") + m, "<test>");
        INFO(m << (r.ok() ? "" : r.errors.at(0).rendered));
        CHECK(r.ok());
    }
    plan::Session s(quiet());
    CHECK(s.eval(std::string(kModules) + "use compute\nuse scaling\n", "<test>").ok());
}

TEST_CASE("catalog: every device has memory and a bf16 peak, in the right units", "[hardware]") {
    Sizing z;
    CHECK(z.si("len(accelerators)") == 11);
    CHECK(z.truth("len([g for g in accelerators if g.memory > 0 GB and g.bf16 > 0 TFLOP/s]) == 11"));
    CHECK(z.truth("len([g for g in accelerators if g.bandwidth > 0 GB/s]) == 11"));
    // Dense peaks: fp8 at least bf16 where it exists, tf32 half of bf16 on NVIDIA tensor cores.
    CHECK(z.truth("len([g for g in accelerators if g.fp8 > 0 TFLOP/s and g.fp8 < g.bf16]) == 0"));
    plan::Result t = z.s.eval("H100_SXM.bandwidth");
    REQUIRE(t.ok());
    CHECK(t.value->type == "Bandwidth");
    CHECK(z.s.eval("H100_SXM.power").value->type == "Power");
    CHECK(z.s.eval("H100_SXM.memory").value->type == "Data");
    CHECK(z.s.eval("H100_SXM.fp8").value->type == "ComputeRate");
    // Datasheet figures.
    CHECK(z.si("H100_SXM.bf16") == Approx(989.4e12));
    CHECK(z.si("A100_80GB.bf16") == 312e12);
    CHECK(z.si("A100_80GB.memory") == 80e9);
    CHECK(z.si("A100_40GB.bandwidth") == 1555e9);
    CHECK(z.si("H200.memory") == 141e9);
    CHECK(z.si("H200.bf16") == z.si("H100_SXM.bf16"));
    CHECK(z.si("MI300X.memory") == 192e9);
    CHECK(z.si("TPU_v4.memory") == 32.0 * 1024 * 1024 * 1024);
    CHECK(z.si("TPU_v5p.bf16") == 459e12);
    CHECK(z.si("A100_40GB.fp8") == 0);  // Ampere has no FP8
    CHECK(z.si("peak(H100_SXM, \"fp8\")") == Approx(1978.9e12));
    CHECK(z.si("peak(H100_SXM)") == Approx(989.4e12));
    CHECK(z.si("peak(A100_80GB, \"tf32\")") == 156e12);
    // A record built by hand has the catalog's type: it mixes in the list.
    CHECK(z.si("len([H100_SXM { memory = 94 GB }, A100_80GB])") == 2);
}

TEST_CASE("clusters: totals and the price per device-hour", "[hardware]") {
    Sizing z;
    z.s.eval("let cl = cluster(H100_SXM, 512, mfu = 40%, price = 2.5 USD/GPU_hour)");
    CHECK(z.si("cl.peak") == Approx(512 * 989.4e12));
    CHECK(z.si("cl.throughput") == Approx(512 * 989.4e12 * 0.4));
    CHECK(z.si("cl.hourly") == Approx(512 * 2.5 / 3600.0));  // USD per second in SI
    CHECK(z.show("cl.hourly") == "1280 USD/h");
    CHECK(z.si("cl.power") == 512 * 700.0);
    CHECK(z.si("cluster(H100_SXM, 8, precision = \"fp8\").peak") == Approx(8 * 1978.9e12));
}

TEST_CASE("training time, GPU-hours, cost and energy by hand", "[hardware]") {
    Sizing z;
    // 4.2e22 FLOP on 1000 devices of 1e15 FLOP/s at 50%: 8.4e4 s; 1000 × 8.4e4 s = 23,333.3 h.
    z.s.eval(
        "let dev = H100_SXM { bf16 = 1 PFLOP/s, power = 1 kW }\n"
        "let cl = cluster(dev, 1000, mfu = 50%, price = 3 USD/GPU_hour)\n"
        "let c = 4.2e22 FLOP");
    CHECK(z.si("training_time(c, cl)") == Approx(84000));
    CHECK(z.show("training_time(c, cl)") == "0.972222 day");
    CHECK(z.si("training_gpu_hours(c, cl)") == Approx(84000 * 1000.0));
    CHECK(z.show("training_gpu_hours(c, cl)") == "23333.3 GPU_hour");
    CHECK(z.si("training_cost(c, cl)") == Approx(23333.333 * 3).epsilon(1e-6));
    CHECK(z.si("training_energy(c, cl)") == Approx(1000 * 1000.0 * 84000));  // 84 GJ = 23.33 MWh
    CHECK(z.si("training_energy(c, cl, pue = 1.2)") == Approx(1.2 * 1000 * 1000.0 * 84000));
    CHECK(z.si("training_run(c, cl).pf_days") == Approx(4.2e22));
    CHECK(z.show("training_run(c, cl).pf_days") == "486.111 PF_day");
    // 3 days at 5e14 FLOP/s per device: ceil(4.2e22 / (5e14 × 259200)) = ceil(324.07) = 325.
    CHECK(z.si("devices_for_deadline(c, cl, 3 day)") == 325);
}

TEST_CASE("optimizer and weight bytes per parameter", "[hardware]") {
    Sizing z;
    auto total = [&](const std::string& name) {
        return z.si("{ let o = optimizer_bytes(\"" + name + "\"); o.weights + o.grads + o.states }");
    };
    CHECK(total("adamw") == 16);
    CHECK(total("adamw_megatron") == 18);
    CHECK(total("adamw_fp32") == 16);
    CHECK(total("adam8bit") == 10);
    CHECK(total("sgd") == 12);
    CHECK(z.si("bytes_per_weight(\"bf16\")") == 2);
    CHECK(z.si("bytes_per_weight(\"int8\")") == 1);
    CHECK(z.si("bytes_per_weight(\"int4\")") == 0.5);
    // QLoRA: 4 bits + a 32-bit absmax per 64 weights = 4.5 bits; double quantization 4.127 bits.
    CHECK(z.si("bytes_per_weight(\"nf4\")") == Approx(4.5 / 8));
    CHECK(z.si("bytes_per_weight(\"nf4_dq\")") == Approx((4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8));
    CHECK(z.show("bytes_per_weight(\"fp6\")").rfind("error:", 0) == 0);
    // Llama-2-7B: 6,738,415,616 parameters × 2 B.
    CHECK(z.si("weights_memory(llama2_7b)") == 2.0 * 6738415616);
    // int4 as deployed (AWQ g128): the 6,476,005,376 block-linear weights at 4 + 20/128 bits, the
    // embedding, head and norms (262,410,240) in bf16.
    CHECK(z.si("weights_memory(llama2_7b, \"int4\")") == 6476005376.0 * (4 + 20.0 / 128) / 8 + 262410240.0 * 2);
}

TEST_CASE("memory per GPU: components by hand", "[hardware]") {
    Sizing z;
    const double n = 6738415616;  // Llama-2-7B
    z.s.eval("let mem = memory_per_gpu(llama2_7b, recompute = \"full\")");
    CHECK(z.si("mem.params") == n);
    CHECK(z.si("mem.weights") == 2 * n);
    CHECK(z.si("mem.grads") == 2 * n);
    CHECK(z.si("mem.optimizer") == 12 * n);
    // Full recompute keeps 2·s·b·h per layer: 2 × 4096 × 1 × 4096 × 32 layers.
    CHECK(z.si("mem.activations") == 2.0 * 4096 * 4096 * 32);
    CHECK(z.si("mem.total") == 16 * n + 2.0 * 4096 * 4096 * 32);
    // The default sequence is the model's context; another one is taken as given.
    CHECK(z.si("memory_per_gpu(llama2_7b, seq = 2048, recompute = \"full\").activations") ==
          2.0 * 2048 * 4096 * 32);
    // Megatron's 18 bytes per parameter.
    CHECK(z.si("memory_per_gpu(llama2_7b, optimizer = \"adamw_megatron\").grads") == 4 * n);
}

TEST_CASE("activations per layer: Korthikanti et al. 2022 Table 2 by hand", "[hardware]") {
    Sizing z;
    // A GPT (d_ff = 4h, as many KV heads as heads) with s = 2048, h = 12288, a = 96: 5as/h = 80.
    z.s.eval("let g = gpt_like(\"g\", 96, 12288, 96, 2048, 51200)");
    const double sbh = 2048.0 * 1 * 12288;
    CHECK(z.si("activation_per_layer(g, 2048)") == Approx(sbh * (34 + 80)));
    CHECK(z.si("activation_per_layer(g, 2048, tp = 8)") == Approx(sbh * (10 + 24.0 / 8 + 80.0 / 8)));
    CHECK(z.si("activation_per_layer(g, 2048, tp = 8, sequence_parallel = true)") ==
          Approx(sbh * (34.0 / 8 + 80.0 / 8)));
    CHECK(z.si("activation_per_layer(g, 2048, tp = 8, recompute = \"selective\")") ==
          Approx(sbh * (10 + 24.0 / 8)));
    CHECK(z.si("activation_per_layer(g, 2048, tp = 8, sequence_parallel = true, recompute = \"selective\")") ==
          Approx(sbh * 34.0 / 8));
    CHECK(z.si("activation_per_layer(g, 2048, tp = 8, recompute = \"full\")") == Approx(2 * sbh));
    CHECK(z.si("activation_per_layer(g, 2048, flash_attention = true)") == Approx(sbh * 34));
    CHECK(z.si("activation_per_layer(g, 2048, micro_batch = 4)") == Approx(4 * sbh * (34 + 80)));
    // Grouped-query attention and SwiGLU (Llama-3-8B: h 4096, 32 heads of 128, 8 KV heads,
    // d_ff 14336): 10 + (4·32·128 + 4·8·128)/4096 + 8·14336/4096 + 5·32·s/h.
    const double s = 8192, h = 4096;
    const double per = s * h * (10 + (4 * 32 * 128 + 4 * 8 * 128) / h + 8 * 14336 / h + 5 * 32 * s / h);
    CHECK(z.si("activation_per_layer(llama3_8b, 8192)") == Approx(per));
}

TEST_CASE("Korthikanti et al. 2022: the published results for 22B, 175B, 530B and 1T", "[hardware]") {
    // Table 3's configurations (s = 2048, vocabulary 51,200): heads, hidden, layers, t, p, b.
    struct Config {
        const char* name;
        int heads, hidden, layers, t, p, b;
    };
    const Config configs[] = {
        {"22B", 64, 6144, 48, 8, 1, 4},
        {"175B", 96, 12288, 96, 8, 8, 1},
        {"530B", 128, 20480, 105, 8, 35, 1},
        {"1T", 160, 25600, 128, 8, 64, 1},
    };
    Sizing z;
    for (const Config& c : configs) {
        INFO(c.name);
        std::string m = "gpt_like(\"x\", " + std::to_string(c.layers) + ", " + std::to_string(c.hidden) + ", " +
                        std::to_string(c.heads) + ", 2048, 51200)";
        auto acts = [&](const std::string& opts) {
            return z.si("activation_memory(" + m + ", 2048, " + std::to_string(c.b) + ", " + std::to_string(c.t) +
                        ", " + std::to_string(c.p) + opts + ")");
        };
        const double s = 2048, h = c.hidden, a = c.heads, L = c.layers, t = c.t, b = c.b;
        const double tp = acts("");
        const double sp = acts(", sequence_parallel = true");
        const double sel = acts(", recompute = \"selective\"");
        const double both = acts(", sequence_parallel = true, recompute = \"selective\"");
        const double full = acts(", recompute = \"full\"");
        // Eq. 5: the first stage holds s·b·h·L/t·(34 + 5as/h) whatever p (1F1B, p micro-batches).
        CHECK(sp == Approx(s * b * h * L / t * (34 + 5 * a * s / h)));
        // Eq. 6: with selective recomputation 34·s·b·h·L/t.
        CHECK(both == Approx(34 * s * b * h * L / t));
        // Abstract and sec. 6.1: together about 5× less than tensor parallelism alone (we get
        // 4.9× to 6.2×); each alone about half (we get 49% to 67%); full recompute about 10%.
        CHECK(tp / both > 4.5);
        CHECK(tp / both < 6.5);
        CHECK(sp / tp > 0.45);
        CHECK(sp / tp < 0.70);
        CHECK(sel / tp > 0.45);
        CHECK(sel / tp < 0.70);
        CHECK(full / tp > 0.05);
        CHECK(full / tp < 0.12);
        // Figure 1: with both techniques every model fits in an A100's 80 GB, with Megatron's 18
        // bytes per parameter.
        const double total =
            z.si("memory_per_gpu(" + m + ", tp = 8, pp = " + std::to_string(c.p) + ", micro_batch = " +
                 std::to_string(c.b) + ", sequence_parallel = true, recompute = \"selective\", optimizer = "
                 "\"adamw_megatron\").total");
        CHECK(total < 80e9);
        CHECK(total > 50e9);
    }
    // Sec. 5: 5as/h = 80 for GPT-3 and 64 for MT-NLG; selective recomputation saves 70% and 65%.
    auto saved = [&](int heads, int hidden) {
        Sizing y;
        std::string m = "gpt_like(\"x\", 2, " + std::to_string(hidden) + ", " + std::to_string(heads) + ", 2048, 51200)";
        double none = y.si("activation_per_layer(" + m + ", 2048)");
        double sel = y.si("activation_per_layer(" + m + ", 2048, recompute = \"selective\")");
        return 1 - sel / none;
    };
    CHECK(saved(96, 12288) == Approx(0.70).margin(0.005));
    CHECK(saved(128, 20480) == Approx(0.65).margin(0.005));
}

TEST_CASE("memory properties: micro-batch, ZeRO, tensor and pipeline parallelism", "[hardware]") {
    Sizing z;
    // Monotone in micro-batch.
    CHECK(z.truth("{ let ms = [memory_per_gpu(llama2_7b, micro_batch = b).total for b in 1 .. 16]\n"
                  "  len([i for i in 1 .. 15 if ms[i] <= ms[i - 1]]) == 0 }"));
    // ZeRO-3 divides weights, gradients and optimizer states by d; activations are not sharded.
    for (int d : {2, 8, 64}) {
        INFO("d = " << d);
        std::string zero3 = "memory_per_gpu(llama2_7b, dp = " + std::to_string(d) + ", zero = 3)";
        std::string none = "memory_per_gpu(llama2_7b, dp = " + std::to_string(d) + ")";
        CHECK(z.si(zero3 + ".weights") == Approx(z.si(none + ".weights") / d));
        CHECK(z.si(zero3 + ".grads") == Approx(z.si(none + ".grads") / d));
        CHECK(z.si(zero3 + ".optimizer") == Approx(z.si(none + ".optimizer") / d));
        CHECK(z.si(zero3 + ".activations") == z.si(none + ".activations"));
        // Stage 1 shards only the optimizer states, stage 2 also the gradients.
        std::string zero1 = "memory_per_gpu(llama2_7b, dp = " + std::to_string(d) + ", zero = 1)";
        std::string zero2 = "memory_per_gpu(llama2_7b, dp = " + std::to_string(d) + ", zero = 2)";
        CHECK(z.si(zero1 + ".grads") == z.si(none + ".grads"));
        CHECK(z.si(zero1 + ".optimizer") == Approx(z.si(none + ".optimizer") / d));
        CHECK(z.si(zero2 + ".grads") == Approx(z.si(none + ".grads") / d));
        CHECK(z.si(zero2 + ".weights") == z.si(none + ".weights"));
    }
    // Tensor parallelism divides the parameters of a GPU by t.
    for (int t : {2, 4, 8}) {
        CHECK(z.si("stage_params(gpt3_175b, tp = " + std::to_string(t) + ")") ==
              Approx(z.si("params(gpt3_175b)") / t));
    }
    // Pipeline parallelism: the first stage holds L/p layers and the embeddings.
    const double emb = 50257.0 * 12288 + 2048.0 * 12288;  // tokens + learned positions
    const double body = z.si("params(gpt3_175b)") - emb - 2 * 12288;  // minus the final LayerNorm
    CHECK(z.si("stage_params(gpt3_175b, pp = 8)") == Approx(body / 8 + emb));
    CHECK(z.si("stage_params(gpt3_175b, tp = 8, pp = 8)") == Approx((body / 8 + emb) / 8));
    // Recomputation and FlashAttention never increase memory.
    CHECK(z.truth("memory_per_gpu(llama2_7b, recompute = \"selective\").total < memory_per_gpu(llama2_7b).total"));
    CHECK(z.truth("memory_per_gpu(llama2_7b, flash_attention = true).total < memory_per_gpu(llama2_7b).total"));
    CHECK(z.truth("memory_per_gpu(llama2_7b, recompute = \"full\").total < "
                  "memory_per_gpu(llama2_7b, recompute = \"selective\").total"));
}

TEST_CASE("fits, the largest micro-batch and the fewest GPUs", "[hardware]") {
    Sizing z;
    // Llama-2-7B with 16 B/param is 107.8 GB of states: no single 80 GB GPU holds it.
    CHECK(z.show("fits(llama2_7b, H100_SXM, recompute = \"full\")") == "false");
    CHECK(z.show("fits(llama2_7b, H100_SXM, dp = 8, zero = 3, recompute = \"full\")") == "true");
    // ZeRO-3 over 2: 53.9 GB of states + 1.07 GB of full-recompute activations per sequence.
    CHECK(z.si("min_gpus(llama2_7b, H100_SXM, recompute = \"full\")") == 2);
    CHECK(z.si("min_gpus(llama2_7b, H100_SXM, tp = 2, recompute = \"full\")") == 2);
    // Nothing fits when the activations alone exceed the memory: 0.
    CHECK(z.si("min_gpus(llama2_7b, H100_SXM, micro_batch = 64)") == 0);
    // The largest micro-batch: (80 GB − 16·N/8) / (2·s·h·L) = (80e9 − 13.477e9) / 1.0737e9 = 61.96.
    CHECK(z.si("max_micro_batch(llama2_7b, H100_SXM, dp = 8, zero = 3, recompute = \"full\")") == 61);
    CHECK(z.truth("{ let b = max_micro_batch(llama2_7b, H100_SXM, dp = 8, zero = 3, recompute = \"full\")\n"
                  "  fits(llama2_7b, H100_SXM, dp = 8, zero = 3, micro_batch = b, recompute = \"full\") and\n"
                  "  not fits(llama2_7b, H100_SXM, dp = 8, zero = 3, micro_batch = b + 1, recompute = \"full\") }"));
    CHECK(z.si("max_micro_batch(llama2_7b, H100_SXM)") == 0);
}

TEST_CASE("inference: KV cache with grouped-query attention, memory and roofline", "[hardware]") {
    Sizing z;
    // Llama-3-8B: 2 × 32 layers × 8 KV heads × 128 × 8192 tokens × 2 B = 1 GiB (32 KV heads
    // would be 4 GiB).
    CHECK(z.si("kv_cache(llama3_8b, 8192)") == 1024.0 * 1024 * 1024);
    CHECK(z.show("kv_cache(llama3_8b, 8192) -> GiB") == "1 GiB");
    CHECK(z.si("kv_cache(llama2_7b, 4096, batch = 8)") == 2.0 * 32 * 32 * 128 * 4096 * 8 * 2);
    CHECK(z.si("kv_cache(llama3_8b, 8192, precision = \"fp8\")") == 512.0 * 1024 * 1024);
    // ×1.2 on the weights (EleutherAI), plus the cache.
    const double w = 2.0 * 8030261248;
    CHECK(z.si("inference_memory(llama3_8b).total") == Approx(1.2 * w + 1024.0 * 1024 * 1024));
    CHECK(z.si("inference_memory(llama3_8b, seq = 1000, batch = 4).kv_cache") ==
          2.0 * 32 * 8 * 128 * 1000 * 4 * 2);
    // Decode is memory-bound at batch 1: (weights + cache) / bandwidth.
    const double cache = 2.0 * 32 * 8 * 128 * 1000 * 2;
    CHECK(z.si("decode_time(llama3_8b, H100_SXM, 1000)") == Approx((w + cache) / 3.35e12));
    CHECK(z.si("decode_time(llama3_8b, H100_SXM, 1000, gpus = 2, mbu = 50%)") == Approx((w + cache) / 3.35e12));
    // Prefill is compute-bound: (2·N·s + 2·L·s²·a·k) / peak.
    const double flops = 2 * 8030261248.0 * 1000 + 2.0 * 32 * 1000 * 1000 * 32 * 128;
    CHECK(z.si("prefill_flops(llama3_8b, 1000)") == Approx(flops));
    CHECK(z.si("prefill_time(llama3_8b, H100_SXM, 1000)") == Approx(flops / 989.4e12));
    // A mixture of experts computes with its active parameters.
    CHECK(z.si("decode_flops(mixtral_8x7b, 0)") == Approx(2 * 12879925248.0));
    // Serving: tokens/s is batch over the time per token; price per 1M output tokens.
    z.s.eval("let sv = serving(llama3_8b, H100_SXM, prompt = 1000, output = 200, price = 3.6 USD/GPU_hour)");
    CHECK(z.show("sv.fits") == "true");
    CHECK(z.show("sv.memory_bound") == "true");
    const double tpot = z.si("sv.tpot");
    CHECK(tpot == Approx((w + 2.0 * 32 * 8 * 128 * 1100 * 2) / 3.35e12));
    CHECK(z.si("sv.tokens_per_s") == Approx(1 / tpot));
    const double latency = z.si("sv.latency");
    CHECK(latency == Approx(z.si("sv.ttft") + 200 * tpot));
    CHECK(z.si("sv.usd_per_1m_tokens") == Approx(0.001 * latency / 200 * 1e6));  // 3.6 USD/h = 0.001 USD/s
    // Bigger batches are cheaper per token.
    CHECK(z.truth("serving(llama3_8b, H100_SXM, batch = 32).usd_per_1m_tokens < sv.usd_per_1m_tokens"));
    // Llama-2-70B in bf16: 1.2 × 138 GB of weights + its cache = 167 GB; two H100s hold 160 GB,
    // four 320 GB; one B200 holds 180 GB. Three GPUs split neither its 64 heads nor its 8
    // key/value heads: an error, not an answer.
    CHECK(z.show("serving(llama2_70b, H100_SXM, gpus = 2).fits") == "false");
    CHECK(z.show("serving(llama2_70b, H100_SXM, gpus = 4).fits") == "true");
    CHECK(z.show("serving(llama2_70b, H100_SXM, gpus = 3).fits") ==
          "error: tensor parallelism over 3 GPUs does not split Llama-2-70b: it must divide its 64 heads, and divide or "
          "be a multiple of its 8 key/value heads");
    // Sixteen GPUs on Llama-3-8B's 8 key/value heads hold each head twice (vLLM's replication):
    // one more copy of the cache than on one GPU.
    CHECK(z.si("kv_head_replicas(llama3_8b, 16)") == 2);
    CHECK(z.si("serving(llama3_8b, H100_SXM, gpus = 16).memory - serving(llama3_8b, H100_SXM).memory") ==
          Approx(z.si("kv_cache(llama3_8b, 1200)")));
    CHECK(z.show("serving(llama2_70b, B200).fits") == "true");
}

TEST_CASE("every sizing function has a doc comment", "[hardware]") {
    Sizing z;
    for (const char* name :
         {"accelerator", "accelerators", "peak", "cluster", "H100_SXM", "TPU_v5p", "optimizers", "optimizer_bytes",
          "stage_params", "activation_per_layer", "activation_memory", "memory_per_gpu", "fits", "max_micro_batch",
          "min_gpus", "quant_formats", "quantized_weights", "block_linears", "lora_params", "finetune_memory",
          "max_batch", "max_context", "max_concurrent_sequences", "cache_tokens", "min_gpus_to_serve",
          "max_train_seq", "max_finetune_batch", "model_card", "moe_memory_per_gpu", "expert_stage_params", "all_to_all_bytes",
          "weight_precisions", "bytes_per_weight", "weights_memory", "kv_cache", "inference_memory",
          "prefill_flops", "decode_flops", "prefill_time", "decode_time", "serving", "training_time",
          "training_gpu_hours", "training_cost", "training_energy", "training_run", "devices_for_deadline"}) {
        INFO(name);
        std::string h = z.s.help(name);
        CHECK(h.find('\n') != std::string::npos);  // a signature line and the doc text
        CHECK(h.size() > 60);
    }
}
