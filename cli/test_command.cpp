#include "cli/test_command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "cli/source.hpp"

namespace fs = std::filesystem;

namespace plan {

namespace {

struct FileResult {
    std::string file;
    Result result;
};

// Passed, failed (an assert was false), error (it stopped: it does not check, or a runtime error).
std::string verdict(const Result& r) {
    if (r.exit_code == 0) return "PASS";
    return r.asserts_failed > 0 && r.errors.size() == static_cast<size_t>(r.asserts_failed) ? "FAIL" : "ERROR";
}

std::string counts(const Result& r) {
    std::string s = fmt::format("{} passed, {} failed", r.asserts_passed, r.asserts_failed);
    if (r.asserts_not_run > 0) s += fmt::format(", {} not run", r.asserts_not_run);
    return s;
}

std::string first_line(const Message& m) {
    std::string where = m.file.empty() ? "" : fmt::format("{}:{}:{}: ", m.file, m.line, m.column);
    return fmt::format("{}error[{}]: {}", where, m.code, m.message);
}

std::string xml_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// One <testcase> per file: a spec file is what a team names and keeps green.
std::string junit_xml(const std::vector<FileResult>& results) {
    int failures = 0, errors = 0;
    std::string cases;
    for (const FileResult& f : results) {
        std::string kind = verdict(f.result);
        failures += kind == "FAIL";
        errors += kind == "ERROR";
        cases += fmt::format("    <testcase classname=\"plan\" name=\"{}\" file=\"{}\" assertions=\"{}\">\n", xml_escape(f.file),
                             xml_escape(f.file), f.result.asserts_passed + f.result.asserts_failed);
        if (kind != "PASS") {
            std::string detail;
            for (const Message& m : f.result.errors) detail += first_line(m) + "\n";
            std::string tag = kind == "FAIL" ? "failure" : "error";
            cases += fmt::format("      <{} message=\"{}\" type=\"{}\">{}</{}>\n", tag, xml_escape(counts(f.result)),
                                 f.result.errors.empty() ? "" : f.result.errors.back().code, xml_escape(detail), tag);
        }
        cases += "    </testcase>\n";
    }
    std::string head = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\"", results.size(), failures, errors);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plan test\" " + head + ">\n  <testsuite name=\"plan test\" " +
           head + ">\n" + cases + "  </testsuite>\n</testsuites>\n";
}

// The *.plan files a path names (a directory: every one inside, sorted; `-`: standard input);
// none, with `error` set, when it names none.
std::vector<std::string> spec_files(const std::string& path, std::string& error) {
    if (path == kStdinPath) return {path};
    if (!fs::is_directory(path)) {
        if (!fs::exists(path)) error = "no such file or directory: " + path;
        return error.empty() ? std::vector<std::string>{path} : std::vector<std::string>{};
    }
    std::vector<std::string> found;
    for (auto& entry : fs::recursive_directory_iterator(path))
        if (entry.is_regular_file() && entry.path().extension() == ".plan") found.push_back(entry.path().string());
    std::sort(found.begin(), found.end());
    if (found.empty()) error = "no .plan files in " + path;
    return found;
}

}  // namespace

int run_test_command(const TestCommandOptions& test, const SessionOptions& base) {
    // Mistakes on the command line have no error code (as an unknown option has none): exit 2.
    std::vector<std::string> files;
    for (const std::string& path : test.paths) {
        std::string error;
        for (std::string& f : spec_files(path, error))
            if (source_name(f).find(test.pattern) != std::string::npos) files.push_back(std::move(f));
        if (!error.empty()) {
            std::cerr << "error: " << error << "\n";
            return 2;
        }
    }
    if (files.empty()) {
        std::cerr << "error: no .plan file matches -k " << test.pattern << "\n";
        return 2;
    }
    int status = 0;
    Result total;
    std::vector<FileResult> results;
    int files_passed = 0;
    for (const std::string& file : files) {
        SessionOptions o = base;
        o.print_expressions = true;  // no statement of a spec silently discards a value
        if (test.sandbox) test.sandbox(o, file);
        Session session(o);
        Result r = run_source(session, file, Mode::Test);
        for (auto& e : r.errors) std::cerr << e.rendered;
        std::cout << fmt::format("{:<5} {} ({})\n", verdict(r), source_name(file), counts(r)) << std::flush;
        total.asserts_passed += r.asserts_passed;
        total.asserts_failed += r.asserts_failed;
        total.asserts_not_run += r.asserts_not_run;
        files_passed += r.exit_code == 0;
        status = std::max(status, r.exit_code);
        results.push_back({source_name(file), std::move(r)});
    }
    std::cout << fmt::format("asserts: {} passed, {} failed, {} not run; files: {} of {} passed\n", total.asserts_passed,
                             total.asserts_failed, total.asserts_not_run, files_passed, files.size());
    if (!test.junit.empty()) {
        std::ofstream out(test.junit, std::ios::binary);
        out << junit_xml(results);
        if (!out) {
            std::cerr << "error: cannot write " << test.junit << "\n";
            return 2;
        }
    }
    return status;
}

}  // namespace plan
