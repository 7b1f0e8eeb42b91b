// An AST written as text without its spans: two parses of the same program, one of them
// reformatted, must give the same text (the formatter's fuzz target compares them).
#pragma once
#include <string>

#include "grammar/ast.hpp"

namespace plan::fuzz {

std::string ast_text(const ast::Module& m);

}  // namespace plan::fuzz
