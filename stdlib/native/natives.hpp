// Native builtins of the stdlib: what plan cannot express in itself (reading JSON and CSV files,
// numerical fitting, plots, training runs). Each file here contributes a list; libplan installs them
// into the core's builtins (interpreter/builtins.hpp) at start-up.
#pragma once
#include <vector>

#include "interpreter/builtins.hpp"

namespace plan {

std::vector<Builtin> hf_natives();            // hf/hf_read.cpp: hf_read(path, template)
std::vector<Builtin> fitting_natives();       // fitting.cpp: Chinchilla-form fits of CSV runs
std::vector<Builtin> plot_natives();          // plot.cpp: plot(path, options, series...): SVG and PNG
std::vector<Builtin> training_natives();      // training.cpp: tiny-transformer runs (validation/), optional

}  // namespace plan
