// The accuracy of numeric/math.hpp against MPFR on millions of arguments per function (the
// distributions of tests/math_reference.hpp, other seeds than the test's). Prints, per function,
// the largest error in ulps over all results and over the normal ones, and its arguments.
// Usage: plan_bench_math_accuracy [arguments per function, default 10000000]
// Results: bench/math/README.md.
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "tests/math_reference.hpp"

int main(int argc, char** argv) {
    long count = argc > 1 ? std::atol(argv[1]) : 10'000'000;
    auto cases = test::math_cases();
    std::printf("%-6s %12s %12s %12s   %s\n", "fn", "arguments", "max ulp", "normal max", "worst at (x, y)");
    for (auto& c : cases) {
        // Two threads, each with its own seed and half the arguments.
        std::vector<test::Worst> parts(2);
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t) threads.emplace_back([&, t] { parts[t] = test::measure(c, count / 2, 7000 + 17 * t); });
        for (auto& th : threads) th.join();
        test::Worst w = parts[0].ulps >= parts[1].ulps ? parts[0] : parts[1];
        double normal = std::max(parts[0].normal_ulps, parts[1].normal_ulps);
        std::printf("%-6s %12ld %12.4f %12.4f   (%a, %a)\n", c.name.c_str(), parts[0].count + parts[1].count, w.ulps, normal, w.x, w.y);
    }
    return 0;
}
