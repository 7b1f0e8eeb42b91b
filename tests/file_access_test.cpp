// files/: the sandbox's containment after symlinks, the checks on what is read, the atomic
// replacement of what is written, and the excerpts diagnostics quote (issue 12, part 1).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "files/file_access.hpp"

using namespace plan::files;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// project/ and outside/ in a fresh temporary folder, removed on scope exit.
struct Tree {
    fs::path root = fs::temp_directory_path() / ("plan_file_access_" + std::to_string(::getpid()));
    fs::path project = root / "project", outside = root / "outside";
    Tree() {
        fs::remove_all(root);
        fs::create_directories(project);
        fs::create_directories(outside);
    }
    ~Tree() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    std::string put(const fs::path& p, const std::string& text) const {
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
};

FileError::Kind kind_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const FileError& e) {
        return e.kind;
    }
    FAIL("no FileError");
    return FileError::Kind::Unreadable;
}

}  // namespace

TEST_CASE("the sandbox reads and writes inside its folders only, after symlinks", "[files]") {
    Tree t;
    FileAccess box = FileAccess::sandbox({}, {t.project.string()});
    std::string inside = t.put(t.project / "a.json", "{}");
    std::string secret = t.put(t.outside / "secret.txt", "s3cr3t");
    CHECK(box.read(inside, 100) == "{}");
    CHECK(kind_of([&] { box.read(secret, 100); }) == FileError::Kind::NotAllowed);
    CHECK(kind_of([&] { box.read((t.project / ".." / "outside" / "secret.txt").string(), 100); }) == FileError::Kind::NotAllowed);
    fs::create_symlink(t.outside / "secret.txt", t.project / "link.txt");
    CHECK(kind_of([&] { box.read((t.project / "link.txt").string(), 100); }) == FileError::Kind::NotAllowed);
    fs::create_directory_symlink(t.outside, t.project / "dir");  // a folder on the way
    CHECK(kind_of([&] { box.read((t.project / "dir" / "secret.txt").string(), 100); }) == FileError::Kind::NotAllowed);
    CHECK(kind_of([&] { box.write((t.project / "dir" / "new.csv").string(), "x"); }) == FileError::Kind::NotAllowed);
    CHECK(kind_of([&] { box.write((t.project / "link.txt").string(), "x"); }) == FileError::Kind::NotAllowed);
    CHECK(kind_of([&] { box.write((t.outside / "new.csv").string(), "x"); }) == FileError::Kind::NotAllowed);
    CHECK(!fs::exists(t.outside / "new.csv"));
    std::ifstream in(secret);
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "s3cr3t");
    // A symlink whose target is inside is followed; a prefix that is not a folder boundary is not inside.
    fs::create_symlink(t.project / "a.json", t.project / "alias.json");
    CHECK(box.read((t.project / "alias.json").string(), 100) == "{}");
    fs::create_directories(t.root / "project2");
    std::string sibling = t.put(t.root / "project2" / "x.txt", "x");
    CHECK(kind_of([&] { box.read(sibling, 100); }) == FileError::Kind::NotAllowed);
    // A read folder is readable, not writable.
    FileAccess reader = FileAccess::sandbox({t.outside.string()}, {t.project.string()});
    CHECK(reader.read(secret, 100) == "s3cr3t");
    CHECK(kind_of([&] { reader.write(secret, "x"); }) == FileError::Kind::NotAllowed);
}

TEST_CASE("only regular files are read, up to a limit, without blocking", "[files]") {
    Tree t;
    FileAccess any;
    CHECK(kind_of([&] { any.read("/dev/zero", 1 << 20); }) == FileError::Kind::NotRegular);
    CHECK(kind_of([&] { any.read(t.project.string(), 1 << 20); }) == FileError::Kind::NotRegular);
    REQUIRE(::mkfifo((t.project / "fifo").c_str(), 0600) == 0);
    CHECK(kind_of([&] { any.read((t.project / "fifo").string(), 1 << 20); }) == FileError::Kind::NotRegular);
    std::string ten = t.put(t.project / "ten.txt", "0123456789");
    CHECK(any.read(ten, 10) == "0123456789");
    CHECK(kind_of([&] { any.read(ten, 9); }) == FileError::Kind::TooLarge);
    CHECK(kind_of([&] { any.read((t.project / "none").string(), 9); }) == FileError::Kind::Missing);
    CHECK_THROWS_WITH(any.read(ten, 9), Contains("larger than the limit of 9 bytes"));
}

TEST_CASE("a write replaces the file atomically and keeps no exec bit", "[files]") {
    Tree t;
    std::string script = t.put(t.project / "deploy.sh", "#!/bin/sh\necho old\n");
    ::chmod(script.c_str(), 0755);
    write_atomically(script, "a,b\n");
    std::ifstream in(script);
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "a,b\n");
    struct stat st {};
    REQUIRE(::stat(script.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    std::string fresh = (t.project / "new.csv").string();
    write_atomically(fresh, "x\n");
    REQUIRE(::stat(fresh.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    // A failed write (its folder is gone) leaves nothing behind and says why.
    CHECK_THROWS_WITH(write_atomically((t.project / "no" / "x.csv").string(), "x"), Contains("creating a temporary file"));
    size_t files = 0;
    for (auto& e : fs::directory_iterator(t.project)) files += e.is_regular_file();
    CHECK(files == 2);
}

TEST_CASE("excerpts are short and escaped", "[files]") {
    CHECK(excerpt("N,D,loss") == "N,D,loss");
    CHECK(excerpt("\x1b[2Jclear\nnext\t\\") == "\\x1b[2Jclear\\nnext\\t\\\\");
    CHECK(excerpt(std::string(100, 'a'), 10) == "aaaaaaaaaa...");
    CHECK(excerpt("caf\xc3\xa9") == "caf\\xc3\\xa9");
}
