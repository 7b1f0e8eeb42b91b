// Fitting scaling laws to CSV files of training runs.
//
//   fit_chinchilla_csv(path, n_column, d_column, loss_column, drop_highest_loss, bootstrap_samples, seed)
//   fit_chinchilla_flop_csv(path, n_column, flop_column, loss_column, drop_highest_loss, bootstrap_samples, seed)
//   fit_frontier_csv(path, n_column, d_column, loss_column, bins_per_decade)
//
// The Chinchilla fit is Hoffmann et al. 2022, Approach 3 (section 3.3 and appendix D.2): the law
// L(N, D) = E + A/N^α + B/D^β is fitted in log space as
//     min over (a, b, e, α, β) of  Σ_i Huber_δ( LSE(a − α log N_i, b − β log D_i, e) − log L_i ),
// δ = 1e-3, with L-BFGS started from every point of the grid α, β ∈ {0, 0.5, …, 2},
// e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}; the best end point wins; E = exp(e), A = exp(a),
// B = exp(b). The objective is the SUM of the Huber losses, as in Besiroglu et al. 2024
// ("Chinchilla Scaling: A replication attempt"), who found that the mean stops L-BFGS early.
// L-BFGS is liblbfgs (Okazaki's port of Nocedal's code, Debian package liblbfgs-dev).
//
// Bootstrap intervals: resample the rows with replacement (a 64-bit Mersenne Twister seeded with
// `seed`, so a seed gives the same intervals everywhere), refit from the full-data optimum, and
// report the 2.5% and 97.5% percentiles of each constant.
//
// The frontier regression is the seed experiment's method: C = 6·N·D per run, keep the run of
// lowest loss per compute level (levels: bins of log10 C, `bins_per_decade` per decade, or runs of
// equal C when 0), then ordinary least squares of log N_opt and of log D_opt on log C, with 95%
// confidence intervals from Student's t.
#include <lbfgs.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "stdlib/native/fitting.hpp"
#include "stdlib/native/natives.hpp"

namespace plan {

namespace fitting {

// --- The Approach 3 objective ------------------------------------------------------------------

struct Runs {
    std::vector<double> log_n, log_d, log_l;
};

constexpr double kHuberDelta = 1e-3;

// θ = (a, b, e, α, β). Returns Σ Huber_δ(LSE(a − α log N, b − β log D, e) − log L) and, when `grad`
// is not null, its gradient. `weights` (optional) multiplies each row's term (bootstrap counts).
double huber_lse_objective(const Runs& runs, const double* theta, double* grad, const std::vector<double>* weights) {
    const double a = theta[0], b = theta[1], e = theta[2], alpha = theta[3], beta = theta[4];
    double total = 0;
    double g[5] = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < runs.log_n.size(); ++i) {
        double w = weights ? (*weights)[i] : 1.0;
        if (w == 0) continue;
        double t1 = a - alpha * runs.log_n[i], t2 = b - beta * runs.log_d[i], t3 = e;
        double m = std::max({t1, t2, t3});
        double x1 = std::exp(t1 - m), x2 = std::exp(t2 - m), x3 = std::exp(t3 - m);
        double s = x1 + x2 + x3;
        double r = m + std::log(s) - runs.log_l[i];
        double ar = std::abs(r);
        double huber = ar <= kHuberDelta ? 0.5 * r * r : kHuberDelta * (ar - 0.5 * kHuberDelta);
        total += w * huber;
        if (grad) {
            // d Huber / dr, times the softmax weights d LSE / d t_k.
            double dr = ar <= kHuberDelta ? r : (r > 0 ? kHuberDelta : -kHuberDelta);
            double c = w * dr / s;
            g[0] += c * x1;
            g[1] += c * x2;
            g[2] += c * x3;
            g[3] -= c * x1 * runs.log_n[i];
            g[4] -= c * x2 * runs.log_d[i];
        }
    }
    if (grad)
        for (int k = 0; k < 5; ++k) grad[k] = g[k];
    return total;
}

namespace {

struct Problem {
    const Runs* runs;
    const std::vector<double>* weights;
};

lbfgsfloatval_t evaluate(void* instance, const lbfgsfloatval_t* x, lbfgsfloatval_t* g, const int, const lbfgsfloatval_t) {
    auto* p = static_cast<Problem*>(instance);
    double theta[5], grad[5];
    for (int k = 0; k < 5; ++k) theta[k] = x[k];
    double f = huber_lse_objective(*p->runs, theta, grad, p->weights);
    for (int k = 0; k < 5; ++k) g[k] = grad[k];
    return f;
}

}  // namespace

constexpr int kScreenIterations = 30;
constexpr size_t kPolished = 20;

struct Fit {
    std::array<double, 5> theta{};  // a, b, e, α, β
    double objective = std::numeric_limits<double>::infinity();
};

// L-BFGS from one start. liblbfgs leaves x at the best point it reached even when the line search
// gives up (the Huber loss has a kink at |r| = δ), so every end point is usable. `tight` runs to
// convergence; otherwise it stops early (for the screening of the grid of starts).
Fit minimize_from(const Runs& runs, const std::vector<double>* weights, const std::array<double, 5>& start, bool tight = true) {
    lbfgsfloatval_t* x = lbfgs_malloc(5);
    for (int k = 0; k < 5; ++k) x[k] = start[k];
    lbfgs_parameter_t param;
    lbfgs_parameter_init(&param);
    param.m = 10;
    param.epsilon = tight ? 1e-10 : 1e-6;
    param.past = 1;
    param.delta = tight ? 1e-12 : 1e-7;
    param.max_iterations = tight ? 2000 : kScreenIterations;
    param.max_linesearch = 40;
    Problem p{&runs, weights};
    lbfgsfloatval_t fx = 0;
    lbfgs(5, x, &fx, evaluate, nullptr, &p, &param);
    Fit f;
    double theta[5];
    for (int k = 0; k < 5; ++k) theta[k] = f.theta[k] = x[k];
    f.objective = huber_lse_objective(runs, theta, nullptr, weights);
    lbfgs_free(x);
    if (!std::isfinite(f.objective)) f.objective = std::numeric_limits<double>::infinity();
    return f;
}

// Hoffmann's grid of starts (6 × 6 × 5 × 5 × 5 = 4500). Every start is run by a short L-BFGS;
// the kPolished best end points are then run to convergence, and the best of those wins (ties:
// the first). Running all 4500 to convergence gives the same optimum at several times the cost.
Fit fit_grid(const Runs& runs) {
    std::vector<Fit> screened;
    for (int ia = 0; ia <= 5; ++ia)
        for (int ib = 0; ib <= 5; ++ib)
            for (int ie = 0; ie <= 4; ++ie)
                for (int ial = 0; ial <= 4; ++ial)
                    for (int ibe = 0; ibe <= 4; ++ibe) {
                        std::array<double, 5> start{5.0 * ia, 5.0 * ib, -1 + 0.5 * ie, 0.5 * ial, 0.5 * ibe};
                        screened.push_back(minimize_from(runs, nullptr, start, kScreenIterations == 0));
                    }
    std::stable_sort(screened.begin(), screened.end(), [](const Fit& x, const Fit& y) { return x.objective < y.objective; });
    Fit best;
    for (size_t i = 0; i < std::min(kPolished, screened.size()); ++i) {
        Fit f = minimize_from(runs, nullptr, screened[i].theta);
        if (f.objective < best.objective) best = f;
    }
    return best;
}

// --- CSV ---------------------------------------------------------------------------------------

struct Table {
    std::string shown;  // the path as the user wrote it
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<size_t> lines;  // the file line of each row (1-based; the header is line 1)
};

[[noreturn]] void fail(Code code, std::string message, const CallSite& at, std::string help = {}) {
    builtin_fail(code, std::move(message), at.span, "", std::move(help));
}

std::filesystem::path resolve(const std::string& path, const CallSite& at) {
    std::filesystem::path p(path);
    if (p.is_absolute() || at.file.empty() || at.file.front() == '<') return p;
    return std::filesystem::path(std::string(at.file)).parent_path() / p;
}

// RFC 4180: fields separated by commas, optionally in double quotes ("" is a quote inside them;
// quoted fields may hold commas and newlines). CR LF and LF both end records.
Table read_csv(const std::string& path, const CallSite& at) {
    std::string text;
    try {
        text = at.access().read(resolve(path, at).lexically_normal().string(), files::kMaxDataFile);
    } catch (const files::FileError& e) {
        file_fail(e, at.span, "", false);
    }
    Table t;
    t.shown = path;
    std::vector<std::vector<std::string>> records;
    std::vector<size_t> record_lines;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false, field_started = false, any = false;
    size_t line = 1, record_line = 1;
    auto end_field = [&] {
        record.push_back(field);
        field.clear();
        field_started = false;
    };
    auto end_record = [&] {
        end_field();
        bool blank = record.size() == 1 && record[0].empty() && !any;
        if (!blank) {
            records.push_back(std::move(record));
            record_lines.push_back(record_line);
        }
        record.clear();
        any = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = true;
            field_started = any = true;
        } else if (c == ',') {
            end_field();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            end_record();
            ++line;
            record_line = line;
        } else {
            field += c;
            field_started = any = true;
        }
    }
    if (quoted) fail(Code::MalformedFile, fmt::format("{}: a quoted field that starts on line {} never ends", path, record_line), at);
    if (!field.empty() || !record.empty() || any) end_record();
    if (records.empty()) fail(Code::MalformedFile, fmt::format("{} is empty: it needs a header line and rows", path), at);
    t.header = std::move(records[0]);
    for (auto& h : t.header) {
        while (!h.empty() && std::isspace(static_cast<unsigned char>(h.back()))) h.pop_back();
        while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.erase(h.begin());
    }
    for (size_t r = 1; r < records.size(); ++r) {
        if (records[r].size() != t.header.size())
            fail(Code::MalformedFile,
                 fmt::format("{}, line {}: {} fields, but the header has {}", path, record_lines[r], records[r].size(), t.header.size()),
                 at);
        t.rows.push_back(std::move(records[r]));
        t.lines.push_back(record_lines[r]);
    }
    return t;
}

size_t column(const Table& t, const std::string& name, const CallSite& at) {
    for (size_t i = 0; i < t.header.size(); ++i)
        if (t.header[i] == name) return i;
    // The header may be anything (a file that is not a table at all): a few names, each cut short
    // and escaped.
    constexpr size_t kShownColumns = 8;
    std::string names;
    for (size_t i = 0; i < t.header.size() && i < kShownColumns; ++i)
        names += (names.empty() ? "`" : ", `") + files::excerpt(t.header[i], 24) + "`";
    if (t.header.size() > kShownColumns) names += fmt::format(" and {} more", t.header.size() - kShownColumns);
    fail(Code::MissingColumn, fmt::format("{} has no column `{}`", t.shown, name), at, "its columns are " + names);
}

// A positive finite number in every row of a column.
std::vector<double> positive_column(const Table& t, size_t col, const CallSite& at) {
    std::vector<double> out;
    for (size_t r = 0; r < t.rows.size(); ++r) {
        std::string cell = t.rows[r][col];
        while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.back()))) cell.pop_back();
        size_t start = 0;
        while (start < cell.size() && std::isspace(static_cast<unsigned char>(cell[start]))) ++start;
        cell = cell.substr(start);
        char* end = nullptr;
        double v = cell.empty() ? 0 : std::strtod(cell.c_str(), &end);
        if (cell.empty() || end != cell.c_str() + cell.size() || !std::isfinite(v))
            fail(Code::BadDataValue,
                 fmt::format("{}, line {}, column `{}`: `{}` is not a number", t.shown, t.lines[r], files::excerpt(t.header[col], 24),
                             files::excerpt(t.rows[r][col], 24)),
                 at);
        if (v <= 0)
            fail(Code::BadDataValue,
                 fmt::format("{}, line {}, column `{}`: {} is not positive (the fit takes logarithms)", t.shown, t.lines[r],
                             files::excerpt(t.header[col], 24), files::excerpt(t.rows[r][col], 24)),
                 at);
        out.push_back(v);
    }
    return out;
}

// --- Building plan values ----------------------------------------------------------------------

const std::vector<std::string>& law_string_fields() {
    static const std::vector<std::string> f = {"name", "form", "source"};
    return f;
}
// The fields of a scaling-law record (stdlib/scaling.plan), in order, after the strings.
const std::vector<std::string>& law_number_fields() {
    static const std::vector<std::string> f = {"E", "A", "B", "alpha", "beta", "n_c", "d_c", "alpha_n", "alpha_d", "n_opt_coef", "n_opt_exp"};
    return f;
}
const std::vector<std::string>& fit_extra_fields() {
    static const std::vector<std::string> f = {"rows",   "objective", "bootstrap_samples", "E_lo",     "E_hi",    "A_lo",   "A_hi",
                                               "B_lo",   "B_hi",      "alpha_lo",          "alpha_hi", "beta_lo", "beta_hi"};
    return f;
}

Type fit_type() {
    std::vector<std::pair<std::string, Type>> fields;
    for (auto& n : law_string_fields()) fields.push_back({n, Type::string()});
    for (auto& n : law_number_fields()) fields.push_back({n, Type::number(Dim{})});
    for (auto& n : fit_extra_fields()) fields.push_back({n, Type::number(Dim{})});
    return record_type(fields);
}

std::string arg_name(const BuiltinCall& c, size_t i) { return type_name(c.args[i], c.units); }

void expect_string(const BuiltinCall& c, size_t i, const char* fn, const char* what) {
    if (!c.args[i].is(Type::Kind::String))
        builtin_fail(Code::NeedsString, fmt::format("`{}` needs {} as a String, not {}", fn, what, arg_name(c, i)), c.arg_spans[i],
                     arg_name(c, i));
}
void expect_scalar(const BuiltinCall& c, size_t i, const char* fn, const char* what) {
    if (!c.args[i].is(Type::Kind::Number) || !c.args[i].dim.none())
        builtin_fail(c.args[i].is(Type::Kind::Number) ? Code::NeedsScalar : Code::NeedsNumber,
                     fmt::format("`{}` needs {} as a Scalar, not {}", fn, what, arg_name(c, i)), c.arg_spans[i], arg_name(c, i));
}

size_t count_arg(const Value& v, const CallSite& at, const char* what, double max) {
    double x = v.num();
    if (x < 0 || x != std::floor(x) || x > max)
        fail(Code::ValueOutOfRange, fmt::format("{} must be a whole number from 0 to {}, not {}", what, format_number(max, true), format_number(x, false)),
             at);
    return static_cast<size_t>(x);
}

double percentile(std::vector<double> xs, double q) {
    std::sort(xs.begin(), xs.end());
    double pos = q * static_cast<double>(xs.size() - 1);
    size_t lo = static_cast<size_t>(std::floor(pos));
    size_t hi = std::min(lo + 1, xs.size() - 1);
    return xs[lo] + (pos - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
}

// Shared by both Chinchilla natives: `tokens_from_flop` reads the second column as training FLOP
// and takes D = C / (6 N).
Value fit_chinchilla(const std::vector<Value>& a, const CallSite& at, bool tokens_from_flop) {
    const std::string& path = a[0].str();
    Table t = read_csv(path, at);
    std::vector<double> n = positive_column(t, column(t, a[1].str(), at), at);
    std::vector<double> d = positive_column(t, column(t, a[2].str(), at), at);
    std::vector<double> l = positive_column(t, column(t, a[3].str(), at), at);
    size_t drop = a.size() > 4 ? count_arg(a[4], at, "drop_highest_loss", 1e9) : 0;
    size_t samples = a.size() > 5 ? count_arg(a[5], at, "bootstrap_samples", 100000) : 0;
    uint64_t seed = a.size() > 6 ? count_arg(a[6], at, "seed", 9007199254740992.0) : 0;
    if (tokens_from_flop)
        for (size_t i = 0; i < d.size(); ++i) d[i] = d[i] / (6 * n[i]);
    return fit_chinchilla_data(n, d, l, drop, samples, seed, path, tokens_from_flop ? ", tokens = FLOP / (6 N)" : "", at);
}

Value fit_chinchilla_data(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& l, size_t drop,
                          size_t samples, uint64_t seed, const std::string& path, const std::string& note, const CallSite& at) {
    // Drop the `drop` rows of highest loss (Besiroglu et al. drop 5 outliers).
    std::vector<size_t> order(l.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return l[x] < l[y]; });
    if (drop >= order.size() || order.size() - drop < 6)
        fail(Code::FitFailed,
             fmt::format("{} has {} rows; after dropping {} there are too few to fit 5 constants (at least 6 are needed)", path,
                         order.size(), drop),
             at);
    order.resize(order.size() - drop);
    std::sort(order.begin(), order.end());
    Runs runs;
    for (size_t i : order) {
        runs.log_n.push_back(std::log(n[i]));
        runs.log_d.push_back(std::log(d[i]));
        runs.log_l.push_back(std::log(l[i]));
    }

    Fit best = fit_grid(runs);
    std::array<std::vector<double>, 5> boot;  // E, A, B, α, β
    if (samples > 0) {
        std::mt19937_64 rng(seed);
        const size_t rows = runs.log_n.size();
        std::vector<double> weights(rows);
        for (size_t s = 0; s < samples; ++s) {
            std::fill(weights.begin(), weights.end(), 0.0);
            for (size_t k = 0; k < rows; ++k) weights[rng() % rows] += 1;  // rows with replacement
            Fit f = minimize_from(runs, &weights, best.theta);
            boot[0].push_back(std::exp(f.theta[2]));
            boot[1].push_back(std::exp(f.theta[0]));
            boot[2].push_back(std::exp(f.theta[1]));
            boot[3].push_back(f.theta[3]);
            boot[4].push_back(f.theta[4]);
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::string shown = std::filesystem::path(path).filename().string();
    std::vector<Value> fields = {
        Value::string("fit of " + shown),
        Value::string("chinchilla"),
        Value::string(fmt::format("Approach 3 fit (Hoffmann et al. 2022) of {} rows of {}{}", runs.log_n.size(), path, note)),
        Value(std::exp(best.theta[2])),
        Value(std::exp(best.theta[0])),
        Value(std::exp(best.theta[1])),
        Value(best.theta[3]),
        Value(best.theta[4]),
        Value(0.0), Value(0.0), Value(0.0), Value(0.0), Value(0.0), Value(0.0),
        Value(static_cast<double>(runs.log_n.size())),
        Value(best.objective),
        Value(static_cast<double>(samples)),
    };
    for (auto& b : boot) {
        // Without bootstrap samples the interval is the point itself.
        fields.push_back(Value(b.empty() ? nan : percentile(b, 0.025)));
        fields.push_back(Value(b.empty() ? nan : percentile(b, 0.975)));
    }
    if (samples == 0) {
        double point[5] = {std::exp(best.theta[2]), std::exp(best.theta[0]), std::exp(best.theta[1]), best.theta[3], best.theta[4]};
        for (int k = 0; k < 5; ++k) {
            fields[fields.size() - 10 + 2 * k] = Value(point[k]);
            fields[fields.size() - 10 + 2 * k + 1] = Value(point[k]);
        }
    }
    for (auto& f : fields)
        if (std::holds_alternative<double>(f.v) && !std::isfinite(f.num()))
            fail(Code::FitFailed, "the fit did not converge to finite constants", at);
    return make_record(std::move(fields));
}

Type check_chinchilla(const BuiltinCall& c, const char* fn, const char* second) {
    expect_string(c, 0, fn, "the path");
    expect_string(c, 1, fn, "the parameter column");
    expect_string(c, 2, fn, second);
    expect_string(c, 3, fn, "the loss column");
    if (c.args.size() > 4) expect_scalar(c, 4, fn, "drop_highest_loss");
    if (c.args.size() > 5) expect_scalar(c, 5, fn, "bootstrap_samples");
    if (c.args.size() > 6) expect_scalar(c, 6, fn, "seed");
    return fit_type();
}

// --- Frontier regression -----------------------------------------------------------------------

// Student's t quantile: bisection on the CDF, the density integrated by Simpson's rule.
double t_cdf(double x, double nu) {
    if (x == 0) return 0.5;
    double ax = std::abs(x);
    double logc = std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) - 0.5 * std::log(nu * std::numbers::pi);
    auto pdf = [&](double t) { return std::exp(logc - (nu + 1) / 2 * std::log1p(t * t / nu)); };
    const int steps = 2000;
    double h = ax / steps, s = pdf(0) + pdf(ax);
    for (int i = 1; i < steps; ++i) s += (i % 2 ? 4 : 2) * pdf(i * h);
    double half = s * h / 3;
    return x > 0 ? 0.5 + half : 0.5 - half;
}

double t_quantile(double p, double nu) {
    double lo = 0, hi = 1000;
    for (int i = 0; i < 100; ++i) {
        double mid = (lo + hi) / 2;
        (t_cdf(mid, nu) < p ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

struct Ols {
    double intercept, slope, slope_se, intercept_se, r2;
};

Ols ols(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = static_cast<double>(x.size());
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) mx += x[i], my += y[i];
    mx /= n, my /= n;
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    Ols r{};
    r.slope = sxy / sxx;
    r.intercept = my - r.slope * mx;
    double sse = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        double e = y[i] - r.intercept - r.slope * x[i];
        sse += e * e;
    }
    double s2 = x.size() > 2 ? sse / (n - 2) : 0;
    r.slope_se = std::sqrt(s2 / sxx);
    r.intercept_se = std::sqrt(s2 * (1 / n + mx * mx / sxx));
    r.r2 = syy > 0 ? 1 - sse / syy : 1;
    return r;
}

Type frontier_type() {
    std::vector<std::pair<std::string, Type>> fields;
    for (const char* n : {"runs", "levels", "n_exponent", "n_exponent_lo", "n_exponent_hi", "n_coefficient", "d_exponent",
                          "d_exponent_lo", "d_exponent_hi", "d_coefficient", "r2_n", "r2_d"})
        fields.push_back({n, Type::number(Dim{})});
    return record_type(fields);
}

std::vector<size_t> frontier_indices(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& l,
                                     double bins) {
    // Compute level of each run, and the run of lowest loss per level (ties: the first row).
    std::map<long long, size_t> best;
    for (size_t i = 0; i < n.size(); ++i) {
        double lc = std::log10(6 * n[i] * d[i]);
        // Equal compute: log10 C agreeing to 1e-6 (C to about 2e-6 relative); otherwise a bin of log10 C.
        long long key = bins > 0 ? static_cast<long long>(std::floor(lc * bins)) : std::llround(lc * 1e6);
        auto it = best.find(key);
        if (it == best.end() || l[i] < l[it->second]) best[key] = i;
    }
    std::vector<size_t> out;
    for (auto& [key, i] : best) out.push_back(i);
    return out;
}

Value fit_frontier(const std::vector<Value>& a, const CallSite& at) {
    const std::string& path = a[0].str();
    Table t = read_csv(path, at);
    std::vector<double> n = positive_column(t, column(t, a[1].str(), at), at);
    std::vector<double> d = positive_column(t, column(t, a[2].str(), at), at);
    std::vector<double> l = positive_column(t, column(t, a[3].str(), at), at);
    double bins = a.size() > 4 ? a[4].num() : 0;
    return fit_frontier_data(n, d, l, bins, path, at);
}

Value fit_frontier_data(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& l, double bins,
                        const std::string& path, const CallSite& at) {
    if (bins < 0 || !std::isfinite(bins)) fail(Code::ValueOutOfRange, "bins_per_decade must be 0 (equal compute) or positive", at);
    std::vector<size_t> best = frontier_indices(n, d, l, bins);
    if (best.size() < 3)
        fail(Code::FitFailed,
             fmt::format("{}: the frontier has {} compute levels; a regression with intervals needs at least 3", path, best.size()), at);
    std::vector<double> lc, ln, ld;
    for (size_t i : best) {
        lc.push_back(std::log(6 * n[i] * d[i]));
        ln.push_back(std::log(n[i]));
        ld.push_back(std::log(d[i]));
    }
    Ols rn = ols(lc, ln), rd = ols(lc, ld);
    double tq = t_quantile(0.975, static_cast<double>(lc.size()) - 2);
    // log N = intercept + slope · log C, with C in FLOP: N = exp(intercept) · (C / FLOP)^slope.
    std::vector<Value> fields = {
        Value(static_cast<double>(n.size())), Value(static_cast<double>(lc.size())),
        Value(rn.slope), Value(rn.slope - tq * rn.slope_se), Value(rn.slope + tq * rn.slope_se), Value(std::exp(rn.intercept)),
        Value(rd.slope), Value(rd.slope - tq * rd.slope_se), Value(rd.slope + tq * rd.slope_se), Value(std::exp(rd.intercept)),
        Value(rn.r2), Value(rd.r2),
    };
    for (auto& f : fields)
        if (!std::isfinite(f.num())) fail(Code::FitFailed, fmt::format("{}: the frontier regression is degenerate", path), at);
    return make_record(std::move(fields));
}

}  // namespace fitting

std::vector<Builtin> fitting_natives() {
    using namespace fitting;
    return {
        {"fit_chinchilla_csv", "fit_chinchilla_csv(path, n_column, d_column, loss_column, drop_highest_loss, bootstrap_samples, seed)",
         "Fits L = E + A/N^alpha + B/D^beta to the runs in a CSV file by Hoffmann et al.'s Approach 3 (Huber delta 1e-3 on log "
         "loss, L-BFGS from their grid of starts, summed). Drops the `drop_highest_loss` rows of highest loss, then bootstraps "
         "`bootstrap_samples` resamples (seeded) for 95% percentile intervals (the fields *_lo, *_hi). A relative path is found "
         "beside the calling file. The last three arguments are optional (0).",
         4, 7, [](const BuiltinCall& c) { return check_chinchilla(c, "fit_chinchilla_csv", "the token column"); },
         [](const std::vector<Value>& a, const CallSite& at) { return fit_chinchilla(a, at, false); }},
        {"fit_chinchilla_flop_csv",
         "fit_chinchilla_flop_csv(path, n_column, flop_column, loss_column, drop_highest_loss, bootstrap_samples, seed)",
         "As fit_chinchilla_csv, for files that record training FLOP instead of tokens: D = FLOP / (6 N).", 4, 7,
         [](const BuiltinCall& c) { return check_chinchilla(c, "fit_chinchilla_flop_csv", "the FLOP column"); },
         [](const std::vector<Value>& a, const CallSite& at) { return fit_chinchilla(a, at, true); }},
        {"fit_frontier_csv", "fit_frontier_csv(path, n_column, d_column, loss_column, bins_per_decade)",
         "The compute frontier of a grid of runs (C = 6 N D; per compute level the run of lowest loss; levels are bins of "
         "log10 C, `bins_per_decade` per decade, or equal C when 0 or left out) and the least-squares fits "
         "N_opt = n_coefficient * (C/FLOP)^n_exponent, D_opt = d_coefficient * (C/FLOP)^d_exponent with 95% intervals of "
         "the exponents (Student's t).",
         4, 5,
         [](const BuiltinCall& c) {
             expect_string(c, 0, "fit_frontier_csv", "the path");
             expect_string(c, 1, "fit_frontier_csv", "the parameter column");
             expect_string(c, 2, "fit_frontier_csv", "the token column");
             expect_string(c, 3, "fit_frontier_csv", "the loss column");
             if (c.args.size() > 4) expect_scalar(c, 4, "fit_frontier_csv", "bins_per_decade");
             return frontier_type();
         },
         [](const std::vector<Value>& a, const CallSite& at) { return fit_frontier(a, at); }},
    };
}

}  // namespace plan
