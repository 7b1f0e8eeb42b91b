// The llm.c-style check: the same model, weights and batch in PyTorch
// (tests/validation/torch_reference.py, run with Debian's python3-torch)
// must give the same logits, loss and every parameter gradient within fp32
// tolerances, and the same losses over ten AdamW steps. The reference is
// generated at test time; if PyTorch is missing the test fails, loudly.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "test_util.hpp"
#include "validation/model.hpp"
#include "validation/optimizer.hpp"
#include "validation/rng.hpp"

using namespace plan::validation;
using plan::validation::test::TempFile;

namespace {

template <typename V>
void put(std::string& s, V v) {
    s.append(reinterpret_cast<const char*>(&v), sizeof v);  // x86-64: little-endian
}

template <typename V>
void put_all(std::string& s, const V* p, size_t n) {
    s.append(reinterpret_cast<const char*>(p), n * sizeof(V));
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// max |a - b| over a tensor, and max |b| for scale.
struct Diff {
    double max_abs = 0, ref_max = 0;
};
Diff diff(const float* a, const float* b, size_t n) {
    Diff d;
    for (size_t i = 0; i < n; ++i) {
        d.max_abs = std::max(d.max_abs, std::abs(static_cast<double>(a[i]) - b[i]));
        d.ref_max = std::max(d.ref_max, std::abs(static_cast<double>(b[i])));
    }
    return d;
}

}  // namespace

TEST_CASE("matches PyTorch: logits, loss, all gradients, ten AdamW steps", "[torch]") {
    ModelConfig cfg;
    cfg.vocab = 67;  // odd sizes catch layout mistakes
    cfg.seq_len = 16;
    cfg.d_model = 32;
    cfg.n_layers = 2;
    cfg.n_heads = 4;
    cfg.d_mlp = 96;
    const int B = 4, NSTEPS = 10, BT = B * cfg.seq_len;
    AdamWConfig adam;  // beta1 0.9, beta2 0.95, eps 1e-8, wd 0.1
    const double clip = 1.0;
    LrSchedule sched;
    sched.max_lr = 1e-2;
    sched.min_lr = 1e-3;
    sched.warmup = 3;
    sched.total = NSTEPS;

    Model<float> model(cfg, B, 2);
    model.init_weights(2024);
    Rng rng(77);
    std::vector<int32_t> inputs(BT), targets(BT);
    for (int i = 0; i < BT; ++i) {
        inputs[i] = static_cast<int32_t>(rng.below(cfg.vocab));
        targets[i] = static_cast<int32_t>(rng.below(cfg.vocab));
    }

    // --- write the exchange file
    std::string in = "PLANREF1";
    for (int v : {cfg.vocab, cfg.seq_len, cfg.d_model, cfg.n_layers, cfg.n_heads, cfg.d_mlp, B, NSTEPS})
        put<int32_t>(in, v);
    for (double v : {adam.beta1, adam.beta2, adam.eps, adam.weight_decay, clip}) put<double>(in, v);
    for (int k = 0; k < NSTEPS; ++k) put<double>(in, sched.at(k));
    std::string layout;
    for (const auto& t : model.layout()) {
        if (!layout.empty()) layout += ";";
        layout += t.name + ":";
        for (size_t i = 0; i < t.shape.size(); ++i) {
            if (i) layout += 'x';
            layout += std::to_string(t.shape[i]);
        }
    }
    put<uint32_t>(in, static_cast<uint32_t>(layout.size()));
    in += layout;
    const size_t n = model.params().size();
    put<uint64_t>(in, n);
    put_all(in, inputs.data(), inputs.size());
    put_all(in, targets.data(), targets.size());
    put_all(in, model.params().data(), n);
    TempFile fin("torch_in.bin", in), fout("torch_out.bin"), flog("torch_log.txt");

    // --- run PyTorch
    const std::string cmd = std::string("'") + PLAN_VALIDATION_PYTHON + "' '" + PLAN_TORCH_REFERENCE_SCRIPT + "' '" +
                            fin.path() + "' '" + fout.path() + "' > '" + flog.path() + "' 2>&1";
    const int status = std::system(cmd.c_str());
    const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc != 0)
        FAIL("the PyTorch reference failed (exit " << rc << "); this test needs " PLAN_VALIDATION_PYTHON
             " with torch (Debian: apt-get install python3-torch python3-numpy).\ncommand: "
             << cmd << "\noutput:\n" << slurp(flog.path()));

    const std::string out = slurp(fout.path());
    const size_t want = 8 + sizeof(float) * (static_cast<size_t>(BT) * cfg.vocab + 1 + n + NSTEPS);
    REQUIRE(out.size() == want);
    REQUIRE(out.substr(0, 8) == "PLANOUT1");
    const float* ref = reinterpret_cast<const float*>(out.data() + 8);  // 8-byte offset keeps alignment
    const float* ref_logits = ref;
    const float ref_loss = ref[static_cast<size_t>(BT) * cfg.vocab];
    const float* ref_grads = ref_logits + static_cast<size_t>(BT) * cfg.vocab + 1;
    const float* ref_steps = ref_grads + n;

    // --- forward: logits and loss
    const float loss = model.forward(inputs.data(), targets.data(), B);
    Diff dl = diff(model.logits(), ref_logits, static_cast<size_t>(BT) * cfg.vocab);
    INFO("logits: max |diff| " << dl.max_abs << ", max |ref| " << dl.ref_max);
    CHECK(dl.max_abs <= 1e-5 * std::max(1.0, dl.ref_max));
    INFO("loss " << loss << " vs PyTorch " << ref_loss);
    CHECK(std::abs(loss - ref_loss) <= 1e-5 * std::abs(ref_loss));

    // --- backward: every parameter tensor
    model.backward();
    for (const auto& t : model.layout()) {
        Diff dg = diff(model.grads().data() + t.offset, ref_grads + t.offset, t.size);
        INFO(t.name << ": max |grad diff| " << dg.max_abs << ", max |ref grad| " << dg.ref_max);
        CHECK(dg.ref_max > 0);
        CHECK(dg.max_abs <= 2e-5 * dg.ref_max + 1e-9);
    }

    // --- ten AdamW steps (clipping, warm-up and cosine lr) on the same batch
    AdamW<float> opt(model.layout(), adam, 2);
    for (int k = 0; k < NSTEPS; ++k) {
        const float l = model.forward(inputs.data(), targets.data(), B);
        model.backward();
        clip_grad_norm(model.grads(), clip, 2);
        opt.step(model.params(), model.grads(), sched.at(k));
        INFO("step " << k << ": loss " << l << " vs PyTorch " << ref_steps[k]);
        CHECK(std::abs(l - ref_steps[k]) <= 1e-5 * std::abs(ref_steps[k]));
    }
    CHECK(ref_steps[NSTEPS - 1] < ref_steps[0] - 0.5);  // the steps really moved the model
}
