// `plan fmt`'s expressions: each printed at the binding level its place needs (parentheses where
// it binds weaker), on one line when it fits, its groups broken one item per line otherwise, and
// the line breaks written before an operator kept (the layout model: formatter.cpp).
#include <algorithm>

#include "grammar/formatter_printer.hpp"

namespace plan::format {

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

std::string Printer::record(const Expr& e, int col, int indent) {
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
std::string Printer::expr(const Expr& e, int col, int indent, int min_level) {
    if (width_ != kUnlimited || chain_) return parenthesized(e, col, indent, min_level);
    auto key = std::make_pair(&e, min_level);
    if (auto found = one_line_.find(key); found != one_line_.end()) return found->second;
    std::string out = parenthesized(e, col, indent, min_level);
    if (out.find('\n') == std::string::npos) one_line_.emplace(key, out);
    return out;
}

std::string Printer::parenthesized(const Expr& e, int col, int indent, int min_level) {
    if (level(e) < min_level) return "(" + expr(e, col + 1, indent, IF) + ")";
    return bare(e, col, indent);
}

// The exponent of `^`: the grammar allows a chain of unary minuses over a postfix there.
std::string Printer::exponent(const Expr& e, int col, int indent) {
    if (e.kind == ExprKind::Unary && e.text == "-") return "-" + exponent(*e.args[0], col + 1, indent);
    return expr(e, col, indent, POSTFIX);
}

std::string Printer::string_lit(const Expr& e, int col, int indent) {
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
bool Printer::written_broken(const Expr& lhs, const Expr& rhs) const {
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
std::string Printer::unsigned_start(const Expr& e, int col, int indent) {
    std::string text = trial(width_, [&] { return expr(e, col, indent, IF); });
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) return "(" + expr(e, col + 1, indent, IF) + ")";
    return expr(e, col, indent, IF);
}

// The comments between `lhs` and the operator that starts a continuation line: one on the
// line where `lhs` ends stays at its end; one on a line of its own stays on its own line,
// indented like the continuation.
std::string Printer::comments_after(const Expr& lhs, const Expr& rhs, int indent) {
    uint32_t from = full(lhs).end;
    std::string out;
    for (size_t i : take(from, full(rhs).begin)) {
        const ast::Comment& c = comments_[i];
        if (newlines(from, c.span.begin) == 0) out += "  " + c.text;
        else out += "\n" + std::string(static_cast<size_t>(indent + kIndent), ' ') + c.text;
    }
    return out;
}

std::string Printer::continued(const std::string& lhs, const std::string& op, const Expr& rhs, int indent, int min_level) {
    int inner = indent + kIndent;
    std::string head = "\n" + std::string(static_cast<size_t>(inner), ' ') + op + " ";
    return lhs + head + expr(rhs, inner + static_cast<int>(op.size()) + 1, inner, min_level);
}

bool Printer::is_unit(const Expr& e) {
    return e.kind == ExprKind::Name ||
           (e.kind == ExprKind::Binary && e.text == "^" && e.args[0]->kind == ExprKind::Name);
}

bool Printer::tight_division(const Expr& e) {
    if (e.kind != ExprKind::Binary || e.text != "/" || !is_unit(*e.args[1])) return false;
    const Expr& l = *e.args[0];
    return l.kind == ExprKind::Juxtapose || tight_division(l);
}

// A conversion target made only of units, printed tight: `GB/s`, `USD/(GPU*h)`; "" otherwise.
std::string Printer::unit_text(const Expr& e) {
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

std::string Printer::bare(const Expr& e, int col, int indent) {
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
            // A list of one list (a parameter's rule on a list's items, `[["q", "k"]]`) holds its
            // brackets together: broken, the inner list's items go one per line between `[[` and `]]`.
            if (a.size() == 1 && a[0]->kind == ExprKind::List && !has_comment(e.span.begin, full(*a[0]).begin) &&
                !has_comment(full(*a[0]).end, e.span.end))
                return "[" + expr(*a[0], col + 1, indent, IF) + "]";
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

}  // namespace plan::format
