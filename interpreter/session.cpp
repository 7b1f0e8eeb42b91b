// The core session: parse → resolve → check → run over one shared state.
#include "interpreter/session.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "grammar/parser.hpp"
#include "interpreter/display.hpp"
#include "stdlib/stdlib.hpp"

namespace plan {

namespace {

// Where `use` looks, in order: the stdlib, then files beside the using file.
std::vector<std::unique_ptr<Importer>> builtin_importers(const files::FileAccess& access) {
    std::vector<std::unique_ptr<Importer>> importers;
    importers.push_back(std::make_unique<StdlibImporter>());
    importers.push_back(std::make_unique<FileImporter>(&access));
    return importers;
}

}  // namespace

CoreSession::CoreSession(SessionOptions options, SweepRunner sweeps)
    : options_(std::move(options)),
      sweeps_(std::move(sweeps)),
      files_(options_.sandbox ? files::FileAccess::sandbox(options_.read_dirs, options_.write_dirs) : files::FileAccess()),
      resolver_(sources_, builtin_importers(files_)) {
    checker_.set_allow_redefinition(false);
    eval_.cancel_on(&sweep_host_.halt);
    units_.display_digits = std::clamp(options_.precision, 1, 17);
    if (options_.prelude) {
        const std::string key = "stdlib:prelude";
        Result r = run_program("<stdlib:prelude>", std::string(*stdlib::module_source("prelude")), {key, {}, Layer::Core}, Mode::Run);
        if (!r.ok()) throw std::runtime_error("the prelude failed to load:\n" + r.errors[0].rendered);
        loaded_.insert(key);
    }
    checker_.set_layer(Layer::User);  // what the session looks up between programs is the user's view
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
    for (const Label& label : d.labels) {
        if (label.text.empty()) continue;
        const SourceFile& f = sources_.file(label.span.file);
        LineCol lc = f.locate(label.span.begin);
        m.notes.push_back({label.text, f.name, static_cast<int>(lc.line), static_cast<int>(lc.column)});
    }
    for (const std::string& note : d.notes) m.notes.push_back({note, "", 0, 0});
    return m;
}

std::string CoreSession::show_condition_values(const TExpr& cond, std::vector<Value>& frame) {
    static const std::set<Op> comparisons = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
    if (cond.op == Op::Call && cond.fn && cond.fn->decl->name == "approx" && cond.kids.size() == 3) {
        // The prelude's approx(x, y, rel): the values and how far apart they are, against rel.
        Value x = eval_.eval(*cond.kids[0], frame), y = eval_.eval(*cond.kids[1], frame);
        double scale = std::max(std::abs(x.num()), std::abs(y.num()));
        double difference = scale == 0 ? 0 : std::abs(x.num() - y.num()) / scale;
        return "x = " + eval_.show(x, cond.kids[0]->type) + ", y = " + eval_.show(y, cond.kids[1]->type) +
               ", relative difference " + format_number(difference * 100, false) + "% > rel = " +
               format_number(eval_.eval(*cond.kids[2], frame).num() * 100, false) + "%";
    }
    if (!comparisons.count(cond.op)) return "";
    Value a = eval_.eval(*cond.kids[0], frame);
    Value b = eval_.eval(*cond.kids[1], frame);
    return "left side " + eval_.show(a, cond.kids[0]->type) + ", right side " + eval_.show(b, cond.kids[1]->type);
}

void CoreSession::execute(const CheckedStmt& s, Mode mode, const std::filesystem::path& dir, Result& result) {
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
            out() << (options_.json ? nlohmann::ordered_json{{"print", line}}.dump() : line) << "\n";
            return;
        }
        case CheckedStmt::Kind::Expression: {
            const TExpr& e = *s.exprs[0];
            Value v = eval_.eval(e, frame);
            ResultValue rv;
            static_cast<HostValue&>(rv) = to_host(v, e.type, true);
            rv.display = show_block(v, e.type, units_);
            rv.type = type_name(e.type, units_);
            rv.json = to_json(v, e.type, units_).dump();
            if (e.type.is(Type::Kind::Number)) {
                rv.number = v.num();
                rv.unit = units_.text(units_.display_term(e.type.hint, e.type.dim, v.num()));
            }
            if (options_.print_expressions) out() << (options_.json ? rv.json : rv.display) << "\n";
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
        {
            // The rows of its reports go to the host: into the result, `report all` rows to the
            // host's callback when it has one.
            const CheckedSweep& sweep = *s.sweep;
            size_t first = result.sweeps.size();
            for (const auto& report : sweep.reports)
                result.sweeps.push_back({sweep.name, report.kind == CheckedSweep::Report::Kind::Top      ? "top"
                                                     : report.kind == CheckedSweep::Report::Kind::Pareto ? "pareto"
                                                                                                         : "all",
                                         {}});
            sweep_host_.row = [&](const CheckedSweep& sw, size_t report, std::vector<Value> row) {
                std::vector<std::pair<std::string, HostValue>> fields;
                for (size_t c = 0; c < sw.columns.size(); ++c)
                    fields.emplace_back(sw.columns[c].name, to_host(row[c], sw.columns[c].type, true));
                HostValue record = HostValue::record(std::move(fields));
                if (sw.reports[report].kind == CheckedSweep::Report::Kind::All && options_.on_row) {
                    try {
                        if (options_.on_row(record)) return;
                    } catch (const std::exception& e) {
                        runtime_error(Code::HostFunctionFailed, sw.reports[report].span, std::string("the host's row callback failed: ") + e.what());
                    }
                }
                result.sweeps[first + report].rows.push_back(std::move(record));
            };
            struct Forget {  // the callback refers to `result`: gone with it, even on an error
                SweepHost& host;
                ~Forget() { host.row = nullptr; }
            } forget{sweep_host_};
            Value answer = sweeps_(sweep, eval_, units_, out(), dir.string(), options_, sweep_host_);
            if (s.slot >= 0) globals_[s.slot] = std::move(answer);
            return;
        }
        case CheckedStmt::Kind::Budget:
            // A sweep that applies the budget computes its bounds again; computing them here
            // reports a bound that cannot be computed where the budget is written.
            for (auto& bound : s.exprs) eval_.eval(*bound, frame);
            return;
    }
}

Result CoreSession::run(std::string name, std::string text, Mode mode) {
    return run_program(std::move(name), std::move(text), {"", std::filesystem::current_path(), Layer::User}, mode);
}

Result CoreSession::run_file(const std::string& path, Mode mode) {
    // The user named this file, so it is read wherever it is; still only a regular file, and
    // only up to the limit of a source file.
    std::string text;
    try {
        text = files::read_regular_file(path, files::kMaxSourceFile);
    } catch (const files::FileError& e) {
        Result r;
        r.exit_code = 2;
        Diagnostic d(e.kind == files::FileError::Kind::TooLarge ? Code::FileTooLarge : Code::CannotRead);
        d.message = e.what();
        Message m = message(d);
        m.file = path;
        r.errors.push_back(m);
        return r;
    }
    Origin origin{std::filesystem::weakly_canonical(path).string(), std::filesystem::absolute(path).parent_path(), Layer::User};
    return run_program(path, std::move(text), origin, mode);
}

Result CoreSession::run_program(std::string name, std::string text, const Origin& origin, Mode mode) {
    Result result;
    Checker::Mark mark = checker_.mark();
    Checked checked;
    if (!check_program(std::move(name), std::move(text), origin, checked, result) || mode == Mode::Check ||
        !run_checked(checked, mode, result)) {
        // Nothing half-done: a program that fails leaves no definitions behind, and one that is
        // only checked computed no value its definitions could hold.
        checker_.rollback(mark);
        return result;
    }
    loaded_.insert(checked.keys.begin(), checked.keys.end());
    if (mode == Mode::Test && result.asserts_failed > 0) result.exit_code = 1;
    return result;
}

bool CoreSession::check_program(std::string name, std::string text, const Origin& origin, Checked& checked, Result& result) {
    std::string stem = std::filesystem::path(name).stem().string();
    uint32_t file = sources_.add(std::move(name), std::move(text));
    ParseResult parsed = parse(sources_, file);
    std::vector<Diagnostic> errors = std::move(parsed.errors);
    if (errors.empty()) {
        programs_.push_back(std::make_unique<ast::Module>(std::move(parsed.module)));
        const ast::Module& program = *programs_.back();
        auto loaded = [this](const std::string& key) { return loaded_.count(key) > 0; };
        auto known = [this](const std::string& n) { return checker_.lookup(n) || units_.find_dimension(n); };
        bool library_names = origin.layer == Layer::User && options_.stdlib && options_.prelude;
        Resolution resolution = resolver_.resolve({&program, stem, origin.key, origin.dir}, loaded, known, library_names);
        errors = std::move(resolution.errors);
        for (auto& m : resolution.modules) {
            checked.units.push_back({m.ast, m.library ? Layer::Library : Layer::User, m.dir, std::move(m.via)});
            checked.keys.push_back(m.key);
        }
        checked.units.push_back({&program, origin.layer, origin.dir, {}});
    }
    for (auto& e : errors) result.errors.push_back(message(e));
    // Every module checks before the program; checking stops after the first one with errors.
    for (size_t i = 0; i < checked.units.size() && result.errors.empty(); ++i)
        checked.stmts.push_back(check_unit(checked.units[i], result));
    if (result.errors.empty()) return true;
    result.exit_code = 2;
    return false;
}

std::vector<CheckedStmt> CoreSession::check_unit(const Unit& unit, Result& result) {
    checker_.set_layer(unit.layer);
    std::vector<CheckedStmt> checked;
    for (auto& stmt : unit.ast->stmts) {
        try {
            checked.push_back(checker_.check(*stmt));
        } catch (DiagnosticError& e) {
            e.diagnostic.labels.insert(e.diagnostic.labels.end(), unit.via.begin(), unit.via.end());
            result.errors.push_back(message(e.diagnostic));
            // Keep the name defined (as Any) so later statements do not report it again.
            if (!stmt->name.empty() && (stmt->kind == ast::StmtKind::Let || stmt->kind == ast::StmtKind::Fn) &&
                !checker_.lookup(stmt->name))
                checker_.define_value(stmt->name, Type::any(), Value());
        }
    }
    checker_.set_layer(Layer::User);
    return checked;
}

bool CoreSession::run_checked(const Checked& checked, Mode mode, Result& result) {
    for (size_t i = 0; i < checked.units.size(); ++i) {
        const Unit& unit = checked.units[i];
        // Modules run as `plan run` runs them; their asserts and values are not the program's.
        bool program = i + 1 == checked.units.size();
        Result module_result;
        const std::vector<CheckedStmt>& stmts = checked.stmts[i];
        for (size_t k = 0; k < stmts.size(); ++k) {
            try {
                execute(stmts[k], program ? mode : Mode::Run, unit.dir, program ? result : module_result);
            } catch (DiagnosticError& e) {
                e.diagnostic.labels.insert(e.diagnostic.labels.end(), unit.via.begin(), unit.via.end());
                result.errors.push_back(message(e.diagnostic));
                result.exit_code = 1;
                // `plan test` reports the asserts the error kept from running, so a spec that
                // stops early does not look smaller than it is.
                const std::vector<CheckedStmt>& own = checked.stmts.back();
                for (size_t rest = program ? k + 1 : 0; rest < own.size(); ++rest)
                    if (own[rest].kind == CheckedStmt::Kind::Assert) ++result.asserts_not_run;
                return false;
            }
        }
    }
    return true;
}

Result CoreSession::type_of(std::string_view expression) {
    Result result;
    Checker::Mark mark = checker_.mark();
    Checked checked;
    if (check_program("<repl>", std::string(expression), {"", std::filesystem::current_path(), Layer::User}, checked, result)) {
        const std::vector<CheckedStmt>& stmts = checked.stmts.back();
        if (stmts.size() != 1 || stmts[0].kind != CheckedStmt::Kind::Expression) {
            result.exit_code = 2;
            Diagnostic d(Code::TypeNeedsExpression);
            d.message = ":type needs one expression";
            result.errors.push_back(message(d));
        } else {
            ResultValue v;
            v.type = type_name(stmts[0].exprs[0]->type, units_);
            v.display = v.type;
            result.value = v;
        }
    }
    checker_.rollback(mark);  // a type is all it asks for: nothing stays defined
    return result;
}

// A library name that is not defined yet loads its module, as using it in code would.
void CoreSession::load_library_name(const std::string& name) {
    if (!options_.stdlib || !options_.prelude || checker_.lookup(name)) return;
    auto found = resolver_.library_index().find(name);
    if (found != resolver_.library_index().end()) run("<stdlib>", "use " + found->second, Mode::Run);
}

std::vector<std::string> CoreSession::completions(std::string_view prefix) {
    std::set<std::string> names;  // sorted, each once
    for (auto& n : checker_.visible_names())  // not the hidden natives of host functions
        if (n.rfind(prefix, 0) == 0 && n.rfind("__host_", 0) != 0) names.insert(n);
    if (options_.stdlib && options_.prelude)
        for (auto& [n, module] : resolver_.library_index())
            if (n.rfind(prefix, 0) == 0) names.insert(n);
    return {names.begin(), names.end()};
}

std::vector<std::string> CoreSession::fields_of(std::string_view name) {
    load_library_name(std::string(name));
    const Binding* b = checker_.lookup(std::string(name));
    if (!b || !b->type.is(Type::Kind::Record)) return {};
    return b->type.record->names;
}

// The signature shortens defaults that are not plain numbers to `…` (it is also the hint of
// arity errors); help shows each default as written.
std::string CoreSession::signature_with_defaults(const Binding& b) const {
    std::string signature = b.signature;
    size_t at = 0;
    for (const ast::Param& p : checker_.function_decl(b)->params) {
        if (!p.default_value) continue;
        at = signature.find(" = ", at);
        if (at == std::string::npos) break;
        at += 3;
        const Span& span = p.default_value->span;
        std::string written = sources_.file(span.file).text.substr(span.begin, span.end - span.begin);
        if (signature.compare(at, written.size(), written) == 0) {  // shown as written already (strings)
            at += written.size();
            continue;
        }
        std::string shown = p.default_value->kind == ast::ExprKind::Number ? p.default_value->text : "…";
        signature.replace(at, shown.size(), written);
        at += written.size();
    }
    return signature;
}

std::vector<std::string> CoreSession::parameters_of(std::string_view name) {
    load_library_name(std::string(name));
    const Binding* b = checker_.lookup_visible(std::string(name), SIZE_MAX, Checker::Want::Callable);
    std::vector<std::string> names;
    if (b && b->kind == Binding::Kind::Function)
        for (const ast::Param& p : checker_.function_decl(*b)->params) names.push_back(p.name);
    return names;
}

bool CoreSession::is_function(std::string_view name) {
    load_library_name(std::string(name));
    const Binding* b = checker_.lookup_visible(std::string(name), SIZE_MAX, Checker::Want::Callable);
    return b && (b->kind == Binding::Kind::Function || b->kind == Binding::Kind::Builtin);
}

std::string CoreSession::help(std::string_view name) {
    load_library_name(std::string(name));
    // A name can be both a unit and a builtin function (`min`): describe each.
    std::string text;
    for (auto want : {Checker::Want::Value, Checker::Want::Callable}) {
        const Binding* b = checker_.lookup_visible(std::string(name), SIZE_MAX, want);
        if (!b) continue;
        std::string head;
        switch (b->kind) {
            case Binding::Kind::Function: head = "fn " + signature_with_defaults(*b); break;
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
