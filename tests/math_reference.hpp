// The accuracy of numeric/math.hpp against MPFR: each function on arguments drawn across its
// range, the error of each result in ulps of the exact value. Used by tests/numeric_test.cpp (a
// sample) and bench/math/accuracy.cpp (millions).
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <mpfr.h>

#include "numeric/math.hpp"

namespace test {

// |got - exact| in ulps of the exact value (the ulp of its binade, 2^-1074 below the normals);
// a result where the correctly rounded one is ±inf must be that inf (error 0, else infinite).
inline double ulp_error(double got, const mpfr_t exact) {
    double rounded = mpfr_get_d(exact, MPFR_RNDN);
    if (std::isinf(rounded) || std::isinf(got)) return got == rounded ? 0 : INFINITY;
    if (mpfr_zero_p(exact)) return got == 0 ? 0 : INFINITY;
    long e = 0;
    mpfr_get_d_2exp(&e, exact, MPFR_RNDN);  // exact = f 2^e, 0.5 <= |f| < 1
    mpfr_t d;
    mpfr_init2(d, 256);
    mpfr_sub_d(d, exact, got, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    mpfr_mul_2si(d, d, -std::max(e - 53, -1074L), MPFR_RNDN);
    double u = mpfr_get_d(d, MPFR_RNDN);
    mpfr_clear(d);
    return u;
}

struct Worst {
    double ulps = 0, normal_ulps = 0;  // over all results; over results in the normal range
    double x = 0, y = 0;               // the arguments of the worst
    long count = 0;
};

struct MathCase {
    std::string name;
    int arity;
    double (*ours)(double, double);
    int (*reference)(mpfr_t, const mpfr_t, const mpfr_t, mpfr_rnd_t);
    std::function<std::pair<double, double>(std::mt19937_64&)> draw;
};

inline double uniform(std::mt19937_64& g, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(g); }
inline int pick(std::mt19937_64& g, int n) { return static_cast<int>(g() % static_cast<uint64_t>(n)); }

// A positive finite double with random bits: every binade equally likely, subnormals included.
inline double any_positive(std::mt19937_64& g) {
    double x = std::bit_cast<double>(g() & 0x7fefffffffffffffull);
    return x == 0 ? 1 : x;
}
// 1 ± u 2^-k: the neighbourhood of 1, where logarithms lose relative accuracy first.
inline double near_one(std::mt19937_64& g) { return 1 + uniform(g, -1, 1) * std::ldexp(1.0, -1 - pick(g, 52)); }

inline std::pair<double, double> log_argument(std::mt19937_64& g) {
    return {pick(g, 3) == 0 ? near_one(g) : any_positive(g), 0};
}

inline std::vector<MathCase> math_cases() {
    return {
        {"exp", 1, [](double x, double) { return plan_exp(x); },
         [](mpfr_t r, const mpfr_t x, const mpfr_t, mpfr_rnd_t m) { return mpfr_exp(r, x, m); },
         [](std::mt19937_64& g) -> std::pair<double, double> {
             switch (pick(g, 3)) {
                 case 0: return {uniform(g, -746, 710), 0};  // the whole range, overflow and underflow
                 case 1: return {uniform(g, -1, 1), 0};
                 default: return {uniform(g, -1, 1) * std::ldexp(1.0, -pick(g, 60)), 0};  // near 0
             }
         }},
        {"log", 1, [](double x, double) { return plan_log(x); },
         [](mpfr_t r, const mpfr_t x, const mpfr_t, mpfr_rnd_t m) { return mpfr_log(r, x, m); }, log_argument},
        {"log2", 1, [](double x, double) { return plan_log2(x); },
         [](mpfr_t r, const mpfr_t x, const mpfr_t, mpfr_rnd_t m) { return mpfr_log2(r, x, m); }, log_argument},
        {"log10", 1, [](double x, double) { return plan_log10(x); },
         [](mpfr_t r, const mpfr_t x, const mpfr_t, mpfr_rnd_t m) { return mpfr_log10(r, x, m); }, log_argument},
        {"pow", 2, plan_pow, mpfr_pow,
         [](std::mt19937_64& g) -> std::pair<double, double> {
             switch (pick(g, 4)) {
                 case 0: {  // x from 1e-6 to 1e6, y such that |y ln x| <= 750 (some overflow and underflow)
                     double x = std::exp(uniform(g, -13.8, 13.8));
                     return {x, uniform(g, -750, 750) / std::abs(std::log(x))};
                 }
                 case 1: {  // x near 1, y large
                     double x = near_one(g);
                     return {x, x == 1 ? 3.5 : uniform(g, -700, 700) / std::log(x)};
                 }
                 case 2: {  // integer y, a negative x for half of them
                     double y = pick(g, 121) - 60;
                     double x = std::exp(uniform(g, -11, 11));
                     return {pick(g, 2) ? -x : x, y};
                 }
                 default: {  // any positive x, a small y
                     return {any_positive(g), uniform(g, -1.5, 1.5)};
                 }
             }
         }},
    };
}

// Runs `count` draws of one function; MPFR at 256 bits rounds the exact value to nearest.
inline Worst measure(const MathCase& c, long count, uint64_t seed) {
    std::mt19937_64 g(seed);
    mpfr_t x, y, r;
    mpfr_inits2(256, x, y, r, static_cast<mpfr_ptr>(nullptr));
    Worst w;
    for (long i = 0; i < count; ++i) {
        auto [a, b] = c.draw(g);
        mpfr_set_d(x, a, MPFR_RNDN);
        mpfr_set_d(y, b, MPFR_RNDN);
        c.reference(r, x, y, MPFR_RNDN);
        double got = c.ours(a, b);
        double u = ulp_error(got, r);
        if (u > w.ulps || std::isnan(u)) {
            w.ulps = std::isnan(u) ? INFINITY : u;
            w.x = a;
            w.y = b;
        }
        if (std::abs(got) >= 0x1p-1022 && !std::isinf(got)) w.normal_ulps = std::max(w.normal_ulps, u);
    }
    w.count = count;
    mpfr_clears(x, y, r, static_cast<mpfr_ptr>(nullptr));
    return w;
}

}  // namespace test
