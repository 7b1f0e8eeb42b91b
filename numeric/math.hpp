// The transcendental functions of the language, one implementation for every backend: the
// interpreter calls these (compiled by the C++ compiler), the JIT links the same source compiled by
// clang to LLVM bitcode into each sweep (numeric/CMakeLists.txt), so both compute the same bits.
// Each is within 1 ulp of the exact value (numeric/README.md: the algorithms and the measured
// errors against MPFR). C names, so that the bitcode's functions are found by name.
#pragma once

extern "C" {
double plan_exp(double x);
double plan_log(double x);
double plan_log2(double x);
double plan_log10(double x);
double plan_pow(double x, double y);
}
