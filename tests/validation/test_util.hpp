// Helpers shared by the validation tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace plan::validation::test {

// A file in the temp directory, unique per process and name, removed on scope exit.
class TempFile {
public:
    explicit TempFile(const std::string& name)
        : path_((std::filesystem::temp_directory_path() /
                 ("plan_validation_" + std::to_string(::getpid()) + "_" + name))
                    .string()) {}
    TempFile(const std::string& name, const std::string& contents) : TempFile(name) { write(contents); }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write(const std::string& contents) const {
        std::ofstream f(path_, std::ios::binary | std::ios::trunc);
        f.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Deterministic pseudo-English text of about n bytes (a corpus for tests).
inline std::string sample_text(size_t n) {
    static const char* words[] = {"the ", "king ", "shall ", "speak ", "of ", "love, ", "and ", "death; ",
                                  "O ", "night\n", "what ", "light ", "breaks ", "yonder. ", "thou ", "art "};
    std::string s;
    uint64_t x = 12345;
    while (s.size() < n) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        s += words[(x >> 33) % 16];
    }
    s.resize(n);
    return s;
}

}  // namespace plan::validation::test
