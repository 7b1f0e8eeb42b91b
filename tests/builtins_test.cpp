// The core builtins by id: each id is its builtin's index (what the checker binds calls by and the
// JIT lowers by); the natives installed after them have no id.
#include <catch2/catch.hpp>

#include <string>

#include "interpreter/builtins.hpp"
#include "plan/plan.hpp"

TEST_CASE("each core builtin sits at the index of its id; natives come after, without one", "[builtins]") {
    using plan::BuiltinId;
    const std::pair<BuiltinId, const char*> ids[] = {
        {BuiltinId::Sqrt, "sqrt"},   {BuiltinId::Exp, "exp"},     {BuiltinId::Log, "log"},
        {BuiltinId::Log2, "log2"},   {BuiltinId::Log10, "log10"}, {BuiltinId::Abs, "abs"},
        {BuiltinId::Floor, "floor"}, {BuiltinId::Ceil, "ceil"},   {BuiltinId::Round, "round"},
        {BuiltinId::Min, "min"},     {BuiltinId::Max, "max"},     {BuiltinId::Sum, "sum"},
        {BuiltinId::Mean, "mean"},   {BuiltinId::Error, "error"}, {BuiltinId::Divisors, "divisors"},
        {BuiltinId::Len, "len"},
        {BuiltinId::Require, "require"},
    };
    REQUIRE(std::size(ids) == plan::kCoreBuiltins);
    for (auto [id, name] : ids) {
        INFO(name);
        int index = static_cast<int>(id);
        CHECK(std::string(plan::builtins()[index].name) == name);
        CHECK(std::string(plan::builtin(id).name) == name);
        CHECK(plan::core_builtin(index) == id);
    }
    plan::Session s;  // installs the natives
    const auto& all = plan::builtins();
    REQUIRE(all.size() > plan::kCoreBuiltins);
    for (size_t i = plan::kCoreBuiltins; i < all.size(); ++i) {
        INFO(all[i].name);
        CHECK_FALSE(plan::core_builtin(static_cast<int>(i)));
    }
    CHECK_FALSE(plan::core_builtin(-1));
}
