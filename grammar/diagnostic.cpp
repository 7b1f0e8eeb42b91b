#include "grammar/diagnostic.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace plan {

namespace {

struct Style {
    bool on;
    std::string operator()(const char* code, const std::string& s) const {
        return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
    }
};

struct LineLabel {
    uint32_t col;    // 0-based column where carets start
    uint32_t width;  // number of carets (at least 1)
    std::string text;
};

}  // namespace

std::string render(const Diagnostic& d, const SourceMap& sources, bool color) {
    Style style{color};
    std::string out = style("1;31", "error[" + code_name(d.code) + "]") + style("1", ": " + d.message) + "\n";
    if (d.labels.empty()) {
        for (const auto& n : d.notes) out += "  = note: " + n + "\n";
        if (!d.help.empty()) out += "  = help: " + d.help + "\n";
        return out;
    }
    const SourceFile& file = sources.file(d.labels[0].span.file);
    // Group labels of the primary file by line; labels in other files get their own header.
    std::map<uint32_t, std::vector<LineLabel>> by_line;
    std::vector<const Label*> elsewhere;
    uint32_t max_line = 0;
    for (const Label& l : d.labels) {
        if (l.span.file != d.labels[0].span.file) {
            elsewhere.push_back(&l);
            continue;
        }
        LineCol lc = file.locate(l.span.begin);
        std::string_view line = file.line_text(lc.line);
        uint32_t col = lc.column - 1;
        uint32_t end_in_line = std::min<uint32_t>(l.span.end - l.span.begin + col, static_cast<uint32_t>(line.size()));
        uint32_t width = end_in_line > col ? end_in_line - col : 1;
        by_line[lc.line].push_back({col, width, l.text});
        max_line = std::max(max_line, lc.line);
    }
    std::string gutter(std::to_string(max_line).size() + 1, ' ');
    out += gutter.substr(1) + style("1;34", "--> ") + sources.location(d.labels[0].span) + "\n";
    out += gutter + style("1;34", "|") + "\n";
    for (auto& [line_no, labels] : by_line) {
        std::sort(labels.begin(), labels.end(), [](auto& a, auto& b) { return a.col < b.col; });
        std::string number = std::to_string(line_no);
        out += std::string(gutter.size() - number.size() - 1, ' ') + style("1;34", number + " |") + " " +
               std::string(file.line_text(line_no)) + "\n";
        // One line of carets; the rightmost label's text goes after its carets, the others below.
        std::string carets;
        for (const auto& l : labels) {
            if (carets.size() < l.col) carets.resize(l.col, ' ');
            carets += std::string(l.width, '^');
        }
        if (!labels.back().text.empty()) carets += " " + labels.back().text;
        out += gutter + style("1;34", "|") + " " + style("1;31", carets) + "\n";
        for (size_t i = labels.size() - 1; i-- > 0;) {
            if (labels[i].text.empty()) continue;
            out += gutter + style("1;34", "|") + " " + std::string(labels[i].col, ' ') + style("1;31", labels[i].text) + "\n";
        }
    }
    for (const Label* l : elsewhere) {
        out += gutter + style("1;34", "= ") + "note: " + l->text + " at " + sources.location(l->span) + "\n";
    }
    for (const auto& n : d.notes) out += gutter + style("1;34", "= ") + "note: " + n + "\n";
    if (!d.help.empty()) out += gutter + style("1;34", "= ") + style("1", "help: ") + d.help + "\n";
    return out;
}

static std::string closest_by_distance(const std::string& name, const std::vector<std::string>& candidates);

static size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t up = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> closest_names(const std::string& name, const std::vector<std::string>& candidates, size_t most) {
    std::vector<std::string> same_case, family;
    const std::string key = lower(name);
    for (const auto& c : candidates) {
        if (c == name) continue;
        std::string lc = lower(c);
        if (lc == key) same_case.push_back(c);
        else if (key.size() >= 3 && lc.size() > key.size() + 1 && lc.compare(0, key.size(), key) == 0 && lc[key.size()] == '_')
            family.push_back(c);
    }
    for (auto* found : {&same_case, &family}) {
        if (found->empty()) continue;
        std::sort(found->begin(), found->end(), [](const std::string& a, const std::string& b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
        found->erase(std::unique(found->begin(), found->end()), found->end());
        if (found->size() > most) found->resize(most);
        return *found;
    }
    std::string best = closest_by_distance(name, candidates);
    if (best.empty()) return {};
    return {best};
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
    std::vector<std::string> found = closest_names(name, candidates, 1);
    return found.empty() ? "" : found[0];
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
    std::vector<std::string> found = closest_names(name, candidates);
    if (found.empty()) return "";
    std::string out = "did you mean ";
    for (size_t i = 0; i < found.size(); ++i)
        out += (i == 0 ? "" : i + 1 == found.size() ? " or " : ", ") + ("`" + found[i] + "`");
    return out + "?";
}

static std::string closest_by_distance(const std::string& name, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
    for (const auto& c : candidates) {
        if (c == name) continue;
        size_t dist = edit_distance(name, c);
        if (dist < best_distance || (dist == best_distance && !best.empty() && c < best)) {
            best_distance = dist;
            best = c;
        }
    }
    return best;
}

}  // namespace plan
