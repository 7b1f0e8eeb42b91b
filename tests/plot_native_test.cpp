// The `plot` native through a session: series of quantities become an SVG whose axes carry the
// units the values are shown in, lists of series are flattened in order, .png paths get the same
// picture rasterised, and the errors point at the user's argument. (plot/ itself is tested in
// tests/plot/plot_test.cpp; the example's files by tests/plot/check_plot_files.py.)
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "plot/png.hpp"
#include "session_run.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("plan_plot_native_" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("plot labels its axes with the units of its series", "[plot]") {
    TempDir dir;
    std::string svg = (dir.path / "memory.svg").string();
    auto r = test::run_code("let gpus = [1, 2, 4, 8]\n"
                            "print plot(\"" + svg + "\", plot_options(title = \"Memory\", x_label = \"GPUs\", y_label = \"memory per GPU\"),\n"
                            "    plot_series(\"weights\", gpus, [140 GB / g for g in gpus], \"both\"),\n"
                            "    [plot_series(\"activations x{k}\", gpus, [k * 10 GB / g for g in gpus]) for k in [1, 2]])\n"
                            "print plot(\"" + (dir.path / "time.svg").string() + "\", plot_options(), plot_series(\"t\", [1 h, 2 h], [3 s, 4 s]))\n",
                            "interp");
    INFO(r.text);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.text, Contains("[\"" + svg + "\"]"));
    std::string text = slurp(svg);
    CHECK_THAT(text, Contains(">memory per GPU (GB)</text>"));
    CHECK_THAT(text, Contains(">GPUs</text>"));  // a Scalar axis has no unit
    CHECK(count(text, "<g class=\"series\"") == 3);
    CHECK_THAT(text, Contains("data-name=\"activations x2\""));
    CHECK_THAT(text, Contains("text-anchor=\"end\">140</text>"));  // 140 GB, shown in GB
    std::string time = slurp(dir.path / "time.svg");
    CHECK_THAT(time, Contains(">x (h)</text>"));
    CHECK_THAT(time, Contains(">y (s)</text>"));
}

TEST_CASE("plot writes a PNG of the same picture, and refuses what it cannot draw", "[plot]") {
    TempDir dir;
    std::string base = (dir.path / "loss").string();
    std::string code = "print plot([\"" + base + ".svg\", \"" + base + ".png\"], plot_options(log_x = true),"
                       " plot_series(\"loss\", [1e18 FLOP, 1e20 FLOP, 1e22 FLOP], [3.2, 2.6, 2.2]))\n";
    auto r = test::run_code(code, "interp");
    INFO(r.text);
    if (plan::plot::png_supported()) {
        REQUIRE(r.exit_code == 0);
        CHECK(slurp(base + ".png").substr(1, 3) == "PNG");
        CHECK_THAT(slurp(base + ".svg"), Contains(">x (FLOP) (log scale)</text>"));
    } else {
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.text, Contains("[E0556]"));
    }
    auto bad = test::run_code("let w = plot(\"" + base + ".svg\", plot_options(), plot_series(\"a\", [1, 2], [1 GB, 2 GB]),\n"
                              "    plot_series(\"b\", [1 s, 2 s], [1 GB, 2 GB]))\n",
                              "interp");
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.text, Contains("error[E0350]: the x values of this series are Time, but those of the first series are Scalar"));
    CHECK_THAT(bad.text, Contains(":2:5"));
}
