// numeric/math.hpp: within 1 ulp of MPFR across the ranges (a sample here; millions in
// bench/math/accuracy.cpp), exact where the exact value is a double, and C99's special cases.
#include <bit>
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "numeric/math.hpp"
#include "tests/math_reference.hpp"

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Equal as values and in sign (±0), or both NaN.
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b)); }
}  // namespace

TEST_CASE("exp, log, log2, log10 and pow are within 1 ulp of MPFR", "[numeric]") {
    for (const test::MathCase& c : test::math_cases()) {
        test::Worst w = test::measure(c, 40'000, 12);
        INFO(c.name << ": " << w.ulps << " ulp at (" << w.x << ", " << w.y << "), " << w.normal_ulps << " ulp on normal results");
        CHECK(w.ulps <= 1.0);
        // Normal results are within about 2^-60 of the exact value before the last rounding.
        CHECK(w.normal_ulps <= 0.51);
    }
}

TEST_CASE("results that are doubles come out exactly", "[numeric]") {
    for (int k = -1074; k <= 1023; ++k) {
        INFO("k = " << k);
        REQUIRE(plan_pow(2, k) == std::ldexp(1.0, k));
        REQUIRE(plan_log2(std::ldexp(1.0, k)) == k);
    }
    double ten = 1;
    for (int k = 0; k <= 22; ++k, ten *= 10) {  // 10^22 is the last power of ten that is a double
        INFO("k = " << k);
        REQUIRE(plan_pow(10, k) == ten);
        REQUIRE(plan_log10(ten) == k);
    }
    CHECK(plan_pow(3, 2) == 9);
    CHECK(plan_pow(-2, 3) == -8);
    CHECK(plan_pow(-3, -2) == 1.0 / 9);
    CHECK(plan_pow(4, 0.5) == 2);
    CHECK(plan_pow(8, 1.0 / 3) == 2);  // 8^(1/3 - 1.9e-17) = 2 (1 - 3.9e-17): rounds to 2
    CHECK(plan_pow(16, 0.25) == 2);
    CHECK(plan_exp(0) == 1);
    CHECK(plan_log(1) == 0);
    CHECK(plan_exp(1) == 0x1.5bf0a8b145769p+1);  // e, correctly rounded
    CHECK(plan_log(2) == 0x1.62e42fefa39efp-1);
    std::mt19937_64 g(5);
    for (int i = 0; i < 100'000; ++i) {  // x^0.5 is sqrt(x), x^1 is x, x^2 is x * x
        double x = test::any_positive(g);
        INFO(x);
        REQUIRE(plan_pow(x, 0.5) == std::sqrt(x));
        REQUIRE(plan_pow(x, 1) == x);
        REQUIRE(plan_pow(-x, 2) == x * x);
    }
}

TEST_CASE("special cases are C99's (Annex F), as glibc has them", "[numeric]") {
    const double specials[] = {0.0, -0.0, 1.0, -1.0, kInf, -kInf, kNaN, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, -2.5, 0x1p-1070, 1e308};
    auto special = [](double v) { return v == 0 || std::isinf(v) || std::isnan(v) || v == 1 || v == -1; };
    int compared = 0;
    for (double x : specials) {
        for (double y : specials) {
            if (!special(x) && !special(y) && !(x < 0 && y != std::round(y))) continue;
            INFO("pow(" << x << ", " << y << ")");
            CHECK(same(plan_pow(x, y), std::pow(x, y)));
            ++compared;
        }
        INFO("x = " << x);
        CHECK(same(plan_exp(x), std::exp(x)));
        if (special(x) || x < 0) {
            CHECK(same(plan_log(x), std::log(x)));
            CHECK(same(plan_log2(x), std::log2(x)));
            CHECK(same(plan_log10(x), std::log10(x)));
        }
    }
    CHECK(compared > 150);
    CHECK(plan_exp(709.78) < kInf);
    CHECK(plan_exp(709.79) == kInf);
    CHECK(plan_exp(-745.13) == 0x1p-1074);  // ln(2^-1075) = -745.1332: above half the least subnormal
    CHECK(plan_exp(-745.14) == 0);
    CHECK(plan_pow(1 + 0x1p-52, 0x1p70) == kInf);  // |y| beyond 2^64
    CHECK(plan_pow(1 - 0x1p-53, 0x1p70) == 0);
    CHECK(plan_pow(-(1 + 0x1p-52), 0x1p70) == kInf);  // an even integer
    CHECK(std::isnan(plan_pow(-8, 1.0 / 3)));
}
