// The whole of a file, byte for byte, for the tests that hold docs and goldens against the code
// ("" when it cannot be read: the checks on its content then fail).
#pragma once
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test {

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace test
