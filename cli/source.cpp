#include "cli/source.hpp"

#include <iostream>
#include <iterator>
#include <optional>

#include <fmt/format.h>

#include "files/file_access.hpp"

namespace plan {

namespace {

// Standard input is read once: a second `-` on the command line sees the same program, not an
// empty one. Nullopt when it is larger than a source file may be.
const std::optional<std::string>& stdin_text() {
    static const std::optional<std::string> text = []() -> std::optional<std::string> {
        std::string s;
        char buffer[1 << 16];
        while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
            s.append(buffer, static_cast<size_t>(std::cin.gcount()));
            if (s.size() > files::kMaxSourceFile) return std::nullopt;
        }
        return s;
    }();
    return text;
}

}  // namespace

std::string source_name(const std::string& path) { return path == kStdinPath ? kStdinName : path; }

Result run_source(Session& session, const std::string& path, Mode mode) {
    if (path != kStdinPath) return session.run_file(path, mode);
    const std::optional<std::string>& text = stdin_text();
    if (!text) {
        // The limit and the code of a file too large (E0708), so that `<stdin>` reads as a file.
        Result r;
        r.exit_code = 2;
        const ErrorCode code = *error_code("E0708");
        Message m;
        m.code = code.code;
        m.kind = code.kind;
        m.message = fmt::format("cannot read '{}': it is larger than the limit of {} MiB", kStdinName, files::kMaxSourceFile >> 20);
        m.file = kStdinName;
        m.rendered = fmt::format("error[{}]: {}\n", m.code, m.message);
        r.errors.push_back(m);
        return r;
    }
    return session.eval(*text, kStdinName, mode);
}

}  // namespace plan
