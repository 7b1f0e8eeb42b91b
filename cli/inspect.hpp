// `plan inspect PATH`: a model's card (stdlib/card.plan's model_card) as a table or JSON.
#pragma once
#include <string>

#include "plan/plan.hpp"

namespace plan {

// Prints the card of PATH (a config.json, a model folder, or a stdlib model name) to stdout and
// returns the exit status; errors go to stderr.
int inspect_model(const std::string& path, bool json, const SessionOptions& options);

}  // namespace plan
