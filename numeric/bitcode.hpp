// numeric/math.cpp as LLVM bitcode (compiled by clang-19 at build time), for the JIT to link into
// each sweep so that compiled sweeps compute the interpreter's bits (numeric/math.hpp).
#pragma once

#include <cstddef>

namespace plan::numeric {
extern const unsigned char kMathBitcode[];
extern const std::size_t kMathBitcodeSize;
}  // namespace plan::numeric
