// The names a program refers to without defining them: what the resolver looks up in the stdlib
// when code uses a library name without `use`. Pure syntax: nothing is checked here.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "grammar/ast.hpp"

namespace plan {

struct NameUse {
    std::string name;
    Span at;  // its first use
};

// The names `m` defines at its top level (let, fn, model, hardware, unit, dimension).
std::set<std::string> defined_names(const ast::Module& m);

// The names `m` uses that it does not define, in order of first use: its own top-level
// definitions, parameters, comprehension variables and the locals of blocks and sweeps are not
// free. Field names and budget quantities are not names.
std::vector<NameUse> free_names(const ast::Module& m);

}  // namespace plan
