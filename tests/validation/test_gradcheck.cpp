// Finite-difference gradient check of the hand-written backward pass, in
// double precision (the model is a template; the float trainer runs the same
// code). Every element of every parameter tensor is perturbed.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>

#include "validation/model.hpp"
#include "validation/rng.hpp"

using namespace plan::validation;

namespace {

struct Batch {
    std::vector<int32_t> inputs, targets;
};

Batch random_batch(int B, int T, int V, uint64_t seed) {
    Rng r(seed);
    Batch b;
    for (int i = 0; i < B * T; ++i) {
        b.inputs.push_back(static_cast<int32_t>(r.below(V)));
        b.targets.push_back(static_cast<int32_t>(r.below(V)));
    }
    return b;
}

// Central differences; returns the worst error relative to max(|g|, floor).
void check_gradients(const ModelConfig& cfg, int B, int threads) {
    Model<double> model(cfg, B, threads);
    model.init_weights(3);
    // Random LayerNorm weights/biases and larger weights than the GPT-2 init,
    // so that no gradient is trivially zero or tiny.
    Rng r(99);
    for (auto& p : model.params()) p += 0.3 * r.normal();
    Batch b = random_batch(B, cfg.seq_len, cfg.vocab, 5);
    model.forward(b.inputs.data(), b.targets.data(), B);
    model.backward();
    const std::vector<double> grads = model.grads();
    const double h = 1e-5;
    for (const ParamTensor& t : model.layout()) {
        double worst = 0, gmax = 0;
        for (size_t i = 0; i < t.size; ++i) {
            double& p = model.params()[t.offset + i];
            const double saved = p;
            p = saved + h;
            const double lp = model.forward(b.inputs.data(), b.targets.data(), B);
            p = saved - h;
            const double lm = model.forward(b.inputs.data(), b.targets.data(), B);
            p = saved;
            const double fd = (lp - lm) / (2 * h);
            const double g = grads[t.offset + i];
            gmax = std::max(gmax, std::abs(g));
            worst = std::max(worst, std::abs(fd - g) / std::max(std::abs(g), 1e-4));
        }
        INFO(t.name << ": worst relative error " << worst << ", max |grad| " << gmax);
        CHECK(gmax > 0);
        CHECK(worst < 1e-5);
    }
}

}  // namespace

TEST_CASE("backward matches finite differences for every parameter (double)", "[gradcheck]") {
    ModelConfig cfg;
    cfg.vocab = 11;
    cfg.seq_len = 5;
    cfg.d_model = 8;
    cfg.n_layers = 2;
    cfg.n_heads = 2;
    cfg.d_mlp = 12;
    SECTION("one thread") { check_gradients(cfg, 3, 1); }
    SECTION("two threads") { check_gradients(cfg, 3, 2); }
}

TEST_CASE("float and double forward passes agree", "[gradcheck]") {
    ModelConfig cfg;
    cfg.vocab = 50;
    cfg.seq_len = 16;
    cfg.d_model = 32;
    cfg.n_layers = 2;
    cfg.n_heads = 4;
    cfg.d_mlp = 64;
    const int B = 3;
    Model<float> mf(cfg, B, 2);
    Model<double> md(cfg, B, 2);
    mf.init_weights(11);
    md.init_weights(11);
    for (size_t i = 0; i < md.params().size(); ++i) md.params()[i] = mf.params()[i];
    Batch b = random_batch(B, cfg.seq_len, cfg.vocab, 8);
    const float lf = mf.forward(b.inputs.data(), b.targets.data(), B);
    const double ld = md.forward(b.inputs.data(), b.targets.data(), B);
    CHECK(lf == Approx(ld).epsilon(1e-6));
    mf.backward();
    md.backward();
    double gmax = 0, err = 0;
    for (size_t i = 0; i < md.grads().size(); ++i) {
        gmax = std::max(gmax, std::abs(md.grads()[i]));
        err = std::max(err, std::abs(md.grads()[i] - mf.grads()[i]));
    }
    CHECK(err < 1e-5 * gmax);
}
