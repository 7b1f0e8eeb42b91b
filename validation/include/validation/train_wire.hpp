// A training run's configuration, its result and finished runs as bytes, for the ranks of an MPI
// job (train_runs hands runs out to them: the ranks share one byte order and one build of plan).
// Every field is written in full (doubles bit for bit), so a run trained elsewhere stores exactly
// what it would store here.
#pragma once

#include <string>
#include <vector>

#include "validation/run_store.hpp"
#include "validation/trainer.hpp"

namespace plan::validation {

std::string encode_config(const TrainConfig& cfg);
TrainConfig decode_config(const std::string& bytes);

std::string encode_result(const TrainResult& result);
TrainResult decode_result(const std::string& bytes);

std::string encode_runs(const std::vector<StoredRun>& runs);
std::vector<StoredRun> decode_runs(const std::string& bytes);

}  // namespace plan::validation
