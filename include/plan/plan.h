/* libplan's C API: embed the plan language from C or from any language with a C FFI.
 *
 *   plan_session* s = plan_session_new();
 *   plan_value* v = NULL;
 *   if (plan_eval(s, "70e9 * 2 B -> GiB", &v) == PLAN_OK)
 *       printf("%s = %.17g B\n", plan_value_display(v), plan_value_si(v));  // 130.385 GiB = 1.4e11 B
 *   else
 *       fputs(plan_error_rendered(s, 0), stderr);
 *   plan_value_free(v);
 *   plan_session_free(s);
 *
 * Strings are UTF-8 and NUL-terminated both ways. A string the library returns belongs to the
 * handle it came from and stays valid until that handle is freed (a session's error strings: until
 * its next call). Handles are opaque; no C++ type or exception crosses this API.
 *
 * Errors: each call that can fail returns a plan_status (0 is success) and, on failure, leaves
 * its errors in the session: plan_error_count, then plan_error_code ("E0201"), _kind, _message,
 * _file, _line, _column and _rendered (the message with the source line and carets).
 *
 * Threads and lifetime: a session and the prepared expressions made from it belong to one thread
 * at a time (plan_cancel excepted); independent sessions run in parallel threads. Values are independent of their
 * session: they may outlive it and be read from any thread. Free every handle once.
 */
#ifndef PLAN_PLAN_H
#define PLAN_PLAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct plan_session plan_session;
typedef struct plan_value plan_value;
typedef struct plan_prepared plan_prepared;

typedef enum plan_status {
    PLAN_OK = 0,
    PLAN_RUNTIME_ERROR = 1, /* a runtime error or a failed assert */
    PLAN_CHECK_ERROR = 2,   /* a parse, name, dimension or type error: nothing ran */
    PLAN_BAD_ARGUMENT = 3,  /* a null handle or string, an index out of range */
} plan_status;

typedef enum plan_kind {
    PLAN_QUANTITY = 0,
    PLAN_BOOL = 1,
    PLAN_STRING = 2,
    PLAN_LIST = 3,
    PLAN_RECORD = 4,
} plan_kind;

/* The library's version, "0.1.0". */
const char* plan_version(void);

/* Sessions. A new session has the standard units and library; it prints nothing (bare expressions
 * are returned, not printed) and `print` statements write to its output buffer. Null when the
 * session cannot start. */
plan_session* plan_session_new(void);
void plan_session_free(plan_session* s);
/* What `print` wrote since the last call of this function. */
const char* plan_session_output(plan_session* s);

/* Runs plan code; `name` names it in errors (NULL: "<embed>"). *out (when out is not NULL) gets the
 * value of the last bare expression, or NULL when there is none; free it with plan_value_free. */
plan_status plan_eval(plan_session* s, const char* code, const char* name, plan_value** out);
/* Binds `name` to a value, as `let` would; the session does not take `v` (free it yourself). */
plan_status plan_set(plan_session* s, const char* name, const plan_value* v);
/* Calls a plan function with `count` positional arguments and `named_count` named ones. */
plan_status plan_call(plan_session* s, const char* function, const plan_value* const* args, size_t count,
                      const char* const* names, const plan_value* const* named, size_t named_count, plan_value** out);

/* Host functions: plan code calls `function` like its own, checked against `signature`, a plan
 * function header typing every parameter and the result ("gpu_cost(gpu: String, hours: Time):
 * Money"). The function gets the arguments (owned by the library, valid during the call) in the
 * signature's order, sets *result to a new value (the library frees it) and returns 0; or returns
 * nonzero, with *error pointing to a message (copied), to fail the call with a runtime error
 * (E0560) at the call in plan code. `user` is passed back as it is. A sweep may call it from its
 * threads, one call at a time. */
typedef int (*plan_host_function)(void* user, const plan_value* const* args, size_t count, plan_value** result,
                                  const char** error);
plan_status plan_define_function(plan_session* s, const char* signature, const char* doc, plan_host_function function,
                                 void* user);
/* Sweeps. The reports of the sweeps the last plan_eval ran (after a cancel too: the rows found so
 * far): how many, each one's kind ("top", "pareto", "all") and sweep name, and its rows, records of
 * the report's columns in the order the CLI prints them (owned by the session until its next call). */
size_t plan_sweep_report_count(const plan_session* s);
const char* plan_sweep_report_kind(const plan_session* s, size_t report);
const char* plan_sweep_report_sweep(const plan_session* s, size_t report);
size_t plan_sweep_row_count(const plan_session* s, size_t report);
const plan_value* plan_sweep_row(const plan_session* s, size_t report, size_t row);
/* With a callback, the rows of each `report all` go to it in enumeration order instead (the row is
 * valid during the call); a nonzero return stops the program with a runtime error. NULL: kept. */
typedef int (*plan_row_callback)(void* user, const plan_value* row);
plan_status plan_session_on_row(plan_session* s, plan_row_callback callback, void* user);
/* Stops the evaluation or sweep the session runs now, or the next one it starts (error E0562). The
 * one function that any thread may call on a session another thread is using. */
void plan_cancel(plan_session* s);
/* The errors of the session's last failed call, first to last. */
size_t plan_error_count(const plan_session* s);
const char* plan_error_code(const plan_session* s, size_t i);
const char* plan_error_kind(const plan_session* s, size_t i);
const char* plan_error_message(const plan_session* s, size_t i);
const char* plan_error_file(const plan_session* s, size_t i);
int plan_error_line(const plan_session* s, size_t i);
int plan_error_column(const plan_session* s, size_t i);
const char* plan_error_rendered(const plan_session* s, size_t i);

/* Prepared expressions: checked once, evaluated many times with new values of its parameters
 * (names[i] with the type of examples[i]). NULL on an error, which the session holds. */
plan_prepared* plan_prepare(plan_session* s, const char* expression, const char* const* names,
                            const plan_value* const* examples, size_t count);
/* Quantities in SI base units in, a quantity in SI base units out. */
plan_status plan_prepared_number(plan_prepared* p, const double* si_values, size_t count, double* out);
void plan_prepared_free(plan_prepared* p);

/* Values a host builds: a quantity of `amount` in `unit` ("GiB", "FLOP/s", "" for a plain number). */
plan_value* plan_value_quantity(double amount, const char* unit);
plan_value* plan_value_bool(int b);
plan_value* plan_value_string(const char* text);
/* A list or record of copies of the given values (the caller still owns them). */
plan_value* plan_value_list(const plan_value* const* items, size_t count);
plan_value* plan_value_record(const char* const* names, const plan_value* const* fields, size_t count);
plan_value* plan_value_copy(const plan_value* v);
void plan_value_free(plan_value* v);

/* Reading a value. */
plan_kind plan_value_kind(const plan_value* v);
double plan_value_si(const plan_value* v);          /* a quantity in SI base units */
double plan_value_amount(const plan_value* v);      /* a quantity in its display unit */
const char* plan_value_unit(const plan_value* v);   /* "GiB"; "" for a Scalar */
const char* plan_value_dimension(const plan_value* v);  /* "Data", "Scalar" */
int plan_value_bool_of(const plan_value* v);
const char* plan_value_text(const plan_value* v);   /* a String's text */
const char* plan_value_display(const plan_value* v);    /* "130.385 GiB" (a result's) */
const char* plan_value_type(const plan_value* v);       /* "Data", "List<Time>" (a result's) */
const char* plan_value_json(const plan_value* v);       /* the JSON form (a result's; "" otherwise) */
/* A list's items or a record's fields: how many, and the i-th (owned by `v`). */
size_t plan_value_count(const plan_value* v);
const plan_value* plan_value_item(const plan_value* v, size_t i);
const char* plan_value_field_name(const plan_value* v, size_t i);
/* A record's field by name, or NULL. */
const plan_value* plan_value_field(const plan_value* v, const char* name);

#ifdef __cplusplus
}
#endif

#endif /* PLAN_PLAN_H */
