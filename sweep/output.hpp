// A sweep's answer as the user sees it: the line with its feasible points, then each report as a
// table, or written to its CSV or JSON file.
#pragma once
#include <iosfwd>
#include <string>

#include "files/file_access.hpp"
#include "interpreter/checked.hpp"
#include "interpreter/units.hpp"
#include "sweep/kernel.hpp"
#include "sweep/report.hpp"

namespace plan::sweep {

// `grid`: the number of points, 0 when not known before the sweep ran. Report files go relative
// to `dir`. `as_json`: one JSON line instead of the tables (`plan run --json`).
void write_reports(std::ostream& out, const CheckedSweep& sweep, const Merged& merged, const StringTable& strings,
                   const UnitTable& units, const std::string& dir, double grid, const files::FileAccess& access,
                   bool as_json = false);

// The value of `let NAME = sweep { ... }`, of type s.value_type (sweep_value_type). Without a
// feasible point there is no `best`: a runtime error at the sweep.
Value sweep_value(const CheckedSweep& s, const Merged& merged, const StringTable& strings);

}  // namespace plan::sweep
