// Writing a plot to a file: SVG or PNG by the path's extension, through the sandbox.
#pragma once

#include <string>

#include "files/file_access.hpp"
#include "plot/plot.hpp"

namespace plan::plot {

// The format a path asks for: "svg" or "png" (by its extension, in any case), or "" for any other.
std::string format_of(const std::string& path);

// Writes the plot to `path` through `access`: its SVG text, or that SVG rasterised (a .png path).
// The file is replaced atomically, and an identical file is left untouched (no new mtime for an
// unchanged plot). Throws PlotError for data it cannot draw, std::runtime_error for an extension
// other than .svg or .png or a build without PNG support, files::FileError when the path cannot be
// written or is outside the sandbox.
void write_plot(const Plot& plot, const std::string& path, const files::FileAccess& access = {});

}  // namespace plan::plot
