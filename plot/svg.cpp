#include "plot/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "plot/ticks.hpp"

namespace plan::plot {

namespace {

// Colour-blind-safe palette (Okabe & Ito).
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
                                    "#56B4E9", "#F0E442", "#000000", "#999999"};

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    return buf;
}

std::string shown(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
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

}  // namespace

std::string render_svg(const Plot& p) {
    if (p.width < kMinSize || p.width > kMaxSize || p.height < kMinSize || p.height > kMaxSize)
        throw PlotError("a plot is " + std::to_string(kMinSize) + " to " + std::to_string(kMaxSize) + " pixels wide and high, not " +
                            std::to_string(p.width) + " x " + std::to_string(p.height),
                        -1);
    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
    size_t points = 0;
    for (size_t si = 0; si < p.series.size(); ++si) {
        const PlotSeries& s = p.series[si];
        const int at = static_cast<int>(si);
        if (s.x.size() != s.y.size())
            throw PlotError("series '" + s.name + "' has " + std::to_string(s.x.size()) + " x values and " + std::to_string(s.y.size()) +
                                " y values",
                            at);
        for (size_t i = 0; i < s.x.size(); ++i) {
            for (bool is_x : {true, false}) {
                double v = is_x ? s.x[i] : s.y[i];
                bool log = is_x ? p.log_x : p.log_y;
                if (!std::isfinite(v) || (log && v <= 0))
                    throw PlotError("series '" + s.name + "': point " + std::to_string(i + 1) + " has " + (is_x ? "x" : "y") + " = " +
                                        shown(v) + (log ? ", not positive and finite (the " + std::string(is_x ? "x" : "y") + " axis is logarithmic)"
                                                      : ", not finite"),
                                    at);
            }
            xmin = std::min(xmin, s.x[i]), xmax = std::max(xmax, s.x[i]);
            ymin = std::min(ymin, s.y[i]), ymax = std::max(ymax, s.y[i]);
            ++points;
        }
    }
    if (points == 0) throw PlotError("plot '" + p.title + "' has no points", -1);
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
    o += "</g>\n<g class=\"xticks\">\n";
    for (double t : ax.ticks())
        o += "<text x=\"" + num(X(t)) + "\" y=\"" + num(top + ph + 18) + "\" text-anchor=\"middle\">" + tick_label(t) + "</text>\n";
    o += "</g>\n<g class=\"yticks\">\n";
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

}  // namespace plan::plot
