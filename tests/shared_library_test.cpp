// files::SharedLibrary: what a user sees when a library opened on first use (OpenBLAS for
// training, librsvg for PNG plots) is missing or lacks a function.
#include <catch2/catch.hpp>

#include "files/shared_library.hpp"

using Catch::Contains;
using Catch::StartsWith;
using plan::files::SharedLibrary;

TEST_CASE("a library that cannot be opened is an error naming it and what needs it", "[files]") {
    REQUIRE_THROWS_WITH(SharedLibrary("librsvg", "libplan-no-such-library.so.9", "PNG plots need"),
                        StartsWith("cannot load librsvg (libplan-no-such-library.so.9), which PNG plots need: ") &&
                            Contains("libplan-no-such-library.so.9"));
}

TEST_CASE("a library's functions are bound by name, and a missing one is an error", "[files]") {
    const SharedLibrary libm("the C math library", "libm.so.6", "this test needs");
    double (*cosine)(double) = nullptr;
    libm.bind(cosine, "cos");
    REQUIRE(cosine != nullptr);
    CHECK(cosine(0.0) == 1.0);
    double (*missing)(double) = nullptr;
    REQUIRE_THROWS_WITH(libm.bind(missing, "plan_no_such_function"),
                        "the C math library (libm.so.6) has no plan_no_such_function");
}
