// libFuzzer target: any text run in a fresh session (the prelude only, sweeps on the interpreter
// on one thread, output discarded) ends in a value or in diagnostics.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::ostringstream out;
    plan::SessionOptions o;
    o.out = &out;
    o.stdlib = false;
    o.backend = "interp";
    o.threads = 1;
    plan::Session session(o);
    (void)session.eval(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>", plan::Mode::Run);
    return 0;
}
