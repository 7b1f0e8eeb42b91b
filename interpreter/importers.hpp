// Where `use NAME` finds a module's source: the resolver asks its importers in order and the first
// that has NAME wins. Built in: the stdlib embedded in the binary, and files beside the using file.
// A module name `a::b` is the module b in the folder a.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "files/file_access.hpp"

namespace plan {

struct ModuleSource {
    std::string key;    // one per module: "stdlib:hardware::nvidia", or a file's canonical path
    std::string shown;  // its name in diagnostics: "<stdlib:hardware::nvidia>", or the file's path
    std::string text;
    std::filesystem::path dir;  // where the files it uses are found (empty: it uses no files)
};

// What an importer found for a name.
struct Import {
    enum class Status { Found, Missing, Unreadable };
    Status status = Status::Missing;
    ModuleSource source;              // Found
    std::string looked_for;           // Missing, Unreadable: "stdlib module", "file a/b.plan"
    std::string reason;               // Unreadable: why, "it is a directory"
    bool outside = false;             // Unreadable: outside the sandbox
    std::vector<std::string> nearby;  // Missing: module names it has near NAME, for "did you mean"
    std::vector<std::string> parts;   // Missing: NAME is a folder holding these modules
};

class Importer {
public:
    virtual ~Importer() = default;
    // Module `name` as used by a module whose folder is `dir`.
    virtual Import find(const std::string& name, const std::filesystem::path& dir) const = 0;
    // Its modules are the stdlib: they use only the stdlib, and user code may use their names
    // without `use`.
    virtual bool library() const = 0;
    // Every module it holds, for "did you mean"; none for files.
    virtual std::vector<std::string> modules() const = 0;
    // The names its modules define at their top level, each with its module: how a library name
    // used without `use` finds its module. None for files.
    virtual std::vector<std::pair<std::string, std::string>> names() const = 0;
};

// The stdlib compiled into the binary (stdlib/**/*.plan).
class StdlibImporter final : public Importer {
public:
    Import find(const std::string& name, const std::filesystem::path& dir) const override;
    bool library() const override { return true; }
    std::vector<std::string> modules() const override;
    std::vector<std::pair<std::string, std::string>> names() const override;  // built with plan
};

// NAME.plan (a::b: a/b.plan) in the folder of the using file, read through the session's sandbox
// (unrestricted when none is given).
class FileImporter final : public Importer {
public:
    explicit FileImporter(const files::FileAccess* access = nullptr) : access_(access) {}
    Import find(const std::string& name, const std::filesystem::path& dir) const override;
    bool library() const override { return false; }
    std::vector<std::string> modules() const override { return {}; }
    std::vector<std::pair<std::string, std::string>> names() const override { return {}; }

private:
    const files::FileAccess* access_;
};

}  // namespace plan
