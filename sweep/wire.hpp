// Range results as bytes, for the ranks of a team (sweep/team.hpp). Strings travel as text: each
// process numbers the strings it meets in its own order, so the receiver maps every string cell
// (columns and failing axis values) into its own table.
#pragma once
#include <string>
#include <vector>

#include "interpreter/checked.hpp"
#include "sweep/kernel.hpp"
#include "sweep/report.hpp"

namespace plan::sweep {

std::string encode_ranges(const std::vector<RangeResult>& ranges, const StringTable& strings);
// Appends the ranges in `bytes` to `out`, their string cells renumbered into `strings`.
void decode_ranges(const std::string& bytes, const CheckedSweep& sweep, StringTable& strings, std::vector<RangeResult>& out);

}  // namespace plan::sweep
