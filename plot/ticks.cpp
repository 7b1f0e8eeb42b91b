#include "plot/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace plan::plot {

double Axis::to_unit(double v) const { return log ? std::log10(v) : v; }

namespace {

// m * 10^k as the nearest double to that decimal (pow(10, 23) is not the double of 1e23).
double decimal(double m, int k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ge%d", m, k);
    return std::strtod(buf, nullptr);
}

std::vector<double> log_ticks(double lo, double hi) {
    std::vector<double> t;
    double span = hi - lo;
    const std::vector<double> mantissas = span < 1.0   ? std::vector<double>{1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}
                                          : span < 2.5 ? std::vector<double>{1, 2, 5}
                                                       : std::vector<double>{1};
    // Over many decades, every decade would crowd the axis: every 2nd, 5th or 10th one.
    int every = span <= 10 ? 1 : span <= 20 ? 2 : span <= 50 ? 5 : 10;
    for (int k = static_cast<int>(std::floor(lo)); k <= static_cast<int>(std::ceil(hi)); ++k) {
        if (k % every != 0) continue;
        for (double m : mantissas) {
            double v = decimal(m, k);
            double u = std::log10(v);
            if (u >= lo - 1e-9 && u <= hi + 1e-9) t.push_back(v);
        }
    }
    return t;
}

}  // namespace

std::vector<double> Axis::ticks() const {
    if (log) {
        std::vector<double> t = log_ticks(lo, hi);
        if (t.size() >= 3) return t;
        return linear_ticks(std::pow(10.0, lo), std::pow(10.0, hi));
    }
    return linear_ticks(lo, hi);
}

std::vector<double> linear_ticks(double a, double b) {
    std::vector<double> t;
    // The finest of 1, 2 and 5 times a power of ten that puts at most nine ticks on [a, b].
    double step = std::pow(10.0, std::floor(std::log10((b - a) / 10)));
    auto ticks_of = [&](double s) { return std::floor(b / s + 1e-9) - std::ceil(a / s - 1e-9) + 1; };
    for (double m : {2.0, 2.5, 2.0, 2.0, 2.5})  // 1 → 2 → 5 → 10 → 20 → 50
        if (ticks_of(step) > 9) step *= m;
    for (double k = std::ceil(a / step); k * step <= b + 1e-12 * std::abs(b); ++k) {
        double v = k * step;
        // k * step carries the step's rounding (3 * 0.1 = 0.30000000000000004): round to the
        // step's own digits, and never show a negative zero.
        int digits = 1 - static_cast<int>(std::floor(std::log10(step)));
        double scale = std::pow(10.0, std::abs(digits));  // exact: a small power of ten
        v = digits > 0 ? std::round(v * scale) / scale : std::round(v / scale) * scale;
        t.push_back(v == 0 ? 0.0 : v);
    }
    return t;
}

Axis make_axis(bool log, double mn, double mx) {
    Axis a{log, 0, 0};
    double lo = a.to_unit(mn), hi = a.to_unit(mx);
    if (hi - lo < 1e-12) {
        lo -= log ? 0.5 : std::max(1.0, std::abs(lo) * 0.1);
        hi += log ? 0.5 : std::max(1.0, std::abs(hi) * 0.1);
    }
    double pad = (hi - lo) * 0.05;
    a.lo = lo - pad;
    a.hi = hi + pad;
    return a;
}

std::string tick_label(double v) {
    char buf[32];
    double l = std::log10(std::abs(v));
    if (v != 0 && std::abs(l) >= 4 - 1e-9) {
        int k = static_cast<int>(std::floor(l + 1e-9));
        std::snprintf(buf, sizeof buf, "%.3ge%d", v / std::pow(10.0, k), k);  // 2e4, 1.5e5, 1.25e9
    } else {
        std::snprintf(buf, sizeof buf, "%.4g", v);  // 4.6, 1500: no exponent below 1e4
    }
    return buf;
}

}  // namespace plan::plot
