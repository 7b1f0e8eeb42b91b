// libplan's C API (include/plan/plan.h) over the C++ one: handles own C++ objects, strings point
// into them, and no exception leaves a function.
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "plan/plan.h"
#include "plan/plan.hpp"

struct plan_value {
    plan::HostValue value;
    std::string json;                     // a result's JSON form
    std::vector<plan_value> children;     // items or fields, for plan_value_item
    explicit plan_value(plan::HostValue v, std::string j = {}) : value(std::move(v)), json(std::move(j)) {
        if (value.is(plan::HostValue::Kind::List))
            for (auto& item : value.items) children.emplace_back(item);
        if (value.is(plan::HostValue::Kind::Record))
            for (auto& [name, field] : value.fields) children.emplace_back(field);
    }
};

struct plan_session {
    std::ostringstream printed;
    std::string output;  // plan_session_output's last answer
    std::unique_ptr<plan::Session> session;
    std::vector<plan::Message> errors;
    // The sweeps of the last plan_eval: each report's kind and name, and its rows.
    std::vector<plan::SweepReport> reports;
    std::vector<std::vector<plan_value>> rows;
    plan_row_callback on_row = nullptr;  // plan_session_on_row's
    void* on_row_user = nullptr;
};

struct plan_prepared {
    plan_session* owner;
    plan::Prepared prepared;
};

namespace {

static_assert(static_cast<int>(plan::HostValue::Kind::Quantity) == PLAN_QUANTITY && static_cast<int>(plan::HostValue::Kind::Bool) == PLAN_BOOL &&
                  static_cast<int>(plan::HostValue::Kind::String) == PLAN_STRING && static_cast<int>(plan::HostValue::Kind::List) == PLAN_LIST &&
                  static_cast<int>(plan::HostValue::Kind::Record) == PLAN_RECORD,
              "plan_kind numbers HostValue::Kind");

plan::Message argument_error(std::string text) {
    plan::Message m;
    m.code = "";
    m.kind = "argument";
    m.message = text;
    m.rendered = "error: " + text + "\n";
    return m;
}

plan_status bad_argument(plan_session* s, std::string text) {
    s->errors = {argument_error(std::move(text))};
    return PLAN_BAD_ARGUMENT;
}

// A Result's errors into the session, its value into *out.
plan_status finish(plan_session* s, plan::Result r, plan_value** out) {
    s->errors = std::move(r.errors);
    s->rows.clear();
    for (auto& report : r.sweeps) {
        s->rows.emplace_back();
        for (auto& row : report.rows) s->rows.back().emplace_back(std::move(row));
        report.rows.clear();
    }
    s->reports = std::move(r.sweeps);
    if (out) *out = r.ok() && r.value ? new plan_value(*r.value, r.value->json) : nullptr;
    return static_cast<plan_status>(r.exit_code);
}

const plan::Message* error_at(const plan_session* s, size_t i) { return s && i < s->errors.size() ? &s->errors[i] : nullptr; }

std::vector<plan::HostValue> values_of(const plan_value* const* values, size_t count) {
    std::vector<plan::HostValue> out;
    for (size_t i = 0; i < count; ++i) out.push_back(values[i]->value);
    return out;
}

bool any_null(const plan_value* const* values, size_t count) {
    for (size_t i = 0; i < count; ++i)
        if (!values[i]) return true;
    return count > 0 && !values;
}

}  // namespace

extern "C" {

const char* plan_version(void) {
    static const std::string v = plan::version();
    return v.c_str();
}

plan_session* plan_session_new(void) {
    try {
        auto* s = new plan_session;
        plan::SessionOptions o;
        o.print_expressions = false;
        o.out = &s->printed;
        o.on_row = [s](const plan::HostValue& row) {
            if (!s->on_row) return false;  // kept for plan_sweep_row
            plan_value v(row);
            if (s->on_row(s->on_row_user, &v) != 0) throw std::runtime_error("it returned an error");
            return true;
        };
        s->session = std::make_unique<plan::Session>(o);
        return s;
    } catch (...) {
        return nullptr;
    }
}

void plan_session_free(plan_session* s) { delete s; }

const char* plan_session_output(plan_session* s) {
    if (!s) return "";
    s->output = s->printed.str();
    s->printed.str("");
    return s->output.c_str();
}

plan_status plan_eval(plan_session* s, const char* code, const char* name, plan_value** out) {
    if (out) *out = nullptr;
    if (!s) return PLAN_BAD_ARGUMENT;
    if (!code) return bad_argument(s, "plan_eval: the code is NULL");
    try {
        return finish(s, s->session->eval(code, name ? name : "<embed>"), out);
    } catch (const std::exception& e) {
        return bad_argument(s, e.what());
    }
}

plan_status plan_set(plan_session* s, const char* name, const plan_value* v) {
    if (!s) return PLAN_BAD_ARGUMENT;
    if (!name || !v) return bad_argument(s, "plan_set: the name or the value is NULL");
    return finish(s, s->session->set(name, v->value), nullptr);
}

plan_status plan_call(plan_session* s, const char* function, const plan_value* const* args, size_t count, const char* const* names,
                      const plan_value* const* named, size_t named_count, plan_value** out) {
    if (out) *out = nullptr;
    if (!s) return PLAN_BAD_ARGUMENT;
    if (!function || any_null(args, count) || any_null(named, named_count) || (named_count && !names))
        return bad_argument(s, "plan_call: a NULL function name or argument");
    std::vector<std::pair<std::string, plan::HostValue>> by_name;
    for (size_t i = 0; i < named_count; ++i) {
        if (!names[i]) return bad_argument(s, "plan_call: a NULL argument name");
        by_name.emplace_back(names[i], named[i]->value);
    }
    try {
        return finish(s, s->session->call(function, values_of(args, count), by_name), out);
    } catch (const std::exception& e) {
        return bad_argument(s, e.what());
    }
}

plan_status plan_define_function(plan_session* s, const char* signature, const char* doc, plan_host_function function, void* user) {
    if (!s) return PLAN_BAD_ARGUMENT;
    if (!signature || !function) return bad_argument(s, "plan_define_function: a NULL signature or function");
    auto call = [function, user](const std::vector<plan::HostValue>& args) {
        std::vector<plan_value> values(args.begin(), args.end());
        std::vector<const plan_value*> pointers;
        for (auto& v : values) pointers.push_back(&v);
        plan_value* result = nullptr;
        const char* error = nullptr;
        int failed = function(user, pointers.data(), pointers.size(), &result, &error);
        std::unique_ptr<plan_value> owned(result);
        if (failed || !owned) throw std::runtime_error(error ? error : failed ? "it returned an error" : "it returned no value");
        return owned->value;
    };
    try {
        return finish(s, s->session->define_function(signature, doc ? doc : "", call), nullptr);
    } catch (const std::exception& e) {
        return bad_argument(s, e.what());
    }
}

void plan_cancel(plan_session* s) {
    if (s) s->session->cancel();
}

plan_status plan_session_on_row(plan_session* s, plan_row_callback callback, void* user) {
    if (!s) return PLAN_BAD_ARGUMENT;
    // The session's option, fixed when it was made, reads the callback from here at each row.
    s->on_row = callback;
    s->on_row_user = user;
    return PLAN_OK;
}

size_t plan_sweep_report_count(const plan_session* s) { return s ? s->reports.size() : 0; }
const char* plan_sweep_report_kind(const plan_session* s, size_t report) {
    return s && report < s->reports.size() ? s->reports[report].kind.c_str() : "";
}
const char* plan_sweep_report_sweep(const plan_session* s, size_t report) {
    return s && report < s->reports.size() ? s->reports[report].sweep.c_str() : "";
}
size_t plan_sweep_row_count(const plan_session* s, size_t report) { return s && report < s->rows.size() ? s->rows[report].size() : 0; }
const plan_value* plan_sweep_row(const plan_session* s, size_t report, size_t row) {
    return s && report < s->rows.size() && row < s->rows[report].size() ? &s->rows[report][row] : nullptr;
}

size_t plan_error_count(const plan_session* s) { return s ? s->errors.size() : 0; }
const char* plan_error_code(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->code.c_str() : ""; }
const char* plan_error_kind(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->kind.c_str() : ""; }
const char* plan_error_message(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->message.c_str() : ""; }
const char* plan_error_file(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->file.c_str() : ""; }
int plan_error_line(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->line : 0; }
int plan_error_column(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->column : 0; }
const char* plan_error_rendered(const plan_session* s, size_t i) { return error_at(s, i) ? error_at(s, i)->rendered.c_str() : ""; }

plan_prepared* plan_prepare(plan_session* s, const char* expression, const char* const* names, const plan_value* const* examples,
                            size_t count) {
    if (!s) return nullptr;
    if (!expression || any_null(examples, count) || (count && !names)) {
        bad_argument(s, "plan_prepare: a NULL expression, name or example");
        return nullptr;
    }
    std::vector<std::pair<std::string, plan::HostValue>> parameters;
    for (size_t i = 0; i < count; ++i) parameters.emplace_back(names[i] ? names[i] : "", examples[i]->value);
    try {
        plan::Prepared p = s->session->prepare(expression, parameters);
        s->errors.clear();
        return new plan_prepared{s, std::move(p)};
    } catch (const plan::Error& e) {
        s->errors = e.errors();
    } catch (const std::exception& e) {
        bad_argument(s, e.what());
    }
    return nullptr;
}

plan_status plan_prepared_number(plan_prepared* p, const double* si_values, size_t count, double* out) {
    if (!p || !out || (count && !si_values)) return PLAN_BAD_ARGUMENT;
    try {
        *out = p->prepared.number(si_values, count);
        return PLAN_OK;
    } catch (const plan::Error& e) {
        p->owner->errors = e.errors();
        return e.errors().empty() || e.errors()[0].kind != "runtime" ? PLAN_CHECK_ERROR : PLAN_RUNTIME_ERROR;
    }
}

void plan_prepared_free(plan_prepared* p) { delete p; }

plan_value* plan_value_quantity(double amount, const char* unit) { return new plan_value(plan::quantity(amount, unit ? unit : "")); }
plan_value* plan_value_bool(int b) { return new plan_value(plan::HostValue(b != 0)); }
plan_value* plan_value_string(const char* text) { return new plan_value(plan::HostValue(std::string(text ? text : ""))); }

plan_value* plan_value_list(const plan_value* const* items, size_t count) {
    if (any_null(items, count)) return nullptr;
    return new plan_value(plan::HostValue::list(values_of(items, count)));
}

plan_value* plan_value_record(const char* const* names, const plan_value* const* fields, size_t count) {
    if (any_null(fields, count) || (count && !names)) return nullptr;
    std::vector<std::pair<std::string, plan::HostValue>> out;
    for (size_t i = 0; i < count; ++i) {
        if (!names[i]) return nullptr;
        out.emplace_back(names[i], fields[i]->value);
    }
    return new plan_value(plan::HostValue::record(std::move(out)));
}

plan_value* plan_value_copy(const plan_value* v) { return v ? new plan_value(*v) : nullptr; }
void plan_value_free(plan_value* v) { delete v; }

plan_kind plan_value_kind(const plan_value* v) { return v ? static_cast<plan_kind>(v->value.kind) : PLAN_QUANTITY; }
double plan_value_si(const plan_value* v) { return v ? v->value.si : 0; }
double plan_value_amount(const plan_value* v) { return v ? v->value.amount : 0; }
const char* plan_value_unit(const plan_value* v) { return v ? v->value.unit.c_str() : ""; }
const char* plan_value_dimension(const plan_value* v) { return v ? v->value.dimension.c_str() : ""; }
int plan_value_bool_of(const plan_value* v) { return v && v->value.boolean ? 1 : 0; }
const char* plan_value_text(const plan_value* v) { return v ? v->value.text.c_str() : ""; }
const char* plan_value_display(const plan_value* v) { return v ? v->value.display.c_str() : ""; }
const char* plan_value_type(const plan_value* v) { return v ? v->value.type.c_str() : ""; }
const char* plan_value_json(const plan_value* v) { return v ? v->json.c_str() : ""; }
size_t plan_value_count(const plan_value* v) { return v ? v->children.size() : 0; }
const plan_value* plan_value_item(const plan_value* v, size_t i) { return v && i < v->children.size() ? &v->children[i] : nullptr; }

const char* plan_value_field_name(const plan_value* v, size_t i) {
    return v && v->value.is(plan::HostValue::Kind::Record) && i < v->value.fields.size() ? v->value.fields[i].first.c_str() : "";
}

const plan_value* plan_value_field(const plan_value* v, const char* name) {
    if (!v || !name || !v->value.is(plan::HostValue::Kind::Record)) return nullptr;
    for (size_t i = 0; i < v->value.fields.size(); ++i)
        if (v->value.fields[i].first == name) return &v->children[i];
    return nullptr;
}

}  // extern "C"
