// A small host program that embeds plan through libplan (include/plan/plan.hpp).
//
// It sizes one training run the way a job scheduler might: it defines a model size and a
// formula, evaluates expressions, reads back values with units (display text, SI number, unit,
// JSON), captures `print` output, and shows the structured error of a bad expression. Then it
// admits a job as docs/embedding.md does: typed values, bindings from the host, a call of a
// stdlib function with a named argument, a record's fields, and a prepared expression; a host
// function (the scheduler's price list) that plan code calls, checked against its signature; and a
// sweep whose rows come back as values, and one the host cancels.
// Every result is also checked: the program exits 0 only if everything behaves as expected,
// so it runs as a test (examples/CMakeLists.txt, test `example.embed_host`).
#include <cmath>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
    if (!ok) {
        std::cout << "UNEXPECTED: " << what << "\n";
        ++failures;
    }
}

// Evaluates `code`, prints its value, and checks that it succeeded.
plan::ResultValue show(plan::Session& session, const std::string& code) {
    plan::Result r = session.eval(code, "<host>");
    expect(r.ok() && r.value.has_value(), "`" + code + "` evaluates");
    if (!r.ok()) {
        for (const auto& e : r.errors) std::cout << e.rendered;
        return {};
    }
    const plan::ResultValue& v = *r.value;
    std::cout << code << "\n";
    std::cout << "  display: " << v.display << "\n";
    std::cout << "  type:    " << v.type << "\n";
    if (v.number) {
        std::ostringstream si;
        si.precision(17);
        si << *v.number;
        std::cout << "  SI:      " << si.str() << "\n";
        std::cout << "  unit:    " << v.unit << "\n";
    }
    std::cout << "  json:    " << v.json << "\n";
    return v;
}

}  // namespace

int main() {
    std::ostringstream printed;  // where `print` statements write
    plan::SessionOptions options;
    options.print_expressions = false;  // the host reads values from each Result instead
    options.out = &printed;
    plan::Session session(options);

    expect(!plan::version().empty(), "plan::version() names the library version");

    // Definitions persist in the session between calls.
    plan::Result defs = session.eval(R"(
let n = 7B            # parameters
let d = 2T            # training tokens
## Training compute by the 6·N·D rule.
fn train_flops(n, d) = 6 FLOP * n * d
print "defined train_flops for {n} parameters"
)",
                                     "<host>");
    expect(defs.ok(), "the definitions check and run");
    expect(!defs.value.has_value(), "definitions alone produce no value");
    std::cout << "print output: " << printed.str() << "\n";
    expect(printed.str() == "defined train_flops for 7e9 parameters\n", "print output is captured");

    // Values with units: 6 × 7e9 × 2e12 = 8.4e22 FLOP; at 40% of 1024 × 989 TFLOP/s that is
    // 8.4e22 / 4.050944e17 s = 2.4 days.
    plan::ResultValue c = show(session, "train_flops(n, d)");
    expect(c.number && std::abs(*c.number - 8.4e22) < 1e9, "compute is 8.4e22 FLOP");
    expect(c.unit == "FLOP", "compute displays in FLOP");

    plan::ResultValue t = show(session, "train_flops(n, d) / (1024 * 989 TFLOP/s * 40%) -> day");
    expect(t.number && std::abs(*t.number / 86400 - 2.39998) < 1e-4, "time is 2.4 days");
    expect(t.unit == "day" && t.type == "Time", "time is a Time shown in days");

    plan::ResultValue w = show(session, "70e9 * 2 B -> GiB");
    expect(w.number && *w.number == 1.4e11 && w.display == "130.385 GiB", "weights are 1.4e11 B = 130.385 GiB");

    plan::ResultValue rec = show(session, "{ params = n, weights = n * 2 B }");
    expect(!rec.number && rec.type == "{ params: Scalar, weights: Data }", "a record has a structural type");

    // A bad expression: a structured error, and the session is left as it was.
    std::cout << "\n";
    plan::Result bad = session.eval("train_flops(n, d) + 3 s", "<host>");
    expect(!bad.ok() && bad.exit_code == 2, "a dimension error is a check error (exit code 2)");
    expect(bad.errors.size() == 1, "one error");
    if (!bad.errors.empty()) {
        const plan::Message& e = bad.errors[0];
        std::cout << "error code:    " << e.code << "\n";  // `plan explain E0201` says what it means
        std::cout << "error kind:    " << e.kind << "\n";
        std::cout << "error file:    " << e.file << "\n";
        std::cout << "error line:    " << e.line << "\n";
        std::cout << "error column:  " << e.column << "\n";
        std::cout << "error message: " << e.message << "\n";
        // `rendered` is what the plan command prints: the message, the position, the source
        // line with a caret under each operand, and a help line where there is one. Its first
        // two lines:
        std::istringstream lines(e.rendered);
        std::string first, second;
        std::getline(lines, first);
        std::getline(lines, second);
        std::cout << "rendered:\n" << first << "\n" << second << "\n";
        expect(e.code == "E0201" && e.kind == "dimension" && e.file == "<host>" && e.line == 1 && e.column == 1,
               "the error is a dimension error (E0201: cannot add) at <host>:1:1");
        expect(e.rendered.find("train_flops(n, d) + 3 s") != std::string::npos &&
                   e.rendered.find("^^^ Time") != std::string::npos,
               "the rendered error shows the source line and carets");
    }

    // A failed call leaves no definitions behind: `m` is unknown afterwards.
    plan::Result partial = session.eval("let m = 1 GB\nlet bad = m + 1 s", "<host>");
    expect(partial.exit_code == 2, "the second line fails to check");
    plan::Result after = session.eval("m", "<host>");
    expect(!after.ok() && !after.errors.empty() && after.errors[0].kind == "name",
           "`m` from the failed call is not defined");

    // A runtime error exits 1.
    plan::Result div = session.eval("1 GB / (n - n)", "<host>");
    expect(div.exit_code == 1 && !div.errors.empty() && div.errors[0].kind == "runtime", "division by zero is a runtime error");

    // The scheduler of docs/embedding.md, with typed values.
    std::cout << "\nscheduler:\n";
    session.set("gpus", 1024);
    session.set("flops", plan::quantity(1e24, "FLOP"));
    session.set("hbm", plan::quantity(80, "GiB"));
    plan::Result days = session.eval("flops / (gpus * 989 TFLOP/s * 40%) -> day", "<host>");
    expect(days.ok() && days.value->is(plan::HostValue::Kind::Quantity), "the training time is a quantity");
    if (days.ok()) {
        std::cout << "  time: " << days.value->display << " = " << days.value->si << " s (" << days.value->dimension << ")\n";
        expect(std::abs(days.value->si - 1e24 / (1024 * 989e12 * 0.4)) < 1e-6, "1e24 FLOP / (1024 · 989 TFLOP/s · 40%)");
        expect(days.value->display == "28.5713 day" && days.value->unit == "day", "shown in days");
    }
    plan::Result model = session.eval("llama3_70b", "<host>");
    expect(model.ok() && model.value->is(plan::HostValue::Kind::Record), "a model is a record");
    if (model.ok()) {
        const plan::HostValue& m = *model.value;
        std::cout << "  model: " << m["name"].text << ", layers " << m["layers"].si << ", d_model " << m["d_model"].si << "\n";
        plan::Result shard = session.call("stage_params", {m}, {{"tp", 8}});
        plan::Result total = session.call("params", {m});
        expect(shard.ok() && total.ok(), "stage_params(m, tp = 8) and params(m) run");
        if (shard.ok() && total.ok()) {
            std::cout << "  parameters: " << total.value->display << ", per GPU at tp = 8: " << shard.value->display << "\n";
            expect(shard.value->si == 8819213312 && total.value->si == 70553706496, "70553706496 parameters, an eighth per GPU");
            plan::Prepared fits = session.prepare("params * 2 B / tp / memory",
                                                  {{"params", 1}, {"tp", 1}, {"memory", plan::quantity(1, "GiB")}});
            for (double tp : {1, 2, 4, 8}) {
                double fraction = fits.number({total.value->si, tp, 80 * 1073741824.0});
                std::cout << "  tp = " << tp << ": the weights fill " << fraction << " of 80 GiB: " << (fraction <= 1 ? "queue" : "refuse") << "\n";
                expect(fraction == total.value->si * 2 / tp / (80 * 1073741824.0), "the prepared fraction is params·2 B/tp/80 GiB");
            }
        }
    }
    plan::Result wrong = session.set("hbm", plan::quantity(3, "s"));
    plan::Result mismatch = session.eval("hbm + 1 GB", "<host>");
    expect(wrong.ok() && mismatch.exit_code == 2 && mismatch.errors[0].code == "E0201", "a Time bound where Data is used is E0201");
    if (!mismatch.errors.empty()) std::cout << "  after set(\"hbm\", 3 s): " << mismatch.errors[0].message << "\n";

    // A host function: the scheduler's price list, which plan code calls like its own function.
    std::cout << "\nhost function:\n";
    auto price = [](const std::vector<plan::HostValue>& args) {
        const std::string& gpu = args.at(0).text;
        if (gpu != "H100" && gpu != "A100") throw std::runtime_error("no price for " + gpu);
        double usd_per_hour = gpu == "H100" ? 2.5 : 1.5;
        return plan::quantity(usd_per_hour * args.at(1).si / 3600 * args.at(2).si, "USD");
    };
    plan::Result defined = session.define_function("gpu_cost(gpu: String, hours: Time, count: Scalar = 1): Money",
                                                   "What `count` GPUs of the scheduler's price list cost for `hours`.", price);
    expect(defined.ok(), "gpu_cost is defined");
    plan::Result cost = session.eval("gpu_cost(\"H100\", flops / (gpus * 989 TFLOP/s * 40%), count = gpus) -> USD", "<host>");
    expect(cost.ok() && std::abs(cost.value->si - 2.5 * 1024 * 1e24 / (1024 * 989e12 * 0.4) / 3600) < 1e-6, "the run's price");
    if (cost.ok()) std::cout << "  the run costs " << cost.value->display << "\n";
    plan::Result unchecked = session.eval("gpu_cost(\"H100\", 8 GB)", "<host>");
    expect(unchecked.exit_code == 2 && unchecked.errors[0].code == "E0207", "a Data where Time is declared is E0207");
    if (!unchecked.errors.empty()) std::cout << unchecked.errors[0].rendered;
    plan::Result thrown = session.eval("gpu_cost(\"TPU v5\", 1 h)", "<host>");
    expect(thrown.exit_code == 1 && thrown.errors[0].code == "E0560", "the host's exception is E0560");
    if (!thrown.errors.empty()) std::cout << thrown.errors[0].rendered;
    plan::Result untyped = session.define_function("gpu_price(gpu: String, hours): Money", "", price);
    expect(untyped.exit_code == 2 && untyped.errors[0].code == "E0353", "an untyped parameter is E0353");
    if (!untyped.errors.empty()) std::cout << untyped.errors[0].rendered;
    plan::Result returned = session.define_function("bad_cost(hours: Time): Money", "", [](auto&) { return plan::quantity(3, "h"); });
    plan::Result mistyped = session.eval("bad_cost(1 h)", "<host>");
    expect(returned.ok() && mistyped.exit_code == 1 && mistyped.errors[0].code == "E0561", "a Time returned for Money is E0561");
    if (!mistyped.errors.empty()) std::cout << mistyped.errors[0].rendered;

    // A sweep from the host: the cheapest GPU counts that finish the run in 30 days, as rows.
    std::cout << "\nsweep:\n";
    plan::Result swept = session.eval(R"(sweep admit {
    n in [256, 512, 1024, 2048]
    gpu in ["A100", "H100"]
    let days = flops / (n * (if gpu == "H100" then 989 TFLOP/s else 312 TFLOP/s) * 40%) -> day
    constraint days <= 30 day
    let cost = gpu_cost(gpu, days, n)
    minimize cost
    report top 2
})", "<host>");
    expect(swept.ok() && swept.sweeps.size() == 1 && swept.sweeps[0].rows.size() == 2, "the sweep gives its two best rows");
    if (swept.ok())
        for (const plan::HostValue& row : swept.sweeps[0].rows)
            std::cout << "  " << row["gpu"].text << " x " << row["n"].si << ": " << row["days"].display << ", " << row["cost"].display << "\n";
    session.cancel();
    plan::Result cancelled = session.eval("sweep {\n  n in 1..10\n  minimize n\n  report top 1\n}", "<host>");
    expect(cancelled.exit_code == 1 && cancelled.errors[0].code == "E0562", "a cancelled sweep is E0562");
    if (!cancelled.errors.empty()) std::cout << cancelled.errors[0].rendered;

    std::cout << "\n" << (failures == 0 ? "all checks passed" : std::to_string(failures) + " checks failed") << "\n";
    return failures == 0 ? 0 : 1;
}
