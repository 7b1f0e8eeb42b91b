// The shape of the tables of numeric/math.cpp, shared with their generator (numeric/tables_gen.cpp).
#pragma once

#include <stdint.h>  // not <cstdint>: numeric/math.cpp compiles without the C++ library (NVPTX)

namespace plan::numeric::layout {

// exp: x = k ln2 / kExpN + r, |r| <= ln2 / (2 kExpN); 2^(k / kExpN) from a table of kExpN entries.
constexpr int kExpN = 128;

// log: the bits of x minus kLogOffset give the exponent (bits 52 up) and the table index (the top
// 7 bits of the mantissa field). kLogOffset is near the bits of sqrt(1/2) (so the mantissa m lies
// in [0.7072, 1.4144)), chosen so that 1.0 falls in the middle of an interval: the bits of 1.0
// minus kLogOffset are 74.5 intervals.
constexpr int kLogN = 128;
constexpr int kLogIndexShift = 52 - 7;
constexpr uint64_t kLogOffset = 0x3FF0000000000000ull - (74ull << kLogIndexShift) - (1ull << (kLogIndexShift - 1));

}  // namespace plan::numeric::layout
