// Native functions: the math plan cannot express in itself. Each has a dimension rule
// (checked statically) and an implementation (which reports domain errors at the call).
#pragma once
#include <string>
#include <vector>

#include "../grammar/diagnostic.hpp"
#include "types.hpp"
#include "value.hpp"

namespace plan {

struct BuiltinCall {
    const std::vector<Type>& args;
    const std::vector<Span>& arg_spans;
    Span call;
    const UnitTable& units;
};

struct Builtin {
    const char* name;
    const char* signature;
    const char* doc;
    int min_args, max_args;  // max -1: any number
    Type (*check)(const BuiltinCall& c);  // throws DiagnosticError
    Value (*eval)(const std::vector<Value>& args, Span call);
};

const std::vector<Builtin>& builtins();

}  // namespace plan
