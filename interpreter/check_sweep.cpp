// Checking a sweep statement: its axes, lets, constraints and objectives in the order written
// (each sees the names before it), then its budgets (constraints placed right after the item that
// defines the name they bound), then its reports. The result is the sweep's IR, CheckedSweep.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "interpreter/check_expr.hpp"
#include "interpreter/checker.hpp"

namespace plan {

namespace {
using Kind = CheckedSweep::Item::Kind;

bool is_scalar_like(const Type& t) { return t.is(Type::Kind::Number) || t.is(Type::Kind::Bool) || t.is(Type::Kind::String); }
}  // namespace

// The checking of one sweep statement, step by step; it lives during Checker::check_sweep.
class SweepChecker {
public:
    SweepChecker(Checker& checker, const ast::Stmt& s)
        : c_(checker), s_(s), sweep_(std::make_unique<CheckedSweep>()), visible_(checker.bindings_.size()),
          ec_(checker, visible_, sweep_->frame_size) {
        sweep_->name = s.name;
        sweep_->span = s.span;
    }

    std::unique_ptr<CheckedSweep> run() {
        items();
        budgets();
        reports();
        return std::move(sweep_);
    }

private:
    struct Local {  // an axis or let of the sweep, and the item that defines it
        std::string name;
        int slot;
        Type type;
        size_t item;
    };

    std::string tname(const Type& t) const { return type_name(t, c_.units_); }

    // ---- axes, lets, constraints, objectives ----------------------------------------------------

    void items() {
        for (auto& item : s_.body) {
            switch (item->kind) {
                case ast::StmtKind::Axis: axis(*item); break;
                case ast::StmtKind::Let: let(*item); break;
                case ast::StmtKind::Constraint: constraint(*item); break;
                case ast::StmtKind::Objective: objective(*item); break;
                case ast::StmtKind::Report: reports_.push_back(item.get()); break;
                case ast::StmtKind::Budget: budgets_.push_back(item.get()); break;
                default: break;
            }
        }
        bool has_axis = false;
        for (auto& i : sweep_->items) has_axis = has_axis || i.kind == Kind::Axis;
        if (!has_axis) check_fail(Code::SweepWithoutAxis, "a sweep needs at least one axis", {{s_.span, ""}}, "add one: `n in [1, 2, 4]`");
    }

    void axis(const ast::Stmt& item) {
        TExprPtr values = ec_.check(*item.value);
        if (!values->type.is(Type::Kind::List) || !is_scalar_like(*values->type.elem))
            check_fail(Code::AxisNotList, "an axis needs a list of numbers, Bools or strings, not " + tname(values->type),
                       {{item.value->span, tname(values->type)}},
                       "write `" + item.name + " in [1, 2, 4]`, `" + item.name + " in 16 .. 80 step 8` or `... log 8`");
        for (auto& c : sweep_->columns)
            if (c.name == item.name)
                check_fail(Code::AlreadyDefined, "`" + item.name + "` is already defined in this sweep", {{item.name_span, "again here"}});
        Type elem = *values->type.elem;
        int slot = ec_.add_local(item.name, elem);
        sweep_->columns.push_back({item.name, elem, slot});
        locals_.push_back({item.name, slot, elem, sweep_->items.size()});
        sweep_->items.push_back({Kind::Axis, item.name, slot, std::move(values)});
    }

    void let(const ast::Stmt& item) {
        TExprPtr v = ec_.check(*item.value);
        int slot = ec_.add_local(item.name, v->type);
        if (is_scalar_like(v->type)) sweep_->columns.push_back({item.name, v->type, slot});
        locals_.push_back({item.name, slot, v->type, sweep_->items.size()});
        sweep_->items.push_back({Kind::Let, item.name, slot, std::move(v)});
    }

    void constraint(const ast::Stmt& item) {
        TExprPtr v = ec_.check(*item.value);
        if (!v->type.is(Type::Kind::Bool))
            check_fail(Code::NeedsBool, "`constraint` needs a Bool, not " + tname(v->type), {{v->span, tname(v->type)}});
        sweep_->items.push_back({Kind::Constraint, "", -1, std::move(v)});
    }

    // The name of an axis or let is its column; any other expression gets a hidden let (no name:
    // nothing can refer to it) and a column named after its keyword. The first objective is also
    // an Objective item: the key of `report top`.
    void objective(const ast::Stmt& item) {
        TExprPtr v = ec_.check(*item.value);
        if (!v->type.is(Type::Kind::Number))
            check_fail(Code::NeedsNumber, "`" + item.keyword + "` needs a number, not " + tname(v->type), {{v->span, tname(v->type)}});
        bool maximize = item.keyword == "maximize";
        int column = -1;
        if (v->op == Op::Local)
            for (size_t c = 0; c < sweep_->columns.size(); ++c)
                if (sweep_->columns[c].slot == v->slot) column = static_cast<int>(c);
        bool named = column >= 0;
        if (named) {
            for (auto& o : sweep_->objectives)
                if (o.column == column)
                    check_fail(Code::ObjectiveTwice, "`" + sweep_->columns[column].name + "` is already an objective",
                               {{item.value->span, "again here"}, {o.span, "first here"}});
        } else {
            column = static_cast<int>(sweep_->columns.size());
            v = hidden_let(std::move(v), item.keyword, maximize);
        }
        sweep_->objectives.push_back({column, maximize, item.span});
        if (sweep_->objective < 0) {
            sweep_->objective = static_cast<int>(sweep_->items.size());
            sweep_->items.push_back({Kind::Objective, named ? sweep_->columns[column].name : "", -1, std::move(v), maximize});
        }
    }

    // Keeps the objective `v` in a new let and column (`minimize`, `minimize 2`, ...); returns the
    // local that reads it.
    TExprPtr hidden_let(TExprPtr v, const std::string& keyword, bool maximize) {
        int n = ++hidden_[maximize ? 1 : 0];
        std::string name = n == 1 ? keyword : keyword + " " + std::to_string(n);
        Type type = v->type;
        Span span = v->span;
        int slot = ec_.add_local("", type);
        sweep_->columns.push_back({name, type, slot});
        sweep_->items.push_back({Kind::Let, "", slot, std::move(v)});
        auto local = std::make_unique<TExpr>();
        local->op = Op::Local;
        local->type = type;
        local->span = span;
        local->slot = slot;
        return local;
    }

    // ---- budgets ----------------------------------------------------------------------------------

    // Each item `name op bound` becomes the constraint `name op bound`, placed right after the item
    // that defines `name` (wherever the budget is written) so that it prunes early. Bounds do not
    // depend on the sweep: they see the names outside it, as a top-level budget does.
    void budgets() {
        for (const ast::Stmt* b : budgets_) {
            if (b->reference)
                apply_budgets_named(*b);
            else
                own_budget(*b);
        }
        place_bounds();
    }

    // `budget { ... }`: the sweep's own limits.
    void own_budget(const ast::Stmt& b) {
        if (!b.name.empty())
            check_fail(Code::NamedBudgetBlockInSweep, "a budget block in a sweep has no name", {{b.name_span, ""}},
                       "write `budget { ... }` for this sweep's own limits, or `budget " + b.name +
                           "` alone to apply the top-level budget `" + b.name + "`");
        for (size_t i = 0; i < b.items.size(); ++i) {
            const ast::BudgetItem& item = b.items[i];
            for (size_t j = 0; j < i; ++j)
                if (b.items[j].name == item.name)
                    check_fail(Code::BoundedTwice, "`" + item.name + "` is bounded twice in this budget", {{item.name_span, "again here"}});
            if (const ast::Expr* use = uses_sweep_name(*item.bound))
                check_fail(Code::BoundUsesSweepName, "a budget's bound cannot use the sweep's `" + use->text + "`", {{use->span, "defined in the sweep"}},
                           "a bound is computed once, before the sweep; for a limit that varies, write `constraint " + item.name + " " +
                               item.op + " " + use->text + "`");
            add_bound(item, c_.check_budget_bound(item, visible_, sweep_->frame_size), nullptr);
        }
    }

    // `budget NAME` (or `budget` alone): every top-level budget block of that name declared before.
    void apply_budgets_named(const ast::Stmt& b) {
        bool found = false;
        for (auto& d : c_.declared_budgets_) {
            if (d.stmt->name != b.name) continue;
            found = true;
            if (d.broken) continue;  // its error is reported already
            for (auto& item : d.stmt->items) add_bound(item, c_.check_budget_bound(item, d.visible, sweep_->frame_size), &b);
        }
        if (found) return;
        if (b.name.empty())
            check_fail(Code::UnknownBudget, "there is no unnamed budget before this sweep", {{b.span, ""}},
                       "declare one at the top level before the sweep, or write this sweep's limits here: "
                       "`budget { time <= 30 day }`");
        std::vector<std::string> names;
        for (auto& d : c_.declared_budgets_)
            if (!d.stmt->name.empty()) names.push_back(d.stmt->name);
        std::string guess = closest_name(b.name, names);
        check_fail(Code::UnknownBudget, "there is no budget named `" + b.name + "`", {{b.name_span, "not a budget"}},
                   !guess.empty() ? "did you mean `" + guess + "`?" : "declare it before the sweep: `budget " + b.name + " { time <= 30 day }`");
    }

    // The local a budget item bounds (the last defined of that name), or an error naming it.
    const Local& bounded(const ast::BudgetItem& b, const std::vector<Label>& here) {
        for (auto it = locals_.rbegin(); it != locals_.rend(); ++it)
            if (it->name == b.name) return *it;
        std::vector<std::string> names;
        for (auto& l : locals_) names.push_back(l.name);
        std::string guess = closest_name(b.name, names);
        std::string help = !guess.empty() ? "did you mean `" + guess + "`?"
                           : c_.lookup(b.name) != nullptr
                               ? "a budget in a sweep bounds the sweep's own axes and lets; `" + b.name + "` is defined outside it"
                               : "define it in the sweep (`let " + b.name + " = ...`), or bound an axis or let";
        std::vector<Label> labels{{b.name_span, "not in this sweep"}};
        labels.insert(labels.end(), here.begin(), here.end());
        check_fail(Code::NotInSweep, "`" + b.name + "` is not an axis or let of this sweep", labels, help);
    }

    // `applied`: the `budget NAME` line that applies a top-level item here, if any.
    void add_bound(const ast::BudgetItem& b, TExprPtr bound, const ast::Stmt* applied) {
        std::vector<Label> here;
        if (applied) here.push_back({applied->span, "applied here"});
        auto with = [&](std::vector<Label> labels) {
            labels.insert(labels.end(), here.begin(), here.end());
            return labels;
        };
        const Local& local = bounded(b, here);
        if (!local.type.is(Type::Kind::Number) && !local.type.is(Type::Kind::Any))
            check_fail(Code::BudgetBoundNotNumber, "a budget bounds a number, and `" + b.name + "` is " + tname(local.type),
                       with({{b.name_span, tname(local.type)}}));
        if (local.type.is(Type::Kind::Number) && !(local.type.dim == bound->type.dim)) {
            std::string help = dimension_help(local.type.dim, bound->type.dim, c_.units_);
            check_fail(Code::BudgetDimension, "`" + b.name + "` is " + tname(local.type) + ", but its budget is " + tname(bound->type),
                       with({{b.name_span, tname(local.type)}, {bound->span, tname(bound->type)}}),
                       help.empty() ? "bound `" + b.name + "` in " + tname(local.type) + ", or bound another quantity" : help);
        }
        static const std::map<std::string, Op> ops = {{"<=", Op::Le}, {"<", Op::Lt}, {">=", Op::Ge},
                                                      {">", Op::Gt},  {"==", Op::Eq}, {"!=", Op::Ne}};
        auto value = std::make_unique<TExpr>();
        value->op = Op::Local;
        value->type = local.type;
        value->span = b.name_span;
        value->slot = local.slot;
        auto test = std::make_unique<TExpr>();
        test->op = ops.at(b.op);
        test->type = Type::boolean();
        test->span = b.name_span.to(bound->span);
        test->kids.push_back(std::move(value));
        test->kids.push_back(std::move(bound));
        bounds_.emplace_back(local.item, CheckedSweep::Item{Kind::Constraint, "", -1, std::move(test)});
    }

    // A name of the sweep in a bound (the first found), which the bound cannot see.
    const ast::Expr* uses_sweep_name(const ast::Expr& e) const {
        if (e.kind == ast::ExprKind::Name) {
            for (auto& l : locals_)
                if (l.name == e.text) return &e;
            return nullptr;
        }
        // Not the units of `5 GB` or of a conversion, nor a callee.
        size_t n = e.kind == ast::ExprKind::Juxtapose || e.kind == ast::ExprKind::Convert ? 1 : e.args.size();
        for (size_t i = e.kind == ast::ExprKind::Call ? 1 : 0; i < n; ++i)
            if (const ast::Expr* found = uses_sweep_name(*e.args[i])) return found;
        for (auto& part : e.parts)
            if (part.expr)
                if (const ast::Expr* found = uses_sweep_name(*part.expr)) return found;
        return nullptr;
    }

    // The budgets' constraints go right after the items that define what they bound.
    void place_bounds() {
        if (bounds_.empty()) return;
        std::vector<CheckedSweep::Item> items = std::move(sweep_->items);
        sweep_->items.clear();
        const int objective = sweep_->objective;
        for (size_t i = 0; i < items.size(); ++i) {
            if (static_cast<int>(i) == objective) sweep_->objective = static_cast<int>(sweep_->items.size());
            sweep_->items.push_back(std::move(items[i]));
            for (auto& [after, constraint] : bounds_)
                if (after == i) sweep_->items.push_back(std::move(constraint));
        }
    }

    // ---- reports ----------------------------------------------------------------------------------

    void reports() {
        for (const ast::Stmt* r : reports_) sweep_->reports.push_back(report(*r));
        if (sweep_->reports.empty()) sweep_->reports.push_back(default_report());
    }

    CheckedSweep::Report report(const ast::Stmt& r) {
        CheckedSweep::Report report{CheckedSweep::Report::Kind::All, nullptr, {}, {}, "", r.span};
        if (r.message) {
            for (auto& part : r.message->parts) {
                if (part.expr) check_fail(Code::InterpolatedReportFile, "a report file name cannot interpolate", {{r.message->span, ""}});
                report.file += part.text;
            }
        }
        if (r.keyword == "top") {
            report.kind = CheckedSweep::Report::Kind::Top;
            report.count = top_count(r);
        } else if (r.keyword == "pareto") {
            report.kind = CheckedSweep::Report::Kind::Pareto;
            pareto_columns(r, report);
        }
        return report;
    }

    TExprPtr top_count(const ast::Stmt& r) {
        if (sweep_->objectives.empty())
            check_fail(Code::TopWithoutObjective, "`report top` needs an objective", {{r.span, ""}}, "add `minimize EXPR` or `maximize EXPR` to the sweep");
        int frame = 0;
        ExprChecker count_checker(c_, c_.bindings_.size(), frame);
        TExprPtr count = count_checker.check(*r.values[0]);
        if (!count->type.is(Type::Kind::Number) || !count->type.dim.none())
            check_fail(Code::CountNotScalar, "`report top` needs a count", {{r.values[0]->span, tname(count->type)}});
        return count;
    }

    // `report pareto` alone: the objectives; `report pareto(x, y, ...)`: those numeric columns.
    void pareto_columns(const ast::Stmt& r, CheckedSweep::Report& report) {
        if (r.values.empty()) {
            if (sweep_->objectives.size() < 2)
                check_fail(Code::ParetoNeedsTwo,
                           std::string("`report pareto` alone is the frontier of the objectives, and this sweep has ") +
                               (sweep_->objectives.empty() ? "none" : "one"),
                           {{r.span, ""}}, "name two or more columns, `report pareto(cost, loss)`, or add another `minimize` or `maximize`");
            frontier_of_objectives(report);
            return;
        }
        if (r.values.size() < 2)
            check_fail(Code::ParetoNeedsTwo, "a Pareto frontier needs two or more columns", {{r.values[0]->span, "only one"}},
                       "name another: `report pareto(" + r.values[0]->text + ", y)`, or write `report pareto` for the "
                       "frontier of the objectives");
        for (size_t i = 0; i < r.values.size(); ++i) {
            for (size_t j = 0; j < i; ++j)
                if (r.values[j]->text == r.values[i]->text)
                    check_fail(Code::ColumnNamedTwice, "`" + r.values[i]->text + "` is named twice", {{r.values[i]->span, "again here"}});
            int c = pareto_column(*r.values[i]);
            report.columns.push_back(c);
            report.maximize.push_back(maximized(c));
        }
    }

    int pareto_column(const ast::Expr& e) {
        const auto& columns = sweep_->columns;
        for (size_t i = 0; i < columns.size(); ++i)
            if (columns[i].name == e.text && columns[i].type.is(Type::Kind::Number)) return static_cast<int>(i);
        for (auto& c : columns)
            if (c.name == e.text)
                check_fail(Code::ParetoColumnNotNumber, "`" + e.text + "` is " + tname(c.type) + ": a Pareto frontier needs numbers",
                           {{e.span, tname(c.type)}}, "name numeric axes or lets");
        std::vector<std::string> names;
        for (auto& c : columns) names.push_back(c.name);
        std::string guess = closest_name(e.text, names);
        check_fail(Code::NotInSweep, "`" + e.text + "` is not a numeric axis or let of this sweep", {{e.span, ""}},
                   guess.empty() ? "" : "did you mean `" + guess + "`?");
    }

    // A quantity the sweep maximizes is maximized on a frontier too; the others are minimized.
    bool maximized(int column) const {
        for (auto& o : sweep_->objectives)
            if (o.column == column) return o.maximize;
        return false;
    }

    void frontier_of_objectives(CheckedSweep::Report& report) const {
        for (auto& o : sweep_->objectives) {
            report.columns.push_back(o.column);
            report.maximize.push_back(o.maximize);
        }
    }

    // Without a report: the frontier of several objectives, the best 10 by one, or every point.
    CheckedSweep::Report default_report() const {
        CheckedSweep::Report report{CheckedSweep::Report::Kind::All, nullptr, {}, {}, "", s_.span};
        if (sweep_->objectives.size() >= 2) {
            report.kind = CheckedSweep::Report::Kind::Pareto;
            frontier_of_objectives(report);
        } else if (sweep_->objectives.size() == 1) {
            report.kind = CheckedSweep::Report::Kind::Top;
            report.count = std::make_unique<TExpr>();
            report.count->op = Op::Const;
            report.count->type = Type::number(Dim{});
            report.count->constant = Value(10.0);
        }
        return report;
    }

    Checker& c_;
    const ast::Stmt& s_;
    std::unique_ptr<CheckedSweep> sweep_;
    const size_t visible_;
    ExprChecker ec_;
    std::vector<Local> locals_;
    std::vector<const ast::Stmt*> reports_, budgets_;
    int hidden_[2] = {0, 0};  // objectives kept in a hidden let, by keyword (minimize, maximize)
    std::vector<std::pair<size_t, CheckedSweep::Item>> bounds_;  // (defining item, constraint)
};

std::unique_ptr<CheckedSweep> Checker::check_sweep(const ast::Stmt& s) { return SweepChecker(*this, s).run(); }

Type sweep_value_type(const CheckedSweep& s) {
    std::vector<std::pair<std::string, Type>> columns;
    for (const auto& c : s.columns) columns.emplace_back(c.name, c.type);
    Type row = record_type(columns);
    std::vector<std::pair<std::string, Type>> fields{{"feasible", Type::number(Dim{})}, {"rows", Type::list(row)}};
    if (s.reports[0].kind == CheckedSweep::Report::Kind::Top) fields.emplace_back("best", row);
    for (const auto& r : s.reports)
        if (r.kind == CheckedSweep::Report::Kind::Pareto) {
            fields.emplace_back("frontier", Type::list(row));
            break;
        }
    return record_type(fields);
}

}  // namespace plan
