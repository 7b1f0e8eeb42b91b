// Source files and spans: every stage reports positions as byte spans into a SourceMap.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plan {

struct Span {
    uint32_t file = 0;
    uint32_t begin = 0;  // byte offset, inclusive
    uint32_t end = 0;    // byte offset, exclusive
    Span to(const Span& other) const { return {file, begin, other.end}; }
};

struct LineCol {
    uint32_t line;    // 1-based
    uint32_t column;  // 1-based, in bytes
};

struct SourceFile {
    std::string name;  // shown in diagnostics: a path, "<expr>", "<repl>", "<stdlib:units>"
    std::string text;
    std::vector<uint32_t> line_starts;
    LineCol locate(uint32_t offset) const;
    std::string_view line_text(uint32_t line) const;  // without the newline
};

class SourceMap {
public:
    uint32_t add(std::string name, std::string text);
    const SourceFile& file(uint32_t id) const { return files_[id]; }
    std::string location(const Span& s) const;  // "name:line:column"
private:
    std::vector<SourceFile> files_;
};

}  // namespace plan
