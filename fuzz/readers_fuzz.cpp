// libFuzzer target: the JSON reader (hf_model of a config.json) and the CSV reader
// (fit_chinchilla_csv) given any bytes end in a value or in diagnostics.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // One file per process (libFuzzer may run several at once).
    static const std::string path = (std::filesystem::temp_directory_path() / ("plan_fuzz_input_" + std::to_string(getpid()))).string();
    {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    static plan::Session session = [] {
        plan::SessionOptions o;
        o.print_expressions = false;
        return plan::Session(o);
    }();
    (void)session.eval("hf_model(\"" + path + "\")", "<fuzz>", plan::Mode::Run);
    (void)session.eval("fit_chinchilla_csv(\"" + path + "\", \"N\", \"D\", \"loss\", 0, 0, 0)", "<fuzz>", plan::Mode::Run);
    return 0;
}
