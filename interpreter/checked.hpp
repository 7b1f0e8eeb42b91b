// The checked program: names resolved to slots, dimensions and types known, function calls
// bound to instances specialised for their argument types. The tree-walking evaluator runs it;
// the JIT will lower the same tree without checking again.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "interpreter/param_rules.hpp"
#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace plan {

enum class Op {
    Const,          // constant
    Global,         // globals[slot]
    Local,          // frame[slot]
    Neg, Not,
    Add, Sub, Mul, Div, Pow,
    Eq, Ne, Lt, Le, Gt, Ge,
    And, Or,
    If,             // kids: cond, then, else
    Call,           // fn instance; kids: arguments in parameter order
    Builtin,        // index = builtin id; kids: arguments
    Field,          // kids[0].fields[index]
    Index,          // kids[0][kids[1]]
    List,           // kids: items
    Comprehension,  // [kids[0] for frame[slot] in kids[1] if kids[2]]
    Range,          // kids: from, to, step (index 1: from, to, number of points evenly spaced in log)
    Record,         // kids: fields in order
    With,           // kids[0] with fields[i] = kids[i+1]
    Interpolate,    // parts[i] literal text, kids[i] value shown in the middle (types[i])
    Block,          // kids: let values stored to slots[i], then the result
};

struct FnInstance;
struct Builtin;  // interpreter/builtins.hpp

// At most this many calls active at once while running. Deep enough for any real program,
// shallow enough to stay far from the C++ stack limit: 2000 overflowed 8 MB in a clang build with
// sanitizers (the fuzzer found it with tests/diagnostics/runtime_calls_too_deep.plan).
constexpr size_t kMaxCallDepth = 1000;
// At most this many generic functions checked one inside the other (each body is specialised
// inside the call that needs it): a level of the checker takes several times the stack of a
// call while running (over 8 KB in the sanitizer build, where 1000 levels overflowed 8 MB).
constexpr size_t kMaxSpecialiseDepth = 400;

struct TExpr {
    Op op;
    Type type;
    Span span;
    std::vector<std::unique_ptr<TExpr>> kids;
    Value constant;
    int slot = -1;
    int index = -1;
    std::vector<int> slots;           // With: overridden field indices; Block: local slots
    std::vector<std::string> parts;   // Interpolate
    const FnInstance* fn = nullptr;
    const Builtin* native = nullptr;  // Builtin: the function called (index: its id, -1 for a host's)
};
using TExprPtr = std::unique_ptr<TExpr>;

struct FnInstance {
    const ast::Stmt* decl;
    std::vector<Type> params;
    std::vector<ParamRule> rules;  // per parameter: the values it accepts (checked at each call)
    Type result;
    TExprPtr body;
    int frame_size = 0;
};

// A sweep: its items run in order, each axis opening a loop around the items after it, so work
// that depends only on outer axes is done once per outer value.
//
// Objectives: the first is an `Objective` item (the key of `report top`); every objective, the first
// included, is also a column. One that is not simply the name of an axis or let gets a hidden `Let`
// item (no name) right before it, holding its value in a column named `minimize`/`maximize`
// (`minimize 2`, ... when several share the keyword), so every column has a frame slot. Budgets in
// the sweep become ordinary `Constraint` items, placed right after the item that defines the name
// they bound.
struct CheckedSweep {
    struct Item {
        enum class Kind { Axis, Let, Constraint, Objective } kind;
        std::string name;  // axis and let names (empty for an objective's hidden let)
        int slot = -1;     // frame slot of an axis value or a let
        TExprPtr expr;     // axis: a list; let: the value; constraint: a Bool; objective: a number
        bool maximize = false;
    };
    struct Column {  // what a report shows: axes, scalar lets, the objectives that are not names
        std::string name;
        Type type;
        int slot = -1;       // frame slot (the checker gives every column one; -1 would be the objective value)
    };
    struct Objective {
        int column = -1;     // index in columns
        bool maximize = false;
        Span span;
    };
    struct Report {
        enum class Kind { Top, Pareto, All } kind;
        TExprPtr count;                // top: how many
        std::vector<int> columns;      // pareto: the column indices of its coordinates (two or more)
        std::vector<bool> maximize;    // pareto: per coordinate, larger is better
        std::string file;              // "" for the terminal
        Span span;
    };
    std::string name;
    std::vector<Item> items;
    std::vector<Column> columns;
    std::vector<Report> reports;
    std::vector<Objective> objectives;  // in the order written
    int objective = -1;  // index in items of the first objective, -1 if none
    int frame_size = 0;
    Span span;
    // `let NAME = sweep { ... }`: the record NAME holds (sweep_value_type); Any for a plain sweep.
    Type value_type = Type::any();
};

// The value of `let NAME = sweep { ... }`: `feasible` (the count), `rows` (its first report's rows,
// as printed), `best` (the first of them, when that report is a `top`) and `frontier` (the rows
// of its first Pareto report, when it has one). Each row is a record of the report columns.
Type sweep_value_type(const CheckedSweep& s);

struct CheckedStmt {
    const ast::Stmt* src;
    enum class Kind { Nothing, Define, Print, Assert, Expression, Constraint, Budget, Sweep } kind = Kind::Nothing;
    std::unique_ptr<CheckedSweep> sweep;
    int slot = -1;                 // Define: global slot to store to
    std::vector<TExprPtr> exprs;   // Define/Expression/Constraint: [value]; Print: values;
                                   // Assert: [condition, message?]; Budget: bounds
    int frame_size = 0;            // locals of comprehensions and blocks at top level
};

}  // namespace plan
