// Values between plan and a host program (include/plan/plan.hpp): HostValue, and the session's
// bindings from the host, calls of plan functions and prepared expressions.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "interpreter/display.hpp"
#include "interpreter/session.hpp"

namespace plan {

// A value a session made keeps its exact plan value and type (a `model` record stays one), for
// when the host hands it back to that session.
struct HostOrigin {
    const CoreSession* owner;
    Value value;
    Type type;
};

struct HostValueAccess {
    static const HostOrigin* origin(const HostValue& h) { return static_cast<const HostOrigin*>(h.origin_.get()); }
    static void set_origin(HostValue& h, std::shared_ptr<const HostOrigin> o) { h.origin_ = std::move(o); }
};

HostValue::HostValue(double scalar) : si(scalar), amount(scalar), dimension("Scalar") {}
HostValue::HostValue(bool b) : kind(Kind::Bool), boolean(b) {}
HostValue::HostValue(std::string s) : kind(Kind::String), text(std::move(s)) {}

HostValue HostValue::list(std::vector<HostValue> items) {
    HostValue h;
    h.kind = Kind::List;
    h.items = std::move(items);
    return h;
}

HostValue HostValue::record(std::vector<std::pair<std::string, HostValue>> fields) {
    HostValue h;
    h.kind = Kind::Record;
    h.fields = std::move(fields);
    return h;
}

const HostValue* HostValue::field(std::string_view name) const {
    for (auto& [n, v] : fields)
        if (n == name) return &v;
    return nullptr;
}

const HostValue& HostValue::operator[](std::string_view name) const {
    if (const HostValue* v = field(name)) return *v;
    throw std::out_of_range("no field `" + std::string(name) + "` in " + (type.empty() ? "this value" : type));
}

HostValue quantity(double amount, std::string_view unit) {
    HostValue h(amount);
    h.si = std::numeric_limits<double>::quiet_NaN();
    h.unit = std::string(unit);
    h.dimension.clear();
    return h;
}

Error::Error(std::vector<Message> errors) : errors_(std::move(errors)) {
    what_ = errors_.empty() ? "plan error" : errors_[0].rendered;
}

namespace {

Message host_message(Code code, std::string text) {
    Message m;
    m.code = code_name(code);
    m.kind = class_name(class_of(code));
    m.message = text;
    m.file = "<host>";
    m.rendered = "error[" + m.code + "]: " + text + "\n";
    return m;
}

[[noreturn]] void host_fail(Code code, std::string text) { throw Error({host_message(code, std::move(text))}); }

}  // namespace

std::optional<std::pair<Value, Type>> CoreSession::own_value(const HostValue& h) const {
    if (const HostOrigin* o = HostValueAccess::origin(h); o && o->owner == this) return std::pair{o->value, o->type};
    return std::nullopt;
}

HostValue CoreSession::to_host(const Value& v, const Type& t, bool top) const {
    HostValue h;
    switch (t.kind) {
        case Type::Kind::Number: {
            UnitTerm term = units_.display_term(t.hint, t.dim, v.num());
            h.si = v.num();
            h.amount = v.num() / units_.factor(term);
            h.unit = units_.text(term);
            h.dimension = units_.dimension_name(t.dim);
            break;
        }
        case Type::Kind::Bool: h = HostValue(v.truth()); break;
        case Type::Kind::String: h = HostValue(v.str()); break;
        case Type::Kind::List: {
            std::vector<HostValue> items;
            for (const Value& item : v.list().items) items.push_back(to_host(item, *t.elem, false));
            h = HostValue::list(std::move(items));
            break;
        }
        case Type::Kind::Record: {
            std::vector<std::pair<std::string, HostValue>> fields;
            const RecordType& r = *t.record;
            for (size_t i = 0; i < r.names.size(); ++i) fields.emplace_back(r.names[i], to_host(v.record().fields[i], r.types[i], false));
            h = HostValue::record(std::move(fields));
            break;
        }
        case Type::Kind::Any: break;
    }
    h.display = top ? show_block(v, t, units_) : show_value(v, t, units_);
    h.type = type_name(t, units_);
    HostValueAccess::set_origin(h, std::make_shared<const HostOrigin>(HostOrigin{this, v, t}));
    return h;
}

// The type and factor of a unit the host wrote, by checking and running `1 <unit>` as plan code.
CoreSession::UnitOfHost CoreSession::host_unit(const std::string& unit, const std::string& binding) {
    if (unit.empty()) return {Type::number(Dim{}), 1.0};
    if (auto known = host_units_.find(unit); known != host_units_.end()) return known->second;
    SessionOptions saved = options_;
    options_.print_expressions = false;
    options_.bind_answer = false;
    Checker::Mark mark = checker_.mark();
    Result r = run_program("<unit of " + binding + ">", "1 " + unit, {"", std::filesystem::current_path(), Layer::User}, Mode::Run);
    checker_.rollback(mark);
    options_ = saved;
    if (!r.ok()) throw Error(r.errors);
    const HostOrigin* o = r.value ? HostValueAccess::origin(*r.value) : nullptr;
    if (!o || !o->type.is(Type::Kind::Number))
        host_fail(Code::HostValueMismatch, "the unit `" + unit + "` of " + binding + " is not a unit");
    UnitOfHost u{o->type, o->value.num()};
    u.type.hint.fixed = false;
    u.type.hint.exact = false;
    host_units_.emplace(unit, u);
    return u;
}

std::pair<Value, Type> CoreSession::from_host(const HostValue& h, const std::string& binding) {
    if (const HostOrigin* o = HostValueAccess::origin(h); o && o->owner == this) return {o->value, o->type};
    switch (h.kind) {
        case HostValue::Kind::Quantity: {
            UnitOfHost u = host_unit(h.unit, binding);
            // A value from a result holds its SI number exactly; a host's quantity its amount in the unit.
            double si = std::isnan(h.si) ? h.amount * u.factor : h.si;
            return {Value(si), u.type};
        }
        case HostValue::Kind::Bool: return {Value(h.boolean), Type::boolean()};
        case HostValue::Kind::String: return {Value::string(h.text), Type::string()};
        case HostValue::Kind::List: {
            std::vector<Value> items;
            Type elem = Type::any();
            for (size_t i = 0; i < h.items.size(); ++i) {
                auto [v, t] = from_host(h.items[i], binding + "[" + std::to_string(i) + "]");
                if (i > 0 && !same_type(t, elem))
                    host_fail(Code::HostValueMismatch, "the items of " + binding + " have different types: " + type_name(elem, units_) +
                                                           " and " + type_name(t, units_) + " (item " + std::to_string(i) + ")");
                if (i == 0) elem = t;
                items.push_back(std::move(v));
            }
            return {make_list(std::move(items)), Type::list(elem)};
        }
        case HostValue::Kind::Record: {
            std::vector<Value> values;
            std::vector<std::pair<std::string, Type>> types;
            for (auto& [name, field] : h.fields) {
                auto [v, t] = from_host(field, binding + "." + name);
                values.push_back(std::move(v));
                types.emplace_back(name, t);
            }
            return {make_record(std::move(values)), record_type(types)};
        }
    }
    host_fail(Code::HostValueMismatch, "a host value of an unknown kind for " + binding);
}

// Binds a name as a `let` would; a binding of the same type keeps its slot, so code checked
// against it (a prepared expression) reads the new value.
void CoreSession::bind_host(const std::string& name, Value v, const Type& t) {
    const Binding* old = checker_.lookup(name);
    if (old && old->kind == Binding::Kind::Value && old->layer == Layer::User && same_type(old->type, t)) {
        globals_[old->slot] = std::move(v);
        return;
    }
    checker_.define_value(name, t, std::move(v));
}

Result CoreSession::set(const std::string& name, const HostValue& value) {
    Result r;
    try {
        // A name plan code cannot write (a keyword, not an identifier) would be bound for nothing;
        // any name that parses may be bound (a value may shadow a function, as `let` can).
        Result written = type_of(name);
        if (!written.ok() && written.errors[0].kind == "parse")
            host_fail(Code::HostNameNotPlanName, "cannot bind `" + name + "`: it is not a name plan code can use (" +
                                                     written.errors[0].message + ")");
        auto [v, t] = from_host(value, "`" + name + "`");
        bind_host(name, std::move(v), t);
    } catch (Error& e) {
        r.errors = e.errors();
        r.exit_code = 2;
    }
    return r;
}

Result CoreSession::call(const std::string& function, const std::vector<HostValue>& args,
                         const std::vector<std::pair<std::string, HostValue>>& named) {
    // A stdlib function's module loads first, so that undoing the argument bindings below undoes
    // nothing the module defined.
    load_library_name(function);
    Checker::Mark mark = checker_.mark();
    Result r;
    std::string text = function + "(";
    auto argument = [&](const std::string& label, const HostValue& h) {
        std::string name = "host_argument_" + std::to_string(checker_.mark().bindings);
        auto [v, t] = from_host(h, label);
        checker_.define_value(name, t, std::move(v));
        return name;
    };
    try {
        for (size_t i = 0; i < args.size(); ++i) text += (i ? ", " : "") + argument("argument " + std::to_string(i + 1), args[i]);
        for (size_t i = 0; i < named.size(); ++i)
            text += (i || !args.empty() ? ", " : "") + named[i].first + " = " + argument("argument `" + named[i].first + "`", named[i].second);
    } catch (Error& e) {
        checker_.rollback(mark);
        r.errors = e.errors();
        r.exit_code = 2;
        return r;
    }
    text += ")";
    SessionOptions saved = options_;
    options_.print_expressions = false;
    options_.bind_answer = false;
    r = run("<call>", text, Mode::Run);
    options_ = saved;
    checker_.rollback(mark);
    return r;
}

std::unique_ptr<CoreSession::Prepared> CoreSession::prepare(const std::string& expression,
                                                             const std::vector<std::pair<std::string, HostValue>>& parameters) {
    auto p = std::make_unique<Prepared>();
    for (auto& [name, example] : parameters) {
        Result r = set(name, example);
        if (!r.ok()) throw Error(r.errors);
        const Binding* b = checker_.lookup(name);
        p->slots.push_back(b->slot);
        p->types.push_back(b->type);
        p->names.push_back(name);
    }
    Result result;
    Checker::Mark mark = checker_.mark();
    if (!check_program("<prepared>", expression, {"", std::filesystem::current_path(), Layer::User}, p->checked, result)) {
        checker_.rollback(mark);
        throw Error(result.errors);
    }
    const std::vector<CheckedStmt>& stmts = p->checked.stmts.back();
    if (stmts.size() != 1 || stmts[0].kind != CheckedStmt::Kind::Expression) {
        checker_.rollback(mark);
        host_fail(Code::PrepareNeedsExpression, "a prepared expression must be one expression, not `" + expression + "`");
    }
    // Run once: the modules it uses load, and an expression that cannot run fails here.
    SessionOptions saved = options_;
    options_.print_expressions = false;
    options_.bind_answer = false;
    bool ran = run_checked(p->checked, Mode::Run, result);
    options_ = saved;
    if (!ran) {
        checker_.rollback(mark);
        throw Error(result.errors);
    }
    loaded_.insert(p->checked.keys.begin(), p->checked.keys.end());
    p->expr = stmts[0].exprs[0].get();
    p->frame_size = stmts[0].frame_size;
    return p;
}

HostValue CoreSession::evaluate(Prepared& p, const std::vector<HostValue>& values) {
    if (values.size() != p.slots.size())
        host_fail(Code::HostValueMismatch, "the prepared expression takes " + std::to_string(p.slots.size()) + " values, not " +
                                               std::to_string(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
        auto [v, t] = from_host(values[i], "`" + p.names[i] + "`");
        if (!same_type(t, p.types[i]))
            host_fail(Code::HostValueMismatch, "`" + p.names[i] + "` was prepared as " + type_name(p.types[i], units_) + ", not " +
                                                   type_name(t, units_));
        globals_[p.slots[i]] = std::move(v);
    }
    try {
        return to_host(eval_.evaluate(*p.expr, p.frame_size), p.expr->type, true);
    } catch (DiagnosticError& e) {
        throw Error({message(e.diagnostic)});
    }
}

double CoreSession::number(Prepared& p, const double* si_values, size_t count) {
    for (const Type& t : p.types)
        if (!t.is(Type::Kind::Number)) host_fail(Code::HostValueMismatch, "the fast path takes numbers; use evaluate() for " + type_name(t, units_));
    if (count != p.slots.size() || !p.expr->type.is(Type::Kind::Number))
        host_fail(Code::HostValueMismatch, count != p.slots.size() ? "the prepared expression takes " + std::to_string(p.slots.size()) +
                                                                         " values, not " + std::to_string(count)
                                                                   : "the prepared expression is a " + type_name(p.expr->type, units_) +
                                                                         ", not a number");
    for (size_t i = 0; i < count; ++i) globals_[p.slots[i]].v = si_values[i];
    try {
        return eval_.evaluate(*p.expr, p.frame_size).num();
    } catch (DiagnosticError& e) {
        throw Error({message(e.diagnostic)});
    }
}

}  // namespace plan
