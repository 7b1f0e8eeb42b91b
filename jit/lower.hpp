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

// The module of the kernel `name` (sweep/kernel.hpp's protocol) and of `name.init`, which fills
// its tables; fills out's strings and cursor size. Throws Unsupported.
std::unique_ptr<llvm::Module> lower(const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, llvm::LLVMContext& ctx,
                                    const std::string& name, CompiledSweep& out);

}  // namespace plan::jit
