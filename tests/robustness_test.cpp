// Every prefix, and a few thousand seeded random mutations, of the example and stdlib files go
// through the parser and the checker: each must end in success or in diagnostics, never a crash
// or a hang.
#include <catch2/catch.hpp>

#include "test_scale.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "plan/plan.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> corpus() {
    std::vector<std::string> texts;
    for (const char* dir : {"/examples", "/stdlib", "/tests/diagnostics"}) {
        std::vector<fs::path> files;
        for (auto& e : fs::recursive_directory_iterator(std::string(PLAN_SOURCE_DIR) + dir))
            if (e.is_regular_file() && e.path().extension() == ".plan") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (auto& f : files) {
            std::ifstream in(f);
            std::stringstream ss;
            ss << in.rdbuf();
            texts.push_back(ss.str());
        }
    }
    return texts;
}

// Checking leaves no definitions behind, so one session serves every input.
plan::SessionOptions quiet() {
    plan::SessionOptions o;
    o.print_expressions = false;
    return o;
}

// Stdlib modules are loaded once up front, so a `use` in an input costs nothing.
plan::Session& session() {
    static plan::Session s(quiet());
    static bool loaded = false;
    if (!loaded) {
        loaded = true;
        for (auto& e : fs::directory_iterator(std::string(PLAN_SOURCE_DIR) + "/stdlib"))
            if (e.path().extension() == ".plan" && e.path().stem() != "prelude")
                REQUIRE(s.eval("use " + e.path().stem().string(), "<setup>").ok());
    }
    return s;
}

void check_survives(const std::string& text) {
    plan::Result r = session().eval(text, "<fuzz>", plan::Mode::Check);
    for (auto& e : r.errors) {
        REQUIRE_FALSE(e.message.empty());
        if (e.kind != "io") REQUIRE(e.rendered.find("-->") != std::string::npos);
    }
    REQUIRE((r.exit_code == 0) == r.errors.empty());
}

}  // namespace

TEST_CASE("prefixes of every example parse and check to a result or diagnostics", "[robustness]") {
    auto texts = corpus();
    REQUIRE(texts.size() >= 5);
    size_t inputs = 0;
    for (auto& text : texts) {
        // Every prefix of the first 1 kB of each file (all of a short file), then 300 prefixes
        // evenly spaced to its end: the parse-and-check work stays bounded as the corpus grows
        // (the sanitizer build takes an eighth of those).
        size_t full = std::min<size_t>(text.size(), 1024);
        size_t stride = std::max<size_t>(1, (text.size() - full) * kTestScale / 300);
        for (size_t n = 0; n <= text.size(); n += n < full ? 1 : stride) {
            check_survives(text.substr(0, n));
            ++inputs;
        }
    }
    CHECK(inputs > 1000);
}

TEST_CASE("random mutations of the examples never crash the parser or the checker", "[robustness]") {
    auto texts = corpus();
    std::mt19937 rng(20261122);
    const std::string alphabet = "()[]{}+-*/^.,;:=<>!\"#%_ \n\t0123456789eEkMBTabcxyzGBsFLOPletfnifthenelse->..";
    for (int i = 0; i < 3000 / kTestScale; ++i) {
        std::string text = texts[rng() % texts.size()];
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < edits && !text.empty(); ++k) {
            size_t at = rng() % text.size();
            switch (rng() % 4) {
                case 0: text.erase(at, 1 + rng() % 8); break;
                case 1: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
                case 2: text[at] = alphabet[rng() % alphabet.size()]; break;
                case 3: text.insert(at, text.substr(rng() % text.size(), rng() % 16)); break;
            }
        }
        check_survives(text);
    }
}
