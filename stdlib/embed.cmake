# Writes OUTPUT: a C++ file holding each plan file of MODULES (paths under ROOT, joined by |) as a
# raw string literal, named by its path under ROOT: hardware/nvidia.plan is `hardware::nvidia`.
string(REPLACE "|" ";" modules "${MODULES}")
set(names "")
foreach(path IN LISTS modules)
  file(RELATIVE_PATH relative "${ROOT}" "${path}")
  string(REGEX REPLACE "\\.plan$" "" name "${relative}")
  string(REPLACE "/" "::" name "${name}")
  list(APPEND names "${name}")
  set("path_of_${name}" "${path}")
endforeach()
list(SORT names)  # `hardware` before `hardware::nvidia`
set(body "")
foreach(name IN LISTS names)
  file(READ "${path_of_${name}}" text)
  string(APPEND body "    {\"${name}\", R\"plan_source(${text})plan_source\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from stdlib/**/*.plan by stdlib/embed.cmake. Do not edit.
#include \"stdlib/stdlib.hpp\"
#include <utility>
namespace plan::stdlib {
static const std::pair<std::string_view, std::string_view> kModules[] = {
${body}};
std::optional<std::string_view> module_source(std::string_view name) {
    for (auto& [n, text] : kModules)
        if (n == name) return text;
    return std::nullopt;
}
std::vector<std::string_view> module_names() {
    std::vector<std::string_view> names;
    for (auto& m : kModules) names.push_back(m.first);
    return names;
}
}  // namespace plan::stdlib
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
