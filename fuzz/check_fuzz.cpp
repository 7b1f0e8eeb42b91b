// libFuzzer target: any text through the parser and the checker (stdlib modules loaded on use)
// ends in success or in diagnostics. Checking defines nothing, so one session serves every input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static plan::Session session = [] {
        plan::SessionOptions o;
        o.print_expressions = false;
        return plan::Session(o);
    }();
    (void)session.eval(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>", plan::Mode::Check);
    return 0;
}
