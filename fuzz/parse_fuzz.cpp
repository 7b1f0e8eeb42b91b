// libFuzzer target: any bytes through the parser end in a module or in diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>

#include "grammar/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    plan::SourceMap sources;
    uint32_t file = sources.add("<fuzz>", std::string(reinterpret_cast<const char*>(data), size));
    plan::ParseResult r = plan::parse(sources, file);
    for (auto& d : r.errors) (void)plan::render(d, sources);
    return 0;
}
