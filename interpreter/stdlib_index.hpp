// The names the stdlib's modules define at their top level, each with its module, sorted by name:
// a session finds the module of a library name used without `use` here, without parsing the
// stdlib. Made when plan is built, by parsing the embedded modules (stdlib_index_tool.cpp).
#pragma once
#include <string_view>
#include <utility>
#include <vector>

namespace plan {

const std::vector<std::pair<std::string_view, std::string_view>>& stdlib_index();

}  // namespace plan
