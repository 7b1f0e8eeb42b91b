#include "validation/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace plan::validation {

namespace {

// Colour-blind-safe palette (Okabe & Ito).
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
                                    "#56B4E9", "#F0E442", "#000000", "#999999"};

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    return buf;
}

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

// A tick label: from 1e4 up (and below 1e-4) as "1.5e5"-style text, other values as plain numbers.
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

struct Axis {
    bool log;
    double lo, hi;  // in axis units (log10 when log)
    double to_unit(double v) const { return log ? std::log10(v) : v; }
    // Ticks in data units: decades (and 2, 5 when the range is under two decades) on a log axis;
    // on a log axis too narrow for three of those (a loss from 4.3 to 5.5), evenly spaced values.
    std::vector<double> ticks() const {
        if (log) {
            std::vector<double> t = log_ticks();
            if (t.size() >= 3) return t;
            return linear_ticks(std::pow(10.0, lo), std::pow(10.0, hi));
        }
        return linear_ticks(lo, hi);
    }
    std::vector<double> log_ticks() const {
        std::vector<double> t;
        double span = hi - lo;
        for (int k = static_cast<int>(std::floor(lo)); k <= static_cast<int>(std::ceil(hi)); ++k)
            for (double m : span < 1.0   ? std::vector<double>{1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}
                            : span < 2.5 ? std::vector<double>{1, 2, 5}
                                         : std::vector<double>{1}) {
                double v = m * std::pow(10.0, k);
                double u = std::log10(v);
                if (u >= lo - 1e-9 && u <= hi + 1e-9) t.push_back(v);
            }
        return t;
    }
    // Steps of 1, 2 or 5 times a power of ten, four to ten of them over [a, b].
    static std::vector<double> linear_ticks(double a, double b) {
        std::vector<double> t;
        double span = b - a, step = std::pow(10.0, std::floor(std::log10(span / 5)));
        if (span / step > 10) step *= 2;
        if (span / step > 10) step *= 2.5;
        for (double k = std::ceil(a / step); k * step <= b + 1e-12 * std::abs(b); ++k) t.push_back(k * step);
        return t;
    }
};

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

}  // namespace

std::string render_svg(const Plot& p) {
    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
    size_t points = 0;
    for (const PlotSeries& s : p.series) {
        if (s.x.size() != s.y.size())
            throw std::invalid_argument("plot series '" + s.name + "': x and y have different lengths");
        for (size_t i = 0; i < s.x.size(); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (p.log_x && s.x[i] <= 0) || (p.log_y && s.y[i] <= 0))
                throw std::invalid_argument("plot series '" + s.name + "': point " + std::to_string(i + 1) +
                                            " is not positive and finite (the axes are logarithmic)");
            xmin = std::min(xmin, s.x[i]), xmax = std::max(xmax, s.x[i]);
            ymin = std::min(ymin, s.y[i]), ymax = std::max(ymax, s.y[i]);
            ++points;
        }
    }
    if (points == 0) throw std::invalid_argument("plot '" + p.title + "' has no points");
    const Axis ax = make_axis(p.log_x, xmin, xmax), ay = make_axis(p.log_y, ymin, ymax);
    const double left = 80, right = 190, top = 40, bottom = 60;
    const double pw = p.width - left - right, ph = p.height - top - bottom;
    auto X = [&](double v) { return left + (ax.to_unit(v) - ax.lo) / (ax.hi - ax.lo) * pw; };
    auto Y = [&](double v) { return top + ph - (ay.to_unit(v) - ay.lo) / (ay.hi - ay.lo) * ph; };

    std::string o;
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(p.width) + "\" height=\"" +
         std::to_string(p.height) + "\" viewBox=\"0 0 " + std::to_string(p.width) + " " + std::to_string(p.height) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    o += "<text class=\"title\" x=\"" + num(left + pw / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">" +
         escape(p.title) + "</text>\n";
    // Grid lines and tick labels.
    o += "<g class=\"grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n";
    for (double t : ax.ticks()) o += "<line x1=\"" + num(X(t)) + "\" y1=\"" + num(top) + "\" x2=\"" + num(X(t)) + "\" y2=\"" + num(top + ph) + "\"/>\n";
    for (double t : ay.ticks()) o += "<line x1=\"" + num(left) + "\" y1=\"" + num(Y(t)) + "\" x2=\"" + num(left + pw) + "\" y2=\"" + num(Y(t)) + "\"/>\n";
    o += "</g>\n<g class=\"ticks\">\n";
    for (double t : ax.ticks())
        o += "<text x=\"" + num(X(t)) + "\" y=\"" + num(top + ph + 18) + "\" text-anchor=\"middle\">" + tick_label(t) + "</text>\n";
    for (double t : ay.ticks())
        o += "<text x=\"" + num(left - 8) + "\" y=\"" + num(Y(t) + 4) + "\" text-anchor=\"end\">" + tick_label(t) + "</text>\n";
    o += "</g>\n";
    o += "<rect class=\"frame\" x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) + "\" height=\"" + num(ph) +
         "\" fill=\"none\" stroke=\"black\"/>\n";
    o += "<text class=\"xlabel\" x=\"" + num(left + pw / 2) + "\" y=\"" + num(p.height - 18.0) + "\" text-anchor=\"middle\">" +
         escape(p.x_label) + (p.log_x ? " (log scale)" : "") + "</text>\n";
    o += "<text class=\"ylabel\" transform=\"translate(20," + num(top + ph / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
         escape(p.y_label) + (p.log_y ? " (log scale)" : "") + "</text>\n";
    // Series.
    for (size_t si = 0; si < p.series.size(); ++si) {
        const PlotSeries& s = p.series[si];
        const char* color = kPalette[(s.color >= 0 ? static_cast<size_t>(s.color) : si) % std::size(kPalette)];
        o += "<g class=\"series\" data-name=\"" + escape(s.name) + "\">\n";
        if (s.line && s.x.size() > 1) {
            std::vector<size_t> order(s.x.size());
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s.x[a] < s.x[b]; });
            o += "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"2\" points=\"";
            for (size_t k = 0; k < order.size(); ++k) {
                if (k) o += ' ';
                o += num(X(s.x[order[k]]));
                o += ',';
                o += num(Y(s.y[order[k]]));
            }
            o += "\"/>\n";
        }
        if (s.markers)
            for (size_t i = 0; i < s.x.size(); ++i)
                o += "<circle cx=\"" + num(X(s.x[i])) + "\" cy=\"" + num(Y(s.y[i])) + "\" r=\"3.5\" fill=\"" + color +
                     "\" fill-opacity=\"0.8\"/>\n";
        o += "</g>\n";
    }
    // Legend, right of the plot area.
    o += "<g class=\"legend\">\n";
    for (size_t si = 0; si < p.series.size(); ++si) {
        const PlotSeries& s = p.series[si];
        const char* color = kPalette[(s.color >= 0 ? static_cast<size_t>(s.color) : si) % std::size(kPalette)];
        double y = top + 10 + 20.0 * static_cast<double>(si), x = left + pw + 16;
        if (s.line) o += "<line x1=\"" + num(x) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x + 20) + "\" y2=\"" + num(y) + "\" stroke=\"" + color + "\" stroke-width=\"2\"/>\n";
        if (s.markers) o += "<circle cx=\"" + num(x + 10) + "\" cy=\"" + num(y) + "\" r=\"3.5\" fill=\"" + color + "\"/>\n";
        o += "<text x=\"" + num(x + 28) + "\" y=\"" + num(y + 4) + "\">" + escape(s.name) + "</text>\n";
    }
    o += "</g>\n</svg>\n";
    return o;
}

void write_svg(const Plot& plot, const std::string& path, const files::FileAccess& access) {
    std::string text = render_svg(plot);
    // Leave an identical file untouched (no new mtime for an unchanged plot).
    try {
        if (access.read(path, text.size()) == text) return;
    } catch (const files::FileError&) {
        // not there, different in size, or not readable: written below (or refused there)
    }
    access.write(path, text);
}

}  // namespace plan::validation
