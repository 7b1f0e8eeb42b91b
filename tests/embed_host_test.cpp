// The host's side of libplan (include/plan/plan.hpp): functions a host defines and plan code calls
// (checked against their signatures, their exceptions as runtime errors at the call), and sweeps
// whose rows come back as values or stream to a callback, stopped by Session::cancel.
#include <catch2/catch.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "plan/plan.hpp"

namespace {

plan::SessionOptions quiet(std::ostream& out) {
    plan::SessionOptions o;
    o.print_expressions = false;
    o.out = &out;
    return o;
}

// A price list the host owns: USD per GPU-hour by GPU name.
plan::HostValue price(const std::vector<plan::HostValue>& args) {
    const std::string& gpu = args.at(0).text;
    double per_hour = gpu == "H100" ? 2.5 : gpu == "A100" ? 1.5 : throw std::runtime_error("no price for " + gpu);
    return plan::quantity(per_hour * args.at(1).si / 3600 * args.at(2).si, "USD");
}

constexpr const char* kPrice = "gpu_cost(gpu: String, hours: Time, count: Scalar = 1): Money";

}  // namespace

TEST_CASE("a host function is called like a plan function", "[embed][host]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    REQUIRE(s.define_function(kPrice, "What `count` GPUs cost for `hours`.", price).ok());
    plan::Result r = s.eval("gpu_cost(\"H100\", 10 h, count = 8) -> USD");
    REQUIRE(r.ok());
    CHECK(r.value->si == 200);
    CHECK(r.value->display == "200 USD");
    // The default fills in, and plan functions call it with values they computed.
    r = s.eval("fn per_day(gpu) = gpu_cost(gpu, 1 day)\nper_day(\"A100\") -> USD");
    REQUIRE(r.ok());
    CHECK(r.value->si == 36);
    // Session::call and help see it as a function.
    r = s.call("gpu_cost", {"A100", plan::quantity(2, "h")}, {{"count", 4}});
    REQUIRE(r.ok());
    CHECK(r.value->si == 12);
    CHECK(s.is_function("gpu_cost"));
    std::vector<std::string> gpu = s.completions("gpu_");
    CHECK(std::find(gpu.begin(), gpu.end(), "gpu_cost") != gpu.end());
    CHECK(s.completions("__host").empty());
    CHECK(s.parameters_of("gpu_cost") == std::vector<std::string>{"gpu", "hours", "count"});
    CHECK(s.help("gpu_cost").find("What `count` GPUs cost for `hours`.") != std::string::npos);
    CHECK(s.help("gpu_cost").find("gpu_cost(gpu: String, hours: Time, count: Scalar = 1): Money") != std::string::npos);
}

TEST_CASE("calls of a host function are checked against its signature", "[embed][host]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    int calls = 0;
    REQUIRE(s.define_function(kPrice, "", [&](const std::vector<plan::HostValue>& a) {
                 ++calls;
                 return price(a);
             }).ok());
    plan::Result r = s.eval("let x = 1\nlet c = gpu_cost(\"H100\", 10 GB)");
    REQUIRE(r.exit_code == 2);
    CHECK(r.errors.at(0).code == "E0207");
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].column == 26);
    r = s.eval("gpu_cost(\"H100\", 1 h, gpus = 2)");
    CHECK(r.errors.at(0).code == "E0403");
    r = s.eval("gpu_cost(\"H100\")");
    CHECK(r.errors.at(0).code == "E0405");
    r = s.eval("let m: Data = gpu_cost(\"H100\", 1 h)");
    CHECK(r.errors.at(0).code == "E0206");
    CHECK(calls == 0);  // nothing ran: every error above is a check error
}

TEST_CASE("a host function's exception is a runtime error at the call", "[embed][host]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    REQUIRE(s.define_function(kPrice, "", price).ok());
    plan::Result r = s.eval("let a = 1 h\nlet b = gpu_cost(\"TPU\", a)");
    REQUIRE(r.exit_code == 1);
    CHECK(r.errors.at(0).code == "E0560");
    CHECK(r.errors[0].message == "host function `gpu_cost` failed: no price for TPU");
    CHECK(r.errors[0].file == "<embed>");
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].column == 9);
    // The session goes on: `b` was not defined, and a good call still works.
    CHECK(s.eval("gpu_cost(\"H100\", 1 h) -> USD").value->si == 2.5);
}

TEST_CASE("a host function's value must have its declared type", "[embed][host]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    REQUIRE(s.define_function("wrong(x: Scalar): Money", "", [](auto&) { return plan::quantity(3, "h"); }).ok());
    REQUIRE(s.define_function("unknown(x: Scalar): Money", "", [](auto&) { return plan::quantity(3, "zorkmid"); }).ok());
    REQUIRE(s.define_function("memory(gpus: Count, each: Data): Data", "", [](auto& a) {
                 return plan::quantity(a.at(0).si * a.at(1).si / 1e9, "GB");
             }).ok());
    plan::Result r = s.eval("wrong(1)");
    CHECK(r.errors.at(0).code == "E0561");
    CHECK(r.errors[0].message == "host function `wrong` returned a value of another type: its value is of dimension Time, not Money");
    r = s.eval("unknown(1)");
    CHECK(r.errors.at(0).code == "E0561");
    CHECK(r.errors[0].message.find("the unit `zorkmid`") != std::string::npos);
    // A parameter rule (`Count`) is checked at the call as a plan function's is.
    r = s.eval("memory(8, 80 GB) -> GB");
    REQUIRE(r.ok());
    CHECK(r.value->si == 640e9);
    r = s.eval("memory(2.5, 80 GB)");
    CHECK(r.errors.at(0).code == "E0332");
}

TEST_CASE("a host function's signature types every value", "[embed][host]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    plan::Result r = s.define_function("gpu_price(gpu: String, hours): Money", "", price);
    REQUIRE(r.exit_code == 2);
    CHECK(r.errors.at(0).code == "E0353");
    CHECK(r.errors[0].message == "parameter `hours` of host function `gpu_price` has no type");
    r = s.define_function("gpu_price(gpu: String)", "", price);
    CHECK(r.errors.at(0).code == "E0353");
    r = s.define_function("gpu_price(gpu: Strin): Money", "", price);
    CHECK(r.errors.at(0).code == "E0103");
    r = s.define_function("gpu_price(gpu: String): Money = 3", "", price);
    CHECK(r.errors.at(0).kind == "parse");
    // Nothing of the failed definitions is left: the name is still free.
    CHECK(!s.is_function("gpu_price"));
    CHECK(s.define_function("gpu_price(gpu: String, hours: Time, count: Scalar): Money", "", price).ok());
}

TEST_CASE("a sweep on the interpreter's threads calls a host function", "[embed][host][sweep]") {
    std::ostringstream out;
    plan::SessionOptions o = quiet(out);
    o.backend = "interp";
    o.threads = 4;
    plan::Session s(o);
    std::atomic<int> calls{0};
    REQUIRE(s.define_function(kPrice, "", [&](const std::vector<plan::HostValue>& a) {
                 ++calls;
                 return price(a);
             }).ok());
    plan::Result r = s.eval("sweep {\n  gpus in 1..64\n  hours in [1 h, 2 h]\n  let cost = gpu_cost(\"H100\", hours, gpus)\n"
                            "  constraint cost <= 10 USD\n  maximize gpus * hours\n  report top 2\n}");
    REQUIRE(r.ok());
    CHECK(calls == 128);
    REQUIRE(r.sweeps.size() == 1);
    REQUIRE(r.sweeps[0].rows.size() == 2);
    CHECK(r.sweeps[0].kind == "top");
    // gpus·hours at most 4 h: 2 GPUs for 2 h comes first in enumeration order, then 4 for 1 h.
    CHECK(r.sweeps[0].rows[0]["gpus"].si == 2);
    CHECK(r.sweeps[0].rows[1]["gpus"].si == 4);
    CHECK(r.sweeps[0].rows[0]["cost"].si == 10);
}

TEST_CASE("a sweep's rows come back as values, as the CLI prints them", "[embed][sweep]") {
    std::ostringstream out;
    plan::SessionOptions o;
    o.out = &out;
    plan::Session s(o);
    plan::Result r = s.eval("sweep grid {\n  tp in [1, 2, 4, 8]\n  pp in [1, 2]\n  let mem = 80 GB / (tp * pp)\n"
                            "  constraint mem >= 10 GB\n  minimize mem\n  report top 2\n  report all\n}");
    REQUIRE(r.ok());
    REQUIRE(r.sweeps.size() == 2);
    CHECK(r.sweeps[0].sweep == "grid");
    CHECK(r.sweeps[0].kind == "top");
    CHECK(r.sweeps[1].kind == "all");
    REQUIRE(r.sweeps[0].rows.size() == 2);
    CHECK(r.sweeps[0].rows[0]["mem"].display == "10 GB");
    CHECK(r.sweeps[0].rows[0]["tp"].si == 4);  // ties in enumeration order: tp 4, pp 2 before tp 8, pp 1
    CHECK(r.sweeps[0].rows[1]["tp"].si == 8);
    REQUIRE(r.sweeps[1].rows.size() == 7);  // every point but tp 8, pp 2
    std::vector<double> tps;
    for (auto& row : r.sweeps[1].rows) tps.push_back(row["tp"].si * 10 + row["pp"].si);
    CHECK(tps == std::vector<double>{11, 12, 21, 22, 41, 42, 81});
    // The same rows as the table printed: each row's displayed mem is in it.
    for (auto& row : r.sweeps[1].rows) CHECK(out.str().find(row["mem"].display) != std::string::npos);
}

TEST_CASE("`report all` rows stream to the host's callback in enumeration order", "[embed][sweep]") {
    std::ostringstream out;
    plan::SessionOptions o = quiet(out);
    std::vector<double> seen;
    o.on_row = [&](const plan::HostValue& row) {
        seen.push_back(row["n"].si);
        return true;
    };
    o.threads = 3;
    plan::Session s(o);
    plan::Result r = s.eval("sweep {\n  n in 1..1000\n  constraint floor(n / 7) * 7 == n\n  report all\n}");
    REQUIRE(r.ok());
    REQUIRE(seen.size() == 142);
    CHECK(seen.front() == 7);
    CHECK(seen.back() == 994);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(r.sweeps.at(0).rows.empty());  // streamed, not kept
}

TEST_CASE("a host cancels a sweep from another thread", "[embed][sweep][threads]") {
    std::ostringstream out;
    plan::SessionOptions o = quiet(out);
    o.backend = "interp";
    o.threads = 2;
    plan::Session s(o);
    // A sweep of a billion points (hours on the interpreter), stopped as soon as it has started.
    std::atomic<bool> started{false};
    REQUIRE(s.define_function("mark(x: Scalar): Scalar", "", [&](const std::vector<plan::HostValue>& a) {
                 started = true;
                 return plan::HostValue(a.at(0).si);
             }).ok());
    std::thread canceller([&] {
        while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        s.cancel();
    });
    auto start = std::chrono::steady_clock::now();
    plan::Result r = s.eval("sweep {\n  a in 1..1000000\n  b in 1..1000\n  let v = mark(a) * b\n  minimize v\n  report top 1\n}");
    canceller.join();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));
    REQUIRE(r.exit_code == 1);
    CHECK(r.errors.at(0).code == "E0562");
    CHECK(r.errors[0].line == 1);
    // The rows found before the cancel came back, and the session runs the next sweep in full.
    REQUIRE(r.sweeps.size() == 1);
    CHECK(r.sweeps[0].rows.size() <= 1);
    plan::Result next = s.eval("sweep {\n  n in 1..10\n  minimize n\n  report top 1\n}");
    REQUIRE(next.ok());
    CHECK(next.sweeps.at(0).rows.at(0)["n"].si == 1);
}

TEST_CASE("a host cancels a long evaluation outside sweeps", "[embed][threads]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    // Millions of function calls (seconds in a sanitized build), stopped as soon as they start.
    std::atomic<bool> started{false};
    REQUIRE(s.define_function("mark(x: Scalar): Scalar", "", [&](const std::vector<plan::HostValue>& a) {
                 started = true;
                 return plan::HostValue(a.at(0).si);
             }).ok());
    REQUIRE(s.eval("fn twice(x) = 2 * mark(x)").ok());
    std::thread canceller([&] {
        while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        s.cancel();
    });
    plan::Result r = s.eval("let total = sum([twice(i) for i in 1 .. 9000000])");
    canceller.join();
    REQUIRE(r.exit_code == 1);
    CHECK(r.errors.at(0).code == "E0562");
    CHECK(r.errors[0].message == "the host cancelled the evaluation");
    CHECK(r.errors[0].line == 1);
    // The cancel was consumed: the next evaluation runs in full, and the failed one defined nothing.
    plan::Result next = s.eval("sum([twice(i) for i in 1 .. 4])");
    REQUIRE(next.ok());
    CHECK(next.value->si == 20);
    CHECK(!s.eval("total").ok());
}

TEST_CASE("a cancel before an evaluation stops it at its first call", "[embed]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    REQUIRE(s.eval("fn f(x) = x + 1").ok());
    s.cancel();
    plan::Result r = s.eval("let a = 1\nlet b = f(a)");
    REQUIRE(r.exit_code == 1);
    CHECK(r.errors.at(0).code == "E0562");
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].column == 9);
    CHECK(s.eval("f(1)").ok());
}

TEST_CASE("a cancel before a sweep stops the next sweep at once", "[embed][sweep]") {
    std::ostringstream out;
    plan::Session s(quiet(out));
    s.cancel();
    plan::Result r = s.eval("let x = 2\nsweep {\n  n in 1..10\n  minimize n * x\n  report top 1\n}");
    REQUIRE(r.exit_code == 1);
    CHECK(r.errors.at(0).code == "E0562");
    CHECK(r.errors[0].line == 2);
    CHECK(s.eval("sweep {\n  n in 1..10\n  minimize n\n  report top 1\n}").ok());
}
