// The math of numeric/math.hpp in compiled sweeps: lowering calls its functions by name
// (math_call), and each sweep's module gets their definitions from the embedded bitcode
// (link_math) before it is optimized, so they are inlined and vectorized, and compute the bits
// the interpreter computes.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>
#pragma GCC diagnostic pop

namespace plan::jit {

// A call of plan_exp, plan_log, plan_log2, plan_log10 (one argument) or plan_pow (two).
llvm::Value* math_call(llvm::Module& m, llvm::IRBuilder<>& b, const char* name, llvm::ArrayRef<llvm::Value*> args);

// Whether v is such a call (pure and costly: the tables of jit/tables.cpp compute it once).
bool is_math_call(const llvm::Value* v);

// Links the functions m calls from the bitcode into m, internal and always inlined. Throws
// std::runtime_error when the bitcode does not load or link (a build defect).
void link_math(llvm::Module& m);

}  // namespace plan::jit
