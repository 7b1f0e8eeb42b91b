// Randomised tests run fewer iterations in the sanitizer build (about 10x slower per iteration):
// the Release build runs them in full.
#pragma once

#ifdef PLAN_SANITIZED
inline constexpr int kTestScale = 4;
#else
inline constexpr int kTestScale = 1;
#endif
