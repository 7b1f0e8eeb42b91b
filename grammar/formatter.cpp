// `plan fmt`: parse, then print the tree back in one canonical layout.
//
// Layout model. Every expression is rendered to a string; continuation lines of a multi-line
// rendering carry their absolute indentation, so a parent only prefixes its own first line.
// Records, lists and call arguments ("groups") print on one line when that fits in kWidth
// columns and they hold no comment; otherwise one item per line, indented by kIndent. Blocks
// and budgets are always one item per line.
//
// Comments. The tree has no comment nodes, only ast::Module::comments with spans. Each
// multi-line construct ("host": the module, a block, a budget, a broken group) places the
// comments that lie in its interior: before an item on their own lines, after an item on the
// same line (trailing), or before its closing bracket. A comment inside an item but in no
// nested host (say, between `a +` and `b`) cannot stay where it was without breaking the
// expression, so it moves onto its own line before that item. A group holding a comment
// always breaks, so every comment has a host that prints it. Because each comment lands
// between the same items on the second run as on the first, formatting is idempotent.
#include "grammar/formatter.hpp"

#include <algorithm>

#include "grammar/formatter_printer.hpp"
#include "grammar/parser.hpp"

namespace plan {
namespace format {

// The source extent of an expression. The parser leaves end = 0 on nodes that PEGTL's fold_one
// keeps with several children (unary operators, ranges) and on binaries built over them, so
// take the furthest end in the subtree.
Span full(const Expr& e) {
    Span s = e.span;
    if (s.end > s.begin) return s;
    for (const auto& a : e.args) s.end = std::max(s.end, full(*a).end);
    return s;
}

// The column after `text` when it starts at column `col`.
int end_col(int col, const std::string& text) {
    size_t nl = text.rfind('\n');
    return nl == std::string::npos ? col + static_cast<int>(text.size()) : static_cast<int>(text.size() - nl - 1);
}

// ---- comments and layout ----------------------------------------------------------------------

std::string Printer::module(const ast::Module& m) {
    Items items{m.stmts.size(), [&](size_t k) { return stmt_span(*m.stmts[k]); },
                [&](size_t k, int col) { return stmt(*m.stmts[k], col); }};
    std::string out;
    for (const std::string& line : lines(0, static_cast<uint32_t>(src_.size()), 0, items)) out += line + "\n";
    return out;
}

size_t Printer::first_comment(uint32_t begin) const {
    auto it = std::lower_bound(comments_.begin(), comments_.end(), begin,
                               [](const ast::Comment& c, uint32_t b) { return c.span.begin < b; });
    return static_cast<size_t>(it - comments_.begin());
}

bool Printer::has_comment(uint32_t begin, uint32_t end) const {
    size_t i = first_comment(begin);
    return i < comments_.size() && comments_[i].span.begin < end;
}

// Claims the comments in [begin, end) that no nested host has printed.
std::vector<size_t> Printer::take(uint32_t begin, uint32_t end) {
    std::vector<size_t> taken;
    for (size_t i = first_comment(begin); i < comments_.size() && comments_[i].span.begin < end; ++i) {
        if (used_[i]) continue;
        used_[i] = true;
        taken.push_back(i);
    }
    return taken;
}

// A statement's span without the blanks and trailing comment that a rule ending in `sp`
// (`unit s: Time  # the second`) swallows: that comment trails the statement.
Span Printer::stmt_span(const Stmt& s) const {
    Span span = s.span;
    for (size_t i = first_comment(span.begin); i < comments_.size() && comments_[i].span.begin < span.end; ++i)
        if (comments_[i].span.end >= span.end) span.end = comments_[i].span.begin;
    while (span.end > span.begin && (src_[span.end - 1] == ' ' || src_[span.end - 1] == '\t')) --span.end;
    return span;
}

size_t Printer::newlines(uint32_t begin, uint32_t end) const {
    if (end <= begin) return 0;
    return static_cast<size_t>(std::count(src_.begin() + begin, src_.begin() + end, '\n'));
}

// One line per item (plus comment and blank lines) for a host whose interior is
// [begin, end), each line indented by `pad`. Blank lines between items survive, at most one.
std::vector<std::string> Printer::lines(uint32_t begin, uint32_t end, int pad, const Items& items) {
    std::vector<std::string> out;
    const std::string indent(static_cast<size_t>(pad), ' ');
    uint32_t prev = begin;  // source end of the last item or comment placed
    bool after_item = false;
    uint32_t item_end = begin;
    auto gap = [&](uint32_t from, uint32_t to) {
        for (size_t i : take(from, to)) {
            const ast::Comment& c = comments_[i];
            if (after_item && newlines(item_end, c.span.begin) == 0) {
                out.back() += "  " + c.text;  // it followed the item on its line: keep it there
            } else {
                if (!out.empty() && newlines(prev, c.span.begin) >= 2) out.emplace_back();
                out.push_back(indent + c.text);
            }
            prev = c.span.end;
        }
    };
    for (size_t k = 0; k < items.count; ++k) {
        Span s = items.span(k);
        gap(item_end, s.begin);
        std::string text = items.render(k, pad);  // first, so nested hosts claim their comments
        bool blank = !out.empty() && newlines(prev, s.begin) >= 2;
        for (size_t i : take(s.begin, s.end)) {
            if (blank) out.emplace_back();
            blank = false;
            out.push_back(indent + comments_[i].text);
        }
        if (blank) out.emplace_back();
        size_t at = 0;
        for (size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
            out.push_back((at == 0 ? indent : "") + text.substr(at, nl - at));
        out.push_back((at == 0 ? indent : "") + text.substr(at));
        prev = item_end = s.end;
        after_item = true;
    }
    gap(item_end, end);
    return out;
}

// `open`, the items one per line, then `close` at the indentation of the current line.
std::string Printer::broken(const std::string& open, const std::string& close, uint32_t begin, uint32_t end, int indent,
                            const Items& items) {
    std::string out = open;
    for (const std::string& line : lines(begin, end, indent + kIndent, items)) out += "\n" + line;
    return out + "\n" + std::string(static_cast<size_t>(indent), ' ') + close;
}

// Renders without side effects: comments claimed meanwhile are released again.
std::string Printer::trial(int width, const std::function<std::string()>& render) {
    std::vector<bool> used = used_;
    int saved = width_;
    width_ = width;
    std::string out = render();
    width_ = saved;
    used_ = std::move(used);
    return out;
}

std::string Printer::group(const Group& g, int col, int indent, bool force_break) {
    bool comments = has_comment(g.begin, g.end);
    if (g.count == 0 && !comments) return g.open + g.close;
    if (!comments && !force_break) {
        std::string flat = trial(kUnlimited, [&] {
            std::string out = g.open + g.pad;
            for (size_t k = 0; k < g.count; ++k) out += (k ? g.join : "") + g.item(k, col, indent);
            return out + g.pad + g.close;
        });
        if (flat.find('\n') == std::string::npos && col + static_cast<int>(flat.size()) <= width_) return flat;
    }
    Items items{g.count, g.span, [&](size_t k, int c) { return g.item(k, c, c) + g.sep; }};
    return broken(g.open, g.close, g.begin, g.end, indent, items);
}

// ---- statements -------------------------------------------------------------------------------

Printer::Group Printer::params(const Stmt& s) {
    auto end_of = [](const ast::Param& p) {
        return p.default_value ? full(*p.default_value).end : p.type ? full(*p.type).end : p.span.end;
    };
    // The tree does not record where `)` is: it is the first one after the last parameter
    // that is not in a comment.
    uint32_t close = s.params.empty() ? s.name_span.end : end_of(s.params.back());
    while (close < src_.size() && src_[close] != ')') {
        if (src_[close] == '#') close = static_cast<uint32_t>(std::min(src_.find('\n', close), src_.size()));
        else ++close;
    }
    return {"(", ")", "", ", ", ",", s.name_span.end, close, s.params.size(),
            [&s, end_of](size_t k) { return Span{s.span.file, s.params[k].span.begin, end_of(s.params[k])}; },
            [this, &s](size_t k, int c, int ind) {
                const ast::Param& p = s.params[k];
                std::string out = p.name;
                if (p.type) out += ": " + expr(*p.type, c + static_cast<int>(out.size()) + 2, ind, MUL);
                if (p.default_value) {
                    out += " = ";
                    out += expr(*p.default_value, end_col(c, out), ind, IF);
                }
                return out;
            }};
}

std::string Printer::type_ann(const Stmt& s, int col, int indent) {
    return s.type ? ": " + expr(*s.type, col + 2, indent, MUL) : "";
}

// Appends " = value" to `head` (a statement printed so far at column `indent`); a value whose
// first line would not fit starts on the next line, indented.
std::string Printer::assign(std::string head, const Expr& value, int indent) {
    std::string same_line = trial(width_, [&] { return head + " = " + expr(value, end_col(indent, head) + 3, indent, IF); });
    std::string first = same_line.substr(0, same_line.find('\n'));
    int first_col = head.find('\n') == std::string::npos ? indent : 0;
    if (first_col + static_cast<int>(first.size()) <= width_) {
        head += " = ";
        return head + expr(value, end_col(indent, head), indent, IF);
    }
    int inner = indent + kIndent;
    return head + " =\n" + std::string(static_cast<size_t>(inner), ' ') + expr(value, inner, inner, IF);
}

std::string Printer::stmt(const Stmt& s, int indent) {
    std::string out;
    switch (s.kind) {
        case StmtKind::Let:
            out = s.keyword + " " + s.name;
            out += type_ann(s, end_col(indent, out), indent);
            return assign(out, *s.value, indent);
        case StmtKind::Fn: {
            // Parameters go one per line when the first line would not fit otherwise.
            // Parameters go one per line only when the signature itself would not fit; a long
            // body moves to the next line instead (see assign).
            auto head = [&](bool force_break) {
                std::string h = "fn " + s.name;
                h += group(params(s), end_col(indent, h), indent, force_break);
                return h + type_ann(s, end_col(indent, h), indent);
            };
            std::string flat = trial(width_, [&] { return head(false); });
            bool too_long = flat.find('\n') == std::string::npos && indent + static_cast<int>(flat.size()) + 2 > width_;
            return assign(head(too_long && !s.params.empty()), *s.value, indent);
        }
        case StmtKind::Dimension:
            out = "dimension " + s.name;
            if (s.type) out += " = " + expr(*s.type, end_col(indent, out) + 3, indent, MUL);
            return out;
        case StmtKind::Unit:
            out = "unit " + s.name;
            out += type_ann(s, end_col(indent, out), indent);
            if (s.value) out = assign(out, *s.value, indent);
            for (size_t k = 0; k < s.prefixes.size(); ++k)
                out += (k ? ", " : " prefixes(") + s.prefixes[k] + (k + 1 == s.prefixes.size() ? ")" : "");
            if (!s.plural.empty()) out += " plural(" + s.plural + ")";
            return out + (s.autoscale ? " autoscale" : "");
        case StmtKind::Use: return "use " + s.name;
        case StmtKind::Assert:
            out = "assert " + expr(*s.value, indent + 7, indent, IF);
            if (s.message) out += ", " + string_lit(*s.message, end_col(indent, out) + 2, indent);
            return out;
        case StmtKind::Print:
            out = "print ";
            for (size_t k = 0; k < s.values.size(); ++k)
                out += (k ? ", " : "") + expr(*s.values[k], end_col(indent, out) + (k ? 2 : 0), indent, IF);
            return out;
        case StmtKind::Budget: {
            if (s.reference) return s.name.empty() ? "budget" : "budget " + s.name;
            out = s.name.empty() ? "budget " : "budget " + s.name + " ";
            if (s.items.empty() && !has_comment(s.span.begin, s.span.end)) return out + "{}";
            Items items{s.items.size(),
                        [&](size_t k) { return s.items[k].name_span.to(full(*s.items[k].bound)); },
                        [&](size_t k, int c) {
                            const ast::BudgetItem& item = s.items[k];
                            std::string head = item.name + " " + item.op + " ";
                            return head + expr(*item.bound, c + static_cast<int>(head.size()), c, IF);
                        }};
            return out + broken("{", "}", s.span.begin, s.span.end, indent, items);
        }
        case StmtKind::Constraint: return "constraint " + expr(*s.value, indent + 11, indent, IF);
        case StmtKind::Expression: return unsigned_start(*s.value, indent, indent);
        case StmtKind::Sweep: {
            out = s.keyword == "let" ? "let " + s.name + " = sweep " : s.name.empty() ? "sweep " : "sweep " + s.name + " ";
            if (s.body.empty() && !has_comment(s.span.begin, s.span.end)) return out + "{}";
            Items items{s.body.size(), [&](size_t k) { return s.body[k]->span; },
                        [&](size_t k, int c) { return stmt(*s.body[k], c); }};
            return out + broken("{", "}", s.span.begin, s.span.end, indent, items);
        }
        case StmtKind::Axis:
            out = s.name + " in ";
            return out + expr(*s.value, end_col(indent, out), indent, IF);
        case StmtKind::Objective:
            out = s.keyword + " ";
            return out + expr(*s.value, end_col(indent, out), indent, IF);
        case StmtKind::Report:
            out = "report " + s.keyword;
            if (s.keyword == "top") out += " " + expr(*s.values[0], end_col(indent, out) + 1, indent, ADD);
            if (s.keyword == "pareto" && !s.values.empty()) {
                out += "(";
                for (size_t k = 0; k < s.values.size(); ++k) out += (k ? ", " : "") + s.values[k]->text;
                out += ")";
            }
            if (s.message) out += " to " + string_lit(*s.message, end_col(indent, out) + 4, indent);
            return out;
    }
    return out;
}

}  // namespace format

FormatResult format_source(const std::string& name, const std::string& text, bool color) {
    SourceMap sources;
    uint32_t file = sources.add(name, text);
    ParseResult parsed = parse(sources, file);
    FormatResult result;
    if (!parsed.errors.empty()) {
        for (const Diagnostic& d : parsed.errors) result.errors += render(d, sources, color);
        return result;
    }
    format::Printer printer(sources.file(file).text, parsed.module.comments);
    result.text = printer.module(parsed.module);
    result.ok = true;
    return result;
}

}  // namespace plan
