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
#include <functional>
#include <map>

#include "grammar/parser.hpp"

namespace plan {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

constexpr int kWidth = 100;
constexpr int kIndent = 4;
constexpr int kUnlimited = 1 << 29;

// Binding strength of what an expression prints as, weakest first (grammar.hpp, bottom up).
// `if` is weakest of all: its else branch runs to the end of the expression, so it needs
// parentheses wherever anything could follow it.
enum Level { IF = -1, CONVERT, OR, AND, NOT, CMP, RANGE, ADD, MUL, UNARY, POW, POSTFIX, PRIMARY };

int level(const Expr& e) {
    switch (e.kind) {
        case ExprKind::If: return IF;
        case ExprKind::Convert: return CONVERT;
        case ExprKind::Range: return RANGE;
        case ExprKind::Unary: return e.text == "not" ? NOT : UNARY;
        case ExprKind::Juxtapose: return POW;  // `5 GB` sits where a power would
        case ExprKind::Binary:
            if (e.text == "or") return OR;
            if (e.text == "and") return AND;
            if (e.text == "+" || e.text == "-") return ADD;
            if (e.text == "*" || e.text == "/") return MUL;
            if (e.text == "^") return POW;
            return CMP;
        case ExprKind::Call:
        case ExprKind::Field:
        case ExprKind::Index:
        case ExprKind::With: return POSTFIX;
        default: return PRIMARY;
    }
}

// Minimum levels of the left and right operands of a binary operator (not `^`): the
// left-associative ones accept their own level on the left only; comparison is non-associative.
std::pair<int, int> operand_levels(const std::string& op) {
    if (op == "or") return {OR, AND};
    if (op == "and") return {AND, NOT};
    if (op == "+" || op == "-") return {ADD, MUL};
    if (op == "*" || op == "/") return {MUL, UNARY};
    return {RANGE, RANGE};
}

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

std::string escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '{': out += "\\{"; break;
            case '}': out += "\\}"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default: out += c;
        }
    }
    return out;
}

// The items of a host: how many, where each lies in the source, and how to print item k when
// its line starts at column `col` (also the indentation of its continuation lines).
struct Items {
    size_t count;
    std::function<Span(size_t)> span;
    std::function<std::string(size_t, int col)> render;
};

class Printer {
public:
    Printer(const std::string& src, const std::vector<ast::Comment>& comments)
        : src_(src), comments_(comments), used_(comments.size(), false) {}

    std::string module(const ast::Module& m) {
        Items items{m.stmts.size(), [&](size_t k) { return stmt_span(*m.stmts[k]); },
                    [&](size_t k, int col) { return stmt(*m.stmts[k], col); }};
        std::string out;
        for (const std::string& line : lines(0, static_cast<uint32_t>(src_.size()), 0, items)) out += line + "\n";
        return out;
    }

private:
    const std::string& src_;
    const std::vector<ast::Comment>& comments_;
    std::vector<bool> used_;
    int width_ = kWidth;  // kUnlimited while trying a group on one line
    std::map<std::pair<const Expr*, int>, std::string> one_line_;  // expr() at kUnlimited, by minimum level
    bool chain_ = false;  // the `if` printed next is the `else` branch of a broken `if`
    bool in_string_ = false;  // inside a string's interpolation: nothing breaks

    size_t first_comment(uint32_t begin) const {
        auto it = std::lower_bound(comments_.begin(), comments_.end(), begin,
                                   [](const ast::Comment& c, uint32_t b) { return c.span.begin < b; });
        return static_cast<size_t>(it - comments_.begin());
    }

    bool has_comment(uint32_t begin, uint32_t end) const {
        size_t i = first_comment(begin);
        return i < comments_.size() && comments_[i].span.begin < end;
    }

    // Claims the comments in [begin, end) that no nested host has printed.
    std::vector<size_t> take(uint32_t begin, uint32_t end) {
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
    Span stmt_span(const Stmt& s) const {
        Span span = s.span;
        for (size_t i = first_comment(span.begin); i < comments_.size() && comments_[i].span.begin < span.end; ++i)
            if (comments_[i].span.end >= span.end) span.end = comments_[i].span.begin;
        while (span.end > span.begin && (src_[span.end - 1] == ' ' || src_[span.end - 1] == '\t')) --span.end;
        return span;
    }

    size_t newlines(uint32_t begin, uint32_t end) const {
        if (end <= begin) return 0;
        return static_cast<size_t>(std::count(src_.begin() + begin, src_.begin() + end, '\n'));
    }

    // One line per item (plus comment and blank lines) for a host whose interior is
    // [begin, end), each line indented by `pad`. Blank lines between items survive, at most one.
    std::vector<std::string> lines(uint32_t begin, uint32_t end, int pad, const Items& items) {
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
    std::string broken(const std::string& open, const std::string& close, uint32_t begin, uint32_t end,
                       int indent, const Items& items) {
        std::string out = open;
        for (const std::string& line : lines(begin, end, indent + kIndent, items)) out += "\n" + line;
        return out + "\n" + std::string(static_cast<size_t>(indent), ' ') + close;
    }

    // Renders without side effects: comments claimed meanwhile are released again.
    std::string trial(int width, const std::function<std::string()>& render) {
        std::vector<bool> used = used_;
        int saved = width_;
        width_ = width;
        std::string out = render();
        width_ = saved;
        used_ = std::move(used);
        return out;
    }

    // A bracketed sequence that prints on one line when it fits and holds no comment, else one
    // item per line (with `sep` after every item: trailing commas make a later edit one line).
    struct Group {
        std::string open, close;
        const char* pad;   // inside the brackets when flat: `{ a = 1 }`
        const char* join;  // between items when flat
        const char* sep;   // after each item when broken
        uint32_t begin, end;  // the interior in the source
        size_t count;
        std::function<Span(size_t)> span;
        std::function<std::string(size_t, int col, int indent)> item;
    };

    std::string group(const Group& g, int col, int indent, bool force_break = false) {
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

    std::string record(const Expr& e, int col, int indent) {
        Group g{"{", "}", " ", ", ", "", e.span.begin, e.span.end, e.args.size(),
                [&](size_t k) { return e.name_spans[k].to(full(*e.args[k])); },
                [&](size_t k, int c, int ind) {
                    std::string head = e.names[k] + " = ";
                    return head + expr(*e.args[k], c + static_cast<int>(head.size()), ind, IF);
                }};
        return group(g, col, indent);
    }

    // On one line (width unlimited) an expression prints the same wherever it starts, so it is
    // printed once: every enclosing group tries its items on one line first, and without this the
    // time grew with the cube of the nesting (measured: `f(1, f(1, ...))` 240 deep took 1.3 s).
    std::string expr(const Expr& e, int col, int indent, int min_level) {
        if (width_ != kUnlimited || chain_) return parenthesized(e, col, indent, min_level);
        auto key = std::make_pair(&e, min_level);
        if (auto found = one_line_.find(key); found != one_line_.end()) return found->second;
        std::string out = parenthesized(e, col, indent, min_level);
        if (out.find('\n') == std::string::npos) one_line_.emplace(key, out);
        return out;
    }
    std::string parenthesized(const Expr& e, int col, int indent, int min_level) {
        if (level(e) < min_level) return "(" + expr(e, col + 1, indent, IF) + ")";
        return bare(e, col, indent);
    }

    // The exponent of `^`: the grammar allows a chain of unary minuses over a postfix there.
    std::string exponent(const Expr& e, int col, int indent) {
        if (e.kind == ExprKind::Unary && e.text == "-") return "-" + exponent(*e.args[0], col + 1, indent);
        return expr(e, col, indent, POSTFIX);
    }

    std::string string_lit(const Expr& e, int col, int indent) {
        std::string out = "\"";
        for (const ast::StringPart& part : e.parts) {
            if (!part.expr) {
                out += escape(part.text);
                continue;
            }
            int saved = width_;
            bool saved_in_string = in_string_;
            width_ = kUnlimited;  // a string stays on one line
            in_string_ = true;
            out += '{';
            out += expr(*part.expr, end_col(col, out), indent, IF);
            out += '}';
            width_ = saved;
            in_string_ = saved_in_string;
        }
        return out + "\"";
    }

    // A binary operation written with its operator at the start of a line (a continuation line,
    // grammar.hpp) keeps that line break; one broken after its operator is joined, as before.
    // Inside a string's interpolation everything stays on one line. Between the operands lie
    // only closing brackets, blanks, comments and the operator.
    bool written_broken(const Expr& lhs, const Expr& rhs) const {
        if (in_string_) return false;
        for (uint32_t at = full(lhs).end; at < full(rhs).begin; ++at) {
            char c = src_[at];
            if (c == '\n') return true;
            if (c == '#') at = static_cast<uint32_t>(std::min(src_.find('\n', at), src_.size())) - 1;
            else if (c != ' ' && c != '\t' && c != '\r' && c != ')') return false;
        }
        return false;
    }
    // A statement or a block's value that starts with a sign would continue the line above
    // (grammar.hpp): it is written in parentheses.
    std::string unsigned_start(const Expr& e, int col, int indent) {
        std::string text = trial(width_, [&] { return expr(e, col, indent, IF); });
        if (!text.empty() && (text[0] == '-' || text[0] == '+')) return "(" + expr(e, col + 1, indent, IF) + ")";
        return expr(e, col, indent, IF);
    }
    // The comments between `lhs` and the operator that starts a continuation line: one on the
    // line where `lhs` ends stays at its end; one on a line of its own stays on its own line,
    // indented like the continuation.
    std::string comments_after(const Expr& lhs, const Expr& rhs, int indent) {
        uint32_t from = full(lhs).end;
        std::string out;
        for (size_t i : take(from, full(rhs).begin)) {
            const ast::Comment& c = comments_[i];
            if (newlines(from, c.span.begin) == 0) out += "  " + c.text;
            else out += "\n" + std::string(static_cast<size_t>(indent + kIndent), ' ') + c.text;
        }
        return out;
    }
    std::string continued(const std::string& lhs, const std::string& op, const Expr& rhs, int indent, int min_level) {
        int inner = indent + kIndent;
        std::string head = "\n" + std::string(static_cast<size_t>(inner), ' ') + op + " ";
        return lhs + head + expr(rhs, inner + static_cast<int>(op.size()) + 1, inner, min_level);
    }

    static bool is_unit(const Expr& e) {
        return e.kind == ExprKind::Name ||
               (e.kind == ExprKind::Binary && e.text == "^" && e.args[0]->kind == ExprKind::Name);
    }
    static bool tight_division(const Expr& e) {
        if (e.kind != ExprKind::Binary || e.text != "/" || !is_unit(*e.args[1])) return false;
        const Expr& l = *e.args[0];
        return l.kind == ExprKind::Juxtapose || tight_division(l);
    }
    // A conversion target made only of units, printed tight: `GB/s`, `USD/(GPU*h)`; "" otherwise.
    std::string unit_text(const Expr& e) {
        if (e.kind == ExprKind::Name) return e.text;
        if (e.kind != ExprKind::Binary) return "";
        if (e.text == "^") {
            if (e.args[0]->kind != ExprKind::Name) return "";
            return e.args[0]->text + "^" + exponent(*e.args[1], 0, 0);
        }
        if (e.text != "*" && e.text != "/") return "";
        std::string l = unit_text(*e.args[0]), r = unit_text(*e.args[1]);
        if (l.empty() || r.empty()) return "";
        bool group = e.args[1]->kind == ExprKind::Binary && e.args[1]->text != "^";
        return l + e.text + (group ? "(" + r + ")" : r);
    }

    std::string bare(const Expr& e, int col, int indent) {
        const auto& a = e.args;
        switch (e.kind) {
            case ExprKind::Number:
            case ExprKind::Bool:
            case ExprKind::Name: return e.text;
            case ExprKind::String: return string_lit(e, col, indent);
            case ExprKind::Unary: {
                std::string op = e.text == "not" ? "not " : e.text;
                return op + expr(*a[0], col + static_cast<int>(op.size()), indent, level(e));
            }
            case ExprKind::Binary: {
                if (e.text == "^") {
                    std::string base = expr(*a[0], col, indent, POSTFIX) + "^";
                    return base + exponent(*a[1], end_col(col, base), indent);
                }
                auto [left, right] = operand_levels(e.text);
                if (written_broken(*a[0], *a[1]))
                    return continued(expr(*a[0], col, indent, left) + comments_after(*a[0], *a[1], indent), e.text, *a[1], indent, right);
                // `1 PFLOP/s`, `6 FLOP/param/token`: a quantity over a bare unit reads as one unit.
                std::string op = tight_division(e) ? "/" : " " + e.text + " ";
                std::string lhs = expr(*a[0], col, indent, left) + op;
                return lhs + expr(*a[1], end_col(col, lhs), indent, right);
            }
            case ExprKind::Juxtapose: {
                std::string out = a[0]->text;
                for (size_t k = 1; k < a.size(); ++k) {
                    out += " ";
                    if (a[k]->kind == ExprKind::Binary)  // a unit with an exponent: `B^2`
                        out += a[k]->args[0]->text + "^" + exponent(*a[k]->args[1], end_col(col, out), indent);
                    else
                        out += a[k]->text;
                }
                return out;
            }
            case ExprKind::Convert: {
                if (written_broken(*a[0], *a[1])) {
                    std::string unit = unit_text(*a[1]);
                    std::string lhs = expr(*a[0], col, indent, CONVERT) + comments_after(*a[0], *a[1], indent);
                    if (unit.empty()) return continued(lhs, "->", *a[1], indent, MUL);
                    return lhs + "\n" + std::string(static_cast<size_t>(indent + kIndent), ' ') + "-> " + unit;
                }
                std::string lhs = expr(*a[0], col, indent, CONVERT) + " -> ";
                if (std::string unit = unit_text(*a[1]); !unit.empty()) return lhs + unit;
                return lhs + expr(*a[1], end_col(col, lhs), indent, MUL);  // the target is parsed at `*` level
            }
            case ExprKind::Call: {
                std::string callee = expr(*a[0], col, indent, POSTFIX);
                Group g{"(", ")", "", ", ", ",", full(*a[0]).end, e.span.end, a.size() - 1,
                        [&](size_t k) { return e.name_spans[k].to(full(*a[k + 1])); },
                        [&](size_t k, int c, int ind) {
                            std::string head = e.names[k].empty() ? "" : e.names[k] + " = ";
                            return head + expr(*a[k + 1], c + static_cast<int>(head.size()), ind, IF);
                        }};
                return callee + group(g, end_col(col, callee), indent);
            }
            case ExprKind::Field: return expr(*a[0], col, indent, POSTFIX) + "." + e.text;
            case ExprKind::Index: {
                std::string base = expr(*a[0], col, indent, POSTFIX) + "[";
                return base + expr(*a[1], end_col(col, base), indent, IF) + "]";
            }
            case ExprKind::With: {
                std::string base = expr(*a[0], col, indent, POSTFIX) + (e.text.empty() ? " " : " with ");
                return base + record(*a[1], end_col(col, base), indent);
            }
            case ExprKind::List: {
                Group g{"[", "]", "", ", ", ",", e.span.begin, e.span.end, a.size(),
                        [&](size_t k) { return full(*a[k]); },
                        [&](size_t k, int c, int ind) { return expr(*a[k], c, ind, IF); }};
                return group(g, col, indent);
            }
            case ExprKind::Comprehension: {
                // Broken, the element, `for` and `if` clauses each get a line.
                Group g{"[", "]", "", " ", "", e.span.begin, e.span.end, a.size(),
                        [&](size_t k) { return full(*a[k]); },
                        [&](size_t k, int c, int ind) {
                            std::string head = k == 0 ? "" : k == 1 ? "for " + e.text + " in " : "if ";
                            return head + expr(*a[k], c + static_cast<int>(head.size()), ind, IF);
                        }};
                return group(g, col, indent);
            }
            case ExprKind::Range: {
                std::string out = expr(*a[0], col, indent, ADD) + " .. ";
                out += expr(*a[1], end_col(col, out), indent, ADD);
                std::string kw = e.text == "log" ? " log " : " step ";
                if (a.size() > 2) out += kw + expr(*a[2], end_col(col, out) + static_cast<int>(kw.size()), indent, ADD);
                return out;
            }
            case ExprKind::Record: return record(e, col, indent);
            case ExprKind::If: {
                // On one line when it fits; else `else` starts a line, indented, so that a chain
                // of `else if`s lines up.
                auto render = [&](bool broken) {
                    std::string out = "if " + expr(*a[0], col + 3, indent, IF) + " then ";
                    out += expr(*a[1], end_col(col, out), indent, IF);
                    if (!broken) {
                        out += " else ";
                        return out + expr(*a[2], end_col(col, out), indent, IF);
                    }
                    int inner = indent + kIndent;
                    out += "\n" + std::string(static_cast<size_t>(inner), ' ') + "else ";
                    chain_ = a[2]->kind == ExprKind::If;  // an `else if` chain breaks at every `else`
                    return out + expr(*a[2], inner + 5, indent, IF);
                };
                bool chained = chain_;
                chain_ = false;
                std::string flat = trial(kUnlimited, [&] { return render(false); });
                bool fits = flat.find('\n') == std::string::npos && col + static_cast<int>(flat.size()) <= width_;
                return render(chained || !fits);
            }
            case ExprKind::Block: {
                // Always one item per line: `{ let a = 1; a }` reads worse than the broken form.
                size_t n = e.block.size();
                Items items{n + 1, [&](size_t k) { return k < n ? stmt_span(*e.block[k]) : full(*a[0]); },
                            [&](size_t k, int c) { return k < n ? stmt(*e.block[k], c) : unsigned_start(*a[0], c, c); }};
                return broken("{", "}", e.span.begin, e.span.end, indent, items);
            }
        }
        return e.text;
    }

    Group params(const Stmt& s) {
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
                        out += expr(*p.default_value, c + static_cast<int>(out.size()), ind, IF);
                    }
                    return out;
                }};
    }

    std::string type_ann(const Stmt& s, int col, int indent) {
        return s.type ? ": " + expr(*s.type, col + 2, indent, MUL) : "";
    }

    // Appends " = value" to `head` (a statement printed so far at column `indent`); a value whose
    // first line would not fit starts on the next line, indented.
    std::string assign(std::string head, const Expr& value, int indent) {
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

    std::string stmt(const Stmt& s, int indent) {
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
};

}  // namespace

FormatResult format_source(const std::string& name, const std::string& text, bool color) {
    SourceMap sources;
    uint32_t file = sources.add(name, text);
    ParseResult parsed = parse(sources, file);
    FormatResult result;
    if (!parsed.errors.empty()) {
        for (const Diagnostic& d : parsed.errors) result.errors += render(d, sources, color);
        return result;
    }
    Printer printer(sources.file(file).text, parsed.module.comments);
    result.text = printer.module(parsed.module);
    result.ok = true;
    return result;
}

}  // namespace plan
