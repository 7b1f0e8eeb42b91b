// Dimensions (vectors of exponents over the base dimensions the prelude declares), units
// (a dimension and a factor to SI) and unit terms (products of units, used as display hints).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace plan {

constexpr int kMaxBaseDimensions = 12;

struct Dim {
    std::array<int8_t, kMaxBaseDimensions> exp{};
    bool none() const;
    Dim operator*(const Dim& o) const;
    Dim operator/(const Dim& o) const;
    Dim pow(int n) const;
    std::optional<Dim> root(int n) const;  // only when every exponent divides by n
    bool operator==(const Dim& o) const { return exp == o.exp; }
};

struct UnitFactor {
    int unit;
    int exp;
};
// A product of units such as GB, USD/h or FLOP/param/token, as the user wrote them.
struct UnitTerm {
    std::vector<UnitFactor> factors;
    bool fixed = false;  // chosen with `->`: shown as is, never rescaled
    bool exact = false;  // `-> exact`: every digit shown (8030261248, not 8.03026e9), never rescaled
    bool empty() const { return factors.empty(); }
};

struct UnitDef {
    std::string name;
    Dim dim;
    double factor;        // value of one of this unit in SI base units
    int family = -1;      // the prefixable unit this one was made from (itself for the base)
    bool binary = false;  // made with a binary prefix (Ki, Mi, ...)
    bool autoscale = false;  // a rung of its dimension's display ladder (B, s, min, h, day)
    std::string doc;
    std::string plural;  // another spelling, valid only where a unit is written (`2 days`)
};

class UnitTable {
public:
    // Significant digits of the quantities shown (SessionOptions::precision): 6 unless asked.
    int display_digits = 6;

    // Dimensions
    std::optional<Dim> add_base_dimension(const std::string& name);  // nullopt when out of slots
    void add_derived_dimension(const std::string& name, Dim dim);
    std::optional<Dim> find_dimension(const std::string& name) const;
    std::vector<std::string> dimension_names() const;
    std::string dimension_name(const Dim& dim) const;  // "Data", "Data/Time", "Bandwidth", "Scalar"

    // Units
    int add_unit(UnitDef def);
    const UnitDef& unit(int id) const { return units_[id]; }
    std::optional<int> find_unit(const std::string& name) const;
    std::optional<int> find_plural(const std::string& plural) const;  // the unit spelled so
    size_t unit_count() const { return units_.size(); }
    void add_prefixed(int base, const std::string& system);  // "si" or "binary"

    // Terms
    UnitTerm multiply(const UnitTerm& a, const UnitTerm& b, int sign) const;  // a * b^sign, simplified
    UnitTerm pow(const UnitTerm& a, int n) const;
    double factor(const UnitTerm& t) const;
    Dim dim(const UnitTerm& t) const;
    std::string text(const UnitTerm& t) const;  // "GB", "USD/h", "FLOP/(param·token)"
    UnitTerm default_term(const Dim& d) const;  // base units of each base dimension
    // The unit term to show a value in, from its static hint: autoscaled and defaulted.
    UnitTerm display_term(const UnitTerm& hint, const Dim& dim, double si) const;

    // Rolling back a failed REPL line.
    struct Mark {
        size_t bases, derived, units;
    };
    Mark mark() const { return {base_names_.size(), derived_.size(), units_.size()}; }
    void rollback(const Mark& m);

private:
    std::vector<std::string> base_names_;
    std::vector<std::pair<std::string, Dim>> derived_;
    std::vector<UnitDef> units_;
    std::map<std::string, int> unit_index_;
};

// Numbers as the tool prints them: 6 significant digits, exponents without '+' ("5.88e22"),
// integers below 1e15 in full when `exact_integers` (an index or a limit in a message: 6738415616).
std::string format_number(double x, bool exact_integers, int digits = 6);
// Every digit: an integer up to 2^53 in full (8030261248), any other number to 15 significant
// digits, in the same exponent style (0.333333333333333, 1e24).
std::string format_exact(double x);

}  // namespace plan
