// The "train one model" command, shared by the plan-train-ref executable and
// (later) the `plan train` subcommand of the plan CLI:
//
//   CLI::App* sub = app.add_subcommand("train", "Train one tiny transformer");
//   static plan::validation::TrainCommandOptions opts;
//   plan::validation::add_train_options(*sub, opts);
//   sub->callback([&] { std::exit(plan::validation::run_train_command(opts)); });
#pragma once

#include <string>

#include "validation/trainer.hpp"

namespace CLI {
class App;
}

namespace plan::validation {

struct TrainCommandOptions {
    TrainConfig config;
    int d_mlp = 0;       // 0: 4 * d_model
    bool json = false;   // print the result as JSON on stdout
    bool quiet = false;  // no progress bar
};

// Registers --d-model --layers --heads --d-mlp --seq --batch --tokens --corpus
// --format --seed --lr --min-lr-ratio --warmup --weight-decay --grad-clip
// --val-fraction --eval-tokens --threads --json --quiet on `app`.
void add_train_options(CLI::App& app, TrainCommandOptions& opts);

// Trains, shows progress on stderr, prints the result on stdout. Returns the
// process exit code (0 ok, 1 error; the error message goes to stderr).
int run_train_command(const TrainCommandOptions& opts);

// The result (and the configuration that produced it) as a JSON object.
std::string train_result_json(const TrainConfig& cfg, const TrainResult& res, int indent = 2);

}  // namespace plan::validation
