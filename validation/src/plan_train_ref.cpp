// plan-train-ref: trains one tiny transformer with the CPU reference trainer.
#include <CLI/CLI.hpp>

#include "validation/train_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Train one tiny decoder-only transformer (CPU reference trainer)"};
    plan::validation::TrainCommandOptions opts;
    plan::validation::add_train_options(app, opts);
    CLI11_PARSE(app, argc, argv);
    return plan::validation::run_train_command(opts);
}
