// Parse errors with a better message than the grammar rule that failed: the mistakes users make
// often (`a^b^c`, `a < b < c`, `f (x)`, a second `for`, `x GB`), what was written and what to
// write instead.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "grammar/diagnostic.hpp"

namespace plan {

// `failed`: the code of the rule that failed where the parse stopped (`at`, in the statement that
// starts at `begin`); nullopt when the text there is none of these mistakes.
std::optional<Diagnostic> common_mistake(Code failed, const std::string& text, uint32_t begin, uint32_t at, uint32_t file);

}  // namespace plan
