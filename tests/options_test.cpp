// Every option of every stdlib function is checked where the user writes it (issue 10): the
// functions and their options are read from the embedded stdlib sources, so a function added
// later is covered without touching this file. Each string option is misspelt and each integer
// option put out of range, once as a literal (an error before running, E0332) and once computed
// (an error while running, E0526); both must point into the test's own source, at the argument.
#include <algorithm>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "grammar/parser.hpp"
#include "plan/plan.hpp"
#include "stdlib/stdlib.hpp"

namespace {

plan::SessionOptions quiet() {
    plan::SessionOptions o;
    o.print_expressions = false;
    return o;
}

// Values for the required parameters without a rule, by name: one model, device and system, and
// small whole numbers a layout accepts. A new function whose required parameter is not here fails
// the test with its name, so the table grows with the stdlib.
const std::map<std::string, std::string> kRequired = {
    {"m", "llama3_8b"},        {"gpu", "H100_SXM"},        {"sys", "dgx_h100"},
    {"seq", "2048"},           {"prompt", "100"},          {"context", "100"},
    {"sequence_parallel", "false"}, {"flash_attention", "false"}, {"overlap_tp", "false"},
    {"efficiency", "0"},       {"batch", "64"},            {"gpus", "64"},
    {"micro_batch", "1"},      {"tp", "1"},                {"pp", "1"},
    {"cp", "1"},               {"ep", "1"},                {"interleave", "1"},
    {"zero", "0"},             {"recompute", "\"none\""},   {"precision", "\"bf16\""},
    {"per_gpu", "140 TFLOP/s"}, {"peak", "312 TFLOP/s"},    {"throughput", "1000 token/s"},
    {"inter", "100 GB/s"}, {"cache", "10 GB"},
    {"name", "\"a\""},        {"x", "[1, 2]"},            {"y", "[1, 2]"},  // plot_series
};

struct Option {
    std::string fn, param;
    enum class Kind { Strings, Numbers, Count, Whole, StringItems } kind;  // StringItems: `[["q", "k"]]`
    std::vector<std::string> allowed;  // as written: "\"full\"", "3"
};

// A valid value for a parameter with a rule, and one the rule rejects.
std::string valid(const Option& o) {
    if (o.kind == Option::Kind::Count) return "1";
    if (o.kind == Option::Kind::Whole) return "0";
    if (o.kind == Option::Kind::StringItems) return "[" + o.allowed.at(0) + "]";
    return o.allowed.at(0);
}

// The first non-empty string value misspelt: its last letter dropped (or replaced, when that is a value).
std::string typo(const Option& o) {
    std::string first = *std::find_if(o.allowed.begin(), o.allowed.end(), [](auto& a) { return a.size() > 2; });
    std::string typo = first.substr(0, first.size() - 2) + "\"";
    for (auto& a : o.allowed)
        if (a == typo) typo = first.substr(0, first.size() - 1) + "x\"";
    return typo;
}
std::string invalid(const Option& o) {
    switch (o.kind) {
        case Option::Kind::Count: return "0";
        case Option::Kind::Whole: return "-1";
        case Option::Kind::Numbers: return "99";
        case Option::Kind::Strings: return typo(o);
        case Option::Kind::StringItems: return "[" + o.allowed.at(0) + ", " + typo(o) + "]";  // a good item, then a misspelt one
    }
    return "";
}

// Where in the invalid value `bad` the caret goes: at the value, or at the misspelt item of a list.
size_t caret_in(const Option& o, const std::string& bad) { return o.kind == Option::Kind::StringItems ? bad.rfind(typo(o)) : 0; }

struct Fn {
    std::string name;
    std::vector<const plan::ast::Param*> params;
};

// The options of one parameter, from its annotation; none when it has no rule.
std::optional<Option> option_of(const std::string& fn, const plan::ast::Param& p) {
    using plan::ast::ExprKind;
    if (!p.type) return std::nullopt;
    const auto& t = *p.type;
    if (t.kind == ExprKind::Name && (t.text == "Count" || t.text == "Whole"))
        return Option{fn, p.name, t.text == "Count" ? Option::Kind::Count : Option::Kind::Whole, {}};
    if (t.kind != ExprKind::List) return std::nullopt;
    const bool each = t.args.size() == 1 && t.args[0]->kind == ExprKind::List;
    Option o{fn, p.name, Option::Kind::Numbers, {}};
    for (const auto& item : each ? t.args[0]->args : t.args) {
        if (item->kind == ExprKind::String) {
            o.kind = each ? Option::Kind::StringItems : Option::Kind::Strings;
            o.allowed.push_back("\"" + (item->parts.empty() ? std::string() : item->parts.at(0).text) + "\"");
        } else {
            o.allowed.push_back(item->text);
        }
    }
    return o;
}

// The call of `fn` with every required parameter given by name, and `extra` after them.
std::string call(const Fn& fn, const std::string& tested, const std::string& extra) {
    std::string args;
    for (const auto* p : fn.params) {
        if (p->default_value || p->name == tested) continue;
        std::string value;
        if (auto o = option_of(fn.name, *p)) {
            value = valid(*o);
        } else {
            auto found = kRequired.find(p->name);
            if (found == kRequired.end()) FAIL("add a value for parameter `" << p->name << "` of `" << fn.name << "`");
            value = found->second;
        }
        args += p->name + " = " + value + ", ";
    }
    return fn.name + "(" + args + extra + ")";
}

std::vector<std::pair<Fn, Option>> stdlib_options(std::vector<plan::ParseResult>& keep, plan::SourceMap& sources) {
    std::vector<std::pair<Fn, Option>> out;
    for (auto module : plan::stdlib::module_names()) {
        uint32_t file = sources.add(std::string(module), std::string(*plan::stdlib::module_source(module)));
        keep.push_back(plan::parse(sources, file));
        REQUIRE(keep.back().errors.empty());
        for (const auto& s : keep.back().module.stmts) {
            if (s->kind != plan::ast::StmtKind::Fn) continue;
            Fn fn{s->name, {}};
            for (const auto& p : s->params) fn.params.push_back(&p);
            for (const auto& p : s->params)
                if (auto o = option_of(s->name, p)) out.push_back({fn, *o});
        }
    }
    return out;
}

}  // namespace

TEST_CASE("every option of every stdlib function is checked at the user's argument", "[options][stdlib]") {
    plan::SourceMap sources;
    std::vector<plan::ParseResult> parsed;
    parsed.reserve(64);
    auto options = stdlib_options(parsed, sources);
    // The options the issue names are among them (so the enumeration found the stdlib).
    std::map<std::string, int> seen;
    for (auto& [fn, o] : options) ++seen[o.param];
    for (const char* p : {"recompute", "optimizer", "precision", "kv_precision", "zero", "tp", "pp", "dp", "micro_batch", "gpus", "targets"})
        CHECK(seen[p] > 0);
    CHECK(options.size() > 60);

    plan::Session s(quiet());
    for (auto& [fn, o] : options) {
        const std::string bad = invalid(o);
        // A literal: an error before anything runs, at the literal.
        std::string literal = call(fn, o.param, o.param + " = " + bad);
        INFO(literal);
        plan::Result r = s.eval(literal, "<test>");
        REQUIRE(!r.ok());
        CHECK(r.exit_code == 2);
        CHECK(r.errors.at(0).code == "E0332");
        CHECK(r.errors.at(0).file == "<test>");
        CHECK(r.errors.at(0).line == 1);
        CHECK(r.errors.at(0).column == static_cast<int>(literal.rfind(bad) + caret_in(o, bad)) + 1);
        // Computed: an error while running, at the argument.
        std::string computed = "let bad_value = " + bad + "\n" + call(fn, o.param, o.param + " = bad_value");
        INFO(computed);
        r = s.eval(computed, "<test>");
        REQUIRE(!r.ok());
        CHECK(r.exit_code == 1);
        CHECK(r.errors.at(0).code == "E0526");
        CHECK(r.errors.at(0).file == "<test>");
        CHECK(r.errors.at(0).line == 2);
        CHECK(r.errors.at(0).column == static_cast<int>(computed.rfind("bad_value") - computed.find('\n')));
    }
}

TEST_CASE("a layout that does not split the model is an error at the user's arguments", "[options][stdlib]") {
    plan::Session s(quiet());
    // Llama-3-8B: 32 heads, 8 key/value heads, 32 layers.
    const std::pair<const char*, const char*> cases[] = {
        {"memory_per_gpu(llama3_8b, tp = 3)", "tp = 3"},
        {"activation_per_layer(llama3_8b, 2048, tp = 3)", "tp = 3"},
        {"activation_memory(llama3_8b, 2048, pp = 7)", "pp = 7"},
        {"memory_per_gpu(llama3_8b, pp = 7)", "pp = 7"},
        {"memory_per_gpu(llama3_8b, tp = 3, pp = 7)", "tp = 3"},
        {"fits(llama3_8b, H100_SXM, tp = 64)", "tp = 64"},
        {"min_gpus(llama3_8b, H100_SXM, pp = 5)", "pp = 5"},
        {"serving(llama2_70b, H100_SXM, gpus = 3)", "gpus = 3"},
        {"decode_time(llama2_70b, H100_SXM, 100, gpus = 6)", "gpus = 6"},
        {"step_time(llama3_8b, dgx_h100, 48, 48, 2048, tp = 3)", "tp = 3"},
    };
    for (auto [code, argument] : cases) {
        std::string text(code);
        INFO(text);
        plan::Result r = s.eval(text, "<test>");
        REQUIRE(!r.ok());
        CHECK(r.exit_code == 1);
        CHECK(r.errors.at(0).code == "E0527");
        CHECK(r.errors.at(0).file == "<test>");
        // The caret is on the model or on the degree: both are the user's arguments.
        const int column = r.errors.at(0).column;
        const int model = static_cast<int>(text.find('(')) + 2;
        const int degree = static_cast<int>(text.find(argument)) + 1 + static_cast<int>(std::string(argument).find('=')) + 2;
        CHECK((column == model || column == degree));
    }
    // tp a multiple of the key/value heads replicates them (vLLM): 16 GPUs on 8 KV heads is a layout.
    CHECK(s.eval("memory_per_gpu(llama3_8b, tp = 16).total > 0 GB", "<test>").value->display == "true");
    CHECK(s.eval("tp_divides(llama3_8b, 16) and not tp_divides(llama3_8b, 12) and pp_divides(llama3_8b, 8)", "<test>")
              .value->display == "true");
}

TEST_CASE("parameter rules and require in user code", "[options]") {
    plan::Session s(quiet());
    auto first = [&](const std::string& code) {
        plan::Result r = s.eval(code, "<test>");
        return r.ok() ? std::string("ok") : r.errors.at(0).code + " " + std::to_string(r.errors.at(0).line) + ":" +
                                                  std::to_string(r.errors.at(0).column) + " " + r.errors.at(0).message;
    };
    // A default outside the rule is an error at the definition.
    CHECK(first("fn f(zero: [0, 1, 2, 3] = 4) = zero") == "E0332 1:27 4 is not a value of `zero`");
    // Wrong kinds are type errors, not rule errors.
    CHECK(first("fn g(n: Count) = n\ng(\"2\")").rfind("E0316 2:3", 0) == 0);
    CHECK(first("fn whole_n(n: Count) = n\nwhole_n(2.5)") == "E0332 2:9 `n` must be a whole number of at least 1, not 2.5");
    CHECK(first("fn k(w: Whole) = w\nk(-1)") == "E0332 2:3 `w` must be a whole number of at least 0, not -1");
    CHECK(first("fn k2(w: Whole) = w\nk2(0)") == "ok");
    // A rule on a list's items: a list written out is checked item by item, the caret on the item;
    // a computed one when the call runs, at the argument; a default at the definition.
    auto lora = [](const std::string& name) { return "fn " + name + "(targets: [[\"q\", \"k\", \"v\"]] = [\"q\"]) = len(targets)\n" + name; };
    CHECK(first(lora("a1") + "([\"q\", \"vv\"])") == "E0332 2:10 \"vv\" is not a value of the items of `targets`");
    CHECK(first(lora("a2") + "([\"q\", \"v\"]) + a2([])") == "ok");
    CHECK(first("let t = [\"k\", \"x\"]\n" + lora("a3") + "(t)") == "E0526 3:4 \"x\" is not a value of the items of `targets`");
    CHECK(first("fn a4(targets: [[\"q\", \"k\"]] = [\"q\", \"o\"]) = targets") == "E0332 1:37 \"o\" is not a value of the items of `targets`");
    CHECK(first(lora("a5") + "(\"q\")").rfind("E0316 2:4", 0) == 0);  // a string for a list: a type error
    // require: at the call in the user's code, under the arguments the condition reads, through lets.
    CHECK(first("fn split(layers: Count, pp: Count) = { let per = layers / pp; let ok = require(floor(per) == per, \"uneven\"); per }\n"
                 "let n = 7\nsplit(32, n)") == "E0527 3:7 uneven");
    CHECK(first("let top = require(1 > 2, \"never\")") == "E0527 1:11 never");
    CHECK(first("require(true, \"fine\")") == "ok");
    // A sweep on the compiled backend checks the rules too, and reports the failing point's error.
    plan::Result r = s.eval("sweep {\n    tp in [1, 2, 3]\n    let mem = memory_per_gpu(llama3_8b, tp = tp).total\n    minimize mem\n}",
                            "<test>");
    REQUIRE(!r.ok());
    CHECK(r.errors.at(0).code == "E0527");
    CHECK(r.errors.at(0).line == 3);
    CHECK(r.errors.at(0).column == 30);
    r = s.eval("sweep {\n    z in [0, 1, 5]\n    let mem = memory_per_gpu(llama3_8b, dp = 8, zero = z).total\n    minimize mem\n}", "<test>");
    REQUIRE(!r.ok());
    CHECK(r.errors.at(0).code == "E0526");
    CHECK(r.errors.at(0).column == 56);
}
