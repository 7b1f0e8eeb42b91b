// PNG pictures of plots: the SVG of render_svg rasterised by librsvg (through cairo), so that the
// PNG is the SVG, pixel for pixel, and there is one drawing model. librsvg is optional at
// configure time (PLAN_PNG): a build without it says so when a PNG is asked for.
#pragma once

#include <string>

namespace plan::plot {

// Whether this build can write PNG files.
bool png_supported();

// The PNG file of an SVG text, at the SVG's own size. Throws std::runtime_error when the build has
// no PNG support or librsvg cannot render the text.
std::string svg_to_png(const std::string& svg);

}  // namespace plan::plot
