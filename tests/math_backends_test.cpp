// One math on both backends: random sweeps built from ^, exp, log, log2, log10 and sqrt run on the
// interpreter and the JIT, and their reports are compared in full precision (the CSV and JSON
// files, which write each number's shortest round-trip digits), not the terminal's 6 digits: the
// same feasible count, the same rows in the same order, the same bits.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include "numeric/math.hpp"
#include "session_run.hpp"

namespace {

namespace fs = std::filesystem;
using test::Run;

std::string read(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// A fresh directory for one program's report files on one backend.
fs::path scratch(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("plan_math_backends_" + std::to_string(getpid())) / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

class MathSweep {
public:
    explicit MathSweep(uint32_t seed) : g_(seed) {}

    // The sweep, its reports written into `dir`.
    std::string program(const fs::path& dir) {
        std::ostringstream p;
        double a0 = pick({0.001, 0.37, 1, 2.5, 10});
        p << "sweep m {\n"
          << "    a in " << a0 << " .. " << a0 * pick({10, 1e3, 1e6}) << " log " << pick({37, 200, 400}) << "\n"
          << "    b in " << pick({-3, -0.5, 0}) << " .. " << pick({1, 2.5}) << " step " << pick({0.25, 0.1, 0.07}) << "\n"
          << "    let u = " << expr() << "\n"
          << "    let v = " << expr() << "\n"
          << "    constraint " << condition() << "\n"
          << "    " << (pick({0, 1}) ? "minimize " : "maximize ") << expr() << "\n"
          << "    report all to \"" << (dir / "all.csv").string() << "\"\n"
          << "    report top 9 to \"" << (dir / "top.json").string() << "\"\n"
          << "}\n";
        return p.str();
    }

private:
    double pick(std::initializer_list<double> xs) { return xs.begin()[g_() % xs.size()]; }

    std::string constant() { return std::to_string(pick({0.34, 0.28, 0.5, 1.5, 2, 3, -1.25, 0.1})); }

    std::string atom() {
        switch (g_() % 10) {
            case 0: return "a^" + constant();
            case 1: return "a^b";
            case 2: return "exp(b * " + constant() + ")";
            case 3: return "log(a)";
            case 4: return "log2(a)";
            case 5: return "log10(a)";
            case 6: return "sqrt(a)";
            case 7: return "2.7^b";
            case 8: return "exp(log(a) * " + constant() + ")";
            default: return "(a^b)^" + constant();
        }
    }

    std::string expr() {
        static const char* ops[] = {" + ", " - ", " * ", " / "};
        return atom() + ops[g_() % 4] + atom();
    }

    // Half of them identities that hold only for some points, by the last bits of the results.
    std::string condition() {
        switch (g_() % 8) {
            case 0: return "log2(a^3) == 3 * log2(a)";
            case 1: return "exp(log(a)) == a";
            case 2: return "a^b * a^(-b) == 1";
            case 3: return "log10(a * a) == 2 * log10(a)";
            default: return expr() + (g_() % 2 ? " < " : " > ") + constant();
        }
    }

    std::mt19937 g_;
};

}  // namespace

TEST_CASE("random sweeps of the math write the same bits on both backends", "[jit][numeric]") {
    // PLAN_MATH_PROGRAMS=1000 for a longer run.
    const char* env = std::getenv("PLAN_MATH_PROGRAMS");
    const int programs = env ? std::atoi(env) : 60;
    int with_rows = 0, partial = 0;
    for (int i = 0; i < programs; ++i) {
        fs::path interp_dir = scratch("interp"), jit_dir = scratch("jit");
        MathSweep source_i(static_cast<uint32_t>(500 + i)), source_j(static_cast<uint32_t>(500 + i));
        std::string interp_code = source_i.program(interp_dir), jit_code = source_j.program(jit_dir);
        INFO("seed " << 500 + i << ":\n" << interp_code);
        setenv("PLAN_JIT_O3", i % 2 ? "1" : "0", 1);
        Run interp = test::run_code(interp_code, "interp", 1);
        Run jit = test::run_code(jit_code, "jit", 2);
        unsetenv("PLAN_JIT_O3");
        // The printed text names the files: the same but for the directory.
        std::string jit_text = jit.text;
        for (size_t at; (at = jit_text.find(jit_dir.string())) != std::string::npos;) jit_text.replace(at, jit_dir.string().size(), interp_dir.string());
        REQUIRE(jit_text == interp.text);
        REQUIRE(jit.exit_code == interp.exit_code);
        if (interp.exit_code != 0) continue;
        std::string csv = read(interp_dir / "all.csv");
        REQUIRE(read(jit_dir / "all.csv") == csv);
        REQUIRE(read(jit_dir / "top.json") == read(interp_dir / "top.json"));
        if (std::count(csv.begin(), csv.end(), '\n') > 1) ++with_rows;
        if (interp.text.find(" feasible points of ") != std::string::npos && interp.text.find(" 0 feasible") == std::string::npos) ++partial;
    }
    fs::remove_all(fs::temp_directory_path() / ("plan_math_backends_" + std::to_string(getpid())));
    CHECK(with_rows > programs / 2);
    CHECK(partial > programs / 2);
}

TEST_CASE("x^0.34 over 1 .. 100000: the same bits on both backends, numeric's plan_pow", "[jit][numeric]") {
    std::string rows[2];
    const char* backends[] = {"interp", "jit"};
    for (int k = 0; k < 2; ++k) {
        fs::path dir = scratch(backends[k]);
        Run r = test::run_code("sweep p {\n    x in 1 .. 100000\n    let y = x^0.34\n    report all to \"" + (dir / "p.csv").string() + "\"\n}\n",
                               backends[k], 2);
        REQUIRE(r.exit_code == 0);
        rows[k] = read(dir / "p.csv");
    }
    fs::remove_all(fs::temp_directory_path() / ("plan_math_backends_" + std::to_string(getpid())));
    REQUIRE(rows[1] == rows[0]);
    std::istringstream in(rows[0]);
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "x,y");
    long n = 0;
    while (std::getline(in, line)) {
        size_t comma = line.find(',');
        double x = std::strtod(line.c_str(), nullptr), y = std::strtod(line.c_str() + comma + 1, nullptr);
        INFO(line);
        REQUIRE(x == n + 1);
        REQUIRE(y == plan_pow(x, 0.34));  // the shortest digits read back to the same double
        ++n;
    }
    CHECK(n == 100000);
}
