// docs/language.md §4.2 lists exactly the prelude's units: every name in its table is a unit (or a
// plural spelling) of a plain session, and every unit and plural the prelude declares is listed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "plan/plan.hpp"
#include "read_file.hpp"

namespace {

namespace fs = std::filesystem;
using test::read_file;

// The backquoted names in the rows of §4.2's table.
std::set<std::string> documented_units() {
    std::string doc = read_file(fs::path(PLAN_SOURCE_DIR) / "docs" / "language.md");
    size_t begin = doc.find("### 4.2 ");
    size_t end = doc.find("### 4.3 ");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::set<std::string> names;
    std::istringstream lines(doc.substr(begin, end - begin));
    const std::regex name("`([A-Za-z_][A-Za-z0-9_]*)`");
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("| ", 0) != 0 || line.rfind("| dimension", 0) == 0) continue;
        for (std::sregex_iterator it(line.begin(), line.end(), name), stop; it != stop; ++it) names.insert((*it)[1]);
    }
    return names;
}

// Every `unit NAME` and `plural(NAME)` of the prelude.
std::set<std::string> prelude_units() {
    std::string prelude = read_file(fs::path(PLAN_SOURCE_DIR) / "stdlib" / "prelude.plan");
    std::set<std::string> names;
    const std::regex unit(R"(^unit ([A-Za-z_][A-Za-z0-9_]*))"), plural(R"(plural\(([A-Za-z_][A-Za-z0-9_]*)\))");
    std::istringstream lines(prelude);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_search(line, m, unit)) names.insert(m[1]);
        if (std::regex_search(line, m, plural)) names.insert(m[1]);
    }
    return names;
}

}  // namespace

TEST_CASE("docs §4.2 lists exactly the units of the prelude", "[units][docs]") {
    std::set<std::string> documented = documented_units();
    std::set<std::string> declared = prelude_units();
    REQUIRE(declared.size() > 30);
    for (const std::string& name : declared) {
        INFO("declared in the prelude: " << name);
        CHECK(documented.count(name) == 1);
    }
    plan::SessionOptions o;
    o.print_expressions = false;
    plan::Session session(o);
    for (const std::string& name : documented) {
        INFO("listed in docs/language.md §4.2: " << name);
        plan::Result r = session.eval("1 " + name, "<test>");
        CHECK(r.ok());
    }
}

TEST_CASE("a plural spelling is a unit only after a number or `->`", "[units]") {
    plan::SessionOptions o;
    o.print_expressions = false;
    plan::Session session(o);
    plan::Result days = session.eval("2 days + 12 hours -> h", "<test>");
    REQUIRE(days.ok());
    CHECK(days.value->number == Approx(60 * 3600));
    CHECK(days.value->display == "60 h");
    plan::Result free = session.eval("let days = 3\ndays * 2", "<test>");
    REQUIRE(free.ok());
    CHECK(free.value->display == "6");
    plan::Result ambiguous = session.eval("4 days", "<test>");
    REQUIRE(ambiguous.errors.size() == 1);
    CHECK(ambiguous.errors[0].code == "E0329");
}
