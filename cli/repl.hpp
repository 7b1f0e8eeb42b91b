// The interactive session: libedit line editing, history, completion, `:` commands.
#pragma once
#include "plan/plan.hpp"

namespace plan {

int run_repl(SessionOptions options);

}  // namespace plan
