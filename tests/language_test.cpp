// The language end to end through the embedding API: values, units, display, errors.
#include <catch2/catch.hpp>

#include <sstream>

#include "plan/plan.hpp"

namespace {

plan::SessionOptions quiet() {
    plan::SessionOptions o;
    o.print_expressions = false;
    return o;
}

// The display text of the last expression of `code`, or the first error message.
std::string show(const std::string& code) {
    plan::Session s(quiet());
    plan::Result r = s.eval(code, "<test>");
    if (!r.ok()) return "error: " + r.errors.at(0).message;
    return r.value ? r.value->display : "<no value>";
}

double si(const std::string& code) {
    plan::Session s(quiet());
    plan::Result r = s.eval(code, "<test>");
    REQUIRE(r.ok());
    REQUIRE(r.value->number);
    return *r.value->number;
}

}  // namespace

TEST_CASE("quantities convert and print in their units", "[units]") {
    CHECK(show("1 PFLOP/s * 1 day -> FLOP") == "8.64e19 FLOP");
    CHECK(show("70e9 * 2 B -> GiB") == "130.385 GiB");
    CHECK(show("70e9 * 2 B") == "140 GB");
    CHECK(show("6 * 7e9 * 1.4e12 FLOP") == "5.88e22 FLOP");
    CHECK(show("1 TiB -> GiB") == "1024 GiB");
    CHECK(show("1 GiB") == "1 GiB");
    CHECK(show("2048 MiB") == "2 GiB");
    CHECK(show("30 min -> h") == "0.5 h");
    CHECK(show("2.49 USD/h * 24 h") == "59.76 USD");
    CHECK(show("0.4 -> percent") == "40%");
    CHECK(show("40%") == "0.4");
    CHECK(show("1 PF_day -> FLOP") == "8.64e19 FLOP");
    CHECK(show("8 GPU * 3 day -> GPU_hour") == "576 GPU_hour");
    CHECK(show("700 W * 24 h -> kWh") == "16.8 kWh");
    CHECK(show("1 Gbit -> MB") == "125 MB");
    CHECK(show("6 FLOP/param/token") == "6 FLOP/(param·token)");
    CHECK(show("7e9 param * 2 B/param") == "14 GB");
    CHECK(show("sqrt(4 B^2)") == "2 B");
    CHECK(show("2 million USD") == "2e6 USD");
    CHECK(si("1 PFLOP/s * 1 day") == 8.64e19);
    CHECK(si("70e9 * 2 B -> GiB") == 1.4e11);
    CHECK(si("1 year -> day") == 365.25 * 86400);
}

TEST_CASE("number literals: separators, scale suffixes and percent", "[units]") {
    CHECK(show("1_000_000 -> exact") == "1000000");
    CHECK(show("7B -> exact") == "7000000000");
    CHECK(show("7 B") == "7 B");
    CHECK(show("1.4T -> exact") == "1400000000000");
    CHECK(show("20k") == "20000");
    CHECK(show("2M USD") == "2e6 USD");
    CHECK(show("12.5%") == "0.125");
    CHECK(show("1/3") == "0.333333");
    CHECK(show("6738415616") == "6.73842e9");
    CHECK(show("6738415616 -> exact") == "6738415616");
    CHECK(show("2^60") == "1.15292e18");
}

TEST_CASE("JSON output of a quantity names the SI value and the display unit", "[json]") {
    plan::Session s(quiet());
    plan::Result r = s.eval("70e9 * 2 B -> GiB");
    REQUIRE(r.ok());
    CHECK(r.value->json ==
          R"({"type":"Data","value":140000000000.0,"unit":"GiB","display":"130.385 GiB","dimension":"Data","base_unit":"B"})");
    r = s.eval("{ layers = 12, memory = 80 GB, fits = true }");
    REQUIRE(r.ok());
    CHECK(r.value->json ==
          R"({"type":"{ layers: Scalar, memory: Data, fits: Bool }","value":{)"
          R"("layers":{"type":"Scalar","value":12.0,"unit":"","display":"12","dimension":"Scalar","base_unit":""},)"
          R"("memory":{"type":"Data","value":80000000000.0,"unit":"GB","display":"80 GB","dimension":"Data","base_unit":"B"},)"
          R"("fits":{"type":"Bool","value":true}}})");
}

TEST_CASE("declarations: let, fn, records, lists, comprehensions", "[language]") {
    CHECK(show("let x = 3 GB\nx * 2") == "6 GB");
    CHECK(show("fn flops(n, d) = 6 FLOP * n * d\nflops(7B, 1.4T)") == "5.88e22 FLOP");
    CHECK(show("fn flops(n, d) = 6 FLOP * n * d\nflops(d = 2, n = 3)") == "36 FLOP");
    CHECK(show("fn f(x: Data, k = 2) = x * k\nf(3 GB)") == "6 GB");
    CHECK(show("fn f(x: Data): Data = x * 2\nf(1 GB)") == "2 GB");
    CHECK(show("model m = { layers = 12, d_model = 768 }\nm.layers * m.d_model") == "9216");
    CHECK(show("model m = { layers = 12, d_model = 768 }\n(m with { layers = 24 }).layers") == "24");
    CHECK(show("model m = { layers = 12 }\nm") == "model { layers = 12 }");
    CHECK(show("model base = { layers = 12, d = 2 }\nmodel big = base { layers = 24 }\nbig") ==
          "model { layers = 24, d = 2 }");
    CHECK(show("[x^2 for x in 1 .. 4]") == "[1, 4, 9, 16]");
    CHECK(show("[x for x in 1 .. 10 step 3 if x > 1]") == "[4, 7, 10]");
    CHECK(show("[1 GB, 2 GB][1]") == "2 GB");
    CHECK(show("len(1 .. 10)") == "10");
    CHECK(show("sum([1 GB, 2 GB, 3 GB])") == "6 GB");
    CHECK(show("max([1 s, 1 min, 1 h]) -> min") == "60 min");
    CHECK(show("min(1 s, 2 s)") == "1 s");
    CHECK(show("if 2 GB > 1 GB and not false then \"big\" else \"small\"") == "\"big\"");
    CHECK(show("3 s == 3000 ms") == "true");
    CHECK(show("{ let a = 2; let b = a * 3; a + b }") == "8");
    CHECK(show("let n = 12\n\"layers: {n}, memory: {80 GB}\"") == "\"layers: 12, memory: 80 GB\"");
    CHECK(show("fn twice(x) = 2 * x\n[twice(1 s), twice(2 s)]") == "[2 s, 4 s]");
    CHECK(show("fn twice(x) = 2 * x\ntwice(3 GB) + 0 GB") == "6 GB");
}

TEST_CASE("a list of records prints as a table", "[display]") {
    CHECK(show("[{ name = \"a\", n = 1 }, { name = \"bb\", n = 22 }]") ==
          "name  n\n----  --\na      1\nbb    22");
}

TEST_CASE("dimension errors are found before anything runs", "[errors]") {
    plan::SessionOptions o = quiet();
    std::ostringstream out;
    o.out = &out;
    plan::Session s(o);
    plan::Result r = s.eval("print \"ran\"\nlet x = 80 GB + 3 s", "<test>");
    CHECK(r.exit_code == 2);
    CHECK(out.str().empty());
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].kind == "dimension");
    CHECK(r.errors[0].message == "cannot add Data and Time");
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].column == 9);
}

TEST_CASE("exit codes: 2 for check errors, 1 for runtime errors and failed asserts", "[errors]") {
    plan::Session s(quiet());
    CHECK(s.eval("let = 3").exit_code == 2);
    CHECK(s.eval("nope + 1").exit_code == 2);
    CHECK(s.eval("1 / 0").exit_code == 1);
    CHECK(s.eval("assert 1 > 2").exit_code == 1);
    CHECK(s.eval("assert 2 > 1").exit_code == 0);
    CHECK(s.eval("log(-1)").errors.at(0).kind == "runtime");
    CHECK(s.eval("exp(1000)").errors.at(0).kind == "runtime");
    CHECK(s.eval("sqrt(-1)").errors.at(0).kind == "runtime");
}

TEST_CASE("a failed evaluation leaves no definitions behind", "[session]") {
    plan::Session s(quiet());
    CHECK(s.eval("let a = 1\nlet b = 1 / 0").exit_code == 1);
    CHECK(s.eval("a").exit_code == 2);  // rolled back with the line that failed
    CHECK(s.eval("let a = 5").ok());
    CHECK(s.eval("let c = a + 1 GB").exit_code == 2);
    CHECK(s.eval("a").value->display == "5");
    CHECK(s.eval("c").exit_code == 2);
}

TEST_CASE("the REPL may redefine names, files may not", "[session]") {
    plan::SessionOptions o = quiet();
    plan::Session file(o);
    CHECK(file.eval("let x = 1\nlet x = 2").exit_code == 2);
    o.allow_redefinition = true;
    o.bind_answer = true;
    plan::Session repl(o);
    CHECK(repl.eval("let x = 1").ok());
    CHECK(repl.eval("let x = 2 GB").ok());
    CHECK(repl.eval("x * 2").value->display == "4 GB");
    CHECK(repl.eval("ans + 1 GB").value->display == "5 GB");
    CHECK(repl.eval("unit GB = 3").exit_code == 2);  // units stay fixed
}

TEST_CASE("REPL helpers: types, completion, help, definitions", "[session]") {
    plan::Session s(quiet());
    CHECK(s.type_of("3 GB / 1 s").value->display == "Bandwidth");
    CHECK(s.type_of("[1 s]").value->display == "List<Time>");
    CHECK(s.type_of("1 GB + 1 s").exit_code == 2);
    REQUIRE(s.eval("model m = { layers = 2, d_model = 64 }\nfn f(x: Data) = x").ok());
    CHECK(s.fields_of("m") == std::vector<std::string>{"layers", "d_model"});
    auto c = s.completions("GiB");
    CHECK(std::find(c.begin(), c.end(), "GiB") != c.end());
    CHECK(s.help("PF_day").find("petaflop/s-day") != std::string::npos);
    CHECK(s.help("f") == "fn f(x: Data)");
    CHECK(s.definitions() == std::vector<std::string>{"m: { layers: Scalar, d_model: Scalar }", "fn f(x: Data)"});
}

TEST_CASE("budgets and constraints are checked", "[language]") {
    plan::Session s(quiet());
    CHECK(s.eval("budget { compute <= 2e23 FLOP\n time <= 30 day\n cost <= 2M USD }").ok());
    plan::Result r = s.eval("budget { time <= 3 GB }");
    CHECK(r.exit_code == 2);
    CHECK(r.errors.at(0).message == "a budget on `time` must be Time, not Data");
    CHECK(s.eval("constraint 1 GB < 2 GB").ok());
    CHECK(s.eval("constraint 3 GB < 2 GB").exit_code == 1);
    CHECK(s.eval("constraint 3 GB").exit_code == 2);
}

TEST_CASE("checking alone defines nothing: no value was computed", "[session]") {
    plan::Session s(quiet());
    CHECK(s.eval("let x = 2 GB", "<test>", plan::Mode::Check).ok());
    CHECK(s.eval("x").exit_code == 2);
}

TEST_CASE("use loads stdlib modules and files beside the script", "[modules]") {
    plan::Session s(quiet());
    CHECK(s.eval("use prelude").ok());  // already loaded: nothing happens
    plan::Result r = s.eval("use no_such_module");
    CHECK(r.exit_code == 2);
    CHECK(r.errors.at(0).kind == "name");
}

namespace {
std::string run_output(const std::string& code) {
    plan::SessionOptions o = quiet();
    std::ostringstream out;
    o.out = &out;
    plan::Session s(o);
    plan::Result r = s.eval(code, "<test>");
    if (!r.ok()) return "error: " + r.errors.at(0).message;
    return out.str();
}
}  // namespace

TEST_CASE("a sweep loops over its axes in order and reports the best points", "[sweep]") {
    CHECK(run_output("sweep s {\n a in [1, 2, 3]\n b in [10, 20]\n let c = a * b\n constraint c != 20\n minimize c\n"
                     " report top 2\n}") ==
          "sweep s: 4 feasible points of 6\ntop 2 by smallest c:\na  b   c\n-  --  --\n1  10  10\n3  10  30\n");
    // An axis may depend on the axes before it; then the grid size is not known up front.
    CHECK(run_output("sweep {\n n in [2, 4]\n k in 1 .. n\n report all\n}") ==
          "sweep: 6 feasible points\nall 6 feasible points:\nn  k\n-  -\n2  1\n2  2\n4  1\n4  2\n4  3\n4  4\n");
    // Ties keep the enumeration order; maximize flips the order.
    CHECK(run_output("sweep {\n x in [3, 1, 3, 2]\n maximize x\n report top 3\n}") ==
          "sweep: 4 feasible points of 4\ntop 3 by largest x:\nx\n-\n3\n3\n2\n");
    CHECK(run_output("sweep {\n x in [3, 1]\n maximize x * 2\n report top 1\n}") ==
          "sweep: 2 feasible points of 2\ntop 1 by largest objective:\nx  maximize\n-  --------\n3         6\n");
}

TEST_CASE("a sweep's Pareto frontier keeps the non-dominated points", "[sweep]") {
    CHECK(run_output("sweep {\n n in [1, 2, 3, 4]\n let cost = n * 1 USD\n let loss = 10 / n + (if n == 3 then 5 else 0)\n"
                     " report pareto(cost, loss)\n}") ==
          "sweep: 4 feasible points of 4\nPareto frontier of cost and loss (3 points):\nn  cost   loss\n-  -----  ----\n"
          "1  1 USD    10\n2  2 USD     5\n4  4 USD   2.5\n");
}

TEST_CASE("log ranges and sweep errors", "[sweep]") {
    CHECK(show("1 .. 1000 log 4") == "[1, 10, 100, 1000]");
    CHECK(show("1 GB .. 100 GB log 3") == "[1 GB, 10 GB, 100 GB]");
    CHECK(show("log(100) > 4") == "true");  // log stays a function
    CHECK(run_output("sweep {\n x in 5\n}") == "error: an axis needs a list of numbers, Bools or strings, not Scalar");
    CHECK(run_output("sweep {\n x in [1]\n report pareto(x, y)\n}") == "error: `y` is not a numeric axis or let of this sweep");
    CHECK(run_output("sweep {\n x in [1]\n report top 3\n}") == "error: `report top` needs an objective");
    CHECK(run_output("sweep {\n a in 1 .. 1e6\n b in 1 .. 1e6\n}") == "error: this sweep has 1000000000000 points; the limit is 1e10");
}

TEST_CASE("defaults may use earlier parameters, and error() raises a runtime error", "[language]") {
    CHECK(show("fn f(m, seq = m.context * 2) = seq\nf({ context = 4 })") == "8");
    CHECK(show("fn f(m, seq = m.context * 2) = seq\nf({ context = 4 }, seq = 3)") == "3");
    CHECK(show("fn g(a, b = a + 1, c = [x * b for x in 1 .. 2]) = sum(c)\ng(2)") == "9");
    CHECK(show("fn f(x) = min([x, x])\nf(3 GB)") == "3 GB");
    CHECK(show("fn pick(k) = if k == \"a\" then 1 GB else error(\"unknown kind {k}\")\npick(\"a\")") == "1 GB");
    plan::Session s(quiet());
    plan::Result r = s.eval("fn pick(k) = if k == \"a\" then 1 GB else error(\"unknown kind {k}\")\npick(\"b\")");
    CHECK(r.exit_code == 1);
    CHECK(r.errors.at(0).message == "unknown kind b");
}

TEST_CASE("let NAME = sweep { ... } holds the sweep's answer as a record", "[sweep]") {
    // The rows of its first report as printed, the best (the first of a top report), the
    // frontier (of its Pareto report) and the feasible count; usable in later code.
    const char* sweep = "let grid = sweep {\n a in [1, 2, 3, 4]\n let b = (a - 3)^2\n constraint a != 2\n minimize b\n"
                        " maximize a\n report top 2\n report pareto\n}\n";
    CHECK(show(std::string(sweep) + "grid.best") == "{ a = 3, b = 0 }");
    CHECK(show(std::string(sweep) + "[r.a for r in grid.rows]") == "[3, 4]");
    CHECK(show(std::string(sweep) + "[r.a for r in grid.frontier]") == "[3, 4]");
    CHECK(show(std::string(sweep) + "grid.feasible") == "3");
    CHECK(show("let grid = sweep {\n a in [1, 2]\n report all\n}\ngrid") ==
          "{ feasible = 2, rows = [{ a = 1 }, { a = 2 }] }");
}
