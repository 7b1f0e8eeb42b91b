#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "files/file_access.hpp"

namespace plan::files {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& temp, const char* doing, int err, int fd = -1) {
    if (fd >= 0) ::close(fd);
    if (!temp.empty()) ::unlink(temp.c_str());
    throw FileError(FileError::Kind::WriteFailed, path, "cannot write '" + shown_path(path) + "': " + doing + ": " + std::strerror(err));
}

}  // namespace

void write_atomically(const std::string& path, std::string_view contents) {
    size_t slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);

    // The mode of the new file: an existing file's read and write bits (never its exec bits, nor
    // set-id bits), else rw-r--r--.
    mode_t mode = 0644;
    struct stat old {};
    if (::stat(path.c_str(), &old) == 0) {
        if (S_ISDIR(old.st_mode)) fail(path, "", "it is a directory", EISDIR);
        mode = old.st_mode & 0666;
    }

    std::string temp = (dir == "/" ? "" : dir) + "/." + name + ".XXXXXX";
    int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) fail(path, "", "creating a temporary file in its folder", errno);
    if (::fchmod(fd, mode) != 0) fail(path, temp, "setting its mode", errno, fd);
    for (size_t done = 0; done < contents.size();) {
        ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path, temp, "writing", errno, fd);
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) fail(path, temp, "syncing", errno, fd);
    if (::close(fd) != 0) fail(path, temp, "closing", errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) fail(path, temp, "renaming the new file over it", errno);
    // The rename itself survives a crash once the folder is synced.
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace plan::files
