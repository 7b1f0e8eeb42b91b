// include/plan/plan.hpp promises that independent sessions run in parallel threads. Eight threads
// each make their own session (the first ones race through the one-time setup), bind their own
// values, load a stdlib module, call a function and run a prepared expression; each must get the
// answers a lone session gets. The sanitizer build (PLAN_SANITIZE) runs it under ASan and UBSan.
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "plan/plan.hpp"

namespace {

struct Answers {
    double weights = 0, params = 0, prepared = 0;
    std::string display;
    bool ok = false;
};

Answers work(int index) {
    plan::SessionOptions o;
    o.print_expressions = false;
    plan::Session s(o);
    Answers a;
    bool ok = s.set("n", (index + 1) * 1e9).ok();
    plan::Result w = s.eval("n * 2 B");
    plan::Result m = s.eval("llama3_8b");
    ok = ok && w.ok() && m.ok();
    if (!ok) return a;
    plan::Result p = s.call("params", {*m.value});
    plan::Prepared prepared = s.prepare("n * 2 B / tp", {{"tp", 1}});
    a.weights = w.value->si;
    a.params = p.ok() ? p.value->si : 0;
    a.prepared = prepared.number({static_cast<double>(index + 1)});
    a.display = w.value->display;
    a.ok = p.ok();
    return a;
}

}  // namespace

TEST_CASE("independent sessions run in parallel threads", "[embed][threads]") {
    const int n = 8;
    Answers alone = work(0);
    REQUIRE(alone.ok);
    std::vector<Answers> answers(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) threads.emplace_back([&answers, i] { answers[i] = work(i); });
    for (auto& t : threads) t.join();
    for (int i = 0; i < n; ++i) {
        INFO("thread " << i);
        REQUIRE(answers[i].ok);
        CHECK(answers[i].weights == (i + 1) * 2e9);
        CHECK(answers[i].display == std::to_string(2 * (i + 1)) + " GB");
        CHECK(answers[i].params == alone.params);
        CHECK(answers[i].prepared == 2e9);  // n·2 B / tp with tp = i + 1 and n = (i + 1)·1e9
    }
}
