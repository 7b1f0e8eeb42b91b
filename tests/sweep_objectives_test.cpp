// Sweeps with several objectives and with budgets: the streaming Pareto frontier against a brute
// force one (random integer sweeps with ties, 2 to 4 coordinates, both backends, 1 and 2 threads),
// `report top` with several objectives, the default report, and where budgets prune.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "grammar/formatter.hpp"
#include "plan/plan.hpp"
#include "session_run.hpp"

namespace {

using Output = test::Run;

Output run(const std::string& code, const std::string& backend = "jit", int threads = 0) {
    return test::run_code(code, backend, threads);
}

// The rows of the first table printed after `title`, as numbers.
std::vector<std::vector<double>> table_after(const std::string& text, const std::string& title) {
    std::vector<std::vector<double>> rows;
    size_t at = text.find(title);
    REQUIRE(at != std::string::npos);
    std::istringstream in(text.substr(at));
    std::string line;
    std::getline(in, line);  // the title
    std::getline(in, line);  // the header
    std::getline(in, line);  // the dashes
    while (std::getline(in, line) && !line.empty() && line.find(':') == std::string::npos) {
        std::istringstream cells(line);
        std::vector<double> row;
        double v;
        while (cells >> v) row.push_back(v);
        rows.push_back(row);
    }
    return rows;
}

}  // namespace

TEST_CASE("the streaming Pareto frontier is the brute-force one, ties to the earliest point", "[sweep]") {
    std::mt19937 rng(7);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int trial = 0; trial < 40; ++trial) {
        // Objective j: the squared distance from the point (a, b) to a centre, some maximized;
        // integer values, so many points tie.
        int dims = 2 + trial % 3, n = pick(6, 25), m = pick(6, 25);
        std::vector<int> ca, cb;
        std::vector<bool> max;
        std::ostringstream code;
        code << "sweep s {\n    a in 0 .. " << n << " step 1\n    b in 0 .. " << m << " step 1\n";
        for (int j = 0; j < dims; ++j) {
            ca.push_back(pick(0, n));
            cb.push_back(pick(0, m));
            max.push_back(pick(0, 3) == 0);
            code << "    let v" << j << " = floor(((a - " << ca[j] << ")^2 + (b - " << cb[j] << ")^2) / " << (1 + j) << ")\n";
        }
        for (int j = 0; j < dims; ++j) code << "    " << (max[j] ? "maximize" : "minimize") << " v" << j << "\n";
        code << "}\n";
        // Brute force: a point stays unless another is at least as good everywhere and either came
        // first or is not equal to it.
        std::vector<std::vector<double>> points, values;
        for (int a = 0; a <= n; ++a)
            for (int b = 0; b <= m; ++b) {
                std::vector<double> p, v;
                for (int j = 0; j < dims; ++j) {
                    double x = std::floor(((a - ca[j]) * (a - ca[j]) + (b - cb[j]) * (b - cb[j])) / double(1 + j));
                    v.push_back(x);
                    p.push_back(max[j] ? -x : x);
                }
                points.push_back(p);
                values.push_back(v);
            }
        std::vector<size_t> kept;
        for (size_t i = 0; i < points.size(); ++i) {
            bool out = false;
            for (size_t k = 0; k < points.size() && !out; ++k) {
                if (k == i) continue;
                bool le = true;
                for (int j = 0; j < dims && le; ++j) le = points[k][j] <= points[i][j];
                out = le && (k < i || points[k] != points[i]);
            }
            if (!out) kept.push_back(i);
        }
        std::stable_sort(kept.begin(), kept.end(), [&](size_t x, size_t y) { return values[x][0] < values[y][0]; });
        std::vector<std::vector<double>> expected;
        for (size_t i : kept) {
            std::vector<double> row{double(i / (m + 1)), double(i % (m + 1))};
            row.insert(row.end(), values[i].begin(), values[i].end());
            expected.push_back(row);
        }
        INFO(code.str());
        for (auto [backend, threads] : {std::pair<const char*, int>{"interp", 1}, {"jit", 1}, {"jit", 2}}) {
            INFO(backend << " with " << threads << " threads");
            Output o = run(code.str(), backend, threads);
            REQUIRE(o.exit_code == 0);
            CHECK(table_after(o.text, "Pareto frontier of") == expected);
        }
    }
}

TEST_CASE("several objectives: the default report is their frontier, and top ranks by the first", "[sweep]") {
    Output o = run("sweep {\n    n in [1, 2, 3, 4]\n    let cost = n * 1 USD\n    minimize cost\n"
                   "    minimize 10 / n + (if n == 3 then 5 else 0)\n}\n");
    CHECK(o.text ==
          "sweep: 4 feasible points of 4\nPareto frontier of cost and minimize (3 points):\nn  cost   minimize\n"
          "-  -----  --------\n1  1 USD        10\n2  2 USD         5\n4  4 USD       2.5\n");
    o = run("sweep {\n    n in [1, 2, 3, 4]\n    let cost = n * 1 USD\n    maximize cost\n    minimize n\n    report top 2\n}\n");
    CHECK(o.text == "sweep: 4 feasible points of 4\ntop 2 by largest cost (the first objective):\nn  cost\n-  -----\n"
                    "4  4 USD\n3  3 USD\n");
    // Unnamed objectives get distinct columns; `report pareto` alone is the frontier of all three.
    o = run("sweep {\n    n in [1, 2, 3]\n    minimize n * 2\n    minimize 6 / n\n    maximize n\n    report pareto\n}\n");
    CHECK(o.text == "sweep: 3 feasible points of 3\nPareto frontier of minimize, minimize 2 and n (3 points):\n"
                    "n  minimize  minimize 2\n-  --------  ----------\n1         2           6\n2         4           3\n"
                    "3         6           2\n");
}

TEST_CASE("a budget in a sweep prunes right after the name it bounds is defined", "[sweep]") {
    // Written last, the bound on x is tested right after the axis: 1 / x never sees x = 0.
    for (const char* backend : {"interp", "jit"}) {
        Output o = run("sweep {\n    x in [0, 1, 2, 4]\n    let y = 1 / x\n    minimize y\n    budget { x >= 1, y >= 0.3 }\n}\n",
                       backend);
        CHECK(o.exit_code == 0);
        CHECK(o.text == "sweep: 2 feasible points of 4\ntop 2 by smallest y:\nx  y\n-  ---\n2  0.5\n1    1\n");
    }
}

TEST_CASE("top-level budgets apply to a sweep only when it names them", "[sweep]") {
    std::string head = "budget { x <= 2 }\nbudget wide { x <= 3; y > 1 }\n";
    auto feasible = [&](const std::string& line) {
        Output o = run(head + "sweep {\n    x in [1, 2, 3, 4]\n    let y = x * x\n" + line + "}\n");
        REQUIRE(o.exit_code == 0);
        return o.text.substr(0, o.text.find('\n'));
    };
    CHECK(feasible("") == "sweep: 4 feasible points of 4");
    CHECK(feasible("    budget\n") == "sweep: 2 feasible points of 4");
    CHECK(feasible("    budget wide\n") == "sweep: 2 feasible points of 4");
    CHECK(feasible("    budget wide\n    budget\n") == "sweep: 1 feasible point of 4");
}

TEST_CASE("fmt keeps several objectives, pareto with any names and budgets in sweeps", "[fmt]") {
    std::string code =
        "budget lim {\n    x <= 3\n}\nsweep {\n    x in [1, 2]\n    let y = 2 * x\n    budget\n    budget lim\n    budget {\n        x >= 1\n    }\n"
        "    minimize x\n    maximize 2 * x\n    report pareto\n    report pareto(x, y) to \"f.csv\"\n"
        "    report pareto(x, x, x)\n}\n";
    auto r = plan::format_source("<test>", code, false);
    INFO(r.errors);
    REQUIRE(r.ok);
    CHECK(r.text == code);
}
