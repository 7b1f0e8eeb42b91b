// Learning-rate schedule, gradient clipping, one AdamW step by hand, and the
// parameter counts.
#include <catch2/catch.hpp>
#include <cmath>

#include "validation/model.hpp"
#include "validation/optimizer.hpp"

using namespace plan::validation;

TEST_CASE("lr schedule: linear warm-up then cosine to min_lr", "[optimizer]") {
    LrSchedule s;
    s.max_lr = 1.0;
    s.min_lr = 0.1;
    s.warmup = 4;
    s.total = 14;
    CHECK(s.at(0) == Approx(0.25));
    CHECK(s.at(3) == Approx(1.0));
    CHECK(s.at(4) == Approx(1.0));                        // start of decay
    CHECK(s.at(13) == Approx(0.1));                       // last step reaches min_lr
    CHECK(s.at(8) == Approx(0.1 + 0.45 * (1 + std::cos(3.141592653589793 * 4 / 9))));
    for (int i = 5; i < 14; ++i) CHECK(s.at(i) < s.at(i - 1));
    LrSchedule none;
    none.max_lr = 2.0;
    none.min_lr = 2.0;
    none.total = 3;
    CHECK(none.at(2) == Approx(2.0));
}

TEST_CASE("gradient clipping scales to the max norm", "[optimizer]") {
    std::vector<float> g = {3.0f, 4.0f};
    CHECK(clip_grad_norm(g, 10.0, 1) == Approx(5.0));
    CHECK(g[0] == 3.0f);  // under the limit: untouched
    CHECK(clip_grad_norm(g, 1.0, 1) == Approx(5.0));
    CHECK(g[0] == Approx(0.6).epsilon(1e-6));
    CHECK(g[1] == Approx(0.8).epsilon(1e-6));
    CHECK(grad_global_norm(g, 2) == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("AdamW step matches the formula, with decay only on matrices", "[optimizer]") {
    std::vector<ParamTensor> layout = {{"w", {1, 2}, 0, 2, true, false}, {"b", {1}, 2, 1, false, false}};
    AdamWConfig cfg;
    cfg.beta1 = 0.9;
    cfg.beta2 = 0.99;
    cfg.eps = 1e-8;
    cfg.weight_decay = 0.5;
    AdamW<double> opt(layout, cfg, 1);
    std::vector<double> p = {1.0, -2.0, 3.0}, g = {0.5, 0.25, -1.0};
    const double lr = 0.1;
    opt.step(p, g, lr);
    // Step 1: m = 0.1 g, v = 0.01 g^2; bias-corrected m/sqrt(v) = sign(g).
    auto expect = [&](double p0, double gi, bool decay) {
        double q = p0 * (1 - lr * (decay ? 0.5 : 0.0));
        double m = 0.1 * gi, v = 0.01 * gi * gi;
        return q - (lr / 0.1) * m / (std::sqrt(v) / std::sqrt(0.01) + 1e-8);
    };
    CHECK(p[0] == Approx(expect(1.0, 0.5, true)).epsilon(1e-12));
    CHECK(p[1] == Approx(expect(-2.0, 0.25, true)).epsilon(1e-12));
    CHECK(p[2] == Approx(expect(3.0, -1.0, false)).epsilon(1e-12));
    CHECK(opt.steps_taken() == 1);
}

TEST_CASE("parameter counts: total, embedding, non-embedding", "[model]") {
    // The seed's largest shape: byte vocab, context 64, d 128, 4 layers.
    ModelConfig c;
    c.vocab = 256;
    c.seq_len = 64;
    c.d_model = 128;
    c.n_layers = 4;
    c.n_heads = 4;
    c.d_mlp = 512;
    const int64_t d = 128, m = 512;
    const int64_t per_layer = 2 * d + 3 * d * d + 3 * d + d * d + d + 2 * d + m * d + m + d * m + d;
    const int64_t total = 256 * d + 64 * d + 4 * per_layer + 2 * d + 256 * d;
    ParamCounts n = count_params(c);
    CHECK(n.total == total);
    CHECK(n.total == 867072);
    CHECK(n.embedding == 256 * d + 64 * d);
    CHECK(n.non_embedding == total - n.embedding);
    c.n_heads = 3;
    CHECK_THROWS_WITH(count_params(c), "model config: n_heads (3) must divide d_model (128)");
}
