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
// A quantity is {"value": SI number, "unit": display unit, "display": text, "dimension": name};
// a record is an object of its fields; a list an array.
nlohmann::ordered_json to_json(const Value& v, const Type& t, const UnitTable& units);

}  // namespace plan
