// The resolver stage (modules found, parsed and ordered before any checking), modules in folders,
// stdlib names without `use`, and every stdlib module loading and checking on its own.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "grammar/parser.hpp"
#include "interpreter/free_names.hpp"
#include "interpreter/resolver.hpp"
#include "plan/plan.hpp"
#include "stdlib/stdlib.hpp"

namespace {

const std::string kSource = PLAN_SOURCE_DIR;

// Modules held in memory, as an importer of the stdlib (library) or of the user's files.
class MemoryImporter final : public plan::Importer {
public:
    MemoryImporter(std::map<std::string, std::string> modules, bool library) : modules_(std::move(modules)), library_(library) {}
    plan::Import find(const std::string& name, const std::filesystem::path&) const override {
        plan::Import import;
        auto it = modules_.find(name);
        if (it == modules_.end()) {
            import.looked_for = library_ ? "library module" : "user module";
            return import;
        }
        import.status = plan::Import::Status::Found;
        import.source = {(library_ ? "lib:" : "user:") + name, "<" + name + ">", it->second, {}};
        return import;
    }
    bool library() const override { return library_; }
    std::vector<std::string> modules() const override {
        if (!library_) return {};
        std::vector<std::string> names;
        for (auto& [n, text] : modules_) names.push_back(n);
        return names;
    }

    std::vector<std::pair<std::string, std::string>> names() const override {
        ++indexed;
        std::vector<std::pair<std::string, std::string>> out;
        if (!library_) return out;
        plan::SourceMap sources;
        for (auto& [module, text] : modules_)
            for (auto& name : plan::defined_names(plan::parse(sources, sources.add(module, text)).module)) out.emplace_back(name, module);
        return out;
    }
    inline static int indexed = 0;  // calls of names()

private:
    std::map<std::string, std::string> modules_;
    bool library_;
};

struct Resolved {
    std::vector<std::string> order;  // module names, in the order they are to be checked
    std::vector<std::string> errors;
};

// Resolves `program` against a library and user modules held in memory.
Resolved resolve(const std::string& program, std::map<std::string, std::string> library,
                 std::map<std::string, std::string> user, bool library_names = true,
                 const std::set<std::string>& known = {}) {
    plan::SourceMap sources;
    std::vector<std::unique_ptr<plan::Importer>> importers;
    importers.push_back(std::make_unique<MemoryImporter>(std::move(library), true));
    importers.push_back(std::make_unique<MemoryImporter>(std::move(user), false));
    plan::Resolver resolver(sources, std::move(importers));
    plan::ParseResult parsed = plan::parse(sources, sources.add("<main>", program));
    REQUIRE(parsed.errors.empty());
    plan::Resolution r = resolver.resolve(
        {&parsed.module, "main", "user:main", {}}, [](const std::string&) { return false; },
        [&](const std::string& name) { return known.count(name) > 0; }, library_names);
    Resolved out;
    for (auto& m : r.modules) out.order.push_back(m.name);
    for (auto& e : r.errors) out.errors.push_back(e.message);
    return out;
}

plan::SessionOptions quiet(std::ostream* out = nullptr) {
    plan::SessionOptions o;
    o.print_expressions = false;
    o.out = out;
    return o;
}

std::string first_error(const plan::Result& r) { return r.errors.empty() ? "" : r.errors[0].rendered; }

}  // namespace

TEST_CASE("the resolver orders modules after the modules they use, each once", "[resolver]") {
    Resolved r = resolve("use left\nuse right\n", {},
                         {{"left", "use base\nlet l = 1"}, {"right", "use base\nuse left\nlet r = 2"}, {"base", "let b = 0"}});
    CHECK(r.errors.empty());
    CHECK(r.order == std::vector<std::string>{"base", "left", "right"});
}

TEST_CASE("the resolver rejects a cycle and names it", "[resolver]") {
    Resolved r = resolve("use a\n", {}, {{"a", "use b"}, {"b", "use c"}, {"c", "use a"}});
    CHECK(r.order.empty());
    CHECK(r.errors == std::vector<std::string>{"module `a` uses itself: a → b → c → a"});
    // The program itself is part of a cycle when a module uses it back.
    r = resolve("use a\n", {}, {{"a", "use main"}, {"main", "let x = 1"}});
    CHECK(r.errors == std::vector<std::string>{"module `main` uses itself: main → a → main"});
}

TEST_CASE("the resolver reports parse errors of a module, with the use that led there", "[resolver]") {
    plan::SourceMap sources;
    std::vector<std::unique_ptr<plan::Importer>> importers;
    importers.push_back(std::make_unique<MemoryImporter>(std::map<std::string, std::string>{}, true));
    importers.push_back(std::make_unique<MemoryImporter>(
        std::map<std::string, std::string>{{"outer", "use inner"}, {"inner", "let x = (1\nlet y = 2 +* 3"}}, false));
    plan::Resolver resolver(sources, std::move(importers));
    plan::ParseResult parsed = plan::parse(sources, sources.add("<main>", "use outer"));
    plan::Resolution r = resolver.resolve({&parsed.module, "main", "", {}}, [](auto&) { return false; }, [](auto&) { return false; }, true);
    REQUIRE(r.errors.size() == 2);  // both statements of `inner`
    for (auto& e : r.errors) {
        REQUIRE(e.labels.size() == 3);  // the error, the `use inner` in outer, the `use outer` in main
        CHECK(sources.file(e.labels[0].span.file).name == "<inner>");
        CHECK(sources.location(e.labels[1].span) == "<outer>:1:5");
        CHECK(e.labels[1].text == "`inner` is used");
        CHECK(sources.location(e.labels[2].span) == "<main>:1:5");
    }
}

TEST_CASE("stdlib modules use only the stdlib", "[resolver]") {
    Resolved r = resolve("use lib\n", {{"lib", "use helper"}}, {{"helper", "let x = 1"}});
    CHECK(r.errors == std::vector<std::string>{"unknown module `helper`"});
}

TEST_CASE("a library name used without `use` loads its module, before the user's modules", "[resolver]") {
    std::map<std::string, std::string> library = {
        {"devices", "use shapes\nlet gpu = device(80)"}, {"shapes", "fn device(memory) = { memory = memory }"}, {"other", "let unused = 1"}};
    Resolved r = resolve("use mine\nprint gpu.memory\n", library, {{"mine", "let mem = gpu.memory"}});
    CHECK(r.errors.empty());
    CHECK(r.order == std::vector<std::string>{"shapes", "devices", "mine"});
    // A name the program or its modules define is theirs; a name the session knows needs nothing;
    // locals, parameters and fields are not names to look up.
    CHECK(resolve("let gpu = 1\ngpu", library, {}).order.empty());
    CHECK(resolve("use mine\ngpu", library, {{"mine", "let gpu = 2"}}).order == std::vector<std::string>{"mine"});
    CHECK(resolve("gpu", library, {}, true, {"gpu"}).order.empty());
    CHECK(resolve("fn f(gpu) = gpu\n[unused for unused in [1]]\n{ let device = 1; device }\nlet r = { gpu = 1 }\nr.gpu", library, {})
              .order.empty());
    // Only with library names on.
    CHECK(resolve("gpu", library, {}, false).order.empty());
    // Names that the modules the program uses define need no index of the library.
    MemoryImporter::indexed = 0;
    CHECK(resolve("use devices\ngpu.memory + device(1).memory", library, {}).order == std::vector<std::string>{"shapes", "devices"});
    CHECK(MemoryImporter::indexed == 0);
}

TEST_CASE("free names: what code uses and does not define", "[resolver]") {
    plan::SourceMap sources;
    auto names = [&](const std::string& code) {
        plan::ParseResult parsed = plan::parse(sources, sources.add("<test>", code));
        REQUIRE(parsed.errors.empty());
        std::vector<std::string> out;
        for (auto& n : plan::free_names(parsed.module)) out.push_back(n.name);
        return out;
    };
    CHECK(names("let a = b + c(d)\nfn f(x, y = x) = x + y + e\nprint \"{g}\"") == std::vector<std::string>{"b", "c", "d", "e", "g"});
    CHECK(names("[x * k for x in xs if x > 0]\n{ let t = 1; t + u }") == std::vector<std::string>{"xs", "k", "u"});
    CHECK(names("sweep {\n n in sizes\n let m = n * w\n minimize m\n report top count\n}") ==
          std::vector<std::string>{"sizes", "w", "count"});
    CHECK(names("let r = { a = 1 }\nr.a + later\nlet later = 2\n5 GB -> MB") == std::vector<std::string>{"GB", "MB"});
}

TEST_CASE("plan check runs nothing: not the program, not the modules it uses", "[resolver]") {
    std::ostringstream out;
    plan::Session s(quiet(&out));
    plan::Result r = s.run_file(kSource + "/tests/cli/resolver/prints/main.plan", plan::Mode::Check);
    CHECK(r.ok());
    CHECK(out.str().empty());
    // Checking defined nothing, so running afterwards runs the module (once) and then the program.
    r = s.run_file(kSource + "/tests/cli/resolver/prints/main.plan", plan::Mode::Run);
    CHECK(r.ok());
    CHECK(out.str() == "helper runs\nmain sees 42\n");
}

TEST_CASE("a program that fails leaves nothing defined, its modules included", "[resolver]") {
    std::ostringstream out;
    plan::Session s(quiet(&out));
    std::string dir = kSource + "/tests/cli/resolver/diamond/";
    plan::Result r = s.run_file(dir + "fails.plan", plan::Mode::Run);
    CHECK(r.exit_code == 1);
    CHECK(out.str() == "base\nleft\n");
    CHECK(s.eval("left_value").exit_code == 2);
    CHECK(s.eval("base_value").exit_code == 2);
    // So a later program that uses them loads them again, from scratch.
    r = s.run_file(dir + "main.plan", plan::Mode::Run);
    CHECK(r.ok());
    CHECK(out.str() == "base\nleft\nbase\nleft\nright\nmain: 23\n");
    // Once loaded, a module is not loaded again.
    r = s.run_file(dir + "main.plan", plan::Mode::Run);
    CHECK(out.str() == "base\nleft\nbase\nleft\nright\nmain: 23\nmain: 23\n");
}

TEST_CASE("every stdlib module loads and checks on its own, with the prelude alone", "[resolver][stdlib]") {
    for (auto name : plan::stdlib::module_names()) {
        if (name == "prelude") continue;
        std::string use = "use " + std::string(name);
        INFO(use);
        plan::SessionOptions o = quiet();
        o.stdlib = false;  // nothing but what the module says it uses
        plan::Session checked(o);
        plan::Result r = checked.eval(use, "<test>", plan::Mode::Check);
        CHECK(first_error(r) == "");
        plan::Session loaded(o);
        r = loaded.eval(use, "<test>");
        CHECK(first_error(r) == "");
    }
    // And all of them together, in one session: no two define the same name.
    plan::SessionOptions o = quiet();
    o.stdlib = false;
    plan::Session all(o);
    for (auto name : plan::stdlib::module_names()) CHECK(first_error(all.eval("use " + std::string(name), "<test>")) == "");
}

TEST_CASE("use hardware loads every vendor; use hardware::nvidia only NVIDIA's devices", "[resolver][stdlib]") {
    plan::SessionOptions o = quiet();
    o.stdlib = false;
    plan::Session nvidia(o);
    REQUIRE(nvidia.eval("use hardware::nvidia").ok());
    CHECK(nvidia.eval("H100_SXM.memory").value->display == "80 GB");
    CHECK(nvidia.eval("MI300X.memory").exit_code == 2);
    CHECK(nvidia.eval("accelerators").exit_code == 2);
    plan::Session all(o);
    REQUIRE(all.eval("use hardware").ok());
    CHECK(all.eval("len(accelerators)").value->display == "11");
    CHECK(all.eval("cluster(TPU_v5p, 4).peak").value->display == "1.836 PFLOP/s");
    CHECK(all.eval("dgx_a100.node_gpus").value->display == "8");
}

TEST_CASE("stdlib names need no `use`; the user's own names shadow them without error", "[resolver][stdlib]") {
    plan::Session s(quiet());
    CHECK(s.eval("H100_SXM.memory").value->display == "80 GB");
    CHECK(s.eval("optimal(chinchilla, 5.76e23 FLOP).params > 30B").value->display == "true");
    // A file's definition shadows the stdlib's, and the stdlib's own functions keep using theirs.
    CHECK(s.eval("let peak = 3\nlet cluster_peak = cluster(H100_SXM, 8).peak\npeak").value->display == "3");
    CHECK(s.eval("fn accelerators() = 0\naccelerators()").value->display == "0");
    // `use` stays valid, and shadowing a name of a module loaded with `use` is no error either.
    CHECK(s.eval("use hardware\nlet MI300X = 1\nMI300X + 1").value->display == "2");
    // Stdlib code never sees user definitions, even when it loads after them (the REPL).
    plan::SessionOptions repl = quiet();
    repl.allow_redefinition = true;
    plan::Session r(repl);
    REQUIRE(r.eval("fn peak(gpu, precision = \"bf16\") = 1 FLOP/s").ok());
    CHECK(r.eval("cluster(H100_SXM, 1).peak").value->display == "0.9894 PFLOP/s");
    CHECK(r.eval("peak(H100_SXM)").value->display == "1 FLOP/s");  // the user's, still
    CHECK(r.definitions() == std::vector<std::string>{"fn peak(gpu, precision = \"bf16\")"});
}

TEST_CASE("the REPL completes and describes stdlib names before their module is loaded", "[resolver][stdlib]") {
    plan::Session s(quiet());
    auto names = s.completions("H100_");
    CHECK(names == std::vector<std::string>{"H100_PCIe", "H100_SXM"});
    CHECK(s.help("cluster").rfind("fn cluster(gpu, count: Count, mfu = 40%, ", 0) == 0);
    CHECK(s.fields_of("MI300X").at(0) == "name");
}
