// plan-bench-train: training throughput of the CPU reference trainer and the
// machine's measured sgemm peak, as JSON on stdout (run_bench.py compares it
// with PyTorch in the same run).
//
// A training step here is exactly the trainer's: forward, backward, global
// norm clip, AdamW. Tokens are random bytes (throughput does not depend on
// the data). FLOP/s are model FLOPs: 6N per token (C = 6ND), and also with
// the attention term 6N + 12 L T d (PaLM's MFU convention; T = context).
#include <cblas.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "validation/model.hpp"
#include "validation/optimizer.hpp"
#include "validation/rng.hpp"

using namespace plan::validation;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// Best-of-several sgemm FLOP/s on square matrices, OpenBLAS threading on:
// the ceiling a dense kernel can reach on these cores.
double sgemm_peak(int threads) {
    openblas_set_num_threads(threads);
    double best = 0;
    for (int n : {512, 1024, 2048}) {
        std::vector<float> a(static_cast<size_t>(n) * n, 0.5f), b(a.size(), 0.25f), c(a.size());
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a.data(), n, b.data(), n, 0, c.data(), n);
        for (int rep = 0; rep < 3; ++rep) {
            const int iters = std::max(1, static_cast<int>(4e9 / (2.0 * n * n * n)));
            auto t0 = clock_type::now();
            for (int i = 0; i < iters; ++i)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a.data(), n, b.data(), n, 0,
                            c.data(), n);
            best = std::max(best, 2.0 * n * n * n * iters / seconds_since(t0));
        }
    }
    openblas_set_num_threads(1);  // the trainer runs its own threads
    return best;
}

nlohmann::json bench_shape(const ModelConfig& cfg, int batch, int threads, int warmup, double min_seconds) {
    Model<float> model(cfg, batch, threads);
    model.init_weights(1);
    AdamW<float> opt(model.layout(), AdamWConfig{}, threads);
    Rng rng(5);
    const int bt = batch * cfg.seq_len;
    std::vector<int32_t> in(bt), tg(bt);
    auto step = [&] {
        for (int i = 0; i < bt; ++i) {
            in[i] = static_cast<int32_t>(rng.below(cfg.vocab));
            tg[i] = static_cast<int32_t>(rng.below(cfg.vocab));
        }
        model.forward(in.data(), tg.data(), batch);
        model.backward();
        clip_grad_norm(model.grads(), 1.0, threads);
        opt.step(model.params(), model.grads(), 1e-3);
    };
    for (int i = 0; i < warmup; ++i) step();
    int steps = 0;
    auto t0 = clock_type::now();
    while (seconds_since(t0) < min_seconds || steps < 3) {
        step();
        ++steps;
    }
    const double s = seconds_since(t0);
    const ParamCounts n = count_params(cfg);
    const double tps = static_cast<double>(steps) * bt / s;
    const double attn = 12.0 * cfg.n_layers * cfg.seq_len * cfg.d_model;
    return {{"d_model", cfg.d_model}, {"n_layers", cfg.n_layers}, {"n_heads", cfg.n_heads}, {"d_mlp", cfg.d_mlp},
            {"vocab", cfg.vocab}, {"seq_len", cfg.seq_len}, {"batch", batch}, {"threads", threads},
            {"n_params", n.total}, {"steps", steps}, {"seconds", s}, {"tokens_per_s", tps},
            {"flops_6n", 6.0 * n.total * tps}, {"flops_6n_attn", (6.0 * n.total + attn) * tps}};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Training throughput of the CPU reference trainer"};
    int threads = 2, batch = 16, seq = 64, heads = 4, warmup = 3;
    double min_seconds = 3.0;
    std::vector<std::string> shapes = {"16x1", "128x4"};
    app.add_option("--threads", threads)->capture_default_str();
    app.add_option("--batch", batch)->capture_default_str();
    app.add_option("--seq", seq)->capture_default_str();
    app.add_option("--heads", heads)->capture_default_str();
    app.add_option("--warmup", warmup, "Untimed steps first")->capture_default_str();
    app.add_option("--min-seconds", min_seconds, "Timed seconds per shape")->capture_default_str();
    app.add_option("--shape", shapes, "d_model x layers (d_mlp = 4 d_model, byte vocab)");
    CLI11_PARSE(app, argc, argv);

    nlohmann::json out;
    out["openblas_core"] = openblas_get_corename();
    for (const std::string& s : shapes) {
        ModelConfig cfg;
        cfg.vocab = 256;
        cfg.seq_len = seq;
        cfg.n_heads = heads;
        if (std::sscanf(s.c_str(), "%dx%d", &cfg.d_model, &cfg.n_layers) != 2) {
            std::cerr << "bad --shape '" << s << "' (expected e.g. 128x4)\n";
            return 2;
        }
        cfg.d_mlp = 4 * cfg.d_model;
        out["runs"].push_back(bench_shape(cfg, batch, threads, warmup, min_seconds));
    }
    // Last: OpenBLAS's own worker threads keep spinning for a while after a
    // threaded call and would slow the trainer's OpenMP threads.
    out["sgemm_peak_flops"] = sgemm_peak(threads);
    std::cout << out.dump(2) << "\n";
    return 0;
}
