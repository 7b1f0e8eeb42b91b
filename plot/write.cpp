#include "plot/write.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "plot/png.hpp"

namespace plan::plot {

std::string format_of(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".svg" ? "svg" : ext == ".png" ? "png" : "";
}

void write_plot(const Plot& plot, const std::string& path, const files::FileAccess& access) {
    std::string format = format_of(path);
    if (format.empty()) throw std::runtime_error("'" + path + "' does not end in .svg or .png, so its format is unknown");
    std::string text = render_svg(plot);
    if (format == "png") text = svg_to_png(text);
    try {
        if (access.read(path, text.size()) == text) return;
    } catch (const files::FileError&) {
        // not there, different in size, or not readable: written below (or refused there)
    }
    access.write(path, text);
}

}  // namespace plan::plot
