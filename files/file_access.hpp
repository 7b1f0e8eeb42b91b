// Every file plan reads or writes on behalf of a script goes through here: the sandbox policy
// (which folders a script may read and write), the checks on what is read (a regular file, no
// larger than a limit) and the atomic replacement of what is written. It is the bottom layer, so
// the core, the natives, the sweep layer, the trainer (validation/) and the CLI all share it.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace plan::files {

// Why a file could not be read or written; `what()` is a sentence naming the path as given.
class FileError : public std::runtime_error {
public:
    enum class Kind {
        Missing,      // no such file (or folder on the way)
        NotAllowed,   // outside the folders the sandbox allows
        NotRegular,   // a folder, a device, a FIFO, a socket
        TooLarge,     // over the limit of what is read
        Unreadable,   // the system refused: permissions, I/O error
        WriteFailed,  // creating, writing, syncing or renaming the new file failed
    };
    FileError(Kind kind, std::string path, const std::string& message) : std::runtime_error(message), kind(kind), path(std::move(path)) {}
    Kind kind;
    std::string path;
};

// Limits on what is read (bytes), by what the file is.
constexpr size_t kMaxDataFile = 64u << 20;     // a JSON config, a weights index, a CSV table
// A .plan module: read up to twice the parser's limit (16 MiB, E0022), which then names the size.
constexpr size_t kMaxSourceFile = 32u << 20;
constexpr size_t kMaxCorpusFile = 1u << 30;    // a training corpus

// The sandbox: without one, any path may be read and written (the REPL, `plan eval`, an embedding
// program that does not ask for one). With one, a path is resolved (every symlink followed, `..`
// removed) before use, and only a path inside a read or write folder is read, only a path inside a
// write folder is written. A symlink is followed only when its target is inside too.
class FileAccess {
public:
    FileAccess() = default;  // unrestricted
    static FileAccess sandbox(const std::vector<std::string>& read_dirs, const std::vector<std::string>& write_dirs);

    bool restricted() const { return restricted_; }
    const std::vector<std::string>& read_dirs() const { return read_; }
    const std::vector<std::string>& write_dirs() const { return write_; }

    // The contents of a regular file of at most `max_bytes`; throws FileError.
    std::string read(const std::string& path, size_t max_bytes) const;
    // The resolved path of a file that may be read and is a regular file (for readers that open it
    // themselves, like SQLite); throws FileError.
    std::string check_read(const std::string& path) const;
    // The resolved path a write of `path` goes to (an existing symlink's target); throws FileError
    // when it is outside the write folders, its folder is missing, or it is not a regular file.
    std::string check_write(const std::string& path) const;
    // Replaces `path` with `contents` atomically (write_atomically) after check_write.
    void write(const std::string& path, std::string_view contents) const;

private:
    bool inside(const std::string& resolved, const std::vector<std::string>& dirs) const;
    bool restricted_ = false;
    std::vector<std::string> read_;   // resolved
    std::vector<std::string> write_;  // resolved
};

// Reads a regular file of at most `max_bytes` without a sandbox check (the trainer's own reads);
// a FIFO or device is refused without blocking on it.
std::string read_regular_file(const std::string& path, size_t max_bytes);

// Writes `contents` to a new file in the folder of `path`, syncs it and renames it over `path`, so
// `path` holds the old contents or the new, never a part; the folder is synced after. The new file
// is readable and writable by its owner and readable by others (an existing file keeps its read and
// write bits, never an exec bit). On failure the temporary file is removed, `path` is untouched,
// and FileError is thrown.
void write_atomically(const std::string& path, std::string_view contents);

// A path as messages show it: relative to the current directory when it is inside it, so the
// same script gives the same message on every machine.
std::string shown_path(const std::string& path);

// At most `max_chars` of `text`, for a diagnostic about a file that is not plan source: control
// and non-ASCII bytes escaped (\n, \x1b), and "..." when it was cut.
std::string excerpt(std::string_view text, size_t max_chars = 40);

}  // namespace plan::files
