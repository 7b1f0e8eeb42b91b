// Plots as pictures: line and scatter series on linear or logarithmic axes, with readable ticks,
// axis labels, a title and a legend. One drawing model, the SVG text of render_svg; a PNG is that
// same SVG rasterised by librsvg (plot/png.hpp), so the two files never disagree. The SVG is
// deterministic (fixed number formatting): a plot written twice from the same data is byte for
// byte the same file. Used by the `plot` native and by the trainer's plot_runs.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace plan::plot {

struct PlotSeries {
    std::string name;             // legend entry
    std::vector<double> x, y;     // same length; positive on a log axis
    bool line = false;            // join the points (sorted by x) with a line
    bool markers = true;          // draw a circle per point
    int color = -1;               // palette index; -1: the series' position
};

struct Plot {
    std::string title, x_label, y_label;  // labels as shown (the caller adds the unit)
    std::vector<PlotSeries> series;
    bool log_x = true, log_y = true;
    int width = 720, height = 480;
};

// Data a plot cannot draw. `series` is the index of the series at fault, -1 for the plot itself
// (no points at all, a size out of range), so a caller can point at the argument that gave it.
struct PlotError : std::invalid_argument {
    PlotError(const std::string& what, int series) : std::invalid_argument(what), series(series) {}
    int series;
};

// The limits of a picture's size, in pixels (a PNG of 4096 x 4096 is 64 MiB while it is drawn).
constexpr int kMinSize = 200, kMaxSize = 4096;

// The SVG text. Throws PlotError if a series has x and y of different lengths or a value that is
// not finite (or not positive on a log axis), if no series has a point, or if the size is outside
// [kMinSize, kMaxSize].
std::string render_svg(const Plot& plot);

}  // namespace plan::plot
