// `plan fmt`: prints a module in canonical form, keeping every comment. Idempotent.
#pragma once
#include <string>

namespace plan {

struct FormatResult {
    bool ok = false;
    std::string text;    // the formatted source when ok
    std::string errors;  // rendered parse errors otherwise
};

FormatResult format_source(const std::string& name, const std::string& text, bool color = false);

}  // namespace plan
