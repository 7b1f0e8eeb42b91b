#include "interpreter/units.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace plan {

bool Dim::none() const {
    return std::all_of(exp.begin(), exp.end(), [](int8_t e) { return e == 0; });
}
Dim Dim::operator*(const Dim& o) const {
    Dim r;
    for (int i = 0; i < kMaxBaseDimensions; ++i) r.exp[i] = static_cast<int8_t>(exp[i] + o.exp[i]);
    return r;
}
Dim Dim::operator/(const Dim& o) const {
    Dim r;
    for (int i = 0; i < kMaxBaseDimensions; ++i) r.exp[i] = static_cast<int8_t>(exp[i] - o.exp[i]);
    return r;
}
Dim Dim::pow(int n) const {
    Dim r;
    for (int i = 0; i < kMaxBaseDimensions; ++i) r.exp[i] = static_cast<int8_t>(exp[i] * n);
    return r;
}
std::optional<Dim> Dim::root(int n) const {
    Dim r;
    for (int i = 0; i < kMaxBaseDimensions; ++i) {
        if (exp[i] % n != 0) return std::nullopt;
        r.exp[i] = static_cast<int8_t>(exp[i] / n);
    }
    return r;
}

std::optional<Dim> UnitTable::add_base_dimension(const std::string& name) {
    if (base_names_.size() >= kMaxBaseDimensions) return std::nullopt;
    Dim d;
    d.exp[base_names_.size()] = 1;
    base_names_.push_back(name);
    return d;
}

void UnitTable::add_derived_dimension(const std::string& name, Dim dim) { derived_.emplace_back(name, dim); }

std::optional<Dim> UnitTable::find_dimension(const std::string& name) const {
    for (size_t i = 0; i < base_names_.size(); ++i)
        if (base_names_[i] == name) {
            Dim d;
            d.exp[i] = 1;
            return d;
        }
    for (auto it = derived_.rbegin(); it != derived_.rend(); ++it)
        if (it->first == name) return it->second;
    if (name == "Scalar") return Dim{};
    return std::nullopt;
}

std::vector<std::string> UnitTable::dimension_names() const {
    std::vector<std::string> names = base_names_;
    for (auto& [n, d] : derived_) names.push_back(n);
    names.push_back("Scalar");
    return names;
}

// "a·b^2/(c·d)": the product of named factors with integer exponents.
static std::string product_text(const std::vector<std::pair<std::string, int>>& factors) {
    std::vector<std::string> num, den;
    for (auto& [name, e] : factors) {
        std::string part = std::abs(e) == 1 ? name : fmt::format("{}^{}", name, std::abs(e));
        (e > 0 ? num : den).push_back(std::move(part));
    }
    if (den.empty()) return fmt::format("{}", fmt::join(num, "·"));
    if (num.empty()) {  // a pure reciprocal: s^-1, (GPU·h)^-1
        std::vector<std::string> parts;
        for (auto& [name, e] : factors) parts.push_back(fmt::format("{}^{}", name, e));
        return fmt::format("{}", fmt::join(parts, "·"));
    }
    std::string n = fmt::format("{}", fmt::join(num, "·"));
    std::string d = fmt::format("{}", fmt::join(den, "·"));
    return den.size() > 1 ? fmt::format("{}/({})", n, d) : fmt::format("{}/{}", n, d);
}

std::string UnitTable::dimension_name(const Dim& dim) const {
    if (dim.none()) return "Scalar";
    for (size_t i = 0; i < base_names_.size(); ++i) {
        Dim d;
        d.exp[i] = 1;
        if (d == dim) return base_names_[i];
    }
    for (auto& [n, d] : derived_)
        if (d == dim) return n;
    std::vector<std::pair<std::string, int>> factors;
    for (size_t i = 0; i < base_names_.size(); ++i)
        if (dim.exp[i] != 0) factors.emplace_back(base_names_[i], dim.exp[i]);
    return product_text(factors);
}

int UnitTable::add_unit(UnitDef def) {
    int id = static_cast<int>(units_.size());
    if (def.family < 0) def.family = id;
    unit_index_[def.name] = id;
    units_.push_back(std::move(def));
    return id;
}

std::optional<int> UnitTable::find_unit(const std::string& name) const {
    auto it = unit_index_.find(name);
    if (it == unit_index_.end()) return std::nullopt;
    return it->second;
}

std::optional<int> UnitTable::find_plural(const std::string& plural) const {
    for (size_t i = 0; i < units_.size(); ++i)
        if (!plural.empty() && units_[i].plural == plural) return static_cast<int>(i);
    return std::nullopt;
}

void UnitTable::add_prefixed(int base, const std::string& system) {
    struct Prefix {
        const char* name;
        double factor;
    };
    static const Prefix si[] = {{"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3}, {"k", 1e3},  {"M", 1e6},
                                {"G", 1e9},   {"T", 1e12}, {"P", 1e15}, {"E", 1e18}, {"Z", 1e21}, {"Y", 1e24}};
    static const Prefix binary[] = {{"Ki", 1024.0},
                                    {"Mi", 1024.0 * 1024},
                                    {"Gi", 1024.0 * 1024 * 1024},
                                    {"Ti", 1024.0 * 1024 * 1024 * 1024},
                                    {"Pi", 1024.0 * 1024 * 1024 * 1024 * 1024},
                                    {"Ei", 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024}};
    const UnitDef b = units_[base];
    auto add = [&](const Prefix& p, bool is_binary) {
        UnitDef d{std::string(p.name) + b.name, b.dim, b.factor * p.factor, base, is_binary, false, ""};
        if (!unit_index_.count(d.name)) add_unit(std::move(d));
    };
    if (system == "si")
        for (auto& p : si) add(p, false);
    else
        for (auto& p : binary) add(p, true);
}

UnitTerm UnitTable::multiply(const UnitTerm& a, const UnitTerm& b, int sign) const {
    std::vector<UnitFactor> fs = a.factors;
    for (auto f : b.factors) fs.push_back({f.unit, f.exp * sign});
    // Units of the same (non-trivial) dimension cancel into the one written first: PFLOP/s * day
    // is PFLOP, FLOP / (TFLOP/s) is s. Dimensionless units (param, token) stay apart.
    bool converted = false;
    for (size_t i = 0; i < fs.size(); ++i) {
        for (size_t j = i + 1; j < fs.size(); ++j) {
            const Dim& di = units_[fs[i].unit].dim;
            if (fs[j].unit == fs[i].unit || (!di.none() && units_[fs[j].unit].dim == di)) {
                converted = converted || fs[j].unit != fs[i].unit;
                fs[i].exp += fs[j].exp;
                fs.erase(fs.begin() + static_cast<long>(j));
                --j;
            }
        }
    }
    // Pure scales (thousand, percent) say nothing about what a value is: `2 million USD` is USD.
    // Once units were converted into others (day into GPU_hour), counts such as GPU no longer
    // describe the value either: USD/GPU_hour * GPU * day is USD.
    UnitTerm r;
    for (auto f : fs) {
        const UnitDef& u = units_[f.unit];
        if (f.exp != 0 && !(u.dim.none() && (u.factor != 1 || converted))) r.factors.push_back(f);
    }
    return r;
}

UnitTerm UnitTable::pow(const UnitTerm& a, int n) const {
    UnitTerm r;
    if (n == 0) return r;
    for (auto f : a.factors) r.factors.push_back({f.unit, f.exp * n});
    return r;
}

double UnitTable::factor(const UnitTerm& t) const {
    double f = 1;
    for (auto u : t.factors) f *= std::pow(units_[u.unit].factor, u.exp);
    return f;
}

Dim UnitTable::dim(const UnitTerm& t) const {
    Dim d;
    for (auto u : t.factors) d = d * units_[u.unit].dim.pow(u.exp);
    return d;
}

std::string UnitTable::text(const UnitTerm& t) const {
    std::vector<std::pair<std::string, int>> factors;
    for (auto f : t.factors) factors.emplace_back(units_[f.unit].name, f.exp);
    return product_text(factors);
}

UnitTerm UnitTable::default_term(const Dim& d) const {
    UnitTerm t;
    for (size_t i = 0; i < base_names_.size(); ++i) {
        if (d.exp[i] == 0) continue;
        Dim base;
        base.exp[i] = 1;
        for (size_t u = 0; u < units_.size(); ++u)
            if (units_[u].dim == base && units_[u].factor == 1) {
                t.factors.push_back({static_cast<int>(u), d.exp[i]});
                break;
            }
    }
    return t;
}

UnitTerm UnitTable::display_term(const UnitTerm& hint, const Dim& d, double si) const {
    UnitTerm t = hint.empty() || !(dim(hint) == d) ? default_term(d) : hint;
    t.fixed = hint.fixed;
    // A product of several units that comes to one base dimension (W·day·USD/kWh is Money) reads
    // best in that dimension's own unit.
    int dimensioned = 0, base_exps = 0;
    for (auto f : t.factors) dimensioned += !units_[f.unit].dim.none();
    for (auto e : d.exp) base_exps += std::abs(e);
    if (!t.fixed && dimensioned > 1 && base_exps == 1) t = default_term(d);
    if (t.fixed || t.factors.size() != 1 || t.factors[0].exp != 1) return t;
    const UnitDef& u = units_[t.factors[0].unit];
    // The ladder: units declared `autoscale` (B; s, min, h, day, and the sub-second units) and the
    // prefixed units of an `autoscale` base from that base up (kB, GB, KiB, ...; never mB).
    auto on_ladder = [&](const UnitDef& c) {
        const UnitDef& base = units_[c.family];
        return c.autoscale || (base.autoscale && c.factor >= base.factor);
    };
    if (!on_ladder(u) || si == 0 || !std::isfinite(si)) return t;
    // Largest rung of the same dimension (and prefix family: decimal or binary) that keeps the
    // number at or above 1; the smallest rung when none does.
    int best = -1, smallest = -1;
    for (size_t i = 0; i < units_.size(); ++i) {
        const UnitDef& c = units_[i];
        bool prefixed = c.family != static_cast<int>(i);
        if (!(c.dim == u.dim) || !on_ladder(c) || (prefixed && c.binary != u.binary)) continue;
        auto id = static_cast<int>(i);
        if (smallest < 0 || c.factor < units_[smallest].factor) smallest = id;
        if (std::abs(si) / c.factor >= 1 && (best < 0 || c.factor > units_[best].factor)) best = id;
    }
    return UnitTerm{{{best >= 0 ? best : smallest, 1}}};
}

void UnitTable::rollback(const Mark& m) {
    base_names_.resize(m.bases);
    derived_.resize(m.derived);
    while (units_.size() > m.units) {
        unit_index_.erase(units_.back().name);
        units_.pop_back();
    }
}

namespace {

// "8.03026e+09" -> "8.03026e9", "1e-05" -> "1e-5": no '+', no leading zeros.
std::string plain_exponent(const std::string& s) {
    auto e = s.find('e');
    if (e == std::string::npos) return s;
    std::string mantissa = s.substr(0, e);
    std::string exponent = s.substr(e + 1);
    bool negative = exponent[0] == '-';
    exponent = exponent.substr(1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    return mantissa + "e" + (negative ? "-" : "") + exponent;
}

}  // namespace

std::string format_number(double x, bool exact_integers, int digits) {
    if (x == 0) return "0";
    if (exact_integers && std::abs(x) < 1e15 && x == std::trunc(x)) return fmt::format("{:.0f}", x);
    return plain_exponent(fmt::format("{:.{}g}", x, digits));
}

std::string format_exact(double x) {
    if (x == 0) return "0";
    if (std::abs(x) <= 9007199254740992.0 && x == std::trunc(x)) return fmt::format("{:.0f}", x);
    // 15 significant digits (DBL_DIG): all a double holds through a unit conversion, whose last
    // bits are noise (16195.8 ms is 16195.799999999997 ms to 17 digits).
    return plain_exponent(fmt::format("{:.15g}", x));
}

}  // namespace plan
