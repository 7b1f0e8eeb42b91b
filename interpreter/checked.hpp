// The checked program: names resolved to slots, dimensions and types known, function calls
// bound to instances specialised for their argument types. The tree-walking evaluator runs it;
// the JIT will lower the same tree without checking again.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "../grammar/ast.hpp"
#include "types.hpp"
#include "value.hpp"

namespace plan {

enum class Op {
    Const,          // constant
    Global,         // globals[slot]
    Local,          // frame[slot]
    Neg, Not,
    Add, Sub, Mul, Div, Pow,
    Eq, Ne, Lt, Le, Gt, Ge,
    And, Or,
    If,             // kids: cond, then, else
    Call,           // fn instance; kids: arguments in parameter order
    Builtin,        // index = builtin id; kids: arguments
    Field,          // kids[0].fields[index]
    Index,          // kids[0][kids[1]]
    List,           // kids: items
    Comprehension,  // [kids[0] for frame[slot] in kids[1] if kids[2]]
    Range,          // kids: from, to, step (index 1: from, to, number of points evenly spaced in log)
    Record,         // kids: fields in order
    With,           // kids[0] with fields[i] = kids[i+1]
    Interpolate,    // parts[i] literal text, kids[i] value shown in the middle (types[i])
    Block,          // kids: let values stored to slots[i], then the result
};

struct FnInstance;

struct TExpr {
    Op op;
    Type type;
    Span span;
    std::vector<std::unique_ptr<TExpr>> kids;
    Value constant;
    int slot = -1;
    int index = -1;
    std::vector<int> slots;           // With: overridden field indices; Block: local slots
    std::vector<std::string> parts;   // Interpolate
    const FnInstance* fn = nullptr;
};
using TExprPtr = std::unique_ptr<TExpr>;

struct FnInstance {
    const ast::Stmt* decl;
    std::vector<Type> params;
    Type result;
    TExprPtr body;
    int frame_size = 0;
};

}  // namespace plan
