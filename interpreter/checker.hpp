// Name resolution and dimension/type checking: ast → checked tree (checked.hpp).
// Definitions (units, dimensions, functions) take effect while checking, so a file's later
// statements see them; values of `let`s are computed later by the evaluator. Modules (`use`) are
// found by the resolver before checking: here `use` does nothing.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/checked.hpp"

namespace plan {

class Evaluator;

// Who made a definition. User code sees every layer and its own first, so a user definition
// shadows a stdlib one without error; stdlib code sees only the stdlib and the core, so a module
// loaded after the user's definitions still means what it says. The core (builtins and the
// prelude) cannot be redefined.
enum class Layer { Core, Library, User };

struct FnDef {
    const ast::Stmt* decl;
    size_t visible;                  // globals with a smaller ordinal are in scope of the body
    Layer layer = Layer::Core;       // the body sees what code of this layer sees
    std::vector<Type> param_types;   // annotation, or Any
    std::vector<ParamRule> param_rules;  // the values a parameter accepts, from its annotation
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
    Layer layer = Layer::Core;
    const Builtin* native = nullptr;  // Builtin: the function (a core builtin, a native, a host's)
};

class Checker {
public:
    Checker(UnitTable& units, std::vector<Value>& globals, Evaluator& eval);

    CheckedStmt check(const ast::Stmt& s);
    // For the REPL: allow redefining names (`let x = 1` twice); files forbid it.
    void set_allow_redefinition(bool allow) { allow_redefinition_ = allow; }
    // The layer of the code checked next: its definitions go there, and it sees what that layer sees.
    void set_layer(Layer layer) { layer_ = layer; }
    Layer layer() const { return layer_; }

    // Bind a name to a value computed outside a statement (the REPL's `ans`).
    void define_value(const std::string& name, const Type& type, Value v);

    const Binding* lookup(const std::string& name) const;
    enum class Want { Any, Callable, Value };
    const Binding* lookup_visible(const std::string& name, size_t visible, Want want = Want::Any) const;
    std::vector<const Binding*> user_bindings() const;  // newest user definition of each name, in order
    std::vector<std::string> visible_names() const;
    // The declaration of a function binding (its parameters, their defaults); null for the rest.
    const ast::Stmt* function_decl(const Binding& b) const {
        return b.kind == Binding::Kind::Function ? fns_[static_cast<size_t>(b.slot)].decl : nullptr;
    }

    struct Mark {
        size_t bindings, globals, fns, declared_budgets;
        UnitTable::Mark units;
    };
    Mark mark() const;
    void rollback(const Mark& m);
    // A host function (interpreter/host_functions.cpp): the type a parameter's or result's
    // annotation says, and its native bound (in the library layer) under the native's name.
    Type annotation_type(const ast::Expr& e) const { return resolve_param_annotation(e).first; }
    void bind_native(const Builtin& native);

private:
    friend class ExprChecker;
    friend class SweepChecker;  // check_sweep.cpp
    void bind(Binding b, const Span& at);
    Type resolve_type_annotation(const ast::Expr& e) const;
    // A parameter's annotation: a type, or a rule on its values (`["none", "full"]`, `Count`).
    std::pair<Type, ParamRule> resolve_param_annotation(const ast::Expr& e) const;
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
    std::vector<Binding> bindings_;  // every definition ever made, in order; later ones shadow
    std::map<std::string, std::vector<size_t>> by_name_;
    std::deque<FnDef> fns_;
    // Top-level budget blocks as checked, for `budget NAME` in a later sweep: the statement and the
    // bindings visible to it (its bounds are checked again in that scope, inside the sweep).
    struct DeclaredBudget {
        const ast::Stmt* stmt;
        size_t visible;
        bool broken;  // it failed to check: applying it adds nothing (and no second error)
    };
    std::vector<DeclaredBudget> declared_budgets_;
    Layer layer_ = Layer::Core;
    bool allow_redefinition_ = false;
    size_t specialising_ = 0;  // function bodies being checked, one inside the other
};

}  // namespace plan
