#include "interpreter/evaluator.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "interpreter/builtins.hpp"
#include "interpreter/display.hpp"
#include "numeric/math.hpp"

namespace plan {

void runtime_error(Code code, const Span& at, std::string message, std::string help) {
    Diagnostic d(code);
    d.message = std::move(message);
    d.labels.push_back({at, ""});
    d.help = std::move(help);
    throw DiagnosticError{std::move(d)};
}

namespace {
constexpr size_t kMaxListLength = 10'000'000;

bool same_span(const Span& a, const Span& b) { return a.file == b.file && a.begin == b.begin && a.end == b.end; }

bool inside(const Span& part, const Span& whole) { return part.file == whole.file && part.begin >= whole.begin && part.end <= whole.end; }

// The expression a block of `body` stores into `slot` (a `let`), or none.
const TExpr* let_value(const TExpr& body, int slot) {
    if (body.op == Op::Block)
        for (size_t i = 0; i < body.slots.size(); ++i)
            if (body.slots[i] == slot) return body.kids[i].get();
    for (auto& k : body.kids)
        if (const TExpr* found = let_value(*k, slot)) return found;
    return nullptr;
}

// The parameters of `fn` that an expression of its body reads, directly or through its `let`s.
void params_read(const TExpr& t, const FnInstance& fn, std::vector<int>& out, int depth = 0) {
    if (t.op == Op::Local && t.slot >= 0) {
        if (static_cast<size_t>(t.slot) < fn.params.size()) {
            if (std::find(out.begin(), out.end(), t.slot) == out.end()) out.push_back(t.slot);
        } else if (depth < 32) {  // lets refer only to earlier ones: the depth bounds a long chain
            if (const TExpr* value = let_value(*fn.body, t.slot)) params_read(*value, fn, out, depth + 1);
        }
    }
    for (auto& k : t.kids) params_read(*k, fn, out, depth);
}

bool blamed_code(Code c) { return c == Code::ArgumentNotAllowedAtRun || c == Code::RequirementFailed; }

bool equal_values(const Value& a, const Value& b) {
    if (a.v.index() != b.v.index()) return false;
    switch (a.v.index()) {
        case 0: return a.num() == b.num();
        case 1: return a.truth() == b.truth();
        case 2: return a.str() == b.str();
        default: return false;
    }
}
}  // namespace

std::string Evaluator::show(const Value& v, const Type& t) const { return show_value(v, t, units_); }

Value Evaluator::evaluate(const TExpr& e, int frame_size) {
    blame_.reset();
    blame_note_.clear();
    std::vector<Value> frame(static_cast<size_t>(frame_size));
    return eval(e, frame);
}

double Evaluator::arithmetic(const TExpr& e, double a, double b) const {
    double r = 0;
    switch (e.op) {
        case Op::Add: r = a + b; break;
        case Op::Sub: r = a - b; break;
        case Op::Mul: r = a * b; break;
        case Op::Div:
            if (b == 0) runtime_error(Code::DivisionByZero, e.kids[1]->span, "division by zero", "this divisor is zero");
            r = a / b;
            break;
        case Op::Pow:
            if (a < 0 && b != std::round(b))
                runtime_error(Code::MathDomain, e.span, fmt::format("a negative number ({}) raised to a fractional power", format_number(a, false)));
            if (a == 0 && b < 0) runtime_error(Code::MathDomain, e.span, "zero raised to a negative power");
            r = plan_pow(a, b);
            break;
        default: break;
    }
    if (!std::isfinite(r))
        runtime_error(Code::NotFinite, e.span, "the result is not a finite number (overflow)", "the value is beyond ±1.8e308");
    return r;
}

Value Evaluator::eval(const TExpr& e, std::vector<Value>& frame) {
    switch (e.op) {
        case Op::Const: return e.constant;
        case Op::Global: return globals_[e.slot];
        case Op::Local: return frame[e.slot];
        case Op::Neg: return Value(-eval(*e.kids[0], frame).num());
        case Op::Not: return Value(!eval(*e.kids[0], frame).truth());
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Pow: {
            double a = eval(*e.kids[0], frame).num();
            double b = eval(*e.kids[1], frame).num();
            return Value(arithmetic(e, a, b));
        }
        case Op::Eq: case Op::Ne: {
            bool same = equal_values(eval(*e.kids[0], frame), eval(*e.kids[1], frame));
            return Value(e.op == Op::Eq ? same : !same);
        }
        case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
            double a = eval(*e.kids[0], frame).num();
            double b = eval(*e.kids[1], frame).num();
            bool r = e.op == Op::Lt ? a < b : e.op == Op::Le ? a <= b : e.op == Op::Gt ? a > b : a >= b;
            return Value(r);
        }
        case Op::And: return Value(eval(*e.kids[0], frame).truth() && eval(*e.kids[1], frame).truth());
        case Op::Or: return Value(eval(*e.kids[0], frame).truth() || eval(*e.kids[1], frame).truth());
        case Op::If: return eval(*e.kids[eval(*e.kids[0], frame).truth() ? 1 : 2], frame);
        case Op::Call: return call(e, frame);
        case Op::Builtin: {
            std::vector<Value> args;
            args.reserve(e.kids.size());
            for (auto& k : e.kids) args.push_back(eval(*k, frame));
            if (core_builtin(e.index) == BuiltinId::Require && !args[0].truth() && !active_.empty()) {
                std::vector<int> read;  // the failure belongs to the arguments the condition reads
                params_read(*e.kids[0], *active_.back(), read);
                blame_ = read;
                blame_note_ = checked_by(active_.back()->decl->name, e.span);
            }
            return e.native->eval(args, call_site(e));
        }
        case Op::Field: return eval(*e.kids[0], frame).record().fields[e.index];
        case Op::Index: {
            Value list = eval(*e.kids[0], frame);
            double at = eval(*e.kids[1], frame).num();
            const auto& items = list.list().items;
            if (at != std::floor(at) || at < 0 || at >= static_cast<double>(items.size()))
                runtime_error(Code::IndexOutOfRange, e.kids[1]->span,
                              fmt::format("index {} is out of range for a list of {}", format_number(at, true), items.size()),
                              "indices start at 0");
            return items[static_cast<size_t>(at)];
        }
        case Op::List: {
            std::vector<Value> items;
            items.reserve(e.kids.size());
            for (auto& k : e.kids) items.push_back(eval(*k, frame));
            Value list = make_list(std::move(items));
            if (leaves(list) > kMaxListLength)  // [xs, xs, xs] of long lists
                runtime_error(Code::TooLarge, e.span, fmt::format("this list holds more than {} values in all (counting the items of the lists in it)", kMaxListLength));
            return list;
        }
        case Op::Comprehension: {
            Value source = eval(*e.kids[1], frame);
            std::vector<Value> items;
            size_t total = 0;  // leaves of the items so far: nested comprehensions multiply
            for (const Value& item : source.list().items) {
                stop_if_cancelled(e.span);
                frame[e.slot] = item;
                if (e.kids.size() > 2 && !eval(*e.kids[2], frame).truth()) continue;
                items.push_back(eval(*e.kids[0], frame));
                total += leaves(items.back());
                if (total > kMaxListLength)
                    runtime_error(Code::TooLarge, e.span,
                                  fmt::format("this list holds more than {} values in all (counting the items of the lists in it)", kMaxListLength),
                                  "a list of lists is limited by the product of their lengths");
            }
            return make_list(std::move(items));
        }
        case Op::Range: return range(e, frame);
        case Op::Record: {
            std::vector<Value> fields;
            fields.reserve(e.kids.size());
            for (auto& k : e.kids) fields.push_back(eval(*k, frame));
            return make_record(std::move(fields));
        }
        case Op::With: {
            std::vector<Value> fields = eval(*e.kids[0], frame).record().fields;
            for (size_t i = 0; i < e.slots.size(); ++i) fields[e.slots[i]] = eval(*e.kids[i + 1], frame);
            return make_record(std::move(fields));
        }
        case Op::Interpolate: {
            std::string s = e.parts[0];
            for (size_t i = 0; i < e.kids.size(); ++i) {
                Value v = eval(*e.kids[i], frame);
                s += e.kids[i]->type.is(Type::Kind::String) ? v.str() : show(v, e.kids[i]->type);
                s += e.parts[i + 1];
            }
            return Value::string(std::move(s));
        }
        case Op::Block: {
            for (size_t i = 0; i < e.slots.size(); ++i) frame[e.slots[i]] = eval(*e.kids[i], frame);
            return eval(*e.kids.back(), frame);
        }
    }
    return Value();
}

void Evaluator::stop_if_cancelled(const Span& at) {
    if (!cancel_word_ || cancel_word_->load(std::memory_order_relaxed) != kCancelWord) return;
    int32_t seen = kCancelWord;
    if (cancel_word_->compare_exchange_strong(seen, 0))
        runtime_error(Code::Cancelled, at, "the host cancelled the evaluation", "nothing after this point ran");
}

Value Evaluator::call(const TExpr& e, std::vector<Value>& frame) {
    stop_if_cancelled(e.span);
    const FnInstance& fn = *e.fn;
    std::vector<Value> callee(static_cast<size_t>(fn.frame_size));
    for (size_t i = 0; i < e.kids.size(); ++i) callee[i] = eval(*e.kids[i], frame);
    for (size_t i = 0; i < fn.rules.size(); ++i)
        if (auto bad = violates(fn.rules[i], fn.decl->params[i].name, callee[i])) reject_argument(e, i, *bad);
    calls_.push_back(e.span);
    active_.push_back(&fn);
    struct Pop {
        std::vector<Span>& calls;
        std::vector<const FnInstance*>& active;
        ~Pop() {
            calls.pop_back();
            active.pop_back();
        }
    } guard{calls_, active_};
    if (calls_.size() > kMaxCallDepth) runtime_error(Code::CallsTooDeep, e.span, "calls nested too deeply");
    try {
        return eval(*fn.body, callee);
    } catch (DiagnosticError& err) {
        if (blame_ && blamed_code(err.diagnostic.code)) {
            blame_caller(err, e);
            throw;
        }
        // Name the calls that led to an error inside a function (a few levels: enough to find
        // the user's line when the error is deep in the stdlib), unless it points at this call.
        auto& notes = err.diagnostic.notes;
        const auto& labels = err.diagnostic.labels;
        bool at_this_call = !labels.empty() && same_span(labels[0].span, e.span);
        if (sources_ && notes.size() < 4 && !at_this_call)
            notes.push_back("in the call of `" + fn.decl->name + "` at " + sources_->location(e.span));
        throw;
    }
}

// An argument its parameter does not accept, computed when the call runs: reported at the
// argument when the call is the user's; when a stdlib function passes the value on, at the user's
// argument it came from (blame_caller, as the error leaves each call).
void Evaluator::reject_argument(const TExpr& e, size_t param, const RuleViolation& bad) {
    Diagnostic d(Code::ArgumentNotAllowedAtRun);
    d.message = bad.message;
    d.help = bad.help;
    const Span& arg = e.kids[param]->span;
    d.labels.push_back({inside(arg, e.span) ? arg : e.span, bad.label});
    if (in_stdlib(e.span) && !active_.empty()) {
        std::vector<int> read;
        params_read(*e.kids[param], *active_.back(), read);
        blame_ = read;
        blame_note_ = checked_by(e.fn->decl->name, arg);
    }
    throw DiagnosticError{std::move(d)};
}

// The error leaves the call `e` of a function with the parameters blame_ names. At a call in the
// user's code it moves there, under those arguments (the call itself when they are defaults);
// at a call in the stdlib, blame passes to the caller's parameters those arguments read.
void Evaluator::blame_caller(DiagnosticError& err, const TExpr& e) {
    std::vector<int> params = *blame_;
    Diagnostic& d = err.diagnostic;
    if (!in_stdlib(e.span)) {
        std::vector<Label> labels;
        for (int p : params)
            if (inside(e.kids[p]->span, e.span)) labels.push_back({e.kids[p]->span, labels.empty() ? d.labels[0].text : ""});
        if (labels.empty()) labels.push_back({e.span, d.labels[0].text.empty() ? "in this call" : d.labels[0].text + " (a default)"});
        if (!blame_note_.empty()) d.notes = {blame_note_};
        d.labels = std::move(labels);
        blame_.reset();
        return;
    }
    std::vector<int> next;
    if (active_.size() >= 2)
        for (int p : params) params_read(*e.kids[p], *active_[active_.size() - 2], next);
    blame_ = next;
}

std::string Evaluator::checked_by(const std::string& fn, const Span& at) const {
    return sources_ ? "checked by `" + fn + "` at " + sources_->location(at) : "";
}

bool Evaluator::in_stdlib(const Span& s) const { 
    // A host function's wrapper (interpreter/host_functions.cpp) is library code too.
    if (!sources_) return false;
    const std::string& name = sources_->file(s.file).name;
    return name.rfind("<stdlib", 0) == 0 || name.rfind("<host", 0) == 0;
}

const files::FileAccess& Evaluator::files() const {
    static const files::FileAccess unrestricted;
    return files_ ? *files_ : unrestricted;
}

CallSite Evaluator::call_site(const TExpr& builtin) const {
    auto file = [&](const Span& s) { return sources_ ? std::string_view(sources_->file(s.file).name) : std::string_view(); };
    CallSite site{builtin.span, file(builtin.span), &builtin.type};
    site.files = &files();
    site.expr = &builtin;
    site.units = &units_;
    for (auto outer = calls_.rbegin(); in_stdlib(site.origin) && outer != calls_.rend(); ++outer) site.origin = *outer;
    site.origin_file = file(site.origin);
    return site;
}

Value Evaluator::range(const TExpr& e, std::vector<Value>& frame) {
    double from = eval(*e.kids[0], frame).num();
    double to = eval(*e.kids[1], frame).num();
    if (e.index == 1) {  // log spacing: from, from·r, ..., to
        double n = eval(*e.kids[2], frame).num();
        if (n < 2 || n != std::floor(n) || n > static_cast<double>(kMaxListLength))
            runtime_error(Code::ValueOutOfRange, e.kids[2]->span, fmt::format("a log range needs a whole number of points from 2 to {}", kMaxListLength));
        if (from <= 0 || to <= 0) runtime_error(Code::ValueOutOfRange, e.span, "a log range needs positive bounds");
        std::vector<Value> items;
        double ratio = plan_log(to / from) / (n - 1);
        for (double i = 0; i < n; ++i) items.push_back(Value(i == n - 1 ? to : from * plan_exp(ratio * i)));
        return make_list(std::move(items));
    }
    double step = eval(*e.kids[2], frame).num();
    if (step == 0) runtime_error(Code::ValueOutOfRange, e.kids[2]->span, "a range step must not be zero");
    double count = std::floor((to - from) / step + 1e-9) + 1;
    if (count > static_cast<double>(kMaxListLength))
        runtime_error(Code::TooLarge, e.span, fmt::format("this range has {} items; the limit is {}", format_number(count, false), kMaxListLength));
    std::vector<Value> items;
    for (double i = 0; i < count; ++i) items.push_back(Value(from + i * step));
    return make_list(std::move(items));
}

}  // namespace plan
