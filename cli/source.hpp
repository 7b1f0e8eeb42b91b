// The program a command-line path names: a file, or `-` for standard input (`plan run -`,
// `plan check -`, `plan test -`), which diagnostics call `<stdin>`.
#pragma once
#include <string>

#include "plan/plan.hpp"

namespace plan {

constexpr const char* kStdinPath = "-";
constexpr const char* kStdinName = "<stdin>";

// What a result line calls the program: the path, or `<stdin>`.
std::string source_name(const std::string& path);

// Runs the file, or the text of standard input (read once, however often `-` is named; `use`
// then finds modules in the current directory).
Result run_source(Session& session, const std::string& path, Mode mode);

}  // namespace plan
