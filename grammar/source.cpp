#include "grammar/source.hpp"

#include <algorithm>

namespace plan {

LineCol SourceFile::locate(uint32_t offset) const {
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
    uint32_t line = static_cast<uint32_t>(it - line_starts.begin());
    return {line, offset - line_starts[line - 1] + 1};
}

std::string_view SourceFile::line_text(uint32_t line) const {
    uint32_t begin = line_starts[line - 1];
    uint32_t end = line < line_starts.size() ? line_starts[line] - 1 : static_cast<uint32_t>(text.size());
    std::string_view view(text);
    std::string_view result = view.substr(begin, end - begin);
    if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
    return result;
}

uint32_t SourceMap::add(std::string name, std::string text) {
    // A UTF-8 byte-order mark (some Windows editors write one) is not part of the program.
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    SourceFile f{std::move(name), std::move(text), {0}};
    for (uint32_t i = 0; i < f.text.size(); ++i)
        if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
    files_.push_back(std::move(f));
    return static_cast<uint32_t>(files_.size() - 1);
}

std::string SourceMap::location(const Span& s) const {
    const SourceFile& f = files_[s.file];
    LineCol lc = f.locate(s.begin);
    return f.name + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

}  // namespace plan
