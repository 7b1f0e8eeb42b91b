// Internal to the formatter (formatter.cpp: layout, comments and statements; formatter_expr.cpp:
// expressions): the printer both halves define.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "grammar/ast.hpp"

namespace plan::format {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

inline constexpr int kWidth = 100;
inline constexpr int kIndent = 4;
inline constexpr int kUnlimited = 1 << 29;

// Binding strength of what an expression prints as, weakest first (grammar.hpp, bottom up).
// `if` is weakest of all: its else branch runs to the end of the expression, so it needs
// parentheses wherever anything could follow it.
enum Level { IF = -1, CONVERT, OR, AND, NOT, CMP, RANGE, ADD, MUL, UNARY, POW, POSTFIX, PRIMARY };
int level(const Expr& e);
// Minimum levels of the left and right operands of a binary operator (not `^`).
std::pair<int, int> operand_levels(const std::string& op);
// The source extent of an expression (see formatter.cpp).
Span full(const Expr& e);
// The column after `text` when it starts at column `col`.
int end_col(int col, const std::string& text);
std::string escape(const std::string& text);

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

    std::string module(const ast::Module& m);

private:
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

    // Comments and layout (formatter.cpp).
    size_t first_comment(uint32_t begin) const;
    bool has_comment(uint32_t begin, uint32_t end) const;
    std::vector<size_t> take(uint32_t begin, uint32_t end);
    Span stmt_span(const Stmt& s) const;
    size_t newlines(uint32_t begin, uint32_t end) const;
    std::vector<std::string> lines(uint32_t begin, uint32_t end, int pad, const Items& items);
    std::string broken(const std::string& open, const std::string& close, uint32_t begin, uint32_t end, int indent,
                       const Items& items);
    std::string trial(int width, const std::function<std::string()>& render);
    std::string group(const Group& g, int col, int indent, bool force_break = false);

    // Expressions (formatter_expr.cpp).
    std::string record(const Expr& e, int col, int indent);
    std::string expr(const Expr& e, int col, int indent, int min_level);
    std::string parenthesized(const Expr& e, int col, int indent, int min_level);
    std::string exponent(const Expr& e, int col, int indent);
    std::string string_lit(const Expr& e, int col, int indent);
    bool written_broken(const Expr& lhs, const Expr& rhs) const;
    std::string unsigned_start(const Expr& e, int col, int indent);
    std::string comments_after(const Expr& lhs, const Expr& rhs, int indent);
    std::string continued(const std::string& lhs, const std::string& op, const Expr& rhs, int indent, int min_level);
    static bool is_unit(const Expr& e);
    static bool tight_division(const Expr& e);
    std::string unit_text(const Expr& e);
    std::string bare(const Expr& e, int col, int indent);

    // Statements (formatter.cpp).
    Group params(const Stmt& s);
    std::string type_ann(const Stmt& s, int col, int indent);
    std::string assign(std::string head, const Expr& value, int indent);
    std::string stmt(const Stmt& s, int indent);

    const std::string& src_;
    const std::vector<ast::Comment>& comments_;
    std::vector<bool> used_;
    int width_ = kWidth;  // kUnlimited while trying a group on one line
    std::map<std::pair<const Expr*, int>, std::string> one_line_;  // expr() at kUnlimited, by minimum level
    bool chain_ = false;  // the `if` printed next is the `else` branch of a broken `if`
    bool in_string_ = false;  // inside a string's interpolation: nothing breaks
};

}  // namespace plan::format
