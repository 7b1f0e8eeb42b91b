// The standard library modules written in plan, compiled into the binary so that `plan` runs
// from anywhere. A module is named by its path under stdlib/ without `.plan`, folders joined by
// `::`: stdlib/hardware/nvidia.plan is `hardware::nvidia`.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

namespace plan::stdlib {

std::optional<std::string_view> module_source(std::string_view name);
std::vector<std::string_view> module_names();

}  // namespace plan::stdlib
