// The error codes (grammar/codes.def): each example shows its code, each code that a program can
// reach has a golden test, and docs/language.md lists exactly the codes of the table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include "grammar/codes.hpp"
#include "plan/plan.hpp"
#include "read_file.hpp"

namespace {

namespace fs = std::filesystem;
using test::read_file;

// Every golden output under tests/: diagnostics, the command line, the REPL, the core alone.
std::map<std::string, std::string> golden_outputs() {
    std::map<std::string, std::string> files;
    for (const char* folder : {"tests", "examples"})  // examples/: the embedding hosts' outputs
        for (auto& entry : fs::recursive_directory_iterator(fs::path(PLAN_SOURCE_DIR) / folder))
            if (entry.is_regular_file() && entry.path().extension() == ".out")
                files[fs::relative(entry.path(), PLAN_SOURCE_DIR).string()] = read_file(entry.path());
    return files;
}

bool check_class(plan::ErrorClass kind) {
    return kind != plan::ErrorClass::Runtime && kind != plan::ErrorClass::Assert && kind != plan::ErrorClass::Io;
}

plan::Result run(const std::string& code, plan::Mode mode, std::ostream& out) {
    plan::SessionOptions o;
    o.out = &out;
    o.print_expressions = false;
    o.backend = "interp";  // the reference backend; sweeps in examples are small
    plan::Session session(o);
    return session.eval(code, "<example>", mode);
}

}  // namespace

TEST_CASE("each example raises its code, and its fix does not", "[codes]") {
    std::ostringstream out;
    for (const plan::CodeInfo& c : plan::all_codes()) {
        if (c.reach != plan::Reach::Example) continue;
        std::string name = plan::code_name(c.code);
        INFO(name << " " << c.title);
        plan::Result mistake = run(std::string(c.mistake), plan::Mode::Run, out);
        REQUIRE(!mistake.errors.empty());
        INFO(mistake.errors[0].rendered);
        CHECK(mistake.errors[0].code == name);
        CHECK(mistake.errors[0].kind == plan::class_name(c.kind));
        // A fix of a check error need only check (it may read files that are not here).
        plan::Result fix = run(std::string(c.fix), check_class(c.kind) ? plan::Mode::Check : plan::Mode::Run, out);
        INFO((fix.errors.empty() ? "" : fix.errors[0].rendered));
        CHECK(fix.ok());
    }
}

TEST_CASE("every code a program can reach has a golden test", "[codes]") {
    auto goldens = golden_outputs();
    REQUIRE(goldens.size() > 10);
    for (const plan::CodeInfo& c : plan::all_codes()) {
        std::string tag = "[" + plan::code_name(c.code) + "]";
        INFO(tag << " " << c.title);
        bool shown = std::any_of(goldens.begin(), goldens.end(), [&](auto& g) { return g.second.find(tag) != std::string::npos; });
        if (c.reach == plan::Reach::Unreached) {
            CHECK(!c.note.empty());  // the reason it is exempt
            CHECK(c.mistake.empty());
        } else {
            CHECK(shown);
            CHECK(!c.mistake.empty());
            CHECK(!c.fix.empty());
        }
        CHECK((c.reach == plan::Reach::Example) == c.note.empty());
        CHECK(!c.title.empty());
        CHECK(!c.explanation.empty());
    }
}

TEST_CASE("golden outputs show only codes of the table", "[codes]") {
    std::regex tag(R"(error\[(E[0-9]{4})\])");
    for (auto& [file, text] : golden_outputs()) {
        for (std::sregex_iterator m(text.begin(), text.end(), tag), end; m != end; ++m) {
            INFO(file << ": " << (*m)[1]);
            CHECK(plan::find_code((*m)[1].str()).has_value());
        }
    }
}

TEST_CASE("docs/language.md lists every code with its class and title", "[codes]") {
    std::string doc = read_file(fs::path(PLAN_SOURCE_DIR) / "docs" / "language.md");
    std::string expected;
    for (const plan::CodeInfo& c : plan::all_codes())
        expected += "| `" + plan::code_name(c.code) + "` | " + plan::class_name(c.kind) + " | " + std::string(c.title) + " |\n";
    std::regex row(R"(\| `E[0-9]{4}` \|[^\n]*\n)");
    std::string listed;
    for (std::sregex_iterator m(doc.begin(), doc.end(), row), end; m != end; ++m) listed += m->str();
    CHECK(listed == expected);
}

TEST_CASE("codes are found by name in any case", "[codes]") {
    CHECK(plan::find_code("E0101") == plan::Code::UnknownName);
    CHECK(plan::find_code("e0201") == plan::Code::CannotAdd);
    CHECK_FALSE(plan::find_code("E0101x").has_value());
    CHECK_FALSE(plan::find_code("0101").has_value());
    CHECK(plan::code_name(plan::Code::ExpectedStatement) == "E0001");
    CHECK(plan::class_of(plan::Code::DivisionByZero) == plan::ErrorClass::Runtime);
    CHECK(plan::closest_error_code("E0110x") == "E0110");
    CHECK(plan::error_code("e0101")->title == "unknown name");
}
