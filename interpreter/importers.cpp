#include "interpreter/importers.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "interpreter/stdlib_index.hpp"
#include "stdlib/stdlib.hpp"

namespace plan {
namespace fs = std::filesystem;

namespace {

const std::string kSeparator = "::";

// A path as diagnostics show it: relative to the current directory when it is inside it.
std::string shown_path(const fs::path& path) {
    fs::path relative = path.lexically_relative(fs::current_path());
    return relative.empty() || *relative.begin() == ".." ? path.string() : relative.string();
}

// `a::b` → a/b (without the extension).
fs::path folder_path(const std::string& name) {
    fs::path path;
    size_t begin = 0;
    for (size_t end; (end = name.find(kSeparator, begin)) != std::string::npos; begin = end + kSeparator.size())
        path /= name.substr(begin, end - begin);
    return path / name.substr(begin);
}

// The modules held directly in `folder` (under the module prefix `prefix`): its .plan files.
std::vector<std::string> modules_in(const fs::path& folder, const std::string& prefix) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".plan" && !it->is_directory(ec)) names.push_back(prefix + it->path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

Import StdlibImporter::find(const std::string& name, const fs::path&) const {
    Import import;
    if (auto text = stdlib::module_source(name)) {
        import.status = Import::Status::Found;
        import.source = {"stdlib:" + name, "<stdlib:" + name + ">", std::string(*text), {}};
        return import;
    }
    import.looked_for = "stdlib module";
    import.nearby = modules();
    for (auto& m : import.nearby)
        if (m.rfind(name + kSeparator, 0) == 0) import.parts.push_back(m);
    return import;
}

std::vector<std::string> StdlibImporter::modules() const {
    std::vector<std::string> names;
    for (auto n : stdlib::module_names()) names.emplace_back(n);
    return names;
}

std::vector<std::pair<std::string, std::string>> StdlibImporter::names() const {
    std::vector<std::pair<std::string, std::string>> names;
    for (auto& [name, module] : stdlib_index()) names.emplace_back(name, module);
    return names;
}

Import FileImporter::find(const std::string& name, const fs::path& dir) const {
    Import import;
    fs::path path = dir / folder_path(name);
    path += ".plan";
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        import.looked_for = "file " + shown_path(path);
        size_t last = name.rfind(kSeparator);
        std::string prefix = last == std::string::npos ? "" : name.substr(0, last + kSeparator.size());
        import.nearby = modules_in(path.parent_path(), prefix);
        fs::path folder = dir / folder_path(name);
        if (fs::is_directory(folder, ec)) import.parts = modules_in(folder, name + kSeparator);
        return import;
    }
    static const files::FileAccess unrestricted;
    std::string text;
    try {
        text = (access_ ? *access_ : unrestricted).read(path.string(), files::kMaxSourceFile);
    } catch (const files::FileError& e) {
        import.status = Import::Status::Unreadable;
        import.looked_for = "file " + shown_path(path);
        std::string what = e.what();  // "cannot read 'PATH': REASON": the resolver names the module
        size_t quote = what.find("': ");
        import.reason = quote == std::string::npos ? what : what.substr(quote + 3);
        import.outside = e.kind == files::FileError::Kind::NotAllowed;
        return import;
    }
    import.status = Import::Status::Found;
    import.source = {fs::weakly_canonical(path, ec).string(), shown_path(path), std::move(text), path.parent_path()};
    return import;
}

}  // namespace plan
