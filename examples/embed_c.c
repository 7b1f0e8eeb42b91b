/* A job scheduler's admission check, in C, through libplan's C API (include/plan/plan.h).
 *
 * A request asks for a model, a number of GPUs with some memory each, and a tensor-parallel
 * degree; the scheduler asks plan whether the weights of one tensor-parallel shard fit in a GPU
 * before queueing it. It binds the request's values (plan_set), calls a stdlib function with a
 * named argument (plan_call), reads a record's fields, prepares an expression once for many
 * requests, and prints the errors plan reports. Then it defines a host function (the price list),
 * runs a sweep whose rows come back (kept, or streamed to a callback), and cancels one. It runs as
 * the golden test example.embed_c. */
#include <stdio.h>

#include "plan/plan.h"

/* The scheduler's price list as a host function: USD per GPU-hour by GPU name. */
static int gpu_cost(void* user, const plan_value* const* args, size_t count, plan_value** result, const char** error) {
    (void)user;
    (void)count;  /* plan checked the call against the signature: two arguments */
    const char* gpu = plan_value_text(args[0]);
    double hours = plan_value_si(args[1]) / 3600;
    double usd_per_hour = gpu[0] == 'H' ? 2.5 : gpu[0] == 'A' ? 1.5 : 0;
    if (usd_per_hour == 0) {
        *error = "no price for this GPU";
        return 1;
    }
    *result = plan_value_quantity(usd_per_hour * hours, "USD");
    return 0;
}

/* Each row of a `report all`, in enumeration order. */
static int print_row(void* user, const plan_value* row) {
    (void)user;
    printf("  row: tp = %g, memory per GPU %s\n", plan_value_si(plan_value_field(row, "tp")),
           plan_value_display(plan_value_field(row, "per_gpu")));
    return 0;
}

static void show_errors(plan_session* s) {
    for (size_t i = 0; i < plan_error_count(s); ++i)
        printf("error[%s] (%s) at %s:%d:%d: %s\n", plan_error_code(s, i), plan_error_kind(s, i), plan_error_file(s, i),
               plan_error_line(s, i), plan_error_column(s, i), plan_error_message(s, i));
}

int main(void) {
    plan_session* s = plan_session_new();
    if (!s) return 1;

    /* The request: 64 GPUs of 80 GiB. */
    plan_value* gpus = plan_value_quantity(64, "");
    plan_value* hbm = plan_value_quantity(80, "GiB");
    plan_set(s, "gpus", gpus);
    plan_set(s, "hbm", hbm);

    /* The model is a stdlib record; its fields are read by name. */
    plan_value* model = NULL;
    if (plan_eval(s, "llama3_70b", "<request>", &model) != PLAN_OK) {
        show_errors(s);
        return 1;
    }
    const plan_value* layers = plan_value_field(model, "layers");
    printf("model: %s, %d fields, layers = %s\n", plan_value_text(plan_value_field(model, "name")), (int)plan_value_count(model),
           plan_value_display(layers));

    /* stage_params(m, tp = 8): the parameters one GPU holds. */
    const plan_value* args[] = {model};
    const char* names[] = {"tp"};
    plan_value* tp = plan_value_quantity(8, "");
    const plan_value* named[] = {tp};
    plan_value* shard = NULL;
    if (plan_call(s, "stage_params", args, 1, names, named, 1, &shard) != PLAN_OK) show_errors(s);
    printf("parameters per GPU at tp = 8: %s (%.17g)\n", plan_value_display(shard), plan_value_si(shard));

    /* One check, prepared once: do the bf16 weights of a shard fit in a GPU? */
    plan_value* one = plan_value_quantity(1, "");
    plan_value* gib = plan_value_quantity(1, "GiB");
    const char* parameters[] = {"params", "tp_degree", "memory"};
    const plan_value* examples[] = {one, one, gib};
    plan_prepared* fits = plan_prepare(s, "params * 2 B / tp_degree / memory", parameters, examples, 3);
    if (!fits) {
        show_errors(s);
        return 1;
    }
    double whole = 0;
    plan_value* total = NULL;
    plan_eval(s, "params(llama3_70b)", NULL, &total);
    for (int degree = 1; degree <= 8; degree *= 2) {
        double in[] = {plan_value_si(total), degree, 80.0 * 1073741824.0};
        double fraction = 0;
        plan_prepared_number(fits, in, 3, &fraction);
        printf("tp = %d: weights fill %.1f%% of a GPU -> %s\n", degree, 100 * fraction, fraction <= 1 ? "queue" : "refuse");
        whole = fraction;
    }
    printf("at tp = 8 the weights take %.4f of 80 GiB\n", whole);

    /* Errors: a dimension mismatch in the host's code, a statement where an expression is needed,
     * a list of mixed dimensions, and a runtime error. */
    printf("\n");
    plan_value* seconds = plan_value_quantity(3, "s");
    plan_set(s, "hbm", seconds);
    plan_value_free(seconds);
    if (plan_eval(s, "hbm - 1 GB", "<request>", NULL) != PLAN_OK) show_errors(s);
    if (!plan_prepare(s, "let x = 1", NULL, NULL, 0)) show_errors(s);
    const plan_value* mixed[] = {gib, plan_value_field(model, "layers")};
    plan_value* list = plan_value_list(mixed, 2);
    if (plan_set(s, "sizes", list) != PLAN_OK) show_errors(s);
    if (plan_set(s, "budget", gib) != PLAN_OK) show_errors(s);
    if (plan_eval(s, "1 GB / (gpus - 64)", "<request>", NULL) != PLAN_OK) show_errors(s);
    printf("%s", plan_error_rendered(s, 0));

    /* A host function, checked against its signature, and its failure at the call. */
    printf("\n");
    if (plan_define_function(s, "gpu_cost(gpu: String, hours: Time): Money", "USD for one GPU.", gpu_cost, NULL) != PLAN_OK)
        show_errors(s);
    plan_value* cost = NULL;
    if (plan_eval(s, "gpu_cost(\"H100\", 1 day) * gpus -> USD", "<request>", &cost) == PLAN_OK)
        printf("a day of the request costs %s\n", plan_value_display(cost));
    plan_value_free(cost);
    if (plan_eval(s, "gpu_cost(\"TPU\", 1 h)", "<request>", NULL) != PLAN_OK) show_errors(s);
    if (plan_eval(s, "gpu_cost(\"H100\", 1)", "<request>", NULL) != PLAN_OK) show_errors(s);

    /* A sweep's reports as rows: the top one kept, every row streamed to a callback. */
    plan_session_on_row(s, print_row, NULL);
    const char* sweep = "sweep {\n  tp in [1, 2, 4, 8]\n  let per_gpu = 140 GB / tp -> GB\n  constraint per_gpu <= 80 GB\n"
                        "  minimize tp\n  report top 1\n  report all\n}";
    if (plan_eval(s, sweep, "<request>", NULL) != PLAN_OK) show_errors(s);
    for (size_t r = 0; r < plan_sweep_report_count(s); ++r)
        printf("report %s: %zu rows kept\n", plan_sweep_report_kind(s, r), plan_sweep_row_count(s, r));
    printf("smallest tp that fits: %g\n", plan_value_si(plan_value_field(plan_sweep_row(s, 0, 0), "tp")));
    plan_cancel(s);
    if (plan_eval(s, sweep, "<request>", NULL) != PLAN_OK) show_errors(s);

    plan_value_free(list);
    plan_value_free(total);
    plan_prepared_free(fits);
    plan_value_free(gib);
    plan_value_free(one);
    plan_value_free(shard);
    plan_value_free(tp);
    plan_value_free(model);
    plan_value_free(hbm);
    plan_value_free(gpus);
    plan_session_free(s);
    return 0;
}
