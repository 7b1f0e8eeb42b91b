// Source text → ast::Module, collecting every parse error it can find (one per statement).
#pragma once
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"

namespace plan {

struct ParseResult {
    ast::Module module;
    std::vector<Diagnostic> errors;
};

ParseResult parse(const SourceMap& sources, uint32_t file);

}  // namespace plan
