// What to write instead of an unknown unit: the spellings of other tools (`TFLOPS`, `Gbps`, `Gb`)
// mapped onto plan's, with a note when the two read differently (bits and bytes).
#pragma once
#include <string>
#include <vector>

#include "interpreter/units.hpp"

namespace plan {

struct UnitHint {
    std::string help;  // "did you mean `TFLOP/s`?", or ""
    std::string note;  // why, when the spelling means something else in plan; or ""
};

// `names`: every unit and plural spelling, for the did-you-mean when no rule applies.
UnitHint unit_hint(const std::string& name, const UnitTable& units, const std::vector<std::string>& names);

}  // namespace plan
