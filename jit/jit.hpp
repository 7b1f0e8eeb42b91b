// The JIT backend of sweeps: a CheckedSweep lowered to one LLVM loop nest (lower.cpp), optimized
// and compiled by ORC for the host (host.cpp) into a kernel of sweep/kernel.hpp's protocol. No
// LLVM header leaks out of this interface.
#pragma once
#include <memory>

#include "grammar/diagnostic.hpp"
#include "interpreter/checked.hpp"
#include "interpreter/evaluator.hpp"
#include "sweep/backend.hpp"
#include "sweep/kernel.hpp"

namespace plan::jit {

using sweep::CompiledSweep;

// Throws DiagnosticError for a construct that does not lower (suggesting `--backend interp`).
// `quick`: a small grid, where compile time matters more than code speed (the O1 pipeline, not O3).
std::unique_ptr<CompiledSweep> compile(const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, bool quick = false);

// The backend "jit" for the sweep layer's registry (compile, for this machine's CPU).
sweep::Backend host_backend();

}  // namespace plan::jit
