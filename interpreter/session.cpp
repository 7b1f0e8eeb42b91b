// The core session: parse → check → run over one shared state.
#include "interpreter/session.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "grammar/parser.hpp"
#include "interpreter/display.hpp"
#include "stdlib/stdlib.hpp"

namespace plan {

CoreSession::CoreSession(SessionOptions options, SweepRunner sweeps)
    : options_(std::move(options)),
      sweeps_(std::move(sweeps)),
      checker_(units_, globals_, eval_, ModuleLoader{[this](const std::string& n, Span at) { load(n, at); }}) {
    checker_.set_allow_redefinition(false);
    if (options_.prelude) {
        Result r = run("<stdlib:prelude>", std::string(*stdlib::module_source("prelude")), Mode::Run, true);
        if (!r.ok()) throw std::runtime_error("the prelude failed to load:\n" + r.errors[0].rendered);
        loaded_.insert("prelude");
    }
    if (options_.stdlib) {
        for (auto name : stdlib::module_names()) {
            if (name == "prelude") continue;
            Result r = run("<stdlib>", "use " + std::string(name), Mode::Run, true);
            if (!r.ok()) throw std::runtime_error("stdlib module " + std::string(name) + " failed to load:\n" + r.errors[0].rendered);
        }
    }
    checker_.mark_prelude_end();
    checker_.set_allow_redefinition(options_.allow_redefinition);
}

std::ostream& CoreSession::out() const { return options_.out ? *options_.out : std::cout; }

Message CoreSession::message(const Diagnostic& d) const {
    Message m;
    m.code = code_name(d.code);
    m.kind = class_name(class_of(d.code));
    m.message = d.message;
    m.help = d.help;
    m.rendered = render(d, sources_, options_.color);
    if (!d.labels.empty()) {
        const SourceFile& f = sources_.file(d.labels[0].span.file);
        LineCol lc = f.locate(d.labels[0].span.begin);
        m.file = f.name;
        m.line = static_cast<int>(lc.line);
        m.column = static_cast<int>(lc.column);
    }
    return m;
}

// `use NAME`: a stdlib module, or NAME.plan beside the file being run. Loaded once.
void CoreSession::load(const std::string& name, Span at) {
    if (loaded_.count(name)) return;
    std::string text, display;
    std::filesystem::path dir = dirs_.back();
    if (auto src = stdlib::module_source(name)) {
        text = std::string(*src);
        display = "<stdlib:" + name + ">";
    } else {
        std::filesystem::path path = dirs_.back() / (name + ".plan");
        std::filesystem::path shown = path.lexically_relative(std::filesystem::current_path());
        if (shown.empty() || *shown.begin() == "..") shown = path;
        std::ifstream in(path);
        if (!in) {
            Diagnostic d(Code::UnknownModule);
            d.message = "unknown module `" + name + "`";
            d.labels.push_back({at, "no stdlib module or file " + shown.string()});
            std::vector<std::string> names;
            for (auto n : stdlib::module_names()) names.emplace_back(n);
            std::string guess = closest_name(name, names);
            d.help = guess.empty() ? "stdlib modules: " + fmt::format("{}", fmt::join(names, ", "))
                                   : "did you mean `" + guess + "`?";
            throw DiagnosticError{std::move(d)};
        }
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
        display = shown.string();  // as the user would write it, not this machine's absolute path
        dir = path.parent_path();
    }
    loaded_.insert(name);
    dirs_.push_back(dir);
    Result r = run(display, std::move(text), Mode::Run, /*nested=*/true);
    dirs_.pop_back();
    if (!r.ok()) {
        Diagnostic d(r.exit_code == 2 ? Code::ModuleHasErrors : Code::ModuleFailed);
        d.message = "module `" + name + "` failed to load";
        d.labels.push_back({at, ""});
        for (auto& e : r.errors) d.notes.push_back(e.rendered);
        throw DiagnosticError{std::move(d)};
    }
}

std::string CoreSession::show_condition_values(const TExpr& cond, std::vector<Value>& frame) {
    static const std::set<Op> comparisons = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
    if (!comparisons.count(cond.op)) return "";
    Value a = eval_.eval(*cond.kids[0], frame);
    Value b = eval_.eval(*cond.kids[1], frame);
    return "left side " + eval_.show(a, cond.kids[0]->type) + ", right side " + eval_.show(b, cond.kids[1]->type);
}

void CoreSession::execute(const CheckedStmt& s, Mode mode, Result& result) {
    std::vector<Value> frame(static_cast<size_t>(s.frame_size));
    switch (s.kind) {
        case CheckedStmt::Kind::Nothing: return;
        case CheckedStmt::Kind::Define: globals_[s.slot] = eval_.eval(*s.exprs[0], frame); return;
        case CheckedStmt::Kind::Print: {
            std::string line;
            for (size_t i = 0; i < s.exprs.size(); ++i) {
                Value v = eval_.eval(*s.exprs[i], frame);
                const Type& t = s.exprs[i]->type;
                line += (i ? " " : "") + (t.is(Type::Kind::String) ? v.str() : show_block(v, t, units_));
            }
            out() << line << "\n";
            return;
        }
        case CheckedStmt::Kind::Expression: {
            const TExpr& e = *s.exprs[0];
            Value v = eval_.eval(e, frame);
            ResultValue rv;
            rv.display = show_block(v, e.type, units_);
            rv.type = type_name(e.type, units_);
            // Always one JSON object: a quantity or a record is one already; wrap the rest.
            auto json = to_json(v, e.type, units_);
            if (!json.is_object()) json = nlohmann::ordered_json{{"value", json}, {"type", rv.type}};
            rv.json = json.dump();
            if (e.type.is(Type::Kind::Number)) {
                rv.number = v.num();
                rv.unit = units_.text(units_.display_term(e.type.hint, e.type.dim, v.num()));
            }
            if (options_.print_expressions) out() << rv.display << "\n";
            if (options_.bind_answer) checker_.define_value("ans", e.type, v);
            result.value = std::move(rv);
            return;
        }
        case CheckedStmt::Kind::Assert:
        case CheckedStmt::Kind::Constraint: {
            const TExpr& cond = *s.exprs[0];
            if (eval_.eval(cond, frame).truth()) {
                ++result.asserts_passed;
                return;
            }
            ++result.asserts_failed;
            bool is_assert = s.kind == CheckedStmt::Kind::Assert;
            Diagnostic d(is_assert ? Code::AssertionFailed : Code::ConstraintFailed);
            d.message = is_assert ? "assertion failed" : "constraint not satisfied";
            if (s.exprs.size() > 1) d.message += ": " + eval_.eval(*s.exprs[1], frame).str();
            std::string values = show_condition_values(cond, frame);
            d.labels.push_back({cond.span, values.empty() ? "false" : values});
            if (mode == Mode::Test && is_assert) {
                result.errors.push_back(message(d));
                return;
            }
            throw DiagnosticError{std::move(d)};
        }
        case CheckedStmt::Kind::Sweep:
            if (!sweeps_) runtime_error(Code::SweepsUnavailable, s.sweep->span, "this build of plan cannot run sweeps", "link libplan, which installs the sweep layer");
            sweeps_(*s.sweep, eval_, units_, out(), dirs_.back().string(), options_);
            return;
        case CheckedStmt::Kind::Budget: {
            for (size_t i = 0; i < s.exprs.size(); ++i) {
                const auto& item = s.src->items[i];
                checker_.record_budget(
                    {s.src->name, item.name, item.op, s.exprs[i]->type, eval_.eval(*s.exprs[i], frame), item.name_span});
            }
            return;
        }
    }
}

Result CoreSession::run(std::string name, std::string text, Mode mode, bool nested) {
    Result result;
    uint32_t file = sources_.add(std::move(name), std::move(text));
    ParseResult parsed = parse(sources_, file);
    if (!parsed.errors.empty()) {
        for (auto& e : parsed.errors) result.errors.push_back(message(e));
        result.exit_code = 2;
        return result;
    }
    auto module = std::make_unique<ast::Module>(std::move(parsed.module));
    const ast::Module& m = *module;
    modules_.push_back(std::move(module));
    Checker::Mark mark = checker_.mark();
    std::set<std::string> loaded_before = loaded_;
    auto fail = [&](int code) {
        result.exit_code = code;
        if (!nested) {
            checker_.rollback(mark);
            loaded_ = loaded_before;
        }
        return result;
    };
    std::vector<CheckedStmt> checked;
    for (auto& stmt : m.stmts) {
        try {
            checked.push_back(checker_.check(*stmt));
        } catch (DiagnosticError& e) {
            result.errors.push_back(message(e.diagnostic));
            // Keep the name defined (as Any) so later statements do not report it again.
            if (!stmt->name.empty() && (stmt->kind == ast::StmtKind::Let || stmt->kind == ast::StmtKind::Fn) &&
                !checker_.lookup(stmt->name))
                checker_.define_value(stmt->name, Type::any(), Value());
        }
    }
    if (!result.errors.empty()) return fail(2);
    if (mode == Mode::Check) {
        // Nothing was computed, so nothing checked here may stay defined.
        if (!nested) {
            checker_.rollback(mark);
            loaded_ = loaded_before;
        }
        return result;
    }
    for (auto& s : checked) {
        try {
            execute(s, mode, result);
        } catch (DiagnosticError& e) {
            result.errors.push_back(message(e.diagnostic));
            return fail(1);
        }
    }
    if (mode == Mode::Test && result.asserts_failed > 0) result.exit_code = 1;
    return result;
}

Result CoreSession::run_file(const std::string& path, Mode mode) {
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) {
        Result r;
        r.exit_code = 2;
        Diagnostic d(Code::CannotRead);
        d.message = "cannot read " + path +
                    (!std::filesystem::exists(path)         ? ": no such file"
                     : std::filesystem::is_directory(path) ? ": it is a directory"
                                                           : "");
        Message m = message(d);
        m.file = path;
        r.errors.push_back(m);
        return r;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    dirs_.push_back(std::filesystem::absolute(path).parent_path());
    Result r = run(path, ss.str(), mode);
    dirs_.pop_back();
    return r;
}

Result CoreSession::type_of(std::string_view expression) {
    bool print = options_.print_expressions;
    options_.print_expressions = false;
    Result r = run("<repl>", std::string(expression), Mode::Check);
    options_.print_expressions = print;
    if (!r.ok()) return r;
    // Checking leaves no definitions behind for a bare expression; describe its type.
    const ast::Module& m = *modules_.back();
    if (m.stmts.size() != 1 || m.stmts[0]->kind != ast::StmtKind::Expression) {
        r.exit_code = 2;
        Diagnostic d(Code::TypeNeedsExpression);
        d.message = ":type needs one expression";
        r.errors.push_back(message(d));
        return r;
    }
    Checker::Mark mark = checker_.mark();
    CheckedStmt s = checker_.check(*m.stmts[0]);
    checker_.rollback(mark);
    ResultValue v;
    v.type = type_name(s.exprs[0]->type, units_);
    v.display = v.type;
    r.value = v;
    return r;
}

std::vector<std::string> CoreSession::completions(std::string_view prefix) const {
    std::vector<std::string> out;
    for (auto& n : checker_.visible_names())
        if (n.rfind(prefix, 0) == 0) out.push_back(n);
    return out;
}

std::vector<std::string> CoreSession::fields_of(std::string_view name) const {
    const Binding* b = checker_.lookup(std::string(name));
    if (!b || !b->type.is(Type::Kind::Record)) return {};
    return b->type.record->names;
}

std::string CoreSession::help(std::string_view name) const {
    // A name can be both a unit and a builtin function (`min`): describe each.
    std::string text;
    for (auto want : {Checker::Want::Value, Checker::Want::Callable}) {
        const Binding* b = checker_.lookup_visible(std::string(name), SIZE_MAX, want);
        if (!b) continue;
        std::string head;
        switch (b->kind) {
            case Binding::Kind::Function:
            case Binding::Kind::Builtin: head = "fn " + b->signature; break;
            case Binding::Kind::Unit: head = "unit " + b->name; break;
            case Binding::Kind::Value: head = b->name + ": " + type_name(b->type, units_); break;
        }
        text += (text.empty() ? "" : "\n\n") + (b->doc.empty() ? head : head + "\n" + b->doc);
    }
    return text;
}

std::vector<std::string> CoreSession::definitions() const {
    std::vector<std::string> out;
    for (const Binding* b : checker_.user_bindings()) {
        if (b->kind == Binding::Kind::Function) out.push_back("fn " + b->signature);
        else if (b->kind == Binding::Kind::Unit) out.push_back("unit " + b->name);
        else out.push_back(b->name + ": " + type_name(b->type, units_));
    }
    return out;
}

}  // namespace plan
