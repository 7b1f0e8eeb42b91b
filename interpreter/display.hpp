// How values look: as text (print, REPL), as a table (a list of records) and as JSON.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace plan {

// "130.385 GiB", "true", "[1, 2, 3]", "{ layers = 12, d_model = 768 }"
std::string show_value(const Value& v, const Type& t, const UnitTable& units);
// Like show_value, but a list of records becomes an aligned table, one row per record.
std::string show_block(const Value& v, const Type& t, const UnitTable& units);
// {"type": type name, "value": ...} at every depth: a quantity's value is its SI number, with
// "unit", "display", "dimension" and "base_unit" beside it; a list's an array of such objects, a
// record's an object of them by field name (docs/plan-output.schema.json).
nlohmann::ordered_json to_json(const Value& v, const Type& t, const UnitTable& units);

}  // namespace plan
