#include "fuzz/ast_text.hpp"

#include <fmt/format.h>

namespace plan::fuzz {
namespace {

void expr(std::string& out, const ast::Expr* e);
void stmt(std::string& out, const ast::Stmt& s);

void expr(std::string& out, const ast::Expr* e) {
    if (!e) {
        out += "_";
        return;
    }
    // %.17g: the value exactly; the text as written (the formatter keeps a literal's spelling)
    out += fmt::format("({} {:?} {:.17g}", static_cast<int>(e->kind), e->text, e->number);
    for (auto& a : e->args) {
        out += ' ';
        expr(out, a.get());
    }
    for (auto& n : e->names) out += fmt::format(" n{:?}", n);
    for (auto& p : e->parts) {
        out += fmt::format(" p{:?}", p.text);
        if (p.expr) expr(out, p.expr.get());
    }
    for (auto& s : e->block) stmt(out, *s);
    out += ')';
}

void stmt(std::string& out, const ast::Stmt& s) {
    out += fmt::format("[{} {:?} {:?} {:?} {} {}", static_cast<int>(s.kind), s.keyword, s.name, s.doc, s.reference, s.autoscale);
    for (auto& p : s.params) {
        out += fmt::format(" param {:?} ", p.name);
        expr(out, p.type.get());
        expr(out, p.default_value.get());
    }
    expr(out, s.type.get());
    expr(out, s.value.get());
    for (auto& v : s.values) expr(out, v.get());
    expr(out, s.message.get());
    for (auto& i : s.items) {
        out += fmt::format(" item {:?} {:?} ", i.name, i.op);
        expr(out, i.bound.get());
    }
    for (auto& p : s.prefixes) out += fmt::format(" prefix {:?}", p);
    for (auto& b : s.body) stmt(out, *b);
    out += "]\n";
}

}  // namespace

std::string ast_text(const ast::Module& m) {
    std::string out;
    for (auto& s : m.stmts) stmt(out, *s);
    return out;
}

}  // namespace plan::fuzz
