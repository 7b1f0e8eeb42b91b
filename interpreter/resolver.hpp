// The resolver: the stage between parsing and checking. Given a parsed program it finds every
// module the program needs — each `use`, recursively, and for user code the stdlib module of each
// library name it uses without `use` — reads them through its importers, parses them, rejects
// cycles, and returns them in dependency order. Nothing is checked or run here.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "grammar/diagnostic.hpp"
#include "interpreter/importers.hpp"

namespace plan {

// A module the program needs, parsed.
struct ResolvedModule {
    std::string name;  // as `use` spells it: "hardware::nvidia"
    std::string key;   // ModuleSource::key
    bool library;      // a stdlib module
    const ast::Module* ast;
    std::filesystem::path dir;  // where its sweeps write report files
    // Why it is loaded, innermost first: the `use` of it (or the library name it was loaded for)
    // and the `use`s that led there. Its errors carry these as notes.
    std::vector<Label> via;
};

// The program being resolved: user code.
struct Program {
    const ast::Module* ast;
    std::string name;  // in a cycle: the file's stem
    std::string key;   // a file's canonical path ("" for text that is not a file)
    std::filesystem::path dir;  // where its `use`s look for files
};

struct Resolution {
    std::vector<ResolvedModule> modules;  // each after the modules it uses; the program not included
    std::vector<Diagnostic> errors;
};

class Resolver {
public:
    // Parsed modules are kept for the resolver's lifetime: checked code points into them.
    Resolver(SourceMap& sources, std::vector<std::unique_ptr<Importer>> importers);

    // `loaded(key)`: the session has that module already. With `library_names`, a name the
    // program uses, defines nowhere and the session does not `know` loads the stdlib module that
    // defines it.
    using Predicate = std::function<bool(const std::string&)>;
    Resolution resolve(const Program& program, const Predicate& loaded, const Predicate& known, bool library_names);

    // The names the stdlib defines at its top level, each with its module.
    const std::map<std::string, std::string>& library_index();

private:
    struct Walk;
    struct Parsed {
        const ast::Module* ast = nullptr;
        std::vector<Diagnostic> errors;
    };
    struct Found {
        const Importer* importer;
        ModuleSource source;
    };

    bool use(Walk& w, const std::string& name, Label at, bool from_library, const std::filesystem::path& dir,
             const std::vector<Label>& via);
    std::optional<Found> find(Walk& w, const std::string& name, Span at, bool from_library, const std::filesystem::path& dir,
                              const std::vector<Label>& via) const;
    const Parsed& parse(const ModuleSource& source, std::map<std::string, Parsed>& cache);
    void walk_program(Walk& w, const Program& program, const std::vector<std::pair<std::string, Label>>& first);
    // The library modules that define the names the program and its user modules use, where no
    // module of the resolution defines them and the session does not know them.
    std::vector<std::pair<std::string, Label>> library_uses(const Program& program, const std::vector<ResolvedModule>& modules,
                                                            const Predicate& known);

    SourceMap& sources_;
    std::vector<std::unique_ptr<Importer>> importers_;
    std::map<std::string, Parsed> library_parsed_;  // by key: stdlib sources never change
    std::vector<std::unique_ptr<ast::Module>> asts_;
    std::optional<std::map<std::string, std::string>> index_;  // library name → its module, made on first use
};

}  // namespace plan
