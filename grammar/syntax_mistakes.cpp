#include "grammar/syntax_mistakes.hpp"

#include <cctype>
#include <string_view>

namespace plan {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The name that ends at `end` (after blanks), or "" when something else ends there.
std::string name_before(const std::string& text, uint32_t begin, uint32_t end) {
    while (end > begin && is_blank(text[end - 1])) --end;
    uint32_t start = end;
    while (start > begin && is_name_char(text[start - 1])) --start;
    if (start == end || std::isdigit(static_cast<unsigned char>(text[start]))) return "";
    if (start > begin && text[start - 1] == '.') return "";  // a field: `m.layers GB` is not this mistake
    return text.substr(start, end - start);
}

std::string word_at(const std::string& text, uint32_t at) {
    uint32_t end = at;
    while (end < text.size() && is_name_char(text[end])) ++end;
    return text.substr(at, end - at);
}

}  // namespace

std::optional<Diagnostic> common_mistake(Code failed, const std::string& text, uint32_t begin, uint32_t at, uint32_t file) {
    if (at >= text.size()) return std::nullopt;
    auto diagnostic = [&](Code code, std::string message, uint32_t width, std::string label, std::string help) {
        Diagnostic d(code);
        d.message = std::move(message);
        d.labels.push_back({{file, at, at + width}, std::move(label)});
        d.help = std::move(help);
        return d;
    };
    std::string_view rest(text.data() + at, text.size() - at);
    if (failed == Code::UnclosedBracket && word_at(text, at) == "for")
        return diagnostic(Code::SecondFor, "a comprehension has one `for`", 3, "a second `for`",
                          "for every pair, nest them, `[[f(x, y) for y in b] for x in a]` (a list of lists), or use a "
                          "`sweep` with one axis per list");
    if (failed != Code::TrailingInput) return std::nullopt;
    if (rest.rfind("^", 0) == 0 || rest.rfind("**", 0) == 0)
        return diagnostic(Code::ChainedOperator, "`^` does not chain", rest[0] == '^' ? 1 : 2, "a second `^`",
                          "say which power comes first: `a^(b^c)` or `(a^b)^c`");
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"})
        if (rest.rfind(op, 0) == 0) {
            std::string o(op);
            return diagnostic(Code::ChainedOperator, "comparisons do not chain", static_cast<uint32_t>(o.size()),
                              "a second comparison", "join two comparisons with `and`: `a < b and b " + o + " c`");
        }
    std::string before = name_before(text, begin, at);
    if (before.empty() || at == 0 || !is_blank(text[at - 1])) return std::nullopt;
    if (rest[0] == '(')
        return diagnostic(Code::SpaceBeforeCall, "a space between `" + before + "` and `(`", 1, "",
                          "a call has no space before `(`: write `" + before + "(...)`; to multiply, write `" + before + " * (...)`");
    std::string next = word_at(text, at);
    if (!next.empty() && !std::isdigit(static_cast<unsigned char>(next[0])))
        return diagnostic(Code::NameFollowedByName, "a name followed by another name: `" + before + " " + next + "`",
                          static_cast<uint32_t>(next.size()), "",
                          "only a number takes units directly (`5 " + next + "`): to give `" + before + "` a unit, write `" +
                              before + " * " + next + "`; to convert it, `" + before + " -> " + next + "`");
    return std::nullopt;
}

}  // namespace plan
