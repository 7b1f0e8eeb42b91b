// CheckedSweep → LLVM IR for the host CPU: the loop nest (loop_nest.cpp) with the host's vector
// pass over the innermost axis (blocked.cpp), then tables.cpp replaces math that is the same for
// every outer point with tables filled by an init function. A runtime error leaves the kernel
// with the failing point, which the host replays on the interpreter to give its diagnostic.
#include "jit/lower.hpp"

#include <cstdlib>

#include "jit/loop_nest.hpp"
#include "jit/tables.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#pragma GCC diagnostic pop

namespace plan::jit {

std::unique_ptr<llvm::Module> lower(const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, llvm::LLVMContext& ctx,
                                    const std::string& name, CompiledSweep& out) {
    auto m = std::make_unique<llvm::Module>("sweep", ctx);
    // PLAN_JIT_VECTOR=0 runs the innermost axis point by point (bench/sweep compares the two).
    const char* vector = std::getenv("PLAN_JIT_VECTOR");
    const bool blocked = !(vector && std::string(vector) == "0");
    try {
        LoopNest nest(sweep, eval, space, *m, name, blocked);
        nest.build();
        llvm::Function* init = table_inner_math(nest.kernel(), nest.entry(), nest.inner_loads(), name + ".init");
        if (llvm::verifyFunction(nest.kernel(), &llvm::errs()) || llvm::verifyFunction(*init, &llvm::errs()))
            throw Unsupported{"this sweep (internal error: invalid IR)", sweep.span};
        for (const std::string& s : nest.strings()) out.strings.id(s);
        out.cursor_size = nest.cursor_size();
    } catch (Unsupported& u) {
        if (u.span.end == u.span.begin) u.span = sweep.span;  // a value with no place of its own
        throw;
    }
    return m;
}

}  // namespace plan::jit
