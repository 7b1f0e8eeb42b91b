#include "interpreter/checker.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "interpreter/builtins.hpp"
#include "interpreter/check_expr.hpp"
#include "interpreter/evaluator.hpp"

namespace plan {

// ---------------------------------------------------------------------------------------------
// Statements and scopes

Checker::Checker(UnitTable& units, std::vector<Value>& globals, Evaluator& eval)
    : units_(units), globals_(globals), eval_(eval) {
    const auto& all = builtins();
    for (size_t i = 0; i < all.size(); ++i) {
        Binding b{all[i].name, Binding::Kind::Builtin, Type::any(), static_cast<int>(i), {}, all[i].doc, all[i].signature};
        b.native = &all[i];
        by_name_[b.name].push_back(bindings_.size());
        bindings_.push_back(std::move(b));
    }
}

void Checker::bind_native(const Builtin& native) {
    Binding b{native.name, Binding::Kind::Builtin, Type::any(), -1, {}, native.doc, native.signature};
    b.native = &native;
    Layer saved = layer_;
    layer_ = Layer::Library;
    bind(std::move(b), {});
    layer_ = saved;
}

const Binding* Checker::lookup_visible(const std::string& name, size_t visible, Want want) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return nullptr;
    const Binding* below = nullptr;  // the newest of the layers below the user's
    for (auto i = it->second.rbegin(); i != it->second.rend(); ++i) {
        if (*i >= visible) continue;
        const Binding& b = bindings_[*i];
        bool callable = b.kind == Binding::Kind::Function || b.kind == Binding::Kind::Builtin;
        if (want != Want::Any && (want == Want::Callable) != callable) continue;
        if (b.layer == Layer::User) {
            if (layer_ == Layer::User) return &b;
            continue;  // the stdlib does not see user code
        }
        if (layer_ != Layer::User) return &b;
        if (!below) below = &b;
    }
    return below;
}

const Binding* Checker::lookup(const std::string& name) const { return lookup_visible(name, bindings_.size()); }

std::vector<std::string> Checker::visible_names() const {
    std::vector<std::string> names;
    for (auto& [n, ids] : by_name_) names.push_back(n);
    return names;
}

std::vector<const Binding*> Checker::user_bindings() const {
    std::vector<const Binding*> out;
    for (const Binding& b : bindings_)
        if (b.layer == Layer::User && lookup(b.name) == &b) out.push_back(&b);
    return out;
}

void Checker::bind(Binding b, const Span& at) {
    b.layer = layer_;
    if (const Binding* old = lookup(b.name)) {
        // A unit may share its name with a builtin function (`min` the minute, `min(a, b)`).
        bool beside_builtin = (old->kind == Binding::Kind::Builtin) != (b.kind == Binding::Kind::Builtin) &&
                              (old->kind == Binding::Kind::Unit || b.kind == Binding::Kind::Unit);
        bool shadows_library = old->layer == Layer::Library && layer_ == Layer::User;
        bool replaceable = beside_builtin || shadows_library ||
                           (allow_redefinition_ && (old->kind == Binding::Kind::Value || old->kind == Binding::Kind::Function) &&
                            (b.kind == Binding::Kind::Value || b.kind == Binding::Kind::Function));
        if (!replaceable) {
            Diagnostic d(Code::AlreadyDefined);
            d.message = "`" + b.name + "` is already defined";
            d.labels.push_back({at, "defined again here"});
            if (old->span.end > 0) d.labels.push_back({old->span, "first defined here"});
            else d.notes.push_back("`" + b.name + "` is a builtin function");
            d.help = "choose another name";
            throw DiagnosticError{std::move(d)};
        }
    }
    by_name_[b.name].push_back(bindings_.size());
    bindings_.push_back(std::move(b));
}

void Checker::define_value(const std::string& name, const Type& type, Value v) {
    int slot = static_cast<int>(globals_.size());
    globals_.push_back(std::move(v));
    bool allow = allow_redefinition_;
    allow_redefinition_ = true;
    bind({name, Binding::Kind::Value, type, slot, {}, "", ""}, {});
    allow_redefinition_ = allow;
}

Dim Checker::resolve_dimension(const ast::Expr& e) const {
    switch (e.kind) {
        case ast::ExprKind::Name: {
            if (auto d = units_.find_dimension(e.text)) return *d;
            std::string guess = closest_name(e.text, units_.dimension_names());
            check_fail(Code::UnknownDimension, "unknown dimension `" + e.text + "`", {{e.span, "not a dimension"}},
                 guess.empty() ? "dimensions are: " + fmt::format("{}", fmt::join(units_.dimension_names(), ", "))
                               : "did you mean `" + guess + "`?");
        }
        case ast::ExprKind::Number:
            if (e.number == 1) return Dim{};
            break;
        case ast::ExprKind::Binary: {
            Dim a = resolve_dimension(*e.args[0]);
            if (e.text == "*") return a * resolve_dimension(*e.args[1]);
            if (e.text == "/") return a / resolve_dimension(*e.args[1]);
            const ast::Expr& n = *e.args[1];
            bool neg = n.kind == ast::ExprKind::Unary && n.text == "-";
            const ast::Expr& lit = neg ? *n.args[0] : n;
            if (e.text == "^" && lit.kind == ast::ExprKind::Number && lit.number == std::round(lit.number))
                return a.pow(static_cast<int>(neg ? -lit.number : lit.number));
            break;
        }
        default: break;
    }
    check_fail(Code::NotADimension, "expected a dimension such as `Data`, `Time` or `Data/Time`", {{e.span, ""}});
}

Type Checker::resolve_type_annotation(const ast::Expr& e) const {
    if (e.kind == ast::ExprKind::Name) {
        if (e.text == "Bool") return Type::boolean();
        if (e.text == "String") return Type::string();
    }
    return Type::number(resolve_dimension(e));
}

std::pair<Type, ParamRule> Checker::resolve_param_annotation(const ast::Expr& e) const {
    ParamRule rule;
    if (e.kind == ast::ExprKind::Name && (e.text == "Count" || e.text == "Whole")) {
        rule.kind = e.text == "Count" ? ParamRule::Kind::Count : ParamRule::Kind::Whole;
        return {Type::number(Dim{}), rule};
    }
    if (e.kind != ast::ExprKind::List) return {resolve_type_annotation(e), rule};
    // `[["q", "k"]]`: a list whose items are each one of the values of the inner list.
    const bool each = e.args.size() == 1 && e.args[0]->kind == ast::ExprKind::List;
    const ast::Expr& values = each ? *e.args[0] : e;
    // A list of literal strings, or of plain numbers: the values the parameter accepts.
    rule.kind = each ? ParamRule::Kind::EachOf : ParamRule::Kind::OneOf;
    bool strings = false, numbers = false;
    for (const auto& item : values.args) {
        bool negative = item->kind == ast::ExprKind::Unary && item->text == "-" && item->args[0]->kind == ast::ExprKind::Number;
        if (item->kind == ast::ExprKind::String && item->parts.size() <= 1 && (item->parts.empty() || !item->parts[0].expr)) {
            strings = true;
            rule.allowed.push_back(Value::string(item->parts.empty() ? "" : item->parts[0].text));
        } else if (item->kind == ast::ExprKind::Number || negative) {
            numbers = true;
            rule.allowed.push_back(Value(negative ? -item->args[0]->number : item->number));
        } else {
            check_fail(Code::ExpectedDimension, "a parameter's list of values holds literal strings or plain numbers", {{item->span, "not a literal"}},
                       "write the values, as in `recompute: [\"none\", \"full\"]` or `targets: [[\"q\", \"v\"]]`");
        }
    }
    if (rule.allowed.empty() || (strings && numbers))
        check_fail(Code::ExpectedDimension, "a parameter's list of values needs at least one value, all strings or all numbers",
                   {{values.span, ""}});
    Type item = strings ? Type::string() : Type::number(Dim{});
    return {each ? Type::list(item) : item, rule};
}

void Checker::check_dimension(const ast::Stmt& s) {
    if (units_.find_dimension(s.name))
        check_fail(Code::AlreadyDefined, "dimension `" + s.name + "` is already defined", {{s.name_span, "defined again here"}});
    if (s.type) {
        units_.add_derived_dimension(s.name, resolve_dimension(*s.type));
        return;
    }
    if (!units_.add_base_dimension(s.name))
        check_fail(Code::TooManyBaseDimensions, fmt::format("too many base dimensions (at most {})", kMaxBaseDimensions),
             {{s.name_span, ""}}, "define it from existing ones: `dimension Energy = Power * Time`");
}

void Checker::check_unit(const ast::Stmt& s) {
    UnitDef def{s.name, Dim{}, 1.0, -1, false, s.autoscale, s.doc, s.plural};
    if (!s.plural.empty() && (units_.find_unit(s.plural) || units_.find_plural(s.plural)))
        check_fail(Code::AlreadyDefined, "`" + s.plural + "` is already a unit", {{s.span, "its plural"}}, "choose another plural");
    UnitTerm hint;
    if (s.value) {
        int frame = 0;
        ExprChecker ec(*this, bindings_.size(), frame);
        TExprPtr v = ec.check(*s.value);
        if (!v->type.is(Type::Kind::Number))
            check_fail(Code::UnitNotNumber, "a unit must be a number", {{s.value->span, type_name(v->type, units_)}});
        def.dim = v->type.dim;
        def.factor = eval_.evaluate(*v, frame).num();
        if (s.type) {
            Dim want = resolve_dimension(*s.type);
            if (!(want == def.dim))
                check_fail(Code::DeclaredDimension,
                     "unit `" + s.name + "` is declared " + units_.dimension_name(want) + " but is " + units_.dimension_name(def.dim),
                     {{s.value->span, units_.dimension_name(def.dim)}, {s.type->span, units_.dimension_name(want)}});
        }
    } else if (s.type) {
        def.dim = resolve_dimension(*s.type);
    }
    if (lookup_visible(s.name, bindings_.size(), Want::Value))
        bind({s.name, Binding::Kind::Unit, Type::any(), -1, s.name_span, "", ""}, s.name_span);  // reports the clash
    int id = units_.add_unit(def);
    for (auto& p : s.prefixes) {
        if (p != "si" && p != "binary")
            check_fail(Code::UnknownPrefixSystem, "unknown prefix system `" + p + "`", {{s.span, ""}}, "use `si` or `binary`");
        units_.add_prefixed(id, p);
    }
    for (size_t u = static_cast<size_t>(id); u < units_.unit_count(); ++u) {
        const UnitDef& d = units_.unit(static_cast<int>(u));
        if (lookup_visible(d.name, bindings_.size(), Want::Value) && u != static_cast<size_t>(id))
            continue;  // a prefixed name already taken
        int slot = static_cast<int>(globals_.size());
        globals_.push_back(Value(d.factor));
        std::string doc = d.doc.empty() ? fmt::format("unit of {}: {} {}", units_.dimension_name(d.dim),
                                                      format_number(d.factor, false),
                                                      units_.text(units_.default_term(d.dim)))
                                        : d.doc;
        bind({d.name, Binding::Kind::Unit, Type::number(d.dim, UnitTerm{{{static_cast<int>(u), 1}}}), slot, s.name_span, doc, ""},
             s.name_span);
    }
}

void Checker::check_fn(const ast::Stmt& s) {
    FnDef fn;
    fn.decl = &s;
    fn.visible = bindings_.size();
    fn.layer = layer_;
    std::string signature = s.name + "(";
    for (size_t i = 0; i < s.params.size(); ++i) {
        const ast::Param& p = s.params[i];
        for (size_t j = 0; j < i; ++j)
            if (s.params[j].name == p.name)
                check_fail(Code::ParameterDeclaredTwice, "parameter `" + p.name + "` is declared twice", {{p.span, "again here"}});
        auto [t, rule] = p.type ? resolve_param_annotation(*p.type) : std::pair<Type, ParamRule>{Type::any(), {}};
        signature += (i ? ", " : "") + p.name;
        if (p.type) signature += ": " + (rule.any() ? rule_text(rule) : type_name(t, units_));
        TExprPtr def;
        bool uses_params = false;
        if (p.default_value) {
            int frame = 0;
            ExprChecker ec(*this, fn.visible, frame);
            for (size_t j = 0; j < i; ++j) ec.add_local(s.params[j].name, fn.param_types[j]);
            def = ec.check(*p.default_value);
            std::function<bool(const TExpr&)> uses = [&](const TExpr& t) {
                if (t.op == Op::Local && t.slot < static_cast<int>(i)) return true;
                return std::any_of(t.kids.begin(), t.kids.end(), [&](auto& k) { return uses(*k); });
            };
            uses_params = uses(*def);
            if (!same_type(t, def->type))
                check_fail(Code::DeclaredDimension, "the default of `" + p.name + "` is " + type_name(def->type, units_) +
                                                ", not " + type_name(t, units_),
                     {{p.default_value->span, type_name(def->type, units_)}});
            if (auto bad = literal_violation(rule, p.name, *def))
                check_fail(Code::ArgumentNotAllowed, bad->second.message, {{bad->first, bad->second.label}}, bad->second.help);
            signature += " = " + std::string(p.default_value->kind == ast::ExprKind::Number ? p.default_value->text
                                             : p.default_value->kind == ast::ExprKind::String && def->op == Op::Const
                                                 ? "\"" + def->constant.str() + "\""
                                                 : "…");
        }
        fn.param_types.push_back(t);
        fn.param_rules.push_back(rule);
        fn.defaults.push_back(std::move(def));
        fn.default_uses_params.push_back(uses_params);
    }
    signature += ")";
    if (s.type) {
        fn.result_type = resolve_type_annotation(*s.type);
        signature += ": " + type_name(*fn.result_type, units_);
    }
    // Check the body once with the annotated types (Any where there is none): this finds unknown
    // names and, for annotated parameters, dimension errors before any call.
    int frame = 0;
    ExprChecker ec(*this, fn.visible, frame);
    for (size_t i = 0; i < s.params.size(); ++i) ec.add_local(s.params[i].name, fn.param_types[i]);
    TExprPtr body = ec.check(*s.value);
    if (fn.result_type && !same_type(*fn.result_type, body->type))
        check_fail(Code::DeclaredDimension,
             "`" + s.name + "` must return " + type_name(*fn.result_type, units_) + ", but its body is " +
                 type_name(body->type, units_),
             {{s.value->span, type_name(body->type, units_)}, {s.type->span, "declared here"}});
    int index = static_cast<int>(fns_.size());
    Binding b{s.name, Binding::Kind::Function, Type::any(), index, s.name_span, s.doc, signature};
    bind(std::move(b), s.name_span);
    fns_.push_back(std::move(fn));
}

CheckedStmt Checker::check(const ast::Stmt& s) {
    CheckedStmt out;
    out.src = &s;
    ExprChecker ec(*this, bindings_.size(), out.frame_size);
    switch (s.kind) {
        case ast::StmtKind::Let: {
            TExprPtr v = ec.check(*s.value);
            if (s.type) {
                Type want = resolve_type_annotation(*s.type);
                if (!same_type(want, v->type))
                    check_fail(Code::DeclaredDimension,
                         "`" + s.name + "` is declared " + type_name(want, units_) + " but is " + type_name(v->type, units_),
                         {{s.value->span, type_name(v->type, units_)}, {s.type->span, type_name(want, units_)}},
                         dimension_help(v->type.dim, want.dim, units_, true));
            }
            if (s.keyword != "let" && !v->type.is(Type::Kind::Record))
                check_fail(Code::RecordKeywordNotRecord, "a `" + s.keyword + "` must be a record, not " + type_name(v->type, units_),
                     {{s.value->span, type_name(v->type, units_)}}, "write `" + s.keyword + " " + s.name + " = { field = value, ... }`");
            if (s.keyword != "let") {
                auto r = std::make_shared<RecordType>(*v->type.record);
                r->keyword = s.keyword;
                v->type.record = r;
            }
            out.kind = CheckedStmt::Kind::Define;
            out.slot = static_cast<int>(globals_.size());
            globals_.emplace_back();
            bind({s.name, Binding::Kind::Value, v->type, out.slot, s.name_span, s.doc, ""}, s.name_span);
            out.exprs.push_back(std::move(v));
            return out;
        }
        case ast::StmtKind::Fn: check_fn(s); return out;
        case ast::StmtKind::Dimension: check_dimension(s); return out;
        case ast::StmtKind::Unit: check_unit(s); return out;
        case ast::StmtKind::Use: return out;  // the resolver loaded it before checking began
        case ast::StmtKind::Assert: {
            TExprPtr cond = ec.check(*s.value);
            if (!cond->type.is(Type::Kind::Bool))
                check_fail(Code::NeedsBool, "`assert` needs a Bool, not " + type_name(cond->type, units_),
                     {{cond->span, type_name(cond->type, units_)}}, "compare two values, e.g. `assert memory <= 80 GB`");
            out.kind = CheckedStmt::Kind::Assert;
            out.exprs.push_back(std::move(cond));
            if (s.message) out.exprs.push_back(ec.check(*s.message));
            return out;
        }
        case ast::StmtKind::Print:
            out.kind = CheckedStmt::Kind::Print;
            for (auto& v : s.values) out.exprs.push_back(ec.check(*v));
            return out;
        case ast::StmtKind::Constraint: {
            TExprPtr cond = ec.check(*s.value);
            if (!cond->type.is(Type::Kind::Bool))
                check_fail(Code::NeedsBool, "`constraint` needs a Bool, not " + type_name(cond->type, units_),
                     {{cond->span, type_name(cond->type, units_)}}, "compare two values, e.g. `constraint tokens >= 20 * n`");
            out.kind = CheckedStmt::Kind::Constraint;
            out.exprs.push_back(std::move(cond));
            return out;
        }
        case ast::StmtKind::Budget: {
            out.kind = CheckedStmt::Kind::Budget;
            try {
                for (size_t i = 0; i < s.items.size(); ++i) {
                    const ast::BudgetItem& item = s.items[i];
                    for (size_t j = 0; j < i; ++j)
                        if (s.items[j].name == item.name)
                            check_fail(Code::BoundedTwice, "`" + item.name + "` is bounded twice in this budget", {{item.name_span, "again here"}});
                    out.exprs.push_back(check_budget_bound(item, bindings_.size(), out.frame_size));
                }
            } catch (DiagnosticError&) {
                // Known but broken: a sweep that applies it reports nothing more.
                declared_budgets_.push_back({&s, bindings_.size(), true});
                throw;
            }
            declared_budgets_.push_back({&s, bindings_.size(), false});
            return out;
        }
        case ast::StmtKind::Expression:
            out.kind = CheckedStmt::Kind::Expression;
            out.exprs.push_back(ec.check(*s.value));
            return out;
        case ast::StmtKind::Sweep:
            out.kind = CheckedStmt::Kind::Sweep;
            out.sweep = check_sweep(s);
            if (s.keyword == "let") {
                out.sweep->value_type = sweep_value_type(*out.sweep);
                out.slot = static_cast<int>(globals_.size());
                globals_.emplace_back();
                bind({s.name, Binding::Kind::Value, out.sweep->value_type, out.slot, s.name_span, s.doc, ""}, s.name_span);
            }
            return out;
        case ast::StmtKind::Axis:
        case ast::StmtKind::Objective:
        case ast::StmtKind::Report: break;  // only inside a sweep, where check_sweep handles them
    }
    return out;
}

TExprPtr Checker::check_budget_bound(const ast::BudgetItem& item, size_t visible, int& frame) {
    // Budget quantities with a fixed meaning must be bounded in their own dimension.
    static const std::map<std::string, std::string> known = {
        {"compute", "Compute"}, {"time", "Time"},   {"cost", "Money"},
        {"memory", "Data"},     {"energy", "Energy"}, {"power", "Power"}};
    ExprChecker ec(*this, visible, frame);
    TExprPtr v = ec.check(*item.bound);
    if (!v->type.is(Type::Kind::Number))
        check_fail(Code::BudgetBoundNotNumber, "a budget bound must be a number", {{v->span, type_name(v->type, units_)}});
    auto k = known.find(item.name);
    if (k != known.end()) {
        auto want = units_.find_dimension(k->second);
        if (want && !(*want == v->type.dim))
            check_fail(Code::BudgetDimension,
                       "a budget on `" + item.name + "` must be " + k->second + ", not " + type_name(v->type, units_),
                       {{item.name_span, k->second}, {v->span, type_name(v->type, units_)}});
    }
    return v;
}

Checker::Mark Checker::mark() const {
    return {bindings_.size(), globals_.size(), fns_.size(), declared_budgets_.size(), units_.mark()};
}

void Checker::rollback(const Mark& m) {
    while (bindings_.size() > m.bindings) {
        auto& ids = by_name_[bindings_.back().name];
        ids.pop_back();
        if (ids.empty()) by_name_.erase(bindings_.back().name);
        bindings_.pop_back();
    }
    globals_.resize(m.globals);
    while (fns_.size() > m.fns) fns_.pop_back();
    declared_budgets_.resize(m.declared_budgets, DeclaredBudget{nullptr, 0, false});
    units_.rollback(m.units);
}

}  // namespace plan
