// Bitwise determinism: the same seed and thread count give the same bits,
// through the full train() path and at the level of parameters.
#include <catch2/catch.hpp>
#include <cstring>

#include "test_util.hpp"
#include "validation/batcher.hpp"
#include "validation/model.hpp"
#include "validation/optimizer.hpp"
#include "validation/trainer.hpp"

using namespace plan::validation;
using plan::validation::test::TempFile;

namespace {

TrainConfig small_config(const std::string& corpus, int threads) {
    TrainConfig cfg;
    cfg.corpus_path = corpus;
    cfg.model.seq_len = 32;
    cfg.model.d_model = 32;
    cfg.model.n_layers = 2;
    cfg.model.n_heads = 4;
    cfg.model.d_mlp = 128;
    cfg.batch = 8;
    cfg.tokens = 20 * 8 * 32;
    cfg.lr = 3e-3;
    cfg.seed = 42;
    cfg.eval_tokens = 2048;
    cfg.threads = threads;
    return cfg;
}

// Trains for `steps` steps at the library level and returns the parameters.
std::vector<float> train_params(const Corpus& corpus, int threads, uint64_t seed, int steps) {
    ModelConfig m;
    m.vocab = 256;
    m.seq_len = 32;
    m.d_model = 64;
    m.n_layers = 2;
    m.n_heads = 4;
    m.d_mlp = 256;
    const int B = 8;
    Model<float> model(m, B, threads);
    model.init_weights(seed);
    AdamW<float> opt(model.layout(), AdamWConfig{}, threads);
    Batcher batcher(corpus.tokens, m.seq_len, B, 0.1, seed);
    std::vector<int32_t> in(B * m.seq_len), tg(B * m.seq_len);
    for (int s = 0; s < steps; ++s) {
        batcher.train_batch(s, in.data(), tg.data());
        model.forward(in.data(), tg.data(), B);
        model.backward();
        clip_grad_norm(model.grads(), 1.0, threads);
        opt.step(model.params(), model.grads(), 1e-3);
    }
    return model.params();
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("train() is bitwise reproducible for a fixed seed and thread count", "[determinism]") {
    TempFile f("determinism.txt", plan::validation::test::sample_text(60000));
    for (int threads : {1, 2}) {
        INFO("threads " << threads);
        std::vector<double> losses_a, losses_b;
        TrainConfig cfg = small_config(f.path(), threads);
        TrainResult a = train(cfg, [&](const TrainProgress& p) { losses_a.push_back(p.loss); });
        TrainResult b = train(cfg, [&](const TrainProgress& p) { losses_b.push_back(p.loss); });
        CHECK(losses_a.size() == 20);
        CHECK(losses_a == losses_b);
        CHECK(a.final_train_loss == b.final_train_loss);
        CHECK(a.val_loss == b.val_loss);
        CHECK(losses_a.back() < losses_a.front());  // it learns
        cfg.seed = 43;
        TrainResult c = train(cfg);
        CHECK(c.final_train_loss != a.final_train_loss);
    }
}

TEST_CASE("parameters are bitwise identical after training twice", "[determinism]") {
    Corpus corpus;
    corpus.path = "sample";
    corpus.vocab_size = 256;
    for (char ch : plan::validation::test::sample_text(40000)) corpus.tokens.push_back(static_cast<unsigned char>(ch));
    for (int threads : {1, 2}) {
        INFO("threads " << threads);
        CHECK(same_bits(train_params(corpus, threads, 7, 6), train_params(corpus, threads, 7, 6)));
    }
    CHECK_FALSE(same_bits(train_params(corpus, 2, 7, 6), train_params(corpus, 2, 8, 6)));
}

TEST_CASE("train() reports N, D and C = 6ND", "[determinism]") {
    TempFile f("counts.txt", plan::validation::test::sample_text(60000));
    TrainConfig cfg = small_config(f.path(), 2);
    cfg.tokens = 1000;  // rounds up to 4 steps of 8 x 32
    TrainResult r = train(cfg);
    ModelConfig m = cfg.model;
    m.vocab = 256;
    CHECK(r.params.total == count_params(m).total);
    CHECK(r.steps == 4);
    CHECK(r.tokens == 1024);
    CHECK(r.compute_flops == 6.0 * r.params.total * 1024);
    CHECK(r.val_tokens == 2048);
    CHECK(r.tokens_per_s > 0);
}
