// The plan grammar as PEGTL rules. Newlines end statements; inside brackets, after an operator,
// a comma or `=`, they are ordinary whitespace. A line that starts with a binary operator (`+ - *
// / ^ .. == < and or ->`, and `else`) continues the expression above it: each binary rule looks
// for its operator past newlines (`ws`, not `sp`) and backtracks when none is there, so a long
// formula can be broken before its operators. The parser (parser.cpp) turns the parse tree
// into ast::Module.
#pragma once
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include "grammar/codes.hpp"

namespace plan::grammar {
using namespace tao::pegtl;

// ---- nesting: every recursion of the grammar passes through a rule wrapped in nested<>, which
// counts how deep the parse is and refuses a program nested deeper than kMaxNesting, with an
// error at the place (instead of overflowing the C++ stack of this recursive-descent parser).
inline constexpr int kMaxNesting = 256;
inline int& nesting_depth() {
    static thread_local int depth = 0;  // one parse per thread at a time
    return depth;
}
template <typename ParseInput>
[[noreturn]] void raise_too_deep(const ParseInput& in);

template <typename Rule>
struct nested {
    using rule_t = nested;
    using subs_t = type_list<Rule>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
              typename ParseInput, typename... States>
    static bool match(ParseInput& in, States&&... st) {
        struct Level {
            Level() { ++nesting_depth(); }
            ~Level() { --nesting_depth(); }  // also when a syntax error unwinds the parse
        } level;
        if (nesting_depth() > kMaxNesting) raise_too_deep(in);
        return Control<Rule>::template match<A, M, Action, Control>(in, st...);
    }
};

}  // namespace plan::grammar

// For pegtl::analyze (tests/grammar_test.cpp): nested<R> consumes what R does.
template <typename Name, typename Rule>
struct tao::pegtl::analyze_traits<Name, plan::grammar::nested<Rule>> : analyze_traits<Name, typename seq<Rule>::rule_t> {};

namespace plan::grammar {

// ---- whitespace and comments
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct blank : sor<one<' ', '\t', '\r'>, comment> {};
struct sp : star<blank> {};                         // stays on the line
struct ws : star<sor<blank, one<'\n'>>> {};         // may cross lines

// ---- keywords and names
struct kw_let : TAO_PEGTL_KEYWORD("let") {};
struct kw_fn : TAO_PEGTL_KEYWORD("fn") {};
struct kw_model : TAO_PEGTL_KEYWORD("model") {};
struct kw_hardware : TAO_PEGTL_KEYWORD("hardware") {};
struct kw_dimension : TAO_PEGTL_KEYWORD("dimension") {};
struct kw_unit : TAO_PEGTL_KEYWORD("unit") {};
struct kw_use : TAO_PEGTL_KEYWORD("use") {};
struct kw_assert : TAO_PEGTL_KEYWORD("assert") {};
struct kw_print : TAO_PEGTL_KEYWORD("print") {};
struct kw_budget : TAO_PEGTL_KEYWORD("budget") {};
struct kw_constraint : TAO_PEGTL_KEYWORD("constraint") {};
struct kw_if : TAO_PEGTL_KEYWORD("if") {};
struct kw_then : TAO_PEGTL_KEYWORD("then") {};
struct kw_else : TAO_PEGTL_KEYWORD("else") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_with : TAO_PEGTL_KEYWORD("with") {};
struct kw_for : TAO_PEGTL_KEYWORD("for") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_step : TAO_PEGTL_KEYWORD("step") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_prefixes : TAO_PEGTL_KEYWORD("prefixes") {};
struct kw_autoscale : TAO_PEGTL_KEYWORD("autoscale") {};
struct kw_sweep : TAO_PEGTL_KEYWORD("sweep") {};
struct kw_minimize : TAO_PEGTL_KEYWORD("minimize") {};
struct kw_maximize : TAO_PEGTL_KEYWORD("maximize") {};
struct kw_report : TAO_PEGTL_KEYWORD("report") {};
struct keyword : sor<kw_let, kw_fn, kw_model, kw_hardware, kw_dimension, kw_unit, kw_use, kw_assert, kw_print,
                     kw_budget, kw_constraint, kw_if, kw_then, kw_else, kw_and, kw_or, kw_not, kw_with, kw_for,
                     kw_in, kw_step, kw_true, kw_false, kw_prefixes, kw_autoscale, kw_sweep, kw_minimize,
                     kw_maximize, kw_report> {};
struct name : seq<not_at<keyword>, identifier> {};
// A keyword where a name is being defined: say so instead of "expected a name".
struct reserved_name : any {};
struct no_keyword_name : opt<at<keyword, not_at<identifier_other>>, raise<reserved_name>> {};

// ---- literals
struct digits : seq<digit, star<opt<one<'_'>>, digit>> {};
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, digits> {};
struct scale_suffix : seq<one<'k', 'M', 'B', 'T'>, not_at<identifier_other>> {};
// `7B` is seven billion (a count scale, no space); `7 B` is seven bytes.
struct number : seq<digits, opt<one<'.'>, digits>, opt<exponent>, opt<scale_suffix>, opt<one<'%'>>> {};

struct expression;
struct str_escape : seq<one<'\\'>, one<'"', '\\', 'n', 't', '{', '}'>> {};
struct str_text : plus<not_one<'"', '\\', '{', '\n'>> {};
struct str_close_brace : one<'}'> {};
struct str_interp : seq<one<'{'>, ws, must<expression>, ws, must<str_close_brace>> {};
struct str_close : one<'"'> {};
struct string_lit : seq<one<'"'>, star<sor<str_escape, str_interp, str_text>>, must<str_close>> {};
struct bool_lit : sor<kw_true, kw_false> {};

// ---- operators (kept as nodes so the tree knows which one was written)
struct assign : seq<one<'='>, not_at<one<'='>>> {};
struct op_add : one<'+'> {};
struct op_sub : seq<one<'-'>, not_at<one<'>'>>> {};
struct op_mul : seq<one<'*'>, not_at<one<'*'>>> {};
struct op_div : one<'/'> {};
struct op_pow : sor<string<'*', '*'>, one<'^'>> {};
struct op_eq : string<'=', '='> {};
struct op_ne : string<'!', '='> {};
struct op_le : string<'<', '='> {};
struct op_ge : string<'>', '='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct op_cmp : sor<op_eq, op_ne, op_le, op_ge, op_lt, op_gt> {};
struct op_neg : one<'-'> {};
struct op_plus : one<'+'> {};
struct op_arrow : string<'-', '>'> {};
struct op_range : string<'.', '.'> {};

// ---- expressions, lowest precedence last
struct close_paren : one<')'> {};
struct close_bracket : one<']'> {};
struct close_brace : one<'}'> {};
struct paren : seq<one<'('>, ws, must<expression>, ws, must<close_paren>> {};

struct comp_for : seq<kw_for, ws, must<name>, ws, must<kw_in>, ws, must<expression>> {};
struct comp_if : seq<kw_if, ws, must<expression>> {};
// The first item is parsed once and then decides: a `for` after it makes a comprehension, else a
// list. (Trying a comprehension first and re-parsing the item as a list doubled the work at each
// level of `[[[...]]]`.)
struct comprehension : seq<ws, comp_for, opt<ws, comp_if>> {};
struct list_rest : seq<star<ws, one<','>, ws, expression>, opt<ws, one<','>>> {};
struct list_items : seq<expression, sor<comprehension, list_rest>> {};
struct list_lit : seq<one<'['>, ws, opt<list_items>, ws, must<close_bracket>> {};

struct item_sep : sor<seq<sp, one<',', ';'>, ws>, seq<sp, one<'\n'>, ws>> {};
struct field_init : seq<name, sp, must<assign>, ws, must<expression>> {};
struct record_lit : seq<one<'{'>, ws, opt<list<field_init, item_sep>, opt<item_sep>>, ws, no_keyword_name,
                        must<close_brace>> {};

struct let_stmt;
struct block_lets : list<let_stmt, item_sep> {};
struct block : seq<one<'{'>, ws, at<kw_let>, block_lets, must<item_sep>, must<expression>, ws, must<close_brace>> {};

struct if_expr : seq<kw_if, ws, must<expression>, ws, must<kw_then>, ws, must<expression>, ws, must<kw_else>, ws, must<expression>> {};

struct primary : sor<number, string_lit, bool_lit, if_expr, paren, block, record_lit, list_lit, name> {};

struct call_arg_name : seq<name, sp, one<'='>, not_at<one<'='>>> {};
struct call_arg : seq<opt<call_arg_name, ws>, expression> {};
struct call : seq<one<'('>, ws, opt<list<call_arg, seq<ws, one<','>, ws>>, opt<ws, one<','>>>, ws, must<close_paren>> {};
struct field : seq<one<'.'>, not_at<one<'.'>>, must<name>> {};
struct index : seq<one<'['>, ws, must<expression>, ws, must<close_bracket>> {};
// `m with { layers = 40 }`, or `llama { layers = 32 }`: a record with some fields replaced.
struct with_clause : sor<seq<sp, kw_with, ws, must<record_lit>>, seq<sp, at<one<'{'>>, record_lit>> {};
struct postfix : seq<primary, star<sor<call, field, index, with_clause>>> {};

struct unary;
struct pow_rhs;
struct pow_neg : seq<op_neg, sp, nested<pow_rhs>> {};
struct pow_rhs : sor<pow_neg, postfix> {};
struct power : seq<postfix, opt<ws, op_pow, ws, must<pow_rhs>>> {};

// `5 GB`, `1 PFLOP`, `2 B^2`: a number multiplied by the units written after it. Binds tighter
// than `*` and `/`, so `1 PFLOP/s` is (1 PFLOP)/s.
struct kw_log : TAO_PEGTL_KEYWORD("log") {};  // only in `a .. b log n`; log(x) stays a function
struct kw_to : TAO_PEGTL_KEYWORD("to") {};    // only in `report ... to "file"`
struct unit_atom : seq<not_at<kw_log, sp, digit>, not_at<kw_to, sp, one<'"'>>, name, not_at<one<'(', '.'>>, opt<sp, op_pow, ws, must<pow_rhs>>> {};
struct juxtapose : seq<number, plus<sp, unit_atom>> {};

struct prefix_neg : seq<op_neg, sp, nested<must<unary>>> {};
struct prefix_plus : seq<op_plus, sp, nested<must<unary>>> {};
struct unary : sor<prefix_neg, prefix_plus, juxtapose, power> {};
struct multiplicative : seq<unary, star<ws, sor<op_mul, op_div>, ws, must<unary>>> {};
struct additive : seq<multiplicative, star<ws, sor<op_add, op_sub>, ws, must<multiplicative>>> {};
struct range_step : seq<sp, kw_step, ws, must<additive>> {};
// `a .. b log n`: n points evenly spaced in log from a to b (sweeps over sizes and budgets).
struct range_log : seq<sp, kw_log, sp, must<additive>> {};
struct range : seq<additive, opt<ws, op_range, ws, must<additive>, opt<sor<range_step, range_log>>>> {};
struct comparison : seq<range, opt<ws, op_cmp, ws, must<range>>> {};
struct logic_not;
struct prefix_not : seq<kw_not, ws, nested<must<logic_not>>> {};
struct logic_not : sor<prefix_not, comparison> {};
struct logic_and : seq<logic_not, star<ws, kw_and, ws, must<logic_not>>> {};
struct logic_or : seq<logic_and, star<ws, kw_or, ws, must<logic_and>>> {};
struct conversion : seq<logic_or, star<ws, op_arrow, ws, must<multiplicative>>> {};
struct expression : nested<conversion> {};

// ---- statements
struct type_expr : seq<multiplicative> {};
struct type_ann : seq<one<':'>, ws, must<type_expr>> {};
struct let_stmt : seq<kw_let, ws, no_keyword_name, must<name>, sp, opt<type_ann, sp>, must<assign>, ws, must<expression>> {};
struct param : seq<name, sp, opt<type_ann, sp>, opt<assign, ws, must<expression>>> {};
struct params : seq<must<one<'('>>, ws, opt<list<param, seq<ws, one<','>, ws>>, opt<ws, one<','>>>, ws, must<close_paren>> {};
struct fn_stmt : seq<kw_fn, ws, no_keyword_name, must<name>, params, sp, opt<type_ann, sp>, must<assign>, ws, must<expression>> {};
struct record_keyword : sor<kw_model, kw_hardware> {};
struct record_stmt : seq<record_keyword, ws, no_keyword_name, must<name>, sp, must<assign>, ws, must<expression>> {};
struct dimension_stmt : seq<kw_dimension, ws, must<name>, opt<sp, assign, ws, must<type_expr>>> {};
struct prefix_list : seq<kw_prefixes, sp, must<one<'('>>, ws, list_must<name, seq<ws, one<','>, ws>>, ws, must<close_paren>> {};
struct unit_value : seq<assign, ws, must<expression>> {};
// `plural(days)`: another spelling of the unit, valid only where a unit is written (after a
// number, after `->`); it reserves no name. `plural` is a keyword only here.
struct kw_plural : TAO_PEGTL_KEYWORD("plural") {};
struct unit_plural : seq<kw_plural, sp, must<one<'('>>, ws, must<name>, ws, must<close_paren>> {};
struct unit_stmt : seq<kw_unit, ws, must<name>, sp, opt<type_ann, sp>, opt<unit_value, sp>, opt<prefix_list, sp>,
                       opt<unit_plural, sp>, opt<kw_autoscale>> {};
// A module name may be a keyword (`use hardware`); `a::b` is the module b in the folder a.
struct module_segment : identifier {};
struct module_name : seq<identifier, star<two<':'>, must<module_segment>>> {};
struct use_stmt : seq<kw_use, ws, must<module_name>> {};
struct assert_message : seq<sp, one<','>, ws, must<string_lit>> {};
struct assert_stmt : seq<kw_assert, ws, must<expression>, opt<assert_message>> {};
struct comma : seq<sp, one<','>, ws> {};
struct print_stmt : seq<kw_print, ws, must<expression>, star<comma, must<expression>>> {};
struct budget_item : seq<name, sp, must<op_cmp>, ws, must<expression>> {};
struct budget_stmt : seq<kw_budget, sp, opt<name, sp>, must<one<'{'>>, ws, opt<list<budget_item, item_sep>, opt<item_sep>>, ws, must<close_brace>> {};
struct constraint_stmt : seq<kw_constraint, ws, must<expression>> {};
struct expr_stmt : expression {};

// sweep [name] { axes, lets, constraints, objectives, reports }: one loop per axis, in order.
struct axis : seq<name, sp, kw_in, ws, must<expression>> {};
struct objective : seq<sor<kw_minimize, kw_maximize>, ws, must<expression>> {};
struct kw_top : TAO_PEGTL_KEYWORD("top") {};
struct kw_pareto : TAO_PEGTL_KEYWORD("pareto") {};
struct kw_all : TAO_PEGTL_KEYWORD("all") {};
struct report_top : seq<kw_top, sp, must<additive>> {};
// `pareto` alone: the frontier of the objectives; `pareto(x, y, ...)`: of the named columns.
struct pareto_names : seq<one<'('>, ws, must<name>, star<comma, must<name>>, ws, must<close_paren>> {};
struct report_pareto : seq<kw_pareto, opt<sp, pareto_names>> {};
struct report_all : kw_all {};
struct report_kind : sor<report_top, report_pareto, report_all> {};
struct report_file : seq<sp, kw_to, ws, must<string_lit>> {};
struct report : seq<kw_report, ws, must<report_kind>, opt<report_file>> {};
// In a sweep: `budget { items }` bounds the sweep's own axes and lets; `budget NAME` (or `budget`
// alone) applies the top-level budget of that name (or the unnamed one).
struct budget_block : seq<one<'{'>, ws, opt<list<budget_item, item_sep>, opt<item_sep>>, ws, must<close_brace>> {};
struct sweep_budget : seq<kw_budget, opt<sp, name>, opt<sp, budget_block>> {};
struct sweep_item : sor<let_stmt, constraint_stmt, objective, report, sweep_budget, axis> {};
struct sweep_body : seq<must<one<'{'>>, ws, opt<list<sweep_item, item_sep>, opt<item_sep>>, ws, must<close_brace>> {};
struct sweep_stmt : seq<kw_sweep, sp, opt<name, sp>, sweep_body> {};
// let NAME = sweep { ... }: the sweep, named NAME, whose answer NAME holds as a value.
struct sweep_let : seq<kw_let, ws, name, sp, assign, ws, kw_sweep, sp, sweep_body> {};

struct statement : sor<sweep_stmt, sweep_let, let_stmt, fn_stmt, record_stmt, dimension_stmt, unit_stmt, use_stmt, assert_stmt, print_stmt,
                       budget_stmt, constraint_stmt, expr_stmt> {};
struct stmt_end : sor<one<';', '\n'>, eof> {};
// One statement and its terminator: the parser calls this once per statement so that an error
// in one statement does not hide errors in the next.
struct statement_line : seq<statement, sp, must<stmt_end>> {};

// ---- the errors of the rules under must<>: a code (grammar/codes.def) and a message each
struct SyntaxMessage {
    Code code{};
    const char* text = nullptr;  // null: the rule raises nothing
};
template <typename Rule> inline constexpr SyntaxMessage syntax_error{};
template <> inline constexpr SyntaxMessage syntax_error<expression>{Code::ExpectedExpression, "expected an expression"};
template <> inline constexpr SyntaxMessage syntax_error<unary>{Code::ExpectedExpression, "expected an operand"};
template <> inline constexpr SyntaxMessage syntax_error<multiplicative>{Code::ExpectedExpression, "expected an operand"};
template <> inline constexpr SyntaxMessage syntax_error<additive>{Code::ExpectedExpression, "expected an operand"};
template <> inline constexpr SyntaxMessage syntax_error<range>{Code::ExpectedExpression, "expected an operand"};
template <> inline constexpr SyntaxMessage syntax_error<logic_not>{Code::ExpectedExpression, "expected an operand"};
template <> inline constexpr SyntaxMessage syntax_error<logic_and>{Code::ExpectedExpression, "expected an operand"};
template <> inline constexpr SyntaxMessage syntax_error<pow_rhs>{Code::ExpectedExpression, "expected an exponent"};
template <> inline constexpr SyntaxMessage syntax_error<close_paren>{Code::UnclosedBracket, "expected `)`"};
template <> inline constexpr SyntaxMessage syntax_error<close_bracket>{Code::UnclosedBracket, "expected `]`"};
template <> inline constexpr SyntaxMessage syntax_error<close_brace>{Code::UnclosedBracket, "expected `}`"};
template <> inline constexpr SyntaxMessage syntax_error<str_close_brace>{Code::UnclosedInterpolation, "expected `}` to end the interpolation"};
template <> inline constexpr SyntaxMessage syntax_error<str_close>{Code::UnterminatedString, "unterminated string: expected `\"`"};
template <> inline constexpr SyntaxMessage syntax_error<name>{Code::ExpectedName, "expected a name"};
template <> inline constexpr SyntaxMessage syntax_error<module_name>{Code::ExpectedName, "expected a module name"};
template <> inline constexpr SyntaxMessage syntax_error<module_segment>{Code::ExpectedName, "expected a module name after `::`"};
template <> inline constexpr SyntaxMessage syntax_error<reserved_name>{Code::KeywordAsName, "a keyword cannot be used as a name"};
template <> inline constexpr SyntaxMessage syntax_error<report_kind>{Code::ExpectedReportKind, "expected `top N`, `pareto`, `pareto(x, y)` or `all` after `report`"};
template <> inline constexpr SyntaxMessage syntax_error<one<','>>{Code::ExpectedToken, "expected `,`"};
template <> inline constexpr SyntaxMessage syntax_error<assign>{Code::ExpectedToken, "expected `=`"};
template <> inline constexpr SyntaxMessage syntax_error<kw_then>{Code::ExpectedToken, "expected `then`"};
template <> inline constexpr SyntaxMessage syntax_error<kw_else>{Code::ExpectedToken, "expected `else`"};
template <> inline constexpr SyntaxMessage syntax_error<kw_in>{Code::ExpectedToken, "expected `in`"};
template <> inline constexpr SyntaxMessage syntax_error<record_lit>{Code::ExpectedRecord, "expected a record `{ field = value }`"};
template <> inline constexpr SyntaxMessage syntax_error<item_sep>{Code::ExpectedSeparator, "expected a newline or `;`"};
template <> inline constexpr SyntaxMessage syntax_error<type_expr>{Code::ExpectedDimension, "expected a dimension"};
template <> inline constexpr SyntaxMessage syntax_error<one<'('>>{Code::ExpectedToken, "expected `(`"};
template <> inline constexpr SyntaxMessage syntax_error<one<'{'>>{Code::ExpectedToken, "expected `{`"};
template <> inline constexpr SyntaxMessage syntax_error<string_lit>{Code::ExpectedString, "expected a string"};
template <> inline constexpr SyntaxMessage syntax_error<op_cmp>{Code::ExpectedComparison, "expected a comparison (`<=`, `<`, `>=`, `>`, `==`)"};
template <> inline constexpr SyntaxMessage syntax_error<stmt_end>{Code::TrailingInput, "expected the end of the statement (a newline or `;`)"};

// A rule under must<> that fails throws its entry of the table above.
struct SyntaxError : parse_error {
    Code code;
    template <typename ParseInput>
    SyntaxError(SyntaxMessage m, const ParseInput& in) : parse_error(m.text, in), code(m.code) {}
};

template <typename ParseInput>
[[noreturn]] void raise_too_deep(const ParseInput& in) {
    static_assert(kMaxNesting == 256, "the message below states the limit");
    throw SyntaxError({Code::NestedTooDeeply, "nested too deeply: more than 256 levels of brackets and prefix operators"}, in);
}

template <typename Rule>
struct control : normal<Rule> {
    template <typename ParseInput, typename... States>
    [[noreturn]] static void raise(const ParseInput& in, States&&...) {
        static_assert(syntax_error<Rule>.text != nullptr, "a rule under must<> needs an entry in the table of syntax errors");
        throw SyntaxError(syntax_error<Rule>, in);
    }
};

}  // namespace plan::grammar
