// libFuzzer target: the formatter is idempotent (fmt(fmt(x)) == fmt(x)) and keeps the meaning
// (fmt(x) parses to the same tree as x, spans aside). Inputs that do not parse are skipped.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/ast_text.hpp"
#include "grammar/formatter.hpp"
#include "grammar/parser.hpp"

namespace {

std::string tree(const std::string& text) {
    plan::SourceMap sources;
    plan::ParseResult r = plan::parse(sources, sources.add("<fuzz>", text));
    return r.errors.empty() ? plan::fuzz::ast_text(r.module) : "";
}

[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b) {
    std::fprintf(stderr, "%s\n--- first\n%s\n--- second\n%s\n", what, a.c_str(), b.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    plan::FormatResult once = plan::format_source("<fuzz>", text);
    if (!once.ok) return 0;
    plan::FormatResult twice = plan::format_source("<fuzz>", once.text);
    if (!twice.ok) fail("the formatted text does not parse", once.text, twice.errors);
    if (twice.text != once.text) fail("formatting is not idempotent", once.text, twice.text);
    std::string before = tree(text), after = tree(once.text);
    if (before != after) fail("formatting changed the tree", before, after);
    return 0;
}
