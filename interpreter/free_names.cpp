#include "interpreter/free_names.hpp"

namespace plan {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

class FreeNames {
public:
    explicit FreeNames(std::set<std::string> globals) : globals_(std::move(globals)) {}

    void stmt(const Stmt& s) {
        switch (s.kind) {
            case StmtKind::Fn: {
                size_t outer = locals_.size();
                for (auto& p : s.params) {
                    if (p.type) expr(*p.type);
                    if (p.default_value) expr(*p.default_value);  // sees the parameters before it
                    locals_.push_back(p.name);
                }
                if (s.type) expr(*s.type);
                expr(*s.value);
                locals_.resize(outer);
                return;
            }
            case StmtKind::Sweep: {
                size_t outer = locals_.size();
                for (auto& item : s.body) {
                    stmt(*item);
                    // An axis or a let of the sweep is a local of it from here on.
                    if (item->kind == StmtKind::Axis || item->kind == StmtKind::Let) locals_.push_back(item->name);
                }
                locals_.resize(outer);
                return;
            }
            case StmtKind::Report:  // pareto(x, y) names the sweep's columns, not values
                if (s.keyword == "top") expr(*s.values[0]);
                return;
            case StmtKind::Budget:
                for (auto& item : s.items) expr(*item.bound);
                return;
            case StmtKind::Use: return;
            case StmtKind::Let:
            case StmtKind::Dimension:
            case StmtKind::Unit:
            case StmtKind::Assert:
            case StmtKind::Print:
            case StmtKind::Constraint:
            case StmtKind::Expression:
            case StmtKind::Axis:
            case StmtKind::Objective:
                if (s.type) expr(*s.type);
                if (s.value) expr(*s.value);
                if (s.message) expr(*s.message);
                for (auto& v : s.values) expr(*v);
                return;
        }
    }

    void expr(const Expr& e) {
        switch (e.kind) {
            case ExprKind::Name: use(e.text, e.span); return;
            case ExprKind::Field: expr(*e.args[0]); return;
            case ExprKind::String:
                for (auto& part : e.parts)
                    if (part.expr) expr(*part.expr);
                return;
            case ExprKind::Comprehension: {
                expr(*e.args[1]);  // the list is outside the variable's scope
                locals_.push_back(e.text);
                expr(*e.args[0]);
                if (e.args.size() > 2) expr(*e.args[2]);
                locals_.pop_back();
                return;
            }
            case ExprKind::Block: {
                size_t outer = locals_.size();
                for (auto& let : e.block) {
                    expr(*let->value);
                    locals_.push_back(let->name);
                }
                expr(*e.args[0]);
                locals_.resize(outer);
                return;
            }
            default:
                for (auto& a : e.args)
                    if (a) expr(*a);
                return;
        }
    }

    std::vector<NameUse> result;

private:
    void use(const std::string& name, Span at) {
        for (auto& l : locals_)
            if (l == name) return;
        if (globals_.count(name) || !seen_.insert(name).second) return;
        result.push_back({name, at});
    }

    std::set<std::string> globals_;
    std::vector<std::string> locals_;
    std::set<std::string> seen_;
};

}  // namespace

std::set<std::string> defined_names(const ast::Module& m) {
    std::set<std::string> names;
    for (auto& s : m.stmts)
        if (s->kind == StmtKind::Let || s->kind == StmtKind::Fn || s->kind == StmtKind::Unit || s->kind == StmtKind::Dimension)
            names.insert(s->name);
    return names;
}

std::vector<NameUse> free_names(const ast::Module& m) {
    FreeNames walk(defined_names(m));
    for (auto& s : m.stmts) walk.stmt(*s);
    return std::move(walk.result);
}

}  // namespace plan
