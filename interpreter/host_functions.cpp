// A host's functions (Session::define_function): C++ (or C, or Python) that plan code calls like
// its own functions.
//
// A host function is two definitions in its session. The host's signature, a plan function header
// with every type written ("gpu_price(gpu: String, hours: Time = 1 h): Money"), becomes a plan
// function of the library layer whose body calls a native bound under a hidden name
// (`__host_gpu_price`). The checker so checks every call as it checks a plan function's (named
// arguments, defaults, parameter rules, dimensions); the native converts the arguments to
// HostValues, calls the host, and converts its value back against the declared result type.
#include <cctype>
#include <cmath>
#include <mutex>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "grammar/parser.hpp"
#include "interpreter/builtins.hpp"
#include "interpreter/display.hpp"
#include "interpreter/session.hpp"

namespace plan {

namespace {

// A unit written by a host ("USD", "GiB", "TB/s", "FLOP/(param·token)", "m^2") as its dimension
// and its size in SI base units, from the session's unit table alone: a host function's result is
// converted while a program runs (maybe on a sweep's threads), where no plan code may be checked.
class UnitText {
public:
    UnitText(const UnitTable& units, std::string_view text) : units_(units), text_(text) {}

    std::optional<std::pair<Dim, double>> parse() {
        if (text_.find_first_not_of(' ') == std::string_view::npos) return std::pair{Dim{}, 1.0};
        auto r = product();
        skip();
        if (!r || at_ < text_.size()) return std::nullopt;
        return r;
    }

private:
    void skip() {
        while (at_ < text_.size() && text_[at_] == ' ') ++at_;
    }
    bool eat(std::string_view s) {
        skip();
        if (text_.substr(at_, s.size()) != s) return false;
        at_ += s.size();
        return true;
    }
    std::optional<std::pair<Dim, double>> product() {
        auto r = factor();
        while (r) {
            bool divide = eat("/");
            if (!divide && !eat("*") && !eat("·")) break;
            auto f = factor();
            if (!f) return std::nullopt;
            r = divide ? std::pair{r->first / f->first, r->second / f->second} : std::pair{r->first * f->first, r->second * f->second};
        }
        return r;
    }
    std::optional<std::pair<Dim, double>> factor() {
        std::optional<std::pair<Dim, double>> base;
        if (eat("(")) {
            base = product();
            if (!base || !eat(")")) return std::nullopt;
        } else {
            skip();
            size_t start = at_;
            while (at_ < text_.size() && text_.substr(at_, 2) != "·" &&
                   (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_' || static_cast<unsigned char>(text_[at_]) >= 0x80))
                ++at_;
            if (at_ == start) return std::nullopt;
            auto id = units_.find_unit(std::string(text_.substr(start, at_ - start)));
            if (!id) return std::nullopt;
            base = std::pair{units_.unit(*id).dim, units_.unit(*id).factor};
        }
        if (!eat("^")) return base;
        skip();
        size_t start = at_;
        if (at_ < text_.size() && text_[at_] == '-') ++at_;
        while (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]))) ++at_;
        if (at_ == start) return std::nullopt;
        int n = std::stoi(std::string(text_.substr(start, at_ - start)));
        return std::pair{base->first.pow(n), std::pow(base->second, n)};
    }

    const UnitTable& units_;
    std::string_view text_;
    size_t at_ = 0;
};

}  // namespace

// The host's value as a plan value of type `want`; false (with what is wrong in `why`) when it
// does not have that type.
bool CoreSession::host_value_as(const HostValue& h, const Type& want, const std::string& what, Value& out, std::string& why) const {
    if (auto own = own_value(h); own && same_type(own->second, want)) {
        out = own->first;
        return true;
    }
    auto wrong = [&](const std::string& got) {
        why = what + " is " + got + ", not " + type_name(want, units_);
        return false;
    };
    switch (want.kind) {
        case Type::Kind::Number: {
            if (!h.is(HostValue::Kind::Quantity)) return wrong("not a number");
            auto unit = UnitText(units_, h.unit).parse();
            if (!unit) {
                why = what + " has the unit `" + h.unit + "`, which this session does not know";
                return false;
            }
            if (!(unit->first == want.dim)) return wrong("of dimension " + units_.dimension_name(unit->first));
            out = Value(std::isnan(h.si) ? h.amount * unit->second : h.si);
            return true;
        }
        case Type::Kind::Bool:
            if (!h.is(HostValue::Kind::Bool)) return wrong("not a Bool");
            out = Value(h.boolean);
            return true;
        case Type::Kind::String:
            if (!h.is(HostValue::Kind::String)) return wrong("not a String");
            out = Value::string(h.text);
            return true;
        case Type::Kind::List:    // not annotatable (docs/language.md §5): no signature has them
        case Type::Kind::Record:
        case Type::Kind::Any: break;
    }
    return wrong("a value");
}

Result CoreSession::define_function(const std::string& signature, const std::string& doc, HostFunction function) {
    Result result;
    result.exit_code = 2;
    // The header alone, parsed as the header of a plan function.
    uint32_t file = sources_.add("<host function>", "fn " + signature + " = 0");
    ParseResult parsed = parse(sources_, file);
    if (!parsed.errors.empty()) {
        for (auto& e : parsed.errors) result.errors.push_back(message(e));
        return result;
    }
    const auto& stmts = parsed.module.stmts;
    Checker::Mark mark = checker_.mark();
    bool added = false;  // the native, once host_natives_ holds it
    try {
        if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::Fn) {
            Diagnostic d(Code::ExpectedStatement);
            d.message = "a host function's signature is one function header, `name(param: Type, ...): Type`";
            d.labels.push_back({stmts.empty() ? Span{} : stmts[0]->span, "not one header"});
            throw DiagnosticError{std::move(d)};
        }
        const ast::Stmt& header = *stmts[0];
        auto untyped = [&](Span at, const std::string& what) {
            Diagnostic d(Code::HostSignatureUntyped);
            d.message = what + " of host function `" + header.name + "` has no type";
            d.labels.push_back({at, "a type is needed here"});
            d.help = "write its type after a colon: `" + header.name + "(hours: Time): Money`";
            throw DiagnosticError{std::move(d)};
        };
        std::vector<Type> params;
        std::string call = "__host_" + header.name + "(";
        for (const ast::Param& p : header.params) {
            if (!p.type) untyped(p.span, "parameter `" + p.name + "`");
            params.push_back(checker_.annotation_type(*p.type));
            call += (params.size() > 1 ? ", " : "") + p.name;
        }
        call += ")";
        if (!header.type) untyped(header.name_span, "the result");
        Type result_type = checker_.annotation_type(*header.type);

        // The native: checks its arguments as the wrapper's parameters say (the wrapper passes them
        // so; a direct call of the hidden name is checked too), and calls the host one call at a
        // time (a sweep on the interpreter's threads calls it from several).
        Builtin& native = host_natives_.emplace_back();
        added = true;
        native.name = "__host_" + header.name;
        native.signature = signature;
        native.doc = doc;
        native.min_args = native.max_args = static_cast<int>(params.size());
        native.check = [params, result_type, name = header.name, this](const BuiltinCall& c) {
            for (size_t i = 0; i < params.size(); ++i)
                if (!same_type(params[i], c.args[i]))
                    builtin_fail(params[i].is(Type::Kind::Number) && c.args[i].is(Type::Kind::Number) ? Code::ArgumentDimension : Code::ArgumentType,
                                 fmt::format("argument {} of host function `{}` must be {}, not {}", i + 1, name,
                                             type_name(params[i], units_), type_name(c.args[i], units_)),
                                 c.arg_spans[i], type_name(c.args[i], units_));
            return result_type;
        };
        auto lock = std::make_shared<std::mutex>();
        native.eval = [params, result_type, name = header.name, function = std::move(function), lock, this](
                          const std::vector<Value>& args, const CallSite& at) -> Value {
            std::vector<HostValue> in;
            in.reserve(args.size());
            for (size_t i = 0; i < args.size(); ++i) in.push_back(to_host(args[i], params[i], true));
            HostValue out;
            try {
                std::lock_guard hold(*lock);
                out = function(in);
            } catch (const std::exception& e) {
                runtime_error(Code::HostFunctionFailed, at.origin, "host function `" + name + "` failed: " + e.what());
            } catch (...) {
                runtime_error(Code::HostFunctionFailed, at.origin, "host function `" + name + "` failed (an exception that is not a std::exception)");
            }
            Value v;
            std::string why;
            if (!host_value_as(out, result_type, "its value", v, why))
                runtime_error(Code::HostResultMismatch, at.origin, "host function `" + name + "` returned a value of another type: " + why,
                              "its signature says it returns " + type_name(result_type, units_));
            return v;
        };
        checker_.bind_native(native);

        // The wrapper: a plan function of the library layer, with the host's doc comment.
        std::string text;
        for (size_t start = 0; start < doc.size();) {
            size_t end = doc.find('\n', start);
            if (end == std::string::npos) end = doc.size();
            text += "## " + doc.substr(start, end - start) + "\n";
            start = end + 1;
        }
        text += "fn " + signature + " = " + call + "\n";
        SessionOptions saved = options_;
        options_.print_expressions = false;
        options_.bind_answer = false;
        Result wrapped = run_program("<host function " + header.name + ">", text, {"", std::filesystem::current_path(), Layer::Library}, Mode::Run);
        options_ = saved;
        if (!wrapped.ok()) {
            checker_.rollback(mark);
            host_natives_.pop_back();  // the last: sessions are used by one thread at a time
            return wrapped;
        }
    } catch (DiagnosticError& e) {
        checker_.rollback(mark);
        if (added) host_natives_.pop_back();
        result.errors.push_back(message(e.diagnostic));
        return result;
    }
    result.exit_code = 0;
    return result;
}

}  // namespace plan
