// Randomised tests run fewer iterations in the sanitizer build (about 10x slower per iteration; an eighth of them keeps the sanitizer stage of CI within its budget):
// the Release build runs them in full.
#pragma once

#ifdef PLAN_SANITIZED
inline constexpr int kTestScale = 8;
#else
inline constexpr int kTestScale = 1;
#endif
