// Native builtins of the stdlib: what plan cannot express in itself (reading JSON and CSV files,
// numerical fitting). Each file here contributes a list; natives.cpp joins them.
#pragma once
#include <vector>

#include "builtins.hpp"

namespace plan {

std::vector<Builtin> stdlib_natives();

std::vector<Builtin> model_config_natives();  // model_config.cpp: hf_config(path)
std::vector<Builtin> fitting_natives();       // fitting.cpp: Chinchilla-form fits of CSV runs
std::vector<Builtin> training_natives();      // training.cpp: tiny-transformer runs (validation/)

}  // namespace plan
