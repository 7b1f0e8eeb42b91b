// `plan test`: runs the asserts of spec files, one result line per file, a summary, and on request
// a JUnit XML report (what GitHub Actions, GitLab and Jenkins read).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace plan {

struct TestCommandOptions {
    std::vector<std::string> paths;  // files, or directories searched for *.plan
    std::string pattern;             // -k: only files whose path contains it
    std::string junit;               // --junit: where the XML report goes ("" for none)
    // Sets the file's sandbox (the folders it may read and write) in its session's options.
    std::function<void(SessionOptions& options, const std::string& file)> sandbox;
};

// Exit status: 0 every assert passed, 1 an assert failed or a file stopped on a runtime error,
// 2 a file does not check, or there is nothing to test.
int run_test_command(const TestCommandOptions& test, const SessionOptions& base);

}  // namespace plan
