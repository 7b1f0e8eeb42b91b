// libplan's typed values (include/plan/plan.hpp): results as plan::HostValue, bindings from the
// host (Session::set), calls of plan functions (Session::call) and prepared expressions.
#include <catch2/catch.hpp>
#include <cmath>

#include "plan/plan.hpp"

namespace {

plan::SessionOptions quiet() {
    plan::SessionOptions o;
    o.print_expressions = false;
    return o;
}

}  // namespace

TEST_CASE("results carry typed values: quantities, booleans, strings, lists, records", "[embed]") {
    plan::Session s(quiet());
    plan::Result w = s.eval("70e9 * 2 B -> GiB");
    REQUIRE(w.ok());
    CHECK(w.value->is(plan::HostValue::Kind::Quantity));
    CHECK(w.value->si == 1.4e11);
    CHECK(w.value->amount == 1.4e11 / 1073741824.0);
    CHECK(w.value->unit == "GiB");
    CHECK(w.value->dimension == "Data");
    CHECK(w.value->display == "130.385 GiB");
    CHECK(*w.value->number == 1.4e11);  // the JSON-era fields stay
    CHECK(w.value->json.find("\"value\":140000000000.0") != std::string::npos);

    plan::Result b = s.eval("2 GB > 1 GiB");
    REQUIRE(b.ok());
    CHECK(b.value->is(plan::HostValue::Kind::Bool));
    CHECK(b.value->boolean == true);

    plan::Result t = s.eval("\"tp = {4}\"");
    REQUIRE(t.ok());
    CHECK(t.value->is(plan::HostValue::Kind::String));
    CHECK(t.value->text == "tp = 4");

    plan::Result l = s.eval("[1 s, 1 min, 1 h]");
    REQUIRE(l.ok());
    REQUIRE(l.value->items.size() == 3);
    CHECK(l.value->type == "List<Time>");
    CHECK(l.value->items[2].si == 3600);
    CHECK(l.value->items[1].unit == "min");  // each item autoscales, as bytes do
    CHECK(l.value->display == "[1 s, 1 min, 1 h]");

    plan::Result r = s.eval("{ layers = 32, weights = 8e9 * 2 B, ok = true }");
    REQUIRE(r.ok());
    CHECK(r.value->is(plan::HostValue::Kind::Record));
    CHECK((*r.value)["layers"].si == 32);
    CHECK((*r.value)["weights"].dimension == "Data");
    CHECK((*r.value)["weights"].display == "16 GB");
    CHECK((*r.value)["ok"].boolean);
    CHECK(r.value->field("nope") == nullptr);
    CHECK_THROWS_AS((*r.value)["nope"], std::out_of_range);
}

TEST_CASE("set binds host values with their dimension", "[embed]") {
    plan::Session s(quiet());
    REQUIRE(s.set("gpus", 1024).ok());
    REQUIRE(s.set("flops", plan::quantity(1e24, "FLOP")).ok());
    REQUIRE(s.set("hbm", plan::quantity(80, "GiB")).ok());
    plan::Result r = s.eval("flops / (gpus * 989 TFLOP/s) -> day");
    REQUIRE(r.ok());
    CHECK(std::abs(r.value->si - 1e24 / (1024 * 989e12)) < 1e-6);
    CHECK(s.eval("hbm").value->si == 80.0 * 1073741824.0);

    // Setting again with the same type replaces the value.
    REQUIRE(s.set("gpus", 2048).ok());
    CHECK(s.eval("gpus").value->si == 2048);

    // A Time where the code needs Data: a dimension error at the next check, at the binding's use.
    REQUIRE(s.set("hbm", plan::quantity(3, "s")).ok());
    plan::Result bad = s.eval("hbm + 1 GB");
    REQUIRE(bad.exit_code == 2);
    CHECK(bad.errors[0].code == "E0201");
    CHECK(bad.errors[0].message == "cannot add Time and Data");
    CHECK(bad.errors[0].rendered.find("1 | hbm + 1 GB") != std::string::npos);
    CHECK(bad.errors[0].rendered.find("| ^^^   ^^^^ Data\n  | Time") != std::string::npos);

    // An unknown unit is an error naming the binding, and binds nothing.
    plan::Result unit = s.set("speed", plan::quantity(3, "furlong/s"));
    REQUIRE(unit.exit_code == 2);
    CHECK(unit.errors[0].code == "E0104");
    CHECK(unit.errors[0].file == "<unit of `speed`>");
    CHECK(s.eval("speed").errors[0].kind == "name");

    // A keyword cannot be bound: plan code could never read it.
    plan::Result keyword = s.set("budget", plan::quantity(1e24, "FLOP"));
    REQUIRE(keyword.exit_code == 2);
    CHECK(keyword.errors[0].code == "E0346");
    CHECK(keyword.errors[0].message.rfind("cannot bind `budget`: it is not a name plan code can use (", 0) == 0);

    // Lists and records from the host; a list's items must have one type.
    REQUIRE(s.set("sizes", plan::HostValue::list({plan::quantity(1, "GB"), plan::quantity(2, "GiB")})).ok());
    CHECK(s.eval("sum(sizes)").value->si == 1e9 + 2.0 * 1073741824.0);
    REQUIRE(s.set("job", plan::HostValue::record({{"name", "pretrain"}, {"nodes", 16}})).ok());
    CHECK(s.eval("job.nodes * 8").value->si == 128);
    plan::Result mixed = s.set("mixed", plan::HostValue::list({plan::quantity(1, "GB"), plan::quantity(1, "s")}));
    REQUIRE(mixed.exit_code == 2);
    CHECK(mixed.errors[0].code == "E0344");
    CHECK(mixed.errors[0].message == "the items of `mixed` have different types: Data and Time (item 1)");
}

TEST_CASE("call runs a plan function with positional and named arguments", "[embed]") {
    plan::Session s(quiet());
    REQUIRE(s.eval("fn train_flops(n, d, factor = 6) = factor * 1 FLOP * n * d").ok());
    plan::Result r = s.call("train_flops", {7e9, 2e12}, {{"factor", 8}});
    REQUIRE(r.ok());
    CHECK(r.value->si == 8 * 7e9 * 2e12);
    CHECK(r.value->dimension == "Compute");
    // The argument bindings are gone afterwards.
    for (const std::string& d : s.definitions()) CHECK(d.find("host_argument") == std::string::npos);

    // A stdlib function, with a model record the session returned (its `model` type kept).
    plan::Result m = s.eval("llama3_8b");
    REQUIRE(m.ok());
    plan::Result whole = s.call("stage_params", {*m.value});
    plan::Result split = s.call("stage_params", {*m.value}, {{"tp", 8}});
    REQUIRE(whole.ok());
    REQUIRE(split.ok());
    CHECK(split.value->si == whole.value->si / 8);
    CHECK(whole.value->si == s.eval("params(llama3_8b)").value->si);

    plan::Result wrong = s.call("train_flops", {7e9});
    REQUIRE(wrong.exit_code == 2);
    CHECK(wrong.errors[0].kind == "arity");
    CHECK(wrong.errors[0].file == "<call>");
}

TEST_CASE("a prepared expression checks once and evaluates with new values", "[embed]") {
    plan::Session s(quiet());
    plan::Prepared p = s.prepare("n * 2 B / tp -> GiB", {{"n", 7e9}, {"tp", 1}});
    CHECK(p.number({7e9, 1}) == 1.4e10);
    CHECK(p.number({70e9, 8}) == 70e9 * 2 / 8);
    plan::HostValue v = p.evaluate({70e9, 4});
    CHECK(v.si == 3.5e10);
    CHECK(v.unit == "GiB");
    // The session sees the last values, as a `let` would.
    CHECK(s.eval("n").value->si == 70e9);

    plan::Prepared q = s.prepare("flops / speed -> day", {{"flops", plan::quantity(1, "FLOP")}, {"speed", plan::quantity(1, "PFLOP/s")}});
    CHECK(q.number({8.64e19, 1e15}) == 86400);
    try {
        q.evaluate({plan::quantity(1, "s"), plan::quantity(1, "PFLOP/s")});
        FAIL("a Time for a Compute parameter is refused");
    } catch (const plan::Error& e) {
        CHECK(e.errors()[0].code == "E0344");
        CHECK(e.errors()[0].message == "`flops` was prepared as Compute, not Time");
    }
    CHECK_THROWS_AS(q.number({1.0}), plan::Error);
    try {
        (void)s.prepare("let x = 1", {});
        FAIL("a statement is not an expression");
    } catch (const plan::Error& e) {
        CHECK(e.errors()[0].code == "E0345");
    }
    try {
        (void)s.prepare("n + 1 s", {{"n", plan::quantity(1, "GB")}});
        FAIL("a dimension error");
    } catch (const plan::Error& e) {
        CHECK(e.errors()[0].code == "E0201");
        CHECK(e.errors()[0].file == "<prepared>");
    }
    // A runtime error of one evaluation is an exception; the next evaluation works.
    plan::Prepared div = s.prepare("1 GB / k", {{"k", 1}});
    CHECK_THROWS_AS(div.number({0.0}), plan::Error);
    CHECK(div.number({2.0}) == 5e8);
}
