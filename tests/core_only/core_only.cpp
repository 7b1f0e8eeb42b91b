// The core alone (plan_core: grammar, checker, evaluator, units, display, session) evaluates plan
// code; this program links nothing else, so it would fail to link if the core needed LLVM, BLAS,
// OpenMP or SQLite. A sweep, whose layer is not linked, is a clear runtime error.
#include <iostream>

#include "interpreter/session.hpp"

int main() {
    plan::SessionOptions options;
    options.out = &std::cout;
    plan::CoreSession session(options);
    plan::Result sum = session.run("<core>", "1 GB + 2 GB", plan::Mode::Run);
    plan::Result sweep = session.run("<core>", "sweep { x in [1, 2] }", plan::Mode::Run);
    for (auto& e : sweep.errors) std::cout << e.rendered;
    return sum.exit_code == 0 && sweep.exit_code == 1 ? 0 : 1;
}
