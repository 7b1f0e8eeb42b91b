// The language binding (stdlib/native/training.cpp, `use validation`) and the frontier and fits
// over runs (stdlib/native/fitting.hpp, shared with the CSV fits). Built only with the trainer.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "stdlib/native/fitting.hpp"
#include "plan/plan.hpp"
#include "test_util.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// A scratch directory with a script and its files, removed on scope exit.
struct Dir {
    fs::path path = fs::temp_directory_path() / ("plan_validation_natives_" + std::to_string(::getpid()));
    Dir() { fs::create_directories(path); }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

struct Run {
    plan::Result result;
    std::string out;
    std::string errors() const {
        std::string s;
        for (auto& e : result.errors) s += e.message + " | " + e.help + "\n";
        return s;
    }
};

Run run_file(const std::string& path) {
    std::ostringstream out;
    plan::SessionOptions o;
    o.out = &out;
    plan::Session s(o);
    Run r{s.run_file(path), ""};
    r.out = out.str();
    return r;
}

const plan::CallSite kNowhere{plan::Span{}, ""};

}  // namespace

TEST_CASE("frontier and regression on synthetic runs", "[grid][fit]") {
    // Five compute levels; per level three runs, the middle one (N = 0.1 C^0.5) best.
    std::vector<double> n, d, l;
    for (double c : {1e10, 1e11, 1e12, 1e13, 1e14})
        for (double k : {0.5, 1.0, 2.0}) {
            double nn = 0.1 * std::sqrt(c) * k;
            n.push_back(nn);
            d.push_back(c / (6 * nn));
            l.push_back(2 + std::abs(std::log(k)) + 1 / std::log10(c));
        }
    auto idx = plan::fitting::frontier_indices(n, d, l, 0);
    REQUIRE(idx.size() == 5);
    for (size_t i = 0; i < idx.size(); ++i) CHECK(idx[i] == 3 * i + 1);
    plan::Value f = plan::fitting::fit_frontier_data(n, d, l, 0, "synthetic", kNowhere);
    const auto& x = f.record().fields;  // runs, levels, n_exponent, lo, hi, coef, d_exponent, lo, hi, coef, r2_n, r2_d
    CHECK(x[0].num() == 15);
    CHECK(x[1].num() == 5);
    CHECK(x[2].num() == Approx(0.5).margin(1e-9));
    CHECK(x[3].num() == Approx(0.5).margin(1e-6));
    CHECK(x[4].num() == Approx(0.5).margin(1e-6));
    CHECK(x[5].num() == Approx(0.1).epsilon(1e-9));
    CHECK(x[6].num() == Approx(0.5).margin(1e-9));
    // Binned levels: two bins per decade merge nothing here, one bin per two decades would.
    CHECK(plan::fitting::frontier_indices(n, d, l, 2).size() == 5);
    CHECK(plan::fitting::frontier_indices(n, d, l, 0.5).size() == 3);
}

TEST_CASE("train_runs trains a grid from plan, stores it, and reads it back", "[grid][binding]") {
    Dir dir;
    dir.write("c.txt", plan::validation::test::sample_text(40000));
    std::string script = dir.write("g.plan", R"(use validation
let runs = train_runs("c.txt", [tiny_model(16, 1), tiny_model(32, 1)], [2048, 4096, 8192], "",
                      training_options(seq = 16, batch = 4, eval_tokens = 256, threads = 1))
print runs
print frontier(runs, 0)
let f = frontier_fit(runs, 0)
print f.levels
print plot_runs(runs, "g")
)");
    Run first = run_file(script);
    INFO(first.errors());
    REQUIRE(first.result.ok());
    CHECK_THAT(first.out, Contains("val_loss"));
    CHECK_THAT(first.out, Contains("non_embedding_params"));
    CHECK(fs::exists(dir.path / "g.runs.sqlite"));  // the default store, beside the script
    CHECK(fs::exists(dir.path / "g_loss_vs_compute.svg"));
    CHECK(fs::exists(dir.path / "g_loss_vs_params.svg"));
    auto stamp = fs::last_write_time(dir.path / "g.runs.sqlite");
    Run second = run_file(script);
    REQUIRE(second.result.ok());
    CHECK(second.out == first.out);  // read back: the same numbers
    CHECK(fs::last_write_time(dir.path / "g.runs.sqlite") == stamp);
}

TEST_CASE("train_runs errors are clear", "[grid][binding][errors]") {
    Dir dir;
    dir.write("small.txt", plan::validation::test::sample_text(2000));
    auto error_of = [&](const std::string& call) {
        Run r = run_file(dir.write("e.plan", "use validation\nlet runs = " + call + "\n"));
        REQUIRE_FALSE(r.result.ok());
        return r.errors();
    };
    CHECK_THAT(error_of("train_runs(\"missing.txt\", [tiny_model(16, 1)], [1000], \"\")"), Contains("missing.txt"));
    CHECK_THAT(error_of("train_runs(\"small.txt\", [tiny_model(16, 1)], [100000], \"\")"), Contains("is too small for run 1 of 1"));
    CHECK_THAT(error_of("train_runs(\"small.txt\", [tiny_model(16, 1)], [1000], \"no/such/dir/r.sqlite\")"),
               Contains("does not exist"));
    CHECK_THAT(error_of("train_runs(\"small.txt\", [{ layers = 1, d_model = 16, d_mlp = 64 }], [1000], \"\")"),
               Contains("fields in this order"));
}
