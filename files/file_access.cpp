#include "files/file_access.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace plan::files {

namespace {

// realpath(3): every symlink followed, `.` and `..` removed; empty when it fails (errno says why).
std::string resolved(const std::string& path) {
    char* r = ::realpath(path.c_str(), nullptr);
    if (!r) return {};
    std::string out(r);
    std::free(r);
    return out;
}

std::string parent_of(const std::string& path) {
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string shown_path(const std::string& path) {
    char* cwd = ::getcwd(nullptr, 0);
    std::string here = cwd ? cwd : "";
    std::free(cwd);
    if (path.empty() || path[0] != '/' || here.empty()) return path;
    if (path == here) return ".";
    if (path.compare(0, here.size(), here) == 0 && path.size() > here.size() && path[here.size()] == '/')
        return path.substr(here.size() + 1);
    return path;
}

namespace {

std::string joined(const std::vector<std::string>& a, const std::vector<std::string>& b = {}) {
    std::vector<std::string> seen;
    std::string out;
    for (const auto* dirs : {&a, &b})
        for (auto& d : *dirs) {
            std::string s = shown_path(d);
            if (std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
            seen.push_back(s);
            out += (out.empty() ? "" : ", ") + s;
        }
    return out.empty() ? "none" : out;
}

[[noreturn]] void fail_errno(const std::string& path, const char* doing, int err) {
    bool missing = err == ENOENT || err == ENOTDIR;
    std::string why = !missing ? std::strerror(err) : std::string(doing) == "write" ? "its folder does not exist" : "no such file";
    throw FileError(missing ? FileError::Kind::Missing : FileError::Kind::Unreadable, path,
                    "cannot " + std::string(doing) + " '" + shown_path(path) + "': " + why);
}

std::string what_it_is(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

// Opens a regular file for reading without following a final symlink and without blocking on a
// FIFO; the caller closes it.
int open_regular(const std::string& shown, const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) fail_errno(shown, "read", errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        fail_errno(shown, "read", err);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw FileError(FileError::Kind::NotRegular, shown, "cannot read '" + shown_path(shown) + "': it is " + what_it_is(st.st_mode) + ", not a regular file");
    }
    return fd;
}

std::string size_text(size_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

std::string read_fd(int fd, const std::string& shown, size_t max_bytes) {
    struct stat st {};
    ::fstat(fd, &st);
    auto too_large = [&] {
        ::close(fd);
        throw FileError(FileError::Kind::TooLarge, shown,
                        "cannot read '" + shown_path(shown) + "': it is larger than the limit of " + size_text(max_bytes));
    };
    if (static_cast<unsigned long long>(st.st_size) > max_bytes) too_large();
    std::string text;
    text.reserve(static_cast<size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            fail_errno(shown, "read", err);
        }
        if (n == 0) break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() > max_bytes) too_large();  // it grew while being read
    }
    ::close(fd);
    return text;
}

}  // namespace

FileAccess FileAccess::sandbox(const std::vector<std::string>& read_dirs, const std::vector<std::string>& write_dirs) {
    FileAccess a;
    a.restricted_ = true;
    auto add = [](const std::vector<std::string>& in, std::vector<std::string>& out) {
        for (auto& d : in) {
            std::string r = resolved(d.empty() ? "." : d);
            if (r.empty())
                throw FileError(FileError::Kind::Missing, d, "cannot allow '" + d + "': " + std::strerror(errno));
            out.push_back(r);
        }
    };
    add(read_dirs, a.read_);
    add(write_dirs, a.write_);
    return a;
}

bool FileAccess::inside(const std::string& path, const std::vector<std::string>& dirs) const {
    for (auto& d : dirs)
        if (path == d || (path.size() > d.size() && path.compare(0, d.size(), d) == 0 && (d == "/" || path[d.size()] == '/')))
            return true;
    return false;
}

std::string FileAccess::check_read(const std::string& path) const {
    std::string real = resolved(path);
    if (real.empty()) fail_errno(path, "read", errno);
    if (restricted_ && !inside(real, read_) && !inside(real, write_))
        throw FileError(FileError::Kind::NotAllowed, path,
                        "cannot read '" + shown_path(path) + "': it is " + (real == path ? "" : "'" + shown_path(real) + "', ") +
                            "outside the folders this script may read (" + joined(read_, write_) + ")");
    ::close(open_regular(path, real));
    return real;
}

std::string FileAccess::read(const std::string& path, size_t max_bytes) const {
    return restricted_ ? read_fd(open_regular(path, check_read(path)), path, max_bytes) : read_regular_file(path, max_bytes);
}

std::string FileAccess::check_write(const std::string& path) const {
    // An existing file (or a symlink to one) is replaced where it really is; a new one is made in
    // its folder, which must exist.
    std::string real = resolved(path);
    if (real.empty()) {
        if (errno != ENOENT) fail_errno(path, "write", errno);
        struct stat link {};
        if (::lstat(path.c_str(), &link) == 0)  // a symlink to nowhere: its target would be created
            throw FileError(FileError::Kind::NotAllowed, path, "cannot write '" + shown_path(path) + "': it is a symlink to a file that does not exist");
        std::string dir = resolved(parent_of(path));
        if (dir.empty()) fail_errno(path, "write", errno);
        real = (dir == "/" ? "" : dir) + "/" + name_of(path);
    } else {
        struct stat st {};
        if (::stat(real.c_str(), &st) != 0) fail_errno(path, "write", errno);
        if (!S_ISREG(st.st_mode))
            throw FileError(FileError::Kind::NotRegular, path, "cannot write '" + shown_path(path) + "': it is " + what_it_is(st.st_mode) + ", not a regular file");
    }
    if (restricted_ && !inside(real, write_))
        throw FileError(FileError::Kind::NotAllowed, path,
                        "cannot write '" + shown_path(path) + "': it is " + (real == path ? "" : "'" + shown_path(real) + "', ") +
                            "outside the folders this script may write (" + joined(write_) + ")");
    return real;
}

void FileAccess::write(const std::string& path, std::string_view contents) const {
    write_atomically(check_write(path), contents);
}

std::string read_regular_file(const std::string& path, size_t max_bytes) {
    std::string real = resolved(path);
    if (real.empty()) fail_errno(path, "read", errno);
    return read_fd(open_regular(path, real), path, max_bytes);
}

std::string excerpt(std::string_view text, size_t max_chars) {
    std::string out;
    size_t i = 0;
    for (; i < text.size() && out.size() < max_chars; ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c == '\\') out += "\\\\";
        else if (c < 0x20 || c >= 0x7f) {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (i < text.size()) out += "...";
    return out;
}

}  // namespace plan::files
