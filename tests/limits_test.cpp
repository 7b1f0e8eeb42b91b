// The limits of issue 12 (part 2): inputs that once overflowed the stack, ran for hours, allocated
// without bound or turned into 0 or inf are refused with an error at their position, and the
// inputs just inside each limit still work. Each case is the exact input of the issue or its
// boundary.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "grammar/formatter.hpp"
#include "plan/plan.hpp"
#include "session_run.hpp"

namespace {

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

plan::Result run(const std::string& code, plan::Mode mode = plan::Mode::Run) {
    plan::SessionOptions o;
    o.print_expressions = false;
    o.stdlib = false;
    plan::Session s(o);
    return s.eval(code, "<limits>", mode);
}

// The first error's code and column, or "" and 0 when the code ran.
std::pair<std::string, int> first_error(const std::string& code, plan::Mode mode = plan::Mode::Run) {
    plan::Result r = run(code, mode);
    if (r.errors.empty()) return {"", 0};
    return {r.errors[0].code, r.errors[0].column};
}

double value_of(const std::string& code) {
    plan::Result r = run(code);
    INFO(code.substr(0, 80));
    for (auto& e : r.errors) INFO(e.rendered);
    REQUIRE(r.ok());
    REQUIRE(r.value);
    REQUIRE(r.value->number);
    return *r.value->number;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("nesting deeper than 256 brackets or prefix operators is a parse error at the 257th", "[limits]") {
    // `let x = ` is 8 columns; the value is level 1, so what follows the 256th `(` is level 257:
    // the error points there.
    CHECK(first_error("let x = " + repeat("(", 9700) + "1" + repeat(")", 9700)) == std::pair<std::string, int>{"E0020", 8 + 257});
    CHECK(first_error("let x = " + repeat("[", 8600) + "1" + repeat("]", 8600)) == std::pair<std::string, int>{"E0020", 8 + 257});
    CHECK(first_error("let x = " + repeat("-", 18000) + "1") == std::pair<std::string, int>{"E0020", 8 + 257});
    CHECK(first_error("let x = " + repeat("not ", 300) + "true").first == "E0020");
    CHECK(first_error("let x = 2^" + repeat("-", 300) + "1").first == "E0020");
    CHECK(first_error("let x = " + repeat("{a = ", 300) + "1" + repeat("}", 300)).first == "E0020");
    CHECK(first_error("let x = f" + repeat("(", 300) + repeat(")", 300)).first == "E0020");
    // Just inside: 255 brackets and 255 minus signs.
    CHECK(value_of(repeat("(", 255) + "1" + repeat(")", 255)) == 1);
    CHECK(value_of(repeat("-", 254) + "1") == 1);
}

TEST_CASE("an expression more than 1000 levels deep is a parse error, the 13.8k-term sum of the issue included", "[limits]") {
    auto sum = [](size_t terms) {
        std::string s = "1";
        for (size_t i = 1; i < terms; ++i) s += " + 1";
        return s;
    };
    CHECK(first_error("let x = " + sum(13800)) == std::pair<std::string, int>{"E0020", 9});
    CHECK(first_error("let x = " + sum(1002)).first == "E0020");
    CHECK(value_of(sum(1000)) == 1000);
    // Chains of calls, fields and conversions are as deep as they are long.
    CHECK(first_error("let x = f" + repeat("()", 1001)).first == "E0020");
    CHECK(first_error("let x = 1 m" + repeat(" -> m", 1001)).first == "E0020");
}

TEST_CASE("nested brackets parse in linear time", "[limits]") {
    // `[[[[ ... 30 levels ... 1]]]]` ran for hours: each level parsed its item twice.
    auto start = std::chrono::steady_clock::now();
    plan::Result r = run("let t = " + repeat("[", 30) + "1" + repeat("]", 30) + "\nlet n = len(t)\nn");
    CHECK(r.ok());
    CHECK(seconds_since(start) < 5);
    start = std::chrono::steady_clock::now();
    CHECK(first_error(repeat("[", 250) + "1" + repeat("]", 250), plan::Mode::Check).first == "");
    CHECK(first_error(repeat("[(", 120) + "1" + repeat(")]", 120), plan::Mode::Check).first == "");
    CHECK(seconds_since(start) < 5);
}

TEST_CASE("a chain of 4000 generic functions is refused by the checker at 400, not a stack overflow", "[limits]") {
    std::string code = "fn f0(x) = x\n";
    for (int i = 1; i < 4000; ++i) code += "fn f" + std::to_string(i) + "(x) = f" + std::to_string(i - 1) + "(x)\n";
    code += "let y = f3999(1)\n";
    plan::Result r = run(code, plan::Mode::Check);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "E0508");
    CHECK(r.errors[0].line == 3601);  // f3999 is the first body checked, f3600 the 400th: its call of f3599
    CHECK(r.errors[0].rendered.size() < 4000);  // a few notes, not one per call
}

TEST_CASE("a number literal outside the range of a double is an error, not 0 or inf", "[limits]") {
    for (const char* literal : {"1.8e308", "1e309", "1e300T", "1e-400", "2e-310", "1e-307%"}) {
        INFO(literal);
        auto [code, column] = first_error(std::string("let a = ") + literal);
        CHECK(code == "E0021");
        CHECK(column == 9);
    }
    CHECK(first_error("let a = " + std::string(400, '9')).first == "E0021");
    CHECK(value_of("1.7976931348623157e308") == 1.7976931348623157e308);
    CHECK(value_of("2.2250738585072014e-308") == 2.2250738585072014e-308);
    CHECK(value_of("0e999") == 0);
    CHECK(value_of("0.000") == 0);
    CHECK(value_of("2T") == 2e12);
    CHECK(value_of("50%") == 0.5);
}

TEST_CASE("a list of lists is bounded by the product of the lengths", "[limits]") {
    // Each range alone is within the 10-million limit; the nested list is 1e8 values.
    plan::Result r = run("let xs = [[a * b for a in 1 .. 10000] for b in 1 .. 10000]");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "E0507");
    CHECK(r.errors[0].column == 10);
    r = run("let r = 1 .. 4000000\nlet xs = [r, r, r]");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "E0507");
    CHECK(value_of("len([[a * b for a in 1 .. 1000] for b in 1 .. 1000])") == 1000);
}

TEST_CASE("sweep threads are limited to 1024", "[limits]") {
    std::string sweep = "sweep s {\n    n in [1, 2]\n    minimize n\n    report top 1\n}\n";
    test::Run too_many = test::run_code(sweep, "interp", 100000);
    CHECK(too_many.exit_code == 1);
    CHECK(too_many.text.find("[E0506]") != std::string::npos);
    CHECK(too_many.text.find("100000 sweep threads") != std::string::npos);
    CHECK(test::run_code(sweep, "interp", 1024).exit_code == 0);
}

TEST_CASE("a source over 16 MiB is refused before it is parsed", "[limits]") {
    std::string big(size_t{16} << 20, '#');
    big += "\n";
    plan::Result r = run(big);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "E0022");
    CHECK(plan::format_source("<big>", big).ok == false);
}

TEST_CASE("every stage handles the deepest expressions the parser accepts", "[limits]") {
    // A 1000-term sum (1000 levels) and 255 brackets (256): the formatter prints them back, and a
    // sweep compiles them (the JIT lowers expressions recursively too).
    std::string sum = "n";
    for (int i = 1; i < 1000; ++i) sum += " + n";
    std::string brackets = repeat("(", 255) + "n" + repeat(")", 255);
    for (const std::string& e : {sum, brackets}) {
        std::string code = "sweep s {\n    n in [1, 2, 3]\n    minimize " + e + "\n    report top 1\n}\n";
        plan::FormatResult f = plan::format_source("<deep>", code);
        REQUIRE(f.ok);
        CHECK(plan::format_source("<deep>", f.text).text == f.text);
        for (const char* backend : {"jit", "interp"}) {
            test::Run r = test::run_code(code, backend, 1);
            INFO(backend << "\n" << r.text.substr(0, 400));
            CHECK(r.exit_code == 0);
            CHECK(r.text.find("3 feasible points of 3") != std::string::npos);
            if (e == sum) CHECK(r.text.find("1000") != std::string::npos);  // n = 1: the sum of 1000 ones
        }
    }
}
