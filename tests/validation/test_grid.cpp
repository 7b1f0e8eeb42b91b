// The grid runner and the run store (issue 5, items 2-3); the plots are tested in tests/plot/.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "test_util.hpp"
#include "validation/grid.hpp"
#include "validation/run_store.hpp"
#include "validation/train_wire.hpp"

using namespace plan::validation;
using plan::validation::test::TempFile;
using Catch::Matchers::Contains;

namespace {

// A backend that trains nothing: the loss is a made-up function of N and D, so the grid logic is
// tested without the trainer (and fast under sanitizers).
class FakeBackend : public Backend {
public:
    int calls = 0;
    std::string identity(const TrainConfig&) const override { return "fake/1"; }
    TrainResult train(const TrainConfig& cfg, const Corpus&, const ProgressFn& progress) override {
        ++calls;
        TrainResult r;
        ModelConfig m = cfg.model;
        m.vocab = 256;
        r.params = count_params(m);
        const int64_t per_step = static_cast<int64_t>(cfg.batch) * m.seq_len;
        r.steps = (cfg.tokens + per_step - 1) / per_step;
        r.tokens = r.steps * per_step;
        r.compute_flops = 6.0 * static_cast<double>(r.params.total) * static_cast<double>(r.tokens);
        r.val_loss = 1.5 + 300 / std::pow(static_cast<double>(r.params.total), 0.4) + 200 / std::pow(static_cast<double>(r.tokens), 0.3);
        r.smoothed_train_loss = r.final_train_loss = r.val_loss - 0.01;
        r.train_seconds = 0.5;
        r.threads = 1;
        if (progress) {
            TrainProgress p;
            p.step = p.steps = r.steps;
            progress(p);
        }
        return r;
    }
};

std::vector<TrainConfig> small_grid(const std::string& corpus) {
    std::vector<TrainConfig> runs;
    for (int d : {16, 32})
        for (int64_t t : {1000, 2000, 4000}) {
            TrainConfig c;
            c.corpus_path = corpus;
            c.model.d_model = d;
            c.model.d_mlp = 4 * d;
            c.model.n_layers = 1;
            c.model.n_heads = default_heads(d);
            c.model.seq_len = 16;
            c.batch = 4;
            c.tokens = t;
            runs.push_back(c);
        }
    return runs;
}

GridEvents quiet() {
    GridEvents ev;
    ev.log = [](const std::string&) {};
    return ev;
}

struct Interrupted {};

// A pool of `width` trainers (as the ranks of an MPI job would be): it keeps `width` runs out and
// gives them back last first, so the grid sees results out of order. The run `fail_at` (its
// position in the hand-out order) fails like a rank that threw: nothing more is handed out, the
// runs already out still come back, then the failure is thrown.
class FakePool : public TrainerPool {
public:
    FakePool(FakeBackend& backend, const Corpus& corpus, size_t width, int fail_at = -1)
        : backend_(backend), corpus_(corpus), width_(width), fail_at_(fail_at) {}
    std::vector<size_t> handed;     // the indices in hand-out order
    std::vector<TrainConfig> configs;
    void train(const std::function<std::optional<Run>()>& next, const std::function<void(size_t, const TrainResult&)>& done) override {
        bool failed = false;
        for (;;) {
            std::vector<Run> out;
            while (!failed && out.size() < width_) {
                std::optional<Run> run = next();
                if (!run) break;
                if (static_cast<int>(handed.size()) == fail_at_) failed = true;
                handed.push_back(run->index);
                configs.push_back(run->config);
                if (!failed) out.push_back(*run);
            }
            if (out.empty()) break;
            for (auto it = out.rbegin(); it != out.rend(); ++it) done(it->index, backend_.train(it->config, corpus_, {}));
        }
        if (failed) throw std::runtime_error("rank 2 of the MPI job failed: out of memory");
    }

private:
    FakeBackend& backend_;
    const Corpus& corpus_;
    size_t width_;
    int fail_at_;
};

}  // namespace

TEST_CASE("the run store inserts and reads back runs", "[grid][store]") {
    TempFile db("store1.sqlite");
    StoredRun r;
    r.key = "k1";
    r.d_model = 32;
    r.d_mlp = 128;
    r.layers = 2;
    r.heads = 1;
    r.params = 12345;
    r.tokens = 4096;
    r.compute = 6.0 * 12345 * 4096;
    r.val_loss = 2.5;
    r.backend = "fake/1";
    {
        RunStore s(db.path());
        CHECK(s.size() == 0);
        CHECK_FALSE(s.find("k1"));
        s.put(r);
        CHECK(s.size() == 1);
    }
    RunStore s(db.path());  // reopened: the run survived
    auto back = s.find("k1");
    REQUIRE(back);
    CHECK(back->d_model == 32);
    CHECK(back->params == 12345);
    CHECK(back->compute == r.compute);
    CHECK(back->val_loss == 2.5);
    CHECK(back->backend == "fake/1");
    CHECK(s.all().size() == 1);
}

TEST_CASE("reading a store leaves the file unchanged", "[grid][store]") {
    TempFile db("store2.sqlite");
    {
        RunStore s(db.path());
        StoredRun r;
        r.key = "x";
        s.put(r);
    }
    auto read = [&] {
        std::ifstream f(db.path(), std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    };
    std::string before = read();
    {
        RunStore s(db.path());
        CHECK(s.find("x"));
        CHECK(s.size() == 1);
    }
    CHECK(read() == before);
}

TEST_CASE("the run key changes when any field that determines a run changes", "[grid][store]") {
    TrainConfig base;
    const std::string k0 = run_key(base, "fp", "cpu/1 threads=2");
    auto differs = [&](auto mutate) {
        TrainConfig c = base;
        mutate(c);
        return run_key(c, "fp", "cpu/1 threads=2") != k0;
    };
    CHECK(differs([](TrainConfig& c) { c.model.d_model = 32; }));
    CHECK(differs([](TrainConfig& c) { c.model.d_mlp = 100; }));
    CHECK(differs([](TrainConfig& c) { c.model.n_layers = 3; }));
    CHECK(differs([](TrainConfig& c) { c.model.n_heads = 2; }));
    CHECK(differs([](TrainConfig& c) { c.model.seq_len = 32; }));
    CHECK(differs([](TrainConfig& c) { c.batch = 8; }));
    CHECK(differs([](TrainConfig& c) { c.tokens = 1; }));
    CHECK(differs([](TrainConfig& c) { c.seed = 2; }));
    CHECK(differs([](TrainConfig& c) { c.lr = 2e-3; }));
    CHECK(differs([](TrainConfig& c) { c.min_lr_ratio = 0.2; }));
    CHECK(differs([](TrainConfig& c) { c.warmup = 3; }));
    CHECK(differs([](TrainConfig& c) { c.adamw.weight_decay = 0; }));
    CHECK(differs([](TrainConfig& c) { c.adamw.beta2 = 0.99; }));
    CHECK(differs([](TrainConfig& c) { c.grad_clip = 0; }));
    CHECK(differs([](TrainConfig& c) { c.val_fraction = 0.2; }));
    CHECK(differs([](TrainConfig& c) { c.eval_tokens = 100; }));
    CHECK(run_key(base, "fp2", "cpu/1 threads=2") != k0);  // another corpus
    CHECK(run_key(base, "fp", "cpu/1 threads=1") != k0);   // another thread count
    CHECK(run_key(base, "fp", "cpu/2 threads=2") != k0);   // another trainer version
    // The corpus path alone is not part of the key (a store is valid in another checkout).
    TrainConfig moved = base;
    moved.corpus_path = "/elsewhere/corpus.txt";
    CHECK(run_key(moved, "fp", "cpu/1 threads=2") == k0);
}

TEST_CASE("the grid runs every configuration once and reads finished runs back", "[grid]") {
    TempFile corpus("grid.txt", test::sample_text(20000));
    TempFile db("grid.sqlite");
    auto runs = small_grid(corpus.path());
    FakeBackend backend;
    {
        RunStore store(db.path());
        auto out = run_grid(runs, backend, store, quiet());
        REQUIRE(out.size() == runs.size());
        CHECK(backend.calls == 6);
        CHECK(out[0].d_model == 16);
        CHECK(out[5].tokens_requested == 4000);
        CHECK(out[5].tokens == 4032);  // rounded up to whole steps of 4 x 16
        CHECK(store.size() == 6);
    }
    RunStore store(db.path());
    std::vector<bool> from_store;
    GridEvents ev = quiet();
    ev.on_run = [&](size_t, const StoredRun&, bool stored) { from_store.push_back(stored); };
    auto again = run_grid(runs, backend, store, ev);
    CHECK(backend.calls == 6);  // nothing trained twice
    CHECK(from_store == std::vector<bool>(6, true));
    CHECK(again[3].key == run_key(runs[3], again[3].key.substr(7, again[3].key.find(' ') - 7), "fake/1"));
}

TEST_CASE("a grid interrupted after k runs resumes without redoing them", "[grid]") {
    TempFile corpus("resume.txt", test::sample_text(20000));
    TempFile db("resume.sqlite");
    auto runs = small_grid(corpus.path());
    FakeBackend backend;
    {
        RunStore store(db.path());
        GridEvents ev = quiet();
        ev.on_run = [](size_t i, const StoredRun&, bool) {
            if (i == 2) throw Interrupted{};  // killed after the third run was stored
        };
        CHECK_THROWS_AS(run_grid(runs, backend, store, ev), Interrupted);
        CHECK(backend.calls == 3);
    }
    RunStore store(db.path());
    CHECK(store.size() == 3);
    std::vector<std::string> log;
    GridEvents ev;
    ev.log = [&](const std::string& line) { log.push_back(line); };
    auto out = run_grid(runs, backend, store, ev);
    CHECK(backend.calls == 6);  // only the three unfinished runs
    CHECK(out.size() == 6);
    REQUIRE_FALSE(log.empty());
    CHECK_THAT(log[0], Contains("6 runs, 3 read back") && Contains("3 to train"));
}

TEST_CASE("a pool of trainers trains each run once and the grid stores each as it comes back", "[grid][pool]") {
    TempFile corpus("pool.txt", test::sample_text(20000));
    TempFile db("pool.sqlite");
    auto runs = small_grid(corpus.path());
    const Corpus loaded = load_corpus(corpus.path(), CorpusFormat::Auto);
    FakeBackend backend, trainers;
    RunStore store(db.path());
    FakePool pool(trainers, loaded, 4);
    std::vector<size_t> stored_order;
    GridEvents ev = quiet();
    ev.on_run = [&](size_t i, const StoredRun& run, bool from_store) {
        CHECK_FALSE(from_store);
        CHECK(store.find(run.key).has_value());  // committed before the next result is looked at
        stored_order.push_back(i);
    };
    auto out = run_grid(runs, backend, store, ev, {}, &pool);
    CHECK(backend.calls == 0);  // the grid's own backend only gave the keys
    CHECK(trainers.calls == 6);
    // Largest compute first: 6 N D with N = 29,664 (d_model 32) or 11,760 (16), D = 4032, 2048, 1024.
    CHECK(pool.handed == std::vector<size_t>{5, 4, 2, 3, 1, 0});
    CHECK(stored_order == std::vector<size_t>{3, 2, 4, 5, 0, 1});
    CHECK(runs.at(0).threads == 0);
    CHECK(pool.configs.at(0).threads > 0);  // 0 (all of them) resolved here, as in the key
    CHECK(store.size() == 6);
    CHECK(store.claims() == 0);
    CHECK(out[5].tokens == 4032);
    CHECK(out[5].backend == "fake/1");
    auto again = run_grid(runs, backend, store, quiet(), {}, &pool);
    CHECK(trainers.calls == 6);  // nothing handed out twice
    CHECK(again[4].val_loss == out[4].val_loss);
}

TEST_CASE("a pool that fails leaves every run that came back stored and no claim behind", "[grid][pool]") {
    TempFile corpus("poolfail.txt", test::sample_text(20000));
    TempFile db("poolfail.sqlite");
    auto runs = small_grid(corpus.path());
    const Corpus loaded = load_corpus(corpus.path(), CorpusFormat::Auto);
    FakeBackend backend, trainers;
    {
        RunStore store(db.path());
        FakePool pool(trainers, loaded, 2, 3);  // runs 5, 4 come back; 2 is out when 3 fails
        CHECK_THROWS_WITH(run_grid(runs, backend, store, quiet(), {}, &pool), Contains("rank 2") && Contains("out of memory"));
        CHECK(pool.handed == std::vector<size_t>{5, 4, 2, 3});
        CHECK(trainers.calls == 3);
        CHECK(store.size() == 3);
        CHECK(store.claims() == 0);  // the failed run's claim is dropped: a rerun trains it at once
    }
    RunStore store(db.path());
    FakePool pool(trainers, loaded, 2);
    std::vector<std::string> log;
    GridEvents ev;
    ev.log = [&](const std::string& line) { log.push_back(line); };
    run_grid(runs, backend, store, ev, {}, &pool);
    CHECK(pool.handed == std::vector<size_t>{3, 1, 0});
    CHECK(trainers.calls == 6);
    CHECK(store.size() == 6);
    REQUIRE(log.size() > 1);
    CHECK_THAT(log[0], Contains("6 runs, 3 read back") && Contains("3 to train"));
    CHECK_THAT(log[1], Contains("run 4/6 (1 of 3 to train, handed out)"));
}

TEST_CASE("a run's configuration, result and stored runs travel as bytes unchanged", "[grid][wire]") {
    TrainConfig c = small_grid("/data/c.txt")[4];
    c.lr = 0.1 + 0.2;  // not a short decimal: the bits must survive
    c.corpus_format = CorpusFormat::WikiText;
    c.threads = 3;
    TrainConfig back = decode_config(encode_config(c));
    CHECK(run_key(back, "fp", "b") == run_key(c, "fp", "b"));
    CHECK(back.corpus_path == "/data/c.txt");
    CHECK(back.corpus_format == CorpusFormat::WikiText);
    CHECK(back.threads == 3);
    TrainResult r;
    r.val_loss = 1.0 / 3;
    r.params.non_embedding = 12345;
    r.corpus_path = "x";
    TrainResult rb = decode_result(encode_result(r));
    CHECK(rb.val_loss == r.val_loss);
    CHECK(rb.params.non_embedding == 12345);
    CHECK(rb.corpus_path == "x");
    StoredRun s;
    s.key = "k";
    s.compute = 6e15;
    s.backend = "cpu-reference/1 threads=2";
    auto runs = decode_runs(encode_runs({s, s}));
    REQUIRE(runs.size() == 2);
    CHECK(runs[1].backend == s.backend);
    CHECK(runs[1].compute == 6e15);
    std::string bytes = encode_config(c);
    CHECK_THROWS_WITH(decode_config(bytes.substr(0, bytes.size() - 1)), Contains("cut short"));
    CHECK_THROWS_WITH(decode_config(bytes + "x"), Contains("1 bytes too many"));
}

TEST_CASE("grid errors are clear", "[grid][errors]") {
    TempFile db("errors.sqlite");
    FakeBackend backend;
    SECTION("missing corpus") {
        RunStore store(db.path());
        auto runs = small_grid("/nonexistent/corpus.txt");
        CHECK_THROWS_WITH(run_grid(runs, backend, store, quiet()), Contains("/nonexistent/corpus.txt"));
    }
    SECTION("corpus too small for a run: nothing is trained") {
        TempFile corpus("small.txt", test::sample_text(3000));
        RunStore store(db.path());
        auto runs = small_grid(corpus.path());
        CHECK_THROWS_WITH(run_grid(runs, backend, store, quiet()),
                          Contains("is too small for run") && Contains("training split holds"));
        CHECK(backend.calls == 0);
    }
    SECTION("bad store paths") {
        CHECK_THROWS_WITH(RunStore("/nonexistent-dir/x/runs.sqlite"), Contains("does not exist"));
        CHECK_THROWS_WITH(RunStore(std::filesystem::temp_directory_path().string()), Contains("is a directory"));
        TempFile junk("junk.sqlite", std::string(4096, 'x'));
        CHECK_THROWS_WITH(RunStore(junk.path()), Contains("not an SQLite run store"));
    }
}

TEST_CASE("the heads rule", "[grid]") {
    CHECK(default_heads(16) == 1);
    CHECK(default_heads(32) == 1);
    CHECK(default_heads(64) == 2);
    CHECK(default_heads(96) == 3);
    CHECK(default_heads(128) == 4);
}
