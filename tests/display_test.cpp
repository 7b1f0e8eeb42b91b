// How numbers read (docs/language.md 4.5): counts in the exponent style of every other number,
// `-> exact` for every digit, times on the ns..day ladder, and the --precision interplay.
#include <catch2/catch.hpp>

#include "plan/plan.hpp"

namespace {

// The display text of the last expression of `code`, or the first error message.
std::string show(const std::string& code, int precision = 6) {
    plan::SessionOptions o;
    o.print_expressions = false;
    o.precision = precision;
    plan::Session s(o);
    plan::Result r = s.eval(code, "<test>");
    if (!r.ok()) return "error: " + r.errors.at(0).message;
    return r.value ? r.value->display : "<no value>";
}

}  // namespace

TEST_CASE("counts: whole below 10^6, then 6 significant digits with a plain exponent", "[display]") {
    CHECK(show("1") == "1");
    CHECK(show("999") == "999");
    CHECK(show("1000") == "1000");
    CHECK(show("999999") == "999999");
    CHECK(show("1000000") == "1e6");
    CHECK(show("8030261248") == "8.03026e9");
    CHECK(show("70B") == "7e10");
    CHECK(show("70e9") == "7e10");
    CHECK(show("1e24") == "1e24");
    CHECK(show("-8030261248") == "-8.03026e9");
    CHECK(show("-42") == "-42");
    CHECK(show("2.5") == "2.5");
    CHECK(show("1 / 3") == "0.333333");
    CHECK(show("1234567.5") == "1.23457e6");
    CHECK(show("0.00001") == "1e-5");
    CHECK(show("15T tokens") == "1.5e13 token");
    CHECK(show("params(llama3_8b)") == "8.03026e9");
}

TEST_CASE("`-> exact` shows every digit and keeps the unit", "[display]") {
    CHECK(show("params(llama3_8b) -> exact") == "8030261248");
    CHECK(show("70B -> exact") == "70000000000");
    CHECK(show("-8030261248 -> exact") == "-8030261248");
    CHECK(show("1 / 3 -> exact") == "0.333333333333333");
    CHECK(show("0.1 + 0.2 -> exact") == "0.3");
    CHECK(show("1e15 + 0.5 -> exact") == "1e15");
    CHECK(show("1e24 -> exact") == "1e24");
    CHECK(show("2^53 -> exact") == "9007199254740992");
    CHECK(show("1536 B -> exact") == "1536 B");
    CHECK(show("16195.8 ms -> exact") == "16195.8 ms");
    CHECK(show("1 TB -> GiB -> exact") == "931.322574615479 GiB");
    // Computing further with it drops the choice, as with any conversion.
    CHECK(show("let n = 8030261248 -> exact\nn * 2") == "1.60605e10");
    CHECK(show("let n = 8030261248 -> exact\nn + 1") == "8.03026e9");
    CHECK(show("\"{8030261248 -> exact} parameters\"") == "\"8030261248 parameters\"");
    CHECK(show("\"x\" -> exact").rfind("error: ", 0) == 0);
}

TEST_CASE("times print on the ns, us, ms, s, min, h, day ladder", "[display]") {
    CHECK(show("0.5 ms") == "500 us");
    CHECK(show("16195.8 ms") == "16.1958 s");
    CHECK(show("90 s") == "1.5 min");
    CHECK(show("7200 s") == "2 h");
    CHECK(show("40 days") == "40 day");
    CHECK(show("400 days") == "400 day");
    CHECK(show("3 h + 20 min") == "3.33333 h");
    CHECK(show("30 min") == "30 min");
    CHECK(show("5000 seconds") == "1.38889 h");
    CHECK(show("1e-12 s") == "0.001 ns");
    CHECK(show("-90 s") == "-1.5 min");
    CHECK(show("5.88e22 FLOP / (1024 * 989 TFLOP/s * 40%)") == "1.67999 day");
    // A conversion keeps its unit; units off the ladder are not rescaled.
    CHECK(show("7200 s -> s") == "7200 s");
    CHECK(show("16195.8 ms -> ms") == "16195.8 ms");
    CHECK(show("3 week") == "3 week");
    CHECK(show("1024 GPU * 30 day -> GPU_hour") == "737280 GPU_hour");
    CHECK(show("1000 GPU_hour") == "1000 GPU_hour");
}

TEST_CASE("the precision option sets the significant digits of counts and quantities alike", "[display]") {
    CHECK(show("8030261248", 3) == "8.03e9");
    CHECK(show("8030261248", 10) == "8030261248");
    CHECK(show("8030261248", 17) == "8030261248");
    CHECK(show("4096", 3) == "4096");
    CHECK(show("123456.7", 3) == "1.23e5");
    CHECK(show("16195.8 ms", 3) == "16.2 s");
    CHECK(show("70e9 * 2 B -> GiB", 3) == "130 GiB");
    CHECK(show("8030261248 -> exact", 3) == "8030261248");
}
