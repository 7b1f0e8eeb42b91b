#include "grammar/parser.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "grammar/grammar.hpp"
#include "grammar/syntax_mistakes.hpp"

namespace plan {
namespace {

namespace g = grammar;
namespace pt = tao::pegtl::parse_tree;
using Node = pt::node;
using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;
using ast::Stmt;
using ast::StmtKind;
using ast::StmtPtr;

template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<g::number, g::string_lit, g::str_text, g::str_escape, g::str_interp, g::bool_lit, g::name, g::module_name,
                          g::op_add, g::op_sub, g::op_mul, g::op_div, g::op_pow, g::op_eq, g::op_ne, g::op_le,
                          g::op_ge, g::op_lt, g::op_gt, g::op_neg, g::op_plus, g::op_arrow, g::op_range, g::kw_not,
                          g::kw_and, g::kw_or, g::list_lit, g::comprehension, g::comp_if, g::record_lit,
                          g::field_init, g::block, g::if_expr, g::call, g::call_arg, g::call_arg_name, g::field,
                          g::index, g::with_clause, g::juxtapose, g::range_step, g::type_ann, g::let_stmt,
                          g::param, g::fn_stmt, g::record_keyword, g::record_stmt, g::dimension_stmt,
                          g::prefix_list, g::unit_plural, g::unit_value, g::kw_autoscale, g::unit_stmt, g::use_stmt,
                          g::assert_message, g::assert_stmt, g::print_stmt, g::budget_item, g::budget_stmt,
                          g::constraint_stmt, g::expr_stmt, g::range_log, g::sweep_stmt, g::sweep_let, g::axis, g::objective,
                          g::kw_minimize, g::kw_maximize, g::report, g::report_top, g::report_pareto,
                          g::report_all, g::report_file, g::pareto_names, g::sweep_budget, g::budget_block>,
    pt::fold_one::on<g::postfix, g::power, g::pow_rhs, g::unit_atom, g::unary, g::multiplicative, g::additive,
                     g::range, g::comparison, g::logic_not, g::logic_and, g::logic_or, g::conversion>>;

class Builder {
public:
    explicit Builder(uint32_t file) : file_(file) {}

    Span span(const Node& n) const {
        // fold_one keeps a node with several children but drops its end: take the last child's.
        const Node* last = &n;
        while (!last->has_content() && !last->children.empty()) last = last->children.back().get();
        return {file_, static_cast<uint32_t>(n.m_begin.byte), static_cast<uint32_t>(last->m_end.byte)};
    }

    ExprPtr make(ExprKind kind, Span s) const {
        auto e = std::make_unique<Expr>();
        e->kind = kind;
        e->span = s;
        return e;
    }

    // The value of a literal, its scale suffix and `%` applied; a value that a double cannot hold
    // (overflow to infinity, or a nonzero literal that would round to zero or lose precision as
    // a subnormal) is an error, never inf or 0.
    static double number_value(std::string_view lexeme, const Span& at) {
        std::string digits;
        double scale = 1;
        for (char c : lexeme) {
            switch (c) {
                case '_': break;
                case 'k': scale *= 1e3; break;
                case 'M': scale *= 1e6; break;
                case 'B': scale *= 1e9; break;
                case 'T': scale *= 1e12; break;
                case '%': scale /= 100; break;
                default: digits += c;
            }
        }
        double value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        bool nonzero = digits.find_first_of("123456789") < digits.find_first_of("eE");
        double scaled = value * scale;
        if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(scaled) ||
            (nonzero && !std::isnormal(scaled))) {
            Diagnostic d(Code::NumberOutOfRange);
            d.message = "this number is outside the range of a double";
            d.labels.push_back({at, ""});
            d.help = "doubles hold magnitudes from about 2.2e-308 to 1.8e308";
            throw DiagnosticError{std::move(d)};
        }
        return scaled;
    }

    // Counts the depth of the tree being built: every stage after the parser walks expressions
    // recursively, so an expression deeper than kMaxDepth (a 2000-term sum is 2000 deep) is
    // refused here, before it is built.
    static constexpr size_t kMaxDepth = 1000;
    void enter(size_t levels, const Span& at) const {
        if (depth_ + levels <= kMaxDepth) return;
        Diagnostic d(Code::NestedTooDeeply);
        d.message = fmt::format("nested too deeply: this expression is more than {} levels deep", kMaxDepth);
        d.labels.push_back({at, ""});
        d.help = "each operator of a chain such as `a + b + c` is a level: name parts with `let`, or sum a list";
        throw DiagnosticError{std::move(d)};
    }
    // While it lives, the tree being built is `levels` deeper.
    struct Deeper {
        Deeper(Builder& b, size_t levels, const Span& at) : b(b), levels(levels) {
            b.enter(levels, at);
            b.depth_ += levels;
        }
        ~Deeper() { b.depth_ -= levels; }
        Builder& b;
        size_t levels;
    };
    // The expression of a node `levels` below the current one.
    ExprPtr expr_below(const Node& n, size_t levels) {
        Deeper deeper(*this, levels, span(n));
        return build(n);
    }
    ExprPtr expr(const Node& n) { return expr_below(n, 1); }

    ExprPtr binary(std::string op, ExprPtr lhs, ExprPtr rhs) const {
        auto e = make(ExprKind::Binary, lhs->span.to(rhs->span));
        e->text = std::move(op);
        e->args.push_back(std::move(lhs));
        e->args.push_back(std::move(rhs));
        return e;
    }

    // [operand, op, operand, op, operand ...] folded to the left: with k operators the first
    // operand is k levels down, the j-th (j >= 1) k - j + 1.
    ExprPtr fold_left(const Node& n) {
        size_t k = (n.children.size() - 1) / 2;
        ExprPtr acc = expr_below(*n.children[0], k);
        for (size_t i = 1; i + 1 < n.children.size(); i += 2) {
            std::string op = n.children[i]->string();
            if (op == "**") op = "^";
            acc = binary(op, std::move(acc), expr_below(*n.children[i + 1], k - (i + 1) / 2 + 1));
        }
        return acc;
    }

    ExprPtr build(const Node& n) {
        Span s = span(n);
        if (n.is_type<g::number>()) {
            auto e = make(ExprKind::Number, s);
            e->text = n.string();
            e->number = number_value(e->text, s);
            return e;
        }
        if (n.is_type<g::string_lit>()) return string_literal(n);
        if (n.is_type<g::bool_lit>()) {
            auto e = make(ExprKind::Bool, s);
            e->number = n.string_view() == "true" ? 1 : 0;
            e->text = n.string();
            return e;
        }
        if (n.is_type<g::name>()) {
            auto e = make(ExprKind::Name, s);
            e->text = n.string();
            return e;
        }
        if (n.is_type<g::list_lit>()) return list(n);
        if (n.is_type<g::record_lit>()) return record(n);
        if (n.is_type<g::block>()) {
            auto e = make(ExprKind::Block, s);
            for (size_t i = 0; i + 1 < n.children.size(); ++i) e->block.push_back(statement(*n.children[i]));
            e->args.push_back(expr(*n.children.back()));
            return e;
        }
        if (n.is_type<g::if_expr>()) {
            auto e = make(ExprKind::If, s);
            for (auto& c : n.children) e->args.push_back(expr(*c));
            return e;
        }
        if (n.is_type<g::postfix>()) return postfix(n);
        if (n.is_type<g::power>() || n.is_type<g::unit_atom>()) {
            // [base, op_pow, exponent]; a unit_atom with an exponent has the same shape
            return binary("^", expr(*n.children[0]), expr(*n.children[2]));
        }
        if (n.is_type<g::pow_rhs>() || n.is_type<g::unary>()) {
            auto e = make(ExprKind::Unary, s);
            e->text = n.children[0]->string();
            e->args.push_back(expr(*n.children[1]));
            return e;
        }
        if (n.is_type<g::juxtapose>()) {
            auto e = make(ExprKind::Juxtapose, s);
            for (auto& c : n.children) e->args.push_back(expr(*c));
            return e;
        }
        if (n.is_type<g::multiplicative>() || n.is_type<g::additive>() || n.is_type<g::logic_and>() ||
            n.is_type<g::logic_or>() || n.is_type<g::comparison>()) {
            return fold_left(n);
        }
        if (n.is_type<g::logic_not>()) {
            auto e = make(ExprKind::Unary, s);
            e->text = "not";
            e->args.push_back(expr(*n.children[1]));
            return e;
        }
        if (n.is_type<g::range>()) {
            auto e = make(ExprKind::Range, s);
            e->args.push_back(expr(*n.children[0]));
            e->args.push_back(expr(*n.children[2]));
            if (n.children.size() > 3) {
                if (n.children[3]->is_type<g::range_log>()) e->text = "log";
                e->args.push_back(expr(*n.children[3]->children[0]));
            }
            return e;
        }
        if (n.is_type<g::conversion>()) {  // folded to the left as fold_left does
            size_t k = n.children.size() / 2;
            ExprPtr acc = expr_below(*n.children[0], k);
            for (size_t i = 2; i < n.children.size(); i += 2) {
                ExprPtr target = expr_below(*n.children[i], k - i / 2 + 1);
                auto e = make(ExprKind::Convert, acc->span.to(target->span));
                e->args.push_back(std::move(acc));
                e->args.push_back(std::move(target));
                acc = std::move(e);
            }
            return acc;
        }
        if (n.is_type<g::expr_stmt>()) return expr(*n.children[0]);
        throw std::logic_error("parser: unexpected node " + std::string(n.type));
    }

    ExprPtr string_literal(const Node& n) {
        auto e = make(ExprKind::String, span(n));
        for (auto& c : n.children) {
            if (c->is_type<g::str_interp>()) {
                e->parts.push_back({"", expr(*c->children[0])});
                continue;
            }
            std::string text = c->string();
            if (c->is_type<g::str_escape>()) {
                char k = text[1];
                text = k == 'n' ? "\n" : k == 't' ? "\t" : std::string(1, k);
            }
            if (!e->parts.empty() && !e->parts.back().expr)
                e->parts.back().text += text;
            else
                e->parts.push_back({text, nullptr});
        }
        return e;
    }

    ExprPtr list(const Node& n) {
        if (n.children.size() == 2 && n.children[1]->is_type<g::comprehension>()) {
            // [element, comprehension]; comprehension children: name (from comp_for), iterable, [comp_if]
            const Node& c = *n.children[1];
            auto e = make(ExprKind::Comprehension, span(n));
            e->args.push_back(expr(*n.children[0]));
            e->text = c.children[0]->string();
            e->name_spans.push_back(span(*c.children[0]));
            e->args.push_back(expr(*c.children[1]));
            if (c.children.size() > 2) e->args.push_back(expr(*c.children[2]->children[0]));
            return e;
        }
        auto e = make(ExprKind::List, span(n));
        for (auto& c : n.children) e->args.push_back(expr(*c));
        return e;
    }

    ExprPtr record(const Node& n) {
        auto e = make(ExprKind::Record, span(n));
        for (auto& f : n.children) {
            e->names.push_back(f->children[0]->string());
            e->name_spans.push_back(span(*f->children[0]));
            e->args.push_back(expr(*f->children[1]));
        }
        return e;
    }

    // Left-deep like fold_left: with m suffixes the primary is m levels down, the i-th suffix's
    // node m - i + 1 (its arguments one more).
    ExprPtr postfix(const Node& n) {
        size_t m = n.children.size() - 1;
        ExprPtr acc = expr_below(*n.children[0], m);
        for (size_t i = 1; i < n.children.size(); ++i) {
            const Node& op = *n.children[i];
            Deeper deeper(*this, m - i, span(op));
            Span s = acc->span.to(span(op));
            if (op.is_type<g::call>()) {
                auto e = make(ExprKind::Call, s);
                e->args.push_back(std::move(acc));
                for (auto& arg : op.children) {
                    if (arg->children.size() == 2) {
                        e->names.push_back(arg->children[0]->children[0]->string());
                        e->name_spans.push_back(span(*arg->children[0]->children[0]));
                    } else {
                        e->names.emplace_back();
                        e->name_spans.push_back(span(*arg));
                    }
                    e->args.push_back(expr(*arg->children.back()));
                }
                acc = std::move(e);
            } else if (op.is_type<g::field>()) {
                auto e = make(ExprKind::Field, s);
                e->text = op.children[0]->string();
                e->name_spans.push_back(span(*op.children[0]));
                e->args.push_back(std::move(acc));
                acc = std::move(e);
            } else if (op.is_type<g::index>()) {
                auto e = make(ExprKind::Index, s);
                e->args.push_back(std::move(acc));
                e->args.push_back(expr(*op.children[0]));
                acc = std::move(e);
            } else {  // with_clause; text says whether `with` was written
                auto e = make(ExprKind::With, s);
                std::string_view written = op.string_view();
                written.remove_prefix(std::min(written.find_first_not_of(" \t"), written.size()));
                e->text = written.substr(0, 4) == "with" ? "with" : "";
                e->args.push_back(std::move(acc));
                e->args.push_back(record(*op.children[0]));
                acc = std::move(e);
            }
        }
        return acc;
    }

    StmtPtr stmt(StmtKind kind, const Node& n) const {
        auto s = std::make_unique<Stmt>();
        s->kind = kind;
        s->span = span(n);
        return s;
    }

    void set_name(Stmt& s, const Node& name) const {
        s.name = name.string();
        s.name_span = span(name);
    }

    // Children of a let/fn/record statement after the name: [type_ann] value.
    void typed_value(Stmt& s, const Node& n, size_t from) {
        for (size_t i = from; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (c.is_type<g::type_ann>())
                s.type = expr(*c.children[0]);
            else
                s.value = expr(c);
        }
    }

    // Dispatches on the kind of statement; each kind is built by the function of its name.
    StmtPtr statement(const Node& n) {
        if (n.is_type<g::let_stmt>()) return let_statement(n);
        if (n.is_type<g::record_stmt>()) return record_statement(n);
        if (n.is_type<g::fn_stmt>()) return fn_statement(n);
        if (n.is_type<g::dimension_stmt>()) return dimension_statement(n);
        if (n.is_type<g::unit_stmt>()) return unit_statement(n);
        if (n.is_type<g::use_stmt>()) return use_statement(n);
        if (n.is_type<g::assert_stmt>()) return assert_statement(n);
        if (n.is_type<g::print_stmt>()) return print_statement(n);
        if (n.is_type<g::budget_stmt>()) return budget_statement(n);
        if (n.is_type<g::sweep_budget>()) return sweep_budget(n);
        if (n.is_type<g::sweep_stmt>()) return sweep_statement(n);
        if (n.is_type<g::sweep_let>()) {
            StmtPtr s = sweep_statement(n);
            s->keyword = "let";
            return s;
        }
        if (n.is_type<g::axis>()) return axis(n);
        if (n.is_type<g::objective>()) return objective(n);
        if (n.is_type<g::report>()) return report(n);
        if (n.is_type<g::constraint_stmt>()) return constraint_statement(n);
        if (n.is_type<g::expr_stmt>()) return expression_statement(n);
        throw std::logic_error("parser: unexpected statement " + std::string(n.type));
    }

    StmtPtr let_statement(const Node& n) {
        auto s = stmt(StmtKind::Let, n);
        s->keyword = "let";
        set_name(*s, *n.children[0]);
        typed_value(*s, n, 1);
        return s;
    }

    // `model NAME = ...` and `hardware NAME = ...`: a let whose keyword says what it defines.
    StmtPtr record_statement(const Node& n) {
        auto s = stmt(StmtKind::Let, n);
        s->keyword = n.children[0]->string();
        set_name(*s, *n.children[1]);
        typed_value(*s, n, 2);
        return s;
    }

    StmtPtr fn_statement(const Node& n) {
        auto s = stmt(StmtKind::Fn, n);
        s->keyword = "fn";
        set_name(*s, *n.children[0]);
        size_t i = 1;
        for (; i < n.children.size() && n.children[i]->is_type<g::param>(); ++i) s->params.push_back(param(*n.children[i]));
        typed_value(*s, n, i);
        return s;
    }

    // name [: type] [= default]
    ast::Param param(const Node& p) {
        ast::Param out{p.children[0]->string(), span(*p.children[0]), nullptr, nullptr};
        for (size_t k = 1; k < p.children.size(); ++k) {
            if (p.children[k]->is_type<g::type_ann>())
                out.type = expr(*p.children[k]->children[0]);
            else
                out.default_value = expr(*p.children[k]);
        }
        return out;
    }

    StmtPtr dimension_statement(const Node& n) {
        auto s = stmt(StmtKind::Dimension, n);
        s->keyword = "dimension";
        set_name(*s, *n.children[0]);
        if (n.children.size() > 1) s->type = expr(*n.children[1]);
        return s;
    }

    StmtPtr unit_statement(const Node& n) {
        auto s = stmt(StmtKind::Unit, n);
        s->span.end = span(*n.children.back()).end;  // not the blanks and comment after it
        s->keyword = "unit";
        set_name(*s, *n.children[0]);
        for (size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (c.is_type<g::type_ann>())
                s->type = expr(*c.children[0]);
            else if (c.is_type<g::unit_value>())
                s->value = expr(*c.children[0]);
            else if (c.is_type<g::prefix_list>())
                for (auto& p : c.children) s->prefixes.push_back(p->string());
            else if (c.is_type<g::unit_plural>())
                s->plural = c.children[0]->string();
            else
                s->autoscale = true;
        }
        return s;
    }

    StmtPtr use_statement(const Node& n) {
        auto s = stmt(StmtKind::Use, n);
        s->keyword = "use";
        set_name(*s, *n.children[0]);
        return s;
    }

    StmtPtr assert_statement(const Node& n) {
        auto s = stmt(StmtKind::Assert, n);
        s->keyword = "assert";
        s->value = expr(*n.children[0]);
        if (n.children.size() > 1) s->message = string_literal(*n.children[1]->children[0]);
        return s;
    }

    StmtPtr print_statement(const Node& n) {
        auto s = stmt(StmtKind::Print, n);
        s->keyword = "print";
        for (auto& c : n.children) s->values.push_back(expr(*c));
        return s;
    }

    // name op bound
    ast::BudgetItem budget_item(const Node& item) {
        return {item.children[0]->string(), span(*item.children[0]), item.children[1]->string(), expr(*item.children[2])};
    }

    // budget [NAME] { items }
    StmtPtr budget_statement(const Node& n) {
        auto s = stmt(StmtKind::Budget, n);
        s->keyword = "budget";
        for (auto& c : n.children) {
            if (c->is_type<g::name>())
                set_name(*s, *c);
            else
                s->items.push_back(budget_item(*c));
        }
        return s;
    }

    // In a sweep: `budget { items }` (its own limits) or `budget [NAME]` (a top-level budget applied).
    StmtPtr sweep_budget(const Node& n) {
        auto s = stmt(StmtKind::Budget, n);
        s->keyword = "budget";
        s->reference = true;
        for (auto& c : n.children) {
            if (c->is_type<g::name>()) {
                set_name(*s, *c);
                continue;
            }
            s->reference = false;  // a block
            for (auto& item : c->children) s->items.push_back(budget_item(*item));
        }
        return s;
    }

    StmtPtr sweep_statement(const Node& n) {
        auto s = stmt(StmtKind::Sweep, n);
        s->keyword = "sweep";
        for (auto& c : n.children) {
            if (c->is_type<g::name>())
                set_name(*s, *c);
            else
                s->body.push_back(statement(*c));
        }
        return s;
    }

    StmtPtr axis(const Node& n) {
        auto s = stmt(StmtKind::Axis, n);
        set_name(*s, *n.children[0]);
        s->value = expr(*n.children[1]);
        return s;
    }

    StmtPtr objective(const Node& n) {
        auto s = stmt(StmtKind::Objective, n);
        s->keyword = n.children[0]->string();
        s->value = expr(*n.children[1]);
        return s;
    }

    // report top N | pareto [(names)] | all, [to "FILE"]
    StmtPtr report(const Node& n) {
        auto s = stmt(StmtKind::Report, n);
        const Node& kind = *n.children[0];
        if (kind.is_type<g::report_top>()) {
            s->keyword = "top";
            s->values.push_back(expr(*kind.children[0]));
        } else if (kind.is_type<g::report_pareto>()) {
            s->keyword = "pareto";
            for (auto& names : kind.children)
                for (auto& c : names->children) s->values.push_back(expr(*c));
        } else {
            s->keyword = "all";
        }
        if (n.children.size() > 1) s->message = string_literal(*n.children[1]->children[0]);
        return s;
    }

    StmtPtr constraint_statement(const Node& n) {
        auto s = stmt(StmtKind::Constraint, n);
        s->keyword = "constraint";
        s->value = expr(*n.children[0]);
        return s;
    }

    StmtPtr expression_statement(const Node& n) {
        auto s = stmt(StmtKind::Expression, n);
        s->value = expr(*n.children[0]);
        return s;
    }

private:
    uint32_t file_;
    size_t depth_ = 0;  // of the expression being built
};

// Far above any real program; keeps byte offsets well inside uint32_t and parse time bounded.
constexpr size_t kMaxSourceBytes = size_t{16} << 20;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Comments are whitespace to the grammar; the formatter needs them back, so collect them here.
std::vector<ast::Comment> scan_comments(const std::string& text, uint32_t file) {
    std::vector<ast::Comment> comments;
    bool in_string = false;
    bool line_blank = true;
    for (uint32_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"' || c == '\n') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        if (c == '#') {
            uint32_t end = i;
            while (end < text.size() && text[end] != '\n') ++end;
            std::string body = text.substr(i, end - i);
            while (!body.empty() && is_blank(body.back())) body.pop_back();
            comments.push_back({{file, i, end}, body, line_blank});
            i = end;
            c = '\n';
        }
        if (c == '\n') line_blank = true;
        else if (!is_blank(c)) line_blank = false;
    }
    return comments;
}

// After an error, resume at the next line that starts at column 1 with something that can
// begin a statement.
uint32_t recover(const std::string& text, uint32_t at) {
    uint32_t i = at;
    while (true) {
        while (i < text.size() && text[i] != '\n') ++i;
        if (i >= text.size()) return static_cast<uint32_t>(text.size());
        ++i;
        if (i < text.size() && !is_blank(text[i]) && text[i] != '\n' && text[i] != '}' && text[i] != ')' &&
            text[i] != ']')
            return i;
    }
}

}  // namespace

ParseResult parse(const SourceMap& sources, uint32_t file) {
    const SourceFile& src = sources.file(file);
    const std::string& text = src.text;
    ParseResult result;
    result.module.file = file;
    result.module.comments = scan_comments(text, file);
    if (text.size() > kMaxSourceBytes) {
        Diagnostic d(Code::SourceTooLarge);
        // No label: its line would be printed, and the line may be the whole file.
        d.message = fmt::format("{} is {} bytes; the limit for a source is {} (16 MiB)", src.name, text.size(), kMaxSourceBytes);
        d.help = "data belong in CSV or JSON files, which their readers load";
        result.errors.push_back(std::move(d));
        return result;
    }
    Builder builder(file);
    uint32_t pos = 0;
    while (true) {
        // Skip blank lines and comments between statements; `##` lines right above one are its doc.
        std::string doc;
        bool line_empty = pos == 0 || text[pos - 1] == '\n';
        while (pos < text.size()) {
            char c = text[pos];
            if (is_blank(c) || c == '\n' || c == ';') {
                if (c == '\n' && line_empty) doc.clear();  // a blank line ends a doc comment
                line_empty = c == '\n' || (line_empty && is_blank(c));
                ++pos;
            } else if (c == '#') {
                uint32_t end = pos;
                while (end < text.size() && text[end] != '\n') ++end;
                std::string_view line(text.data() + pos, end - pos);
                if (line.substr(0, 2) == "##") {
                    std::string_view body = line.substr(2);
                    if (!body.empty() && body[0] == ' ') body.remove_prefix(1);
                    doc += std::string(body) + "\n";
                }  // a plain comment between `##` lines and the statement does not end the doc
                line_empty = false;
                pos = end;
            } else {
                break;
            }
        }
        if (pos >= text.size()) break;
        LineCol lc = src.locate(pos);
        tao::pegtl::memory_input<> in(text.data() + pos, text.data() + text.size(), src.name, pos, lc.line, lc.column);
        try {
            auto root = pt::parse<g::statement_line, selector, tao::pegtl::nothing, g::control>(in);
            if (!root || root->children.empty()) {
                // A continuation line whose operator cannot continue the expression above.
                bool after_expression = !result.module.stmts.empty() &&
                                        (result.module.stmts.back()->value || !result.module.stmts.back()->values.empty());
                std::optional<Diagnostic> chained =
                    after_expression ? common_mistake(Code::TrailingInput, text, pos, pos, file) : std::nullopt;
                if (chained) {
                    result.errors.push_back(std::move(*chained));
                    pos = recover(text, pos);
                    continue;
                }
                Diagnostic d(Code::ExpectedStatement);
                d.message = "expected a statement";
                uint32_t end = pos;
                while (end < text.size() && text[end] != '\n' && !is_blank(text[end])) ++end;
                d.labels.push_back({{file, pos, std::max(end, pos + 1)}, "not the start of a statement or expression"});
                result.errors.push_back(std::move(d));
                pos = recover(text, pos);
                continue;
            }
            StmtPtr s;
            try {
                s = builder.statement(*root->children[0]);
            } catch (DiagnosticError& e) {  // a literal out of range, an expression too deep
                result.errors.push_back(std::move(e.diagnostic));
                pos = static_cast<uint32_t>(in.byte());
                continue;
            }
            if (!doc.empty()) {
                doc.pop_back();
                s->doc = std::move(doc);
            }
            result.module.stmts.push_back(std::move(s));
            pos = static_cast<uint32_t>(in.byte());
        } catch (const g::SyntaxError& e) {
            uint32_t at = static_cast<uint32_t>(e.positions().front().byte);
            if (std::optional<Diagnostic> d = common_mistake(e.code, text, pos, at, file)) {
                result.errors.push_back(std::move(*d));
                pos = recover(text, at);
                continue;
            }
            // An error found on a later line (after `1 +` and a newline, or at the end of the
            // file) belongs at the end of the last token, where something is missing.
            uint32_t back = at;
            while (back > pos && (is_blank(text[back - 1]) || text[back - 1] == '\n')) --back;
            if (text.find('\n', back) < at || (at >= text.size() && back < at)) at = back;
            Diagnostic d(e.code);
            d.message = std::string(e.message());
            uint32_t end = at < text.size() && text[at] != '\n' ? at + 1 : at;
            d.labels.push_back({{file, at, end}, ""});
            if (d.code == Code::UnterminatedString) d.help = "close the string with `\"` on the same line";
            if (d.code == Code::KeywordAsName) {
                uint32_t end = at;
                while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
                d.labels[0].span.end = end;
                d.labels[0].text = "reserved";
                d.help = "choose another name, e.g. `" + text.substr(at, end - at) + "_`";
            }
            result.errors.push_back(std::move(d));
            pos = recover(text, at);
        }
    }
    return result;
}

}  // namespace plan
