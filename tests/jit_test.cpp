// The JIT backend of sweeps against the interpreter: every example sweep, the sweeps in
// tests/sweeps/, thousands of random well-typed sweeps (seeded) — the same text out of both — and
// the diagnostic for constructs the JIT does not compile.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "plan/plan.hpp"
#include "session_run.hpp"
#include "interpreter/checked.hpp"

namespace {

using test::Run;

Run run_source(const std::string& backend, int threads, const std::string& code) { return test::run_code(code, backend, threads); }

bool has_sweep(const std::filesystem::path& p) {
    std::ifstream f(p);
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("sweep ", 0) == 0) return true;
    return false;
}

// The example sweeps and sweep cases, but pow_half_is_sqrt: a million points on one interpreter
// thread take minutes in the sanitizer build, and its golden tests already hold both backends
// to the same output.
std::vector<std::filesystem::path> sweep_files() {
    std::vector<std::filesystem::path> files;
    for (const char* dir : {"examples", "tests/sweeps"}) {
        std::filesystem::path d = std::filesystem::path(PLAN_SOURCE_DIR) / dir;
        if (!std::filesystem::exists(d)) continue;
        for (auto& e : std::filesystem::directory_iterator(d))
            if (e.path().extension() == ".plan" && has_sweep(e.path()) && e.path().stem() != "pow_half_is_sqrt")
                files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// ---- random well-typed sweeps -------------------------------------------------------------------

class Generator {
public:
    explicit Generator(uint32_t seed) : rng_(seed) {}

    std::string program() {
        std::ostringstream p;
        p << "fn f1(a, b) = a * b + 1\n"
             "fn f2(x) = if x > 2 then x - 1 else x + 1\n"
             "fn f3(r, k) = r.a * k + r.b\n"
             "let cfg = { a = 3, b = 0.5, name = \"m\" }\n"
             "let big = cfg with { a = 7 }\n"
             "fn upto(n) = [k for k in 1 .. n step 1 if k != 2]\n"
             "budget lim { x0 <= 8 }\n"
             "sweep s {\n";
        nums_.clear();
        bools_.clear();
        has_string_ = false;
        int axes = pick(1, 3);
        for (int i = 0; i < axes; ++i) {
            std::string name = std::string("x") + std::to_string(i);
            p << "    " << name << " in " << axis_list() << "\n";
            nums_.push_back(name);
            if (chance(0.3)) item(p);
        }
        if (chance(0.3)) {
            p << "    s in [\"a\", \"b\", \"c\"]\n";
            has_string_ = true;
        }
        int items = pick(1, 4);
        for (int i = 0; i < items; ++i) item(p);
        // Budgets: the top-level one, or the sweep's own on a numeric name (placed after its definition).
        if (chance(0.15)) p << "    budget lim\n";
        if (chance(0.2)) p << "    budget { " << nums_[pick(0, static_cast<int>(nums_.size()) - 1)] << (chance(0.5) ? " <= " : " >= ") << literal() << " }\n";
        // Objectives: none, one, or up to three (a name is used once).
        int objectives = chance(0.8) ? (chance(0.7) ? 1 : pick(2, 3)) : 0;
        std::vector<std::string> used;
        for (int i = 0; i < objectives; ++i) {
            std::string e = num(3);
            if (std::find(used.begin(), used.end(), e) != used.end()) continue;
            used.push_back(e);
            p << "    " << (chance(0.5) ? "minimize " : "maximize ") << e << "\n";
        }
        bool objective = !used.empty();
        int report = pick(0, 4);
        if (report == 0 && objective) p << "    report top " << pick(1, 6) << "\n";
        if (report == 1 || (report == 0 && !objective)) p << "    report all\n";
        if (report == 2 && nums_.size() >= 2) p << "    report pareto(" << nums_[0] << ", " << nums_.back() << ")\n";
        if (report == 3 && nums_.size() >= 3) p << "    report pareto(" << nums_[0] << ", " << nums_[1] << ", " << nums_.back() << ")\n";
        if (report == 4 && used.size() >= 2) p << "    report pareto\n";
        p << "}\n";
        return p.str();
    }

private:
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

    std::string literal() {
        static const char* values[] = {"0", "1", "2", "3", "0.5", "1.5", "10", "0.25", "7", "100"};
        return values[pick(0, 9)];
    }

    std::string axis_list() {
        switch (pick(0, 4)) {
            case 0: {
                std::string l = "[";
                int n = pick(1, 5);
                for (int i = 0; i < n; ++i) l += (i ? ", " : "") + literal();
                return l + "]";
            }
            case 1: return std::to_string(pick(0, 3)) + " .. " + std::to_string(pick(2, 9)) + " step " + (chance(0.5) ? "1" : "0.5");
            case 2: return std::string("1 .. ") + std::to_string(pick(2, 1000)) + " log " + std::to_string(pick(2, 6));
            case 3:
                if (!nums_.empty()) {  // a list computed from earlier axes and lets
                    std::string x = nums_[pick(0, static_cast<int>(nums_.size()) - 1)];
                    switch (pick(0, 4)) {
                        case 0: return x + " .. " + literal() + " step 1";
                        case 1: return "divisors(" + (chance(0.8) ? "floor(abs(" + x + ")) + 1" : x) + ")";
                        case 2: return "[k * " + x + " for k in [1, 2, 3]" + (chance(0.5) ? " if k <= " + x : "") + "]";
                        case 3: return "[" + x + ", " + x + " + 1, " + literal() + "]";
                        default: return "upto(min(abs(" + x + "), 9))";
                    }
                }
                [[fallthrough]];
            default: return std::string("[") + literal() + ", " + literal() + "]";
        }
    }

    void item(std::ostringstream& p) {
        if (chance(0.3)) {
            p << "    constraint " << boolean(2) << "\n";
            return;
        }
        std::string name = std::string("v") + std::to_string(counter_++);
        if (chance(0.2)) {
            p << "    let " << name << " = " << boolean(2) << "\n";
            bools_.push_back(name);
        } else {
            p << "    let " << name << " = " << num(3) << "\n";
            nums_.push_back(name);
        }
    }

    std::string num(int depth) {
        if (depth == 0 || chance(0.25)) {
            if (chance(0.6) && !nums_.empty()) return nums_[pick(0, static_cast<int>(nums_.size()) - 1)];
            return chance(0.2) ? (chance(0.5) ? "cfg.a" : "big.b") : literal();
        }
        std::string a = num(depth - 1), b = num(depth - 1);
        switch (pick(0, 20)) {
            case 0: return std::string("(") + a + " + " + b + ")";
            case 1: return std::string("(") + a + " - " + b + ")";
            case 2: return std::string("(") + a + " * " + b + ")";
            case 3: return std::string("(") + a + " / " + b + ")";
            case 4: return std::string("(") + a + " / (abs(" + b + ") + 1))";
            case 5: return std::string("(") + a + ")^" + std::to_string(pick(0, 3));
            case 6: return std::string("sqrt(abs(") + a + "))";
            case 7: return std::string("log(abs(") + a + ") + 1)";
            case 8: return std::string("exp(") + a + " / 1000)";
            case 9: return std::string(chance(0.5) ? "floor(" : chance(0.5) ? "ceil(" : "round(") + a + ")";
            case 10: return std::string(chance(0.5) ? "min(" : "max(") + a + ", " + b + (chance(0.5) ? std::string(", ") + literal() : "") + ")";
            case 11: return std::string("(if ") + boolean(depth - 1) + " then " + a + " else " + b + ")";
            case 12: return std::string("f1(") + a + ", " + b + ")";
            case 13: return std::string("f2(") + a + ")";
            case 14: return std::string("f3(cfg with { a = ") + a + " }, " + b + ")";
            case 15: return std::string("(cfg with { b = ") + a + " }).b";
            case 16: return std::string("-") + a;
            case 17: return std::string("{ let t = ") + a + "; t * t + " + b + " }";
            case 18: return std::string("log2(") + a + ")";
            case 19: return std::string("[1, 2.5, 4, 8][min(floor(abs(") + a + ")), 4)]";
            default: return std::string("(") + a + ")^0.5";
        }
    }

    std::string boolean(int depth) {
        if (depth > 0 && chance(0.3)) {
            std::string a = boolean(depth - 1), b = boolean(depth - 1);
            switch (pick(0, 2)) {
                case 0: return std::string("(") + a + " and " + b + ")";
                case 1: return std::string("(") + a + " or " + b + ")";
                default: return std::string("not ") + a;
            }
        }
        if (!bools_.empty() && chance(0.2)) return bools_[pick(0, static_cast<int>(bools_.size()) - 1)];
        if (has_string_ && chance(0.2)) return std::string("s ") + (chance(0.5) ? "==" : "!=") + " \"" + "abc"[pick(0, 2)] + "\"";
        static const char* ops[] = {"<", "<=", ">", ">=", "==", "!="};
        return num(std::max(0, depth - 1)) + " " + ops[pick(0, 5)] + " " + num(std::max(0, depth - 1));
    }

    std::mt19937 rng_;
    std::vector<std::string> nums_, bools_;
    bool has_string_ = false;
    int counter_ = 0;
};

}  // namespace

TEST_CASE("every example sweep gives the same output on the JIT and the interpreter", "[jit]") {
    auto files = sweep_files();
    REQUIRE(!files.empty());
    for (auto& file : files) {
        INFO(file.string());
        auto body = [&](plan::Session& s) { return s.run_file(file.string()); };
        Run interp = test::run_session("interp", 1, body);
        Run jit = test::run_session("jit", 0, body);
        CHECK(jit.text == interp.text);
        CHECK(jit.exit_code == interp.exit_code);
    }
}

TEST_CASE("random well-typed sweeps give the same output on both backends", "[jit]") {
    // PLAN_JIT_PROGRAMS=5000 for a longer run; the default keeps the suite (and its ASan build) fast.
    const char* env = std::getenv("PLAN_JIT_PROGRAMS");
    const int programs = env ? std::atoi(env) : 1000;
    int errors = 0, feasible = 0, frontiers = 0, budgets = 0;
    for (int i = 0; i < programs; ++i) {
        std::string code = Generator(static_cast<uint32_t>(1000 + i)).program();
        INFO("seed " << 1000 + i << ":\n" << code);
        Run interp = run_source("interp", 1, code);
        setenv("PLAN_JIT_O3", i % 10 == 0 ? "1" : "0", 1);  // small grids use O1; cover O3 too
        setenv("PLAN_JIT_VECTOR", i % 3 == 0 ? "0" : "1", 1);  // and the point-by-point innermost loop
        // Kernel calls whose row buffer fills after 1 or 3 rows, each resuming where the last stopped.
        if (i % 4 != 0) setenv("PLAN_SWEEP_ROWS", i % 4 == 1 ? "1" : "3", 1);
        Run jit = run_source("jit", 1 + i % 2, code);
        Run small = i % 5 == 0 ? run_source("interp", 2, code) : interp;  // the interpreter's calls resume too
        unsetenv("PLAN_JIT_O3");
        unsetenv("PLAN_JIT_VECTOR");
        unsetenv("PLAN_SWEEP_ROWS");
        REQUIRE(jit.text == interp.text);
        REQUIRE(jit.exit_code == interp.exit_code);
        REQUIRE(small.text == interp.text);
        REQUIRE(small.exit_code == interp.exit_code);
        if (interp.exit_code != 0) ++errors;
        if (interp.text.find(" 0 feasible") == std::string::npos && interp.exit_code == 0) ++feasible;
        if (interp.exit_code == 0 && interp.text.find("Pareto frontier of ") != std::string::npos &&
            interp.text.find(", ") != std::string::npos)
            ++frontiers;  // of three or more coordinates
        if (interp.exit_code == 0 && code.find("    budget") != std::string::npos) ++budgets;
    }
    UNSCOPED_INFO(frontiers << " frontiers of 3+ coordinates, " << budgets << " sweeps with budgets");
    CHECK(frontiers > programs / 50);
    CHECK(budgets > programs / 10);
    // The generator must exercise both paths: points found, and runtime errors on both sides.
    CHECK(feasible > programs / 3);
    CHECK(errors > 0);
}

TEST_CASE("runtime errors in a compiled sweep are the interpreter's diagnostics", "[jit]") {
    for (const char* code : {
             "sweep s {\n  x in [3, 2, 1, 0]\n  let y = 1 / (x - 1)\n  minimize y\n}\n",
             "sweep s {\n  x in [1, 2]\n  k in 0 .. x step 0\n}\n",
             "sweep s {\n  x in [4, -1]\n  let y = sqrt(x)\n  minimize y\n}\n",
             "sweep s {\n  x in [1, -2]\n  y in 1 .. 10 step 1\n  let z = log(x * y)\n  minimize z\n}\n",
             "sweep s {\n  x in [700, 800]\n  let y = exp(x)\n  minimize y\n}\n",
             "sweep s {\n  x in [-8, 8]\n  let y = x ^ 0.5\n  minimize y\n}\n",
             "sweep s {\n  x in [0, 1, 2, 3]\n  let y = [5, 6, 7][x]\n  minimize y\n}\n",
             "sweep s {\n  x in [0, 0.5]\n  let y = [5, 6, 7][x]\n  minimize y\n}\n",
             // math of the inner axis alone is tabled once: its errors still stop at the right point
             "sweep s {\n  x in [1, 2]\n  y in [4, 9, -1]\n  let z = x + y ^ 0.5\n  minimize z\n}\n",
             "sweep s {\n  x in [1, 2]\n  y in [1, 800]\n  let z = x * exp(y)\n  minimize z\n}\n",
             "sweep s {\n  x in [1, 2]\n  y in [2, 1, 0]\n  let z = x / log(y)\n  minimize z\n}\n",
             // short inner axes written one after the other are flattened into one loop; errors stay at their point
             "sweep s {\n  a in [1, 2]\n  b in [1, 2]\n  c in [1, 2, 0]\n  let q = 1 / c\n  d in [1, 2]\n  minimize q * d\n}\n",
             "sweep s {\n  a in [1, 2]\n  b in [1, 2]\n  c in [3, 1]\n  d in [1, 2]\n  let q = log(c - d)\n  minimize q\n}\n",
             // math of an outer axis and the flattened inner ones, tabled per outer point
             "sweep s {\n  a in [1, 2]\n  b in [1, 2, 3]\n  c in [1, 2]\n  d in [0, 1]\n  let q = a / (d + c - 1)\n  minimize q\n}\n",
             "sweep s {\n  x in [4, 0]\n  y in divisors(x)\n}\n",
             "sweep s {\n  x in [4, 2.5]\n  y in divisors(x)\n}\n",
             "sweep s {\n  x in [1, 2]\n  y in [1, 2]\n  z in [k / (y - 2) for k in [1, 2] if k <= x]\n}\n",
             "sweep s {\n  x in [1, 0]\n  y in [2, 1 / x]\n}\n",
             "sweep s {\n  x in [3, 2, 1]\n  y in [1, 2, 3]\n  let z = 1 / (x - y)\n  minimize z\n}\n",
         }) {
        INFO(code);
        Run interp = run_source("interp", 1, code);
        Run jit = run_source("jit", 2, code);
        CHECK(interp.exit_code == 1);
        CHECK(jit.text == interp.text);
        CHECK(jit.exit_code == interp.exit_code);
    }
}

TEST_CASE("constructs the JIT does not compile are named, with the way out", "[jit]") {
    struct Case {
        const char* code;
        const char* construct;
    };
    for (const Case& c : {
             Case{"sweep s {\n  x in [1, 2]\n  let y = sum([x, 2 * x])\n  minimize y\n}\n", "a list built inside the sweep"},
             Case{"sweep s {\n  x in [1, 2]\n  let y = len([k for k in [1, 2, 3] if k > x])\n  minimize y\n}\n", "comprehension"},
             Case{"sweep s {\n  x in [1, 2]\n  let y = \"n{x}\"\n}\n", "string interpolation"},
             Case{"sweep s {\n  x in [1, 2]\n  y in if x > 1 then [1, 2] else [3]\n}\n", "an axis whose list is computed"},
             Case{"sweep s {\n  x in [0, 1]\n  let y = [x, 2][x]\n}\n", "a list built inside the sweep"},
         }) {
        INFO(c.code);
        Run interp = run_source("interp", 1, c.code);
        CHECK(interp.exit_code == 0);
        Run jit = run_source("jit", 1, c.code);
        CHECK(jit.exit_code != 0);
        CHECK_THAT(jit.text, Catch::Contains("the JIT cannot compile") && Catch::Contains(c.construct) &&
                                 Catch::Contains("--backend interp"));
    }
}

TEST_CASE("threads split the outer axis without changing the answer", "[jit]") {
    const std::string code =
        "sweep s {\n  a in 1 .. 40 step 1\n  b in 1 .. 30 step 1\n"
        "  let v = floor(a * b / 7)\n  constraint v != 3\n  minimize v\n  report top 25\n  report pareto(a, v)\n}\n";
    Run reference = run_source("interp", 1, code);
    for (int threads : {1, 2, 3, 8}) {
        INFO(threads << " threads");
        CHECK(run_source("jit", threads, code).text == reference.text);
    }
}

// Every operation of the checked tree, used inside a sweep where it depends on an axis: it either
// lowers (and gives the interpreter's output) or fails with the JIT's diagnostic. A new Op fails
// the static_assert until it is added here and to the lowering.
TEST_CASE("construct coverage of the JIT: every Op lowers or is named", "[jit]") {
    static_assert(static_cast<int>(plan::Op::Block) == 29, "a new Op: add it to this table and to jit/lower.cpp");
    struct Case {
        plan::Op op;
        const char* let;  // the body of `let y = ...` with an axis x in [1, 2, 3]
        bool lowers;
    };
    using plan::Op;
    const std::vector<Case> cases = {
        {Op::Const, "x + 1", true},         {Op::Global, "x + g", true},          {Op::Local, "x", true},
        {Op::Neg, "-x", true},              {Op::Not, "not (x > 1)", true},      {Op::Add, "x + 2", true},
        {Op::Sub, "x - 2", true},           {Op::Mul, "x * 2", true},            {Op::Div, "2 / x", true},
        {Op::Pow, "x ^ 1.5", true},         {Op::Eq, "x == 2", true},            {Op::Ne, "x != 2", true},
        {Op::Lt, "x < 2", true},            {Op::Le, "x <= 2", true},            {Op::Gt, "x > 2", true},
        {Op::Ge, "x >= 2", true},           {Op::And, "x > 1 and x < 3", true},  {Op::Or, "x < 2 or x > 2", true},
        {Op::If, "if x > 1 then x else 0", true},
        {Op::Call, "f(x)", true},
        {Op::Builtin, "sqrt(x) + exp(x) + log(x) + log2(x) + log10(x) + abs(x) + floor(x / 2) + ceil(x / 2) + round(x / 2) + min(x, 2) + max(x, 2, 1)", true},
        {Op::Field, "r.a * x", true},
        {Op::With, "(r with { a = x }).a", true},
        {Op::Record, "{ a = x, b = 2 }.a", true},
        {Op::Block, "{ let t = x * 2; t + 1 }", true},
        {Op::Index, "[1, 2, 3, 4][x] + [{ a = 1, s = \"p\" }, { a = 2, s = \"q\" }, { a = 4, s = \"r\" }][x - 1].a", true},
        {Op::List, "sum([x, 1])", false},
        {Op::Comprehension, "len([k for k in [1, 2, 3] if k > x])", false},
        {Op::Range, "len(1 .. x step 1)", false},
        {Op::Interpolate, "\"x = {x}\"", false},
    };
    REQUIRE(cases.size() == 30);
    std::string covered, not_covered;
    for (const Case& c : cases) {
        std::string code = std::string("let g = 2\nlet r = { a = 3, b = 4 }\nfn f(v) = v * 2 + 1\n") +
                           "sweep s {\n  x in [1, 2, 3]\n  let y = " + c.let + "\n}\n";
        INFO(code);
        Run interp = run_source("interp", 1, code);
        Run jit = run_source("jit", 1, code);
        REQUIRE(interp.exit_code == 0);
        if (c.lowers) {
            CHECK(jit.text == interp.text);
            covered += std::string(" ") + c.let;
        } else {
            CHECK(jit.exit_code != 0);
            CHECK_THAT(jit.text, Catch::Contains("the JIT cannot compile") && Catch::Contains("--backend interp"));
            not_covered += std::string(" ") + c.let;
        }
    }
    INFO("lowers:" << covered << "\nnot lowered:" << not_covered);
    SUCCEED();
}
