// Time per evaluation of one scalar formula from a host, with baselines in the same run.
//   plan_bench_prepared
// The formula is the training time of the 6·N·D rule on a cluster:
//   6 FLOP * n * d / (gpus * 989 TFLOP/s * 40%) -> day
// measured four ways: Session::eval of the line with the numbers written in (parse, check,
// evaluate and display every time: what a host could do before Session::prepare), a Prepared's
// evaluate() (typed values in, a HostValue with its display out), a Prepared's number() (SI
// doubles in and out), and the same arithmetic compiled as C++ (the floor). Each figure is the
// median of 7 runs of a batch.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "plan/plan.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Median time of one call of `body(i)`, over 7 batches of `n` calls, in microseconds.
template <class F>
double microseconds_per_call(int n, F body) {
    std::vector<double> batches;
    for (int run = 0; run < 7; ++run) {
        auto t = Clock::now();
        for (int i = 0; i < n; ++i) body(i);
        batches.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t).count() / n);
    }
    std::sort(batches.begin(), batches.end());
    return batches[batches.size() / 2];
}

}  // namespace

int main() {
    plan::SessionOptions o;
    o.print_expressions = false;
    plan::Session session(o);
    volatile double sink = 0;
    const double peak = 989e12 * 0.40;

    double eval = microseconds_per_call(2000, [&](int i) {
        plan::Result r = session.eval(fmt::format("6 FLOP * {} * 2e12 / ({} * 989 TFLOP/s * 40%) -> day", 7e9 + i, 1024), "<bench>");
        sink = r.value->si;
    });
    plan::Prepared prepared =
        session.prepare("6 FLOP * n * d / (gpus * 989 TFLOP/s * 40%) -> day", {{"n", 1}, {"d", 1}, {"gpus", 1}});
    double typed = microseconds_per_call(20000, [&](int i) { sink = prepared.evaluate({7e9 + i, 2e12, 1024}).si; });
    double number = microseconds_per_call(1000000, [&](int i) { sink = prepared.number({7e9 + i, 2e12, 1024}); });
    // The floor: the same arithmetic in C++. `volatile` inputs keep the compiler from folding it.
    volatile double d = 2e12, gpus = 1024;
    double native = microseconds_per_call(1000000, [&](int i) { sink = 6 * (7e9 + i) * d / (gpus * peak); });

    double check = prepared.number({7e9, 2e12, 1024});
    fmt::print("check: {} s = 6·7e9·2e12 / (1024·989e12·0.4) = {} s\n", check, 6 * 7e9 * 2e12 / (1024 * peak));
    fmt::print("| way | µs per evaluation | ratio to C++ |\n| --- | --- | --- |\n");
    for (auto [name, us] : {std::pair{"Session::eval (parse, check, evaluate, display)", eval},
                            {"Prepared::evaluate (typed values, display)", typed},
                            {"Prepared::number (SI doubles)", number},
                            {"C++ arithmetic (the floor)", native}})
        fmt::print("| {} | {:.4f} | {:.0f}× |\n", name, us, us / native);
    return std::abs(check - 6 * 7e9 * 2e12 / (1024 * peak)) < 1e-6 * check ? 0 : 1;
}
