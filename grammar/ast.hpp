// The syntax tree the parser builds: plain data with spans, no semantics.
// The checker turns it into a typed tree (interpreter/checked.hpp); the formatter prints it back.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "grammar/source.hpp"

namespace plan::ast {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

enum class ExprKind {
    Number,         // text = lexeme as written, number = value (scale suffix and % applied)
    String,         // parts: literal text and interpolated expressions
    Bool,           // number = 1 or 0
    Name,           // text = identifier
    Unary,          // text = "-" | "+" | "not"; args[0]
    Binary,         // text = operator ("+", "*", "^", "<=", "and", ...); args[0], args[1]
    Juxtapose,      // implicit product of a number and units: `5 GB`; args = [number, unit, unit...]
    Convert,        // args[0] -> args[1] (a unit expression)
    Call,           // args[0] = callee; args[1..] = arguments; names[i] = name of argument i+1 or ""
    Field,          // args[0].text
    Index,          // args[0][args[1]]
    With,           // args[0] with args[1] (a Record); text "with", or "" for `llama { ... }`
    List,           // args = elements
    Comprehension,  // [args[0] for text in args[1] if args[2]]
    Range,          // args[0] .. args[1] [step args[2]]; text "log" when args[2] is a count of points
    Record,         // { names[i] = args[i] }
    If,             // if args[0] then args[1] else args[2]
    Block,          // { block lets; args[0] }
};

struct StringPart {
    std::string text;  // literal text (escapes resolved) when expr is null
    ExprPtr expr;      // an interpolated {expression}
};

struct Expr {
    ExprKind kind;
    Span span;
    std::string text;
    double number = 0;
    std::vector<ExprPtr> args;
    std::vector<std::string> names;
    std::vector<Span> name_spans;
    std::vector<StringPart> parts;
    std::vector<StmtPtr> block;
};

enum class StmtKind {
    Let,         // let name [: type] = value; also `model`/`hardware` declarations (keyword says which)
    Fn,          // fn name(params) [: type] = value
    Dimension,   // dimension name [= type]
    Unit,        // unit name [: type] [= value] [prefixes(...)] [autoscale]
    Use,         // use name; a name `a::b` (as written) is the module b in the folder a
    Assert,      // assert value [, message]
    Print,       // print values...
    Budget,      // budget [name] { items }
    Constraint,  // constraint value
    Expression,  // value
    Sweep,       // sweep [name] { body }: a grid search; keyword "let" for `let name = sweep { body }`
    Axis,        // in a sweep: name in value (a list)
    Objective,   // in a sweep: minimize value | maximize value (keyword says which)
    Report,      // in a sweep: report top values[0] | pareto[(values...)] | all [to message]
};

struct Param {
    std::string name;
    Span span;
    ExprPtr type;           // dimension annotation or null
    ExprPtr default_value;  // or null
};

struct BudgetItem {
    std::string name;
    Span name_span;
    std::string op;  // "<=", "<", ">=", ">", "=="
    ExprPtr bound;
};

struct Stmt {
    StmtKind kind;
    Span span;
    std::string keyword;  // "let", "model", "hardware", ... as written
    std::string name;
    Span name_span;
    std::vector<Param> params;
    ExprPtr type;
    ExprPtr value;
    std::vector<ExprPtr> values;  // print
    ExprPtr message;              // assert
    std::vector<BudgetItem> items;
    bool reference = false;  // budget in a sweep without a block: applies the top-level budget `name`
    std::vector<std::string> prefixes;  // unit: "si", "binary"
    std::string plural;                 // unit: its plural spelling, `plural(days)`
    bool autoscale = false;
    std::string doc;  // text of `##` comments right above the statement
    std::vector<StmtPtr> body;  // sweep: its items in order
};

struct Comment {
    Span span;
    std::string text;  // including the leading '#'
    bool own_line;     // nothing but blanks before it on its line
};

struct Module {
    uint32_t file = 0;
    std::vector<StmtPtr> stmts;
    std::vector<Comment> comments;
};

}  // namespace plan::ast
