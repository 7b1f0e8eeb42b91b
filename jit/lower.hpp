// Internal: CheckedSweep → LLVM IR (lower.cpp), used by host.cpp.
#pragma once
#include <memory>
#include <string>

#include "jit/jit.hpp"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace plan::jit {

struct Unsupported {
    std::string what;
    Span span;
};

// Fills `out` (all but fn, compile_ms, code); the kernel is named `name`. Throws Unsupported.
std::unique_ptr<llvm::Module> lower(const CheckedSweep& sweep, Evaluator& eval, llvm::LLVMContext& ctx,
                                    const std::string& name, CompiledSweep& out);

}  // namespace plan::jit
