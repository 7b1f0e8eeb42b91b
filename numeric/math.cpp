// exp, log, log2, log10 and pow in double-double arithmetic with tables, after the table-driven
// methods of P. T. P. Tang ("Table-driven implementation of the exponential function in IEEE
// floating-point arithmetic", ACM TOMS 15(2), 1989; "... of the logarithm function", TOMS 16(4),
// 1990), with the error-free transformations of T. J. Dekker ("A floating-point technique for
// extending the available precision", Numer. Math. 18, 1971: Veltkamp's split, two_prod) and
// D. E. Knuth (TAOCP vol. 2, 4.2.2: two_sum). Polynomials are Taylor series, long enough that
// the truncation is far below the rounding of the result.
//
// The source must give the same bits compiled by gcc (the interpreter) and by clang to bitcode
// (the JIT, later NVPTX): only +, -, *, / and sqrt of doubles, each rounded once (both builds use
// -ffp-contract=off, so no product is fused into an FMA); no libm call, no long double, no mutable
// global state. Special cases are selected at the end, not branched to, so that the vectorizer
// can run every lane through the same straight-line code.
#include "numeric/math.hpp"

#include "numeric/math_layout.hpp"

namespace {

#include "numeric/math_tables.inc"

using plan::numeric::layout::kExpN;
using plan::numeric::layout::kLogIndexShift;
using plan::numeric::layout::kLogN;
using plan::numeric::layout::kLogOffset;

// Compiler builtins rather than <bit> and <limits>: the file needs no C++ library headers, so that
// clang can compile it for a target without one (NVPTX).
constexpr double kInf = __builtin_inf();
constexpr double kNaN = __builtin_nan("");
constexpr uint64_t kSignBit = 1ull << 63;

inline uint64_t bits_of(double x) { return __builtin_bit_cast(uint64_t, x); }
inline double double_of(uint64_t b) { return __builtin_bit_cast(double, b); }
inline double magnitude(double x) { return double_of(bits_of(x) & ~kSignBit); }

// A value hi + lo with |lo| <= ulp(hi) / 2 (or an exact sum, where a step says so).
struct DD {
    double hi, lo;
};

// a + b = hi + lo exactly (Knuth).
inline DD two_sum(double a, double b) {
    double s = a + b;
    double bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}

// a + b = hi + lo exactly when |a| >= |b| (Dekker).
inline DD fast_two_sum(double a, double b) {
    double s = a + b;
    return {s, b - (s - a)};
}

// a = hi + lo with hi of 26 bits (Veltkamp); |a| < 2^996.
inline DD split(double a) {
    double t = 134217729.0 * a;  // 2^27 + 1
    double hi = t - (t - a);
    return {hi, a - hi};
}

// a * b = hi + lo exactly (Dekker), unless the low part underflows.
inline DD two_prod(double a, double b) {
    double p = a * b;
    DD x = split(a), y = split(b);
    return {p, ((x.hi * y.hi - p) + x.hi * y.lo + x.lo * y.hi) + x.lo * y.lo};
}

// exp(hi + lo), |lo| <= 2^-50 |hi|, for hi not NaN. x = k ln2 / N + r (Cody and Waite's two-part
// ln2 / N makes x - k ln2_hi / N exact); exp(x) = 2^(k div N) 2^((k mod N) / N) exp(r).
inline double exp_dd(double hi, double lo) {
    // Beyond ±800 the result is inf or 0 anyway; clamping keeps k within the exact range.
    double x = hi < -800.0 ? -800.0 : hi > 800.0 ? 800.0 : hi;
    double xlo = x == hi ? lo : 0.0;
    constexpr double kShift = 0x1.8p52;  // adding it rounds to an integer, kept in the low bits
    double kd = x * kInvLn2N + kShift;
    int64_t k = static_cast<int64_t>(bits_of(kd) - bits_of(kShift));
    kd -= kShift;
    DD r = two_sum(x - kd * kLn2NHi, xlo - kd * kLn2NLo);  // |r| <= ln2 / 256 + tiny
    const double* t = kExp2Table[k & (kExpN - 1)];
    // exp(r) - 1 = r + r^2 (1/2 + r/6 + r^2/24 + r^3/120 + r^4/720) + O(r^7 / 5040 < 2^-72)
    double r1 = r.hi;
    double poly = r1 * r1 * (0.5 + r1 * (1.0 / 6 + r1 * (1.0 / 24 + r1 * (1.0 / 120 + r1 * (1.0 / 720)))));
    double tail = r.lo + poly;
    // 2^(j/N) exp(r) = t_hi + t_hi r1 + (t_lo + t_lo r1 + t_hi tail), the first product exact
    DD a = two_prod(t[0], r1);
    DD s = fast_two_sum(t[0], a.hi);
    double y = s.hi + (s.lo + (a.lo + (t[1] + (t[1] * r1 + t[0] * tail))));
    // 2^e in two factors, each a normal double for |e| <= 1160; only the last product rounds
    // (to a subnormal, or to inf).
    static_assert(kExpN == 128);
    int64_t e = k >> 7;  // k div kExpN
    int64_t e1 = e >> 1, e2 = e - e1;
    y = y * double_of(static_cast<uint64_t>(e1 + 1023) << 52) * double_of(static_cast<uint64_t>(e2 + 1023) << 52);
    return y;
}

// log(x) as hi + lo for a positive finite x (relative error about 2^-70). x = 2^e m with m in
// [0.707, 1.414); m invc = 1 + r exactly (two_prod), |r| < 2^-8;
// log(x) = e ln2 + log(1 / invc) + log1p(r).
inline DD log_dd(double x) {
    bool subnormal = bits_of(x) < (1ull << 52);
    uint64_t ix = bits_of(subnormal ? x * 0x1p52 : x);
    int64_t tmp = static_cast<int64_t>(ix - kLogOffset);
    int64_t shift = tmp >> 52;  // the exponent, relative to the mantissa range
    double e = static_cast<double>(static_cast<int32_t>(shift) - (subnormal ? 52 : 0));
    const double* c = kLogTable[(static_cast<uint64_t>(tmp) >> kLogIndexShift) & (kLogN - 1)];
    double m = double_of(ix - (static_cast<uint64_t>(shift) << 52));
    DD p = two_prod(m, c[0]);
    DD r = two_sum(p.hi - 1.0, p.lo);  // p.hi - 1 is exact (Sterbenz)
    // log1p(r) = r - r^2/2 + r^3 (1/3 - r/4 + ... + r^6/9) + O(r^10 / 10 < 2^-83)
    double rh = r.hi;
    DD sq = two_prod(rh, rh);
    double half_hi = -0.5 * sq.hi;
    double half_lo = -0.5 * sq.lo - rh * r.lo;
    double q = 1.0 / 3 + rh * (-1.0 / 4 + rh * (1.0 / 5 + rh * (-1.0 / 6 + rh * (1.0 / 7 + rh * (-1.0 / 8 + rh * (1.0 / 9))))));
    double cube = rh * sq.hi * q;
    DD t = two_sum(e * kLn2Hi, c[1]);  // e ln2_hi is exact
    DD u = two_sum(t.hi, rh);
    DD v = two_sum(u.hi, half_hi);
    double low = t.lo + u.lo + v.lo + (e * kLn2Lo + c[2] + r.lo + half_lo + cube);
    return fast_two_sum(v.hi, low);
}

// 0 < x < inf, as one unsigned comparison of the bits: the vectorizer cannot widen the class
// test (llvm.is.fpclass) that the comparisons of doubles become.
inline bool positive_finite(double x) { return bits_of(x) - 1 < 0x7fefffffffffffffull; }

// The logarithms' special cases (IEEE 754): log(±0) = -inf, log(x < 0) = NaN, log(inf) = inf.
inline bool log_finite(double x) { return positive_finite(x); }
inline double log_special(double x) { return x == 0 ? -kInf : x < 0 ? kNaN : x + x; }

// 1 / ln(b) times a double-double logarithm, rounded once.
inline double scaled(DD l, double inv_hi, double inv_lo) {
    DD p = two_prod(l.hi, inv_hi);
    return p.hi + (p.lo + (l.hi * inv_lo + l.lo * inv_hi));
}

// What y is as an exponent: an integer (every double of magnitude >= 2^52 is), and if so an odd one.
struct Exponent {
    bool integer, odd;
};

inline Exponent classify(double y) {
    uint64_t b = bits_of(y);
    int64_t exponent = static_cast<int64_t>((b >> 52) & 0x7ff) - 1023;
    uint64_t mantissa = (b & ((1ull << 52) - 1)) | (1ull << 52);
    int64_t fraction_bits = exponent < 0 ? 0 : exponent > 52 ? 0 : 52 - exponent;  // clamped: no shift by 64
    bool whole = (mantissa & ((1ull << fraction_bits) - 1)) == 0;
    bool odd = ((mantissa >> fraction_bits) & 1) != 0;
    bool integer = exponent >= 52 ? true : exponent < 0 ? y == 0 : whole;
    return {integer, integer && exponent <= 52 && exponent >= 0 && odd};
}

}  // namespace

extern "C" {

double plan_exp(double x) {
    double r = exp_dd(x == x ? x : 0.0, 0.0);
    return x == x ? r : x + x;
}

double plan_log(double x) {
    double r = log_dd(log_finite(x) ? x : 1.0).hi;
    return log_finite(x) ? r : log_special(x);
}

double plan_log2(double x) {
    double r = scaled(log_dd(log_finite(x) ? x : 1.0), kInvLn2Hi, kInvLn2Lo);
    return log_finite(x) ? r : log_special(x);
}

double plan_log10(double x) {
    double r = scaled(log_dd(log_finite(x) ? x : 1.0), kInvLn10Hi, kInvLn10Lo);
    return log_finite(x) ? r : log_special(x);
}

// pow(x, y) = ±exp(y log|x|), y log|x| in double-double. The special cases are C99's (Annex F.9.4.4).
// y = 0.5 and y = 2 return sqrt(x) and x * x, the correctly rounded values (x^0.5 == sqrt(x) holds).
double plan_pow(double x, double y) {
    double ax = magnitude(x), ay = magnitude(y);
    bool negative = (bits_of(x) & kSignBit) != 0;  // -0 too
    Exponent n = classify(y);
    bool finite_x = positive_finite(ax);
    // Beyond |y| = 2^64, y log|x| is beyond ±2^11 for every x != 1: inf or 0 either way.
    double yc = ay <= 0x1p64 ? y : y > 0 ? 0x1p64 : -0x1p64;
    DD l = log_dd(finite_x ? ax : 1.0);
    DD p = two_prod(yc, l.hi);
    double r = exp_dd(p.hi, p.lo + yc * l.lo);
    r = y == 0.5 ? __builtin_sqrt(finite_x ? ax : 1.0) : r;
    r = y == 2 ? x * x : r;
    r = negative && n.odd ? -r : r;
    r = x < 0 && !n.integer ? kNaN : r;
    // x = ±inf: y < 0 gives ±0, y > 0 gives ±inf (the sign only for an odd integer y).
    double signed_zero = negative && n.odd ? -0.0 : 0.0;
    double signed_inf = negative && n.odd ? -kInf : kInf;
    r = ax == kInf ? (y < 0 ? signed_zero : signed_inf) : r;
    // x = ±0: y < 0 gives ±inf, y > 0 gives ±0.
    r = ax == 0 ? (y < 0 ? signed_inf : signed_zero) : r;
    // y = ±inf: |x| = 1 gives 1; otherwise inf when |x| < 1 and y = -inf or |x| > 1 and y = inf.
    r = ay == kInf ? (ax == 1 ? 1.0 : (ax < 1) == (y < 0) ? kInf : 0.0) : r;
    r = x != x || y != y ? x + y : r;
    r = x == 1 || y == 0 ? 1.0 : r;
    return r;
}

}  // extern "C"
