# Writes OUTPUT: a C++ file holding each plan file of MODULES (paths under ROOT, joined by |) as a
# raw string literal, named by its path under ROOT: hardware/nvidia.plan is `hardware::nvidia`.
string(REPLACE "|" ";" modules "${MODULES}")
set(entries "")
foreach(path IN LISTS modules)
  file(RELATIVE_PATH relative "${ROOT}" "${path}")
  string(REGEX REPLACE "\\.plan$" "" name "${relative}")
  string(REPLACE "/" "::" name "${name}")
  list(APPEND entries "${name}|${path}")
endforeach()
list(SORT entries)
set(body "")
foreach(entry IN LISTS entries)
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 name)
  list(GET entry 1 path)
  file(READ "${path}" text)
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
