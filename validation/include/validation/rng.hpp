// Deterministic random numbers for the reference trainer.
//
// We do not use <random> distributions: their algorithms are not specified by
// the standard, so the same seed could give different weights with another
// standard library. splitmix64 plus Box-Muller is tiny, fully specified here,
// and good enough for weight init and data shuffling.
#pragma once

#include <cmath>
#include <cstdint>

namespace plan::validation {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    // splitmix64 (Steele, Lea, Flood 2014): one add, three xor-shift-multiplies.
    uint64_t next_u64() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n); the modulo bias is < n / 2^64, irrelevant here.
    uint64_t below(uint64_t n) { return next_u64() % n; }

    // Standard normal via Box-Muller; uses two uniforms per call (no caching,
    // so the stream position depends only on the number of calls).
    double normal() {
        double u1 = uniform();
        double u2 = uniform();
        if (u1 < 1e-300) u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    uint64_t state_;
};

// Derives an independent stream seed from a base seed and a purpose tag, so
// that e.g. weight init and data order do not share random numbers.
inline uint64_t derive_seed(uint64_t seed, uint64_t tag) {
    Rng r(seed ^ (tag * 0xD1B54A32D192ED03ULL));
    return r.next_u64();
}

}  // namespace plan::validation
