// Runs plan code in a fresh session with a given sweep backend and thread count, and returns what
// it printed followed by its errors (rendered, with carets), and its exit code.
#pragma once
#include <functional>
#include <sstream>
#include <string>

#include "plan/plan.hpp"

namespace test {

struct Run {
    std::string text;
    int exit_code;
};

inline Run run_session(const std::string& backend, int threads, const std::function<plan::Result(plan::Session&)>& body) {
    std::ostringstream out;
    plan::SessionOptions o;
    o.out = &out;
    o.backend = backend;
    o.threads = threads;
    plan::Session session(o);
    plan::Result r = body(session);
    for (auto& e : r.errors) out << e.rendered;
    return {out.str(), r.exit_code};
}

inline Run run_code(const std::string& code, const std::string& backend = "jit", int threads = 0) {
    return run_session(backend, threads, [&](plan::Session& s) { return s.eval(code, "<sweep>"); });
}

}  // namespace test
