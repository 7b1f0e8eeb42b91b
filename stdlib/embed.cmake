# Writes OUTPUT: a C++ file holding each plan file of MODULES (paths joined by |) as a raw string
# literal.
string(REPLACE "|" ";" modules "${MODULES}")
list(SORT modules)
set(body "")
set(names "")
foreach(path IN LISTS modules)
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" text)
  string(APPEND body "    {\"${name}\", R\"plan_source(${text})plan_source\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from stdlib/*.plan by stdlib/embed.cmake. Do not edit.
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
