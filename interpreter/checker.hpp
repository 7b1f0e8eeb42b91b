// Name resolution and dimension/type checking: ast → checked tree (checked.hpp).
// Definitions (units, dimensions, functions, `use`) take effect while checking, so a file's
// later statements see them; values of `let`s are computed later by the evaluator.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../grammar/ast.hpp"
#include "../grammar/diagnostic.hpp"
#include "checked.hpp"

namespace plan {

class Evaluator;

struct FnDef {
    const ast::Stmt* decl;
    size_t visible;                  // globals with a smaller ordinal are in scope of the body
    std::vector<Type> param_types;   // annotation, or Any
    std::optional<Type> result_type; // annotation
    std::vector<TExprPtr> defaults;  // checked default values (null where none)
    std::vector<bool> default_uses_params;  // the default refers to an earlier parameter
    std::deque<std::unique_ptr<FnInstance>> instances;
    std::map<std::string, FnInstance*> by_signature;
};

struct Binding {
    enum class Kind { Value, Unit, Function, Builtin };
    std::string name;
    Kind kind;
    Type type;
    int slot = -1;      // Value, Unit: global slot; Function: index in fns; Builtin: builtin id
    Span span;          // where it was defined (empty span for builtins)
    std::string doc;
    std::string signature;  // functions: "f(x: Data, y)"
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
};

struct CheckedStmt {
    const ast::Stmt* src;
    enum class Kind { Nothing, Define, Print, Assert, Expression, Constraint, Budget, Sweep } kind = Kind::Nothing;
    std::unique_ptr<CheckedSweep> sweep;
    int slot = -1;                 // Define: global slot to store to
    std::vector<TExprPtr> exprs;   // Define/Expression/Constraint: [value]; Print: values;
                                   // Assert: [condition, message?]; Budget: bounds
    int frame_size = 0;            // locals of comprehensions and blocks at top level
};

struct BudgetEntry {
    std::string budget;  // name of the budget block, or ""
    std::string quantity;
    std::string op;
    Type type;
    Value bound;
    Span span;
};

struct ModuleLoader {
    // Loads, checks and runs module `name` into the session; throws DiagnosticError.
    std::function<void(const std::string& name, Span at)> load;
};

class Checker {
public:
    Checker(UnitTable& units, std::vector<Value>& globals, Evaluator& eval, ModuleLoader loader);

    CheckedStmt check(const ast::Stmt& s);
    // For the REPL: allow redefining names (`let x = 1` twice); files forbid it.
    void set_allow_redefinition(bool allow) { allow_redefinition_ = allow; }

    // Bind a name to a value computed outside a statement (the REPL's `ans`).
    void define_value(const std::string& name, const Type& type, Value v);

    const Binding* lookup(const std::string& name) const;
    enum class Want { Any, Callable, Value };
    const Binding* lookup_visible(const std::string& name, size_t visible, Want want = Want::Any) const;
    std::vector<const Binding*> user_bindings() const;  // newest definition of each name, in order
    std::vector<std::string> visible_names() const;
    const UnitTable& units() const { return units_; }
    const std::vector<BudgetEntry>& budgets() const { return budgets_; }

    struct Mark {
        size_t bindings, globals, fns, budgets, declared_budgets;
        UnitTable::Mark units;
    };
    Mark mark() const;
    void rollback(const Mark& m);
    void mark_prelude_end() { prelude_end_ = bindings_.size(); }
    void record_budget(BudgetEntry e) { budgets_.push_back(std::move(e)); }

private:
    friend class ExprChecker;
    void bind(Binding b, const Span& at);
    Type resolve_type_annotation(const ast::Expr& e) const;
    Dim resolve_dimension(const ast::Expr& e) const;
    void check_unit(const ast::Stmt& s);
    void check_dimension(const ast::Stmt& s);
    void check_fn(const ast::Stmt& s);
    std::unique_ptr<CheckedSweep> check_sweep(const ast::Stmt& s);
    // A budget item's bound, checked with the bindings `visible` (locals numbered from `frame`): a
    // number, in the dimension of a well-known quantity (`compute`, `time`, ...).
    TExprPtr check_budget_bound(const ast::BudgetItem& item, size_t visible, int& frame);

    UnitTable& units_;
    std::vector<Value>& globals_;
    Evaluator& eval_;
    ModuleLoader loader_;
    std::vector<Binding> bindings_;  // every definition ever made, in order; later ones shadow
    std::map<std::string, std::vector<size_t>> by_name_;
    std::deque<FnDef> fns_;
    std::vector<BudgetEntry> budgets_;  // bounds, recorded when a budget statement runs
    // Top-level budget blocks as checked, for `budget NAME` in a later sweep: the statement and the
    // bindings visible to it (its bounds are checked again in that scope, inside the sweep).
    struct DeclaredBudget {
        const ast::Stmt* stmt;
        size_t visible;
        bool broken;  // it failed to check: applying it adds nothing (and no second error)
    };
    std::vector<DeclaredBudget> declared_budgets_;
    size_t prelude_end_ = 0;
    bool allow_redefinition_ = false;
};

}  // namespace plan
