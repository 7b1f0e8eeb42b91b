// A small SVG writer for the grid's plots: scatter/line series on log-log
// axes with decade ticks, axis labels, a title and a legend. No dependency;
// the output is deterministic (fixed number formatting), so a plot written
// twice from the same runs is byte for byte the same file.
#pragma once

#include <string>

#include "files/file_access.hpp"
#include <vector>

namespace plan::validation {

struct PlotSeries {
    std::string name;             // legend entry
    std::vector<double> x, y;     // positive (log axes); same length
    bool line = false;            // join the points (sorted by x) with a line
    bool markers = true;          // draw a circle per point
    int color = -1;               // palette index; -1: the series' position
};

struct Plot {
    std::string title, x_label, y_label;
    std::vector<PlotSeries> series;
    bool log_x = true, log_y = true;
    int width = 720, height = 480;
};

// The SVG text. Throws std::invalid_argument if a series has mismatched
// lengths, no series has a point, or a value is not positive on a log axis.
std::string render_svg(const Plot& plot);

// Writes render_svg(plot) to `path` through `access` (replaced atomically; an
// identical file is left untouched); throws files::FileError naming the path
// if it cannot be written or is outside the sandbox.
void write_svg(const Plot& plot, const std::string& path, const files::FileAccess& access = {});

}  // namespace plan::validation
