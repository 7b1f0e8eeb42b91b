#include "interpreter/resolver.hpp"

#include <set>

#include <fmt/format.h>

#include "grammar/parser.hpp"
#include "interpreter/free_names.hpp"

namespace plan {

struct Resolver::Walk {
    const Predicate& loaded;
    std::map<std::string, Parsed>& user_parsed;              // this resolution's files, parsed once
    std::vector<std::pair<std::string, std::string>> stack;  // (key, name) of the modules being resolved
    std::set<std::string> done;
    std::vector<ResolvedModule> out;
    std::vector<Diagnostic> errors;
};

namespace {

Diagnostic with_via(Diagnostic d, const std::vector<Label>& via) {
    d.labels.insert(d.labels.end(), via.begin(), via.end());
    return d;
}

Label used_at(Span at, const std::string& name) { return {at, "`" + name + "` is used"}; }

}  // namespace

Resolver::Resolver(SourceMap& sources, std::vector<std::unique_ptr<Importer>> importers)
    : sources_(sources), importers_(std::move(importers)) {}

Resolution Resolver::resolve(const Program& program, const Predicate& loaded, const Predicate& known, bool library_names) {
    std::map<std::string, Parsed> user_parsed;
    Walk w{loaded, user_parsed, {}, {}, {}, {}};
    walk_program(w, program, {});
    if (w.errors.empty() && library_names) {
        // Again, with the library modules first: they use no user module, and user code needs them.
        auto first = library_uses(program, w.out, known);
        if (!first.empty()) {
            Walk again{loaded, user_parsed, {}, {}, {}, {}};
            walk_program(again, program, first);
            return {std::move(again.out), std::move(again.errors)};
        }
    }
    return {std::move(w.out), std::move(w.errors)};
}

void Resolver::walk_program(Walk& w, const Program& program, const std::vector<std::pair<std::string, Label>>& first) {
    for (auto& [module, why] : first)
        if (!use(w, module, why, /*from_library=*/true, {}, {})) return;
    if (!program.key.empty()) w.stack.push_back({program.key, program.name});  // a module using it is a cycle
    for (auto& s : program.ast->stmts)
        if (s->kind == ast::StmtKind::Use && !use(w, s->name, used_at(s->name_span, s->name), false, program.dir, {})) return;
}

bool Resolver::use(Walk& w, const std::string& name, Label at, bool from_library, const std::filesystem::path& dir,
                   const std::vector<Label>& via) {
    std::optional<Found> found = find(w, name, at.span, from_library, dir, via);
    if (!found) return false;
    const std::string& key = found->source.key;
    if (w.loaded(key) || w.done.count(key)) return true;
    for (size_t i = 0; i < w.stack.size(); ++i) {
        if (w.stack[i].first != key) continue;
        std::string cycle;
        for (size_t j = i; j < w.stack.size(); ++j) cycle += w.stack[j].second + " → ";
        Diagnostic d(Code::ModuleCycle);
        d.message = "module `" + name + "` uses itself: " + cycle + name;
        d.labels.push_back({at.span, "`" + name + "` is already being loaded"});
        d.help = "move what these modules share into another module that each of them uses";
        w.errors.push_back(with_via(std::move(d), via));
        return false;
    }
    bool library = found->importer->library();
    std::vector<Label> chain{at};
    chain.insert(chain.end(), via.begin(), via.end());
    const Parsed& parsed = parse(found->source, library ? library_parsed_ : w.user_parsed);
    if (!parsed.ast) {
        for (auto& e : parsed.errors) w.errors.push_back(with_via(e, chain));
        return false;
    }
    w.stack.push_back({key, name});
    for (auto& s : parsed.ast->stmts)
        if (s->kind == ast::StmtKind::Use && !use(w, s->name, used_at(s->name_span, s->name), library, found->source.dir, chain))
            return false;
    w.stack.pop_back();
    w.done.insert(key);
    w.out.push_back({name, key, library, parsed.ast, found->source.dir, std::move(chain)});
    return true;
}

std::optional<Resolver::Found> Resolver::find(Walk& w, const std::string& name, Span at, bool from_library,
                                              const std::filesystem::path& dir, const std::vector<Label>& via) const {
    std::vector<std::string> looked, nearby, parts;
    for (auto& importer : importers_) {
        if (from_library && !importer->library()) continue;  // the stdlib uses only the stdlib
        Import import = importer->find(name, dir);
        switch (import.status) {
            case Import::Status::Found: return Found{importer.get(), std::move(import.source)};
            case Import::Status::Unreadable: {
                Diagnostic d(import.outside ? Code::PathNotAllowed : Code::CannotRead);
                d.message = "cannot read module `" + name + "`: " + import.reason;
                d.labels.push_back({at, import.looked_for});
                w.errors.push_back(with_via(std::move(d), via));
                return std::nullopt;
            }
            case Import::Status::Missing:
                looked.push_back(import.looked_for);
                nearby.insert(nearby.end(), import.nearby.begin(), import.nearby.end());
                parts.insert(parts.end(), import.parts.begin(), import.parts.end());
                break;
        }
    }
    Diagnostic d(Code::UnknownModule);
    d.message = "unknown module `" + name + "`";
    d.labels.push_back({at, "no " + fmt::format("{}", fmt::join(looked, " or "))});
    std::string guess = closest_name(name, nearby);
    if (!parts.empty())
        d.help = "`" + name + "` is a folder of modules: use one of " + fmt::format("{}", fmt::join(parts, ", "));
    else if (!guess.empty())
        d.help = "did you mean `" + guess + "`?";
    else
        for (auto& importer : importers_)
            if (importer->library()) d.help = "stdlib modules: " + fmt::format("{}", fmt::join(importer->modules(), ", "));
    w.errors.push_back(with_via(std::move(d), via));
    return std::nullopt;
}

const Resolver::Parsed& Resolver::parse(const ModuleSource& source, std::map<std::string, Parsed>& cache) {
    auto cached = cache.find(source.key);
    if (cached != cache.end()) return cached->second;
    uint32_t file = sources_.add(source.shown, source.text);
    ParseResult result = plan::parse(sources_, file);
    Parsed parsed;
    parsed.errors = std::move(result.errors);
    if (parsed.errors.empty()) {
        asts_.push_back(std::make_unique<ast::Module>(std::move(result.module)));
        parsed.ast = asts_.back().get();
    }
    return cache.emplace(source.key, std::move(parsed)).first->second;
}

std::vector<std::pair<std::string, Label>> Resolver::library_uses(const Program& program, const std::vector<ResolvedModule>& modules,
                                                                  const Predicate& known) {
    // Names defined by the program or a module it uses are there already, wherever they are used.
    std::vector<const ast::Module*> user{program.ast};
    std::set<std::string> defined = defined_names(*program.ast);
    for (auto& m : modules) {
        if (!m.library) user.push_back(m.ast);
        defined.merge(defined_names(*m.ast));
    }
    std::vector<std::pair<std::string, Label>> uses;
    std::set<std::string> wanted;
    for (const ast::Module* m : user)
        for (const NameUse& n : free_names(*m)) {
            if (defined.count(n.name) || known(n.name)) continue;
            auto it = library_index().find(n.name);
            if (it == library_index().end() || !wanted.insert(it->second).second) continue;
            uses.push_back({it->second, {n.at, "`" + it->second + "` is loaded for `" + n.name + "`"}});
        }
    return uses;
}

const std::map<std::string, std::string>& Resolver::library_index() {
    if (!index_) {
        index_.emplace();
        for (auto& importer : importers_)
            if (importer->library())
                for (auto& [name, module] : importer->names()) index_->emplace(name, module);
    }
    return *index_;
}

}  // namespace plan
