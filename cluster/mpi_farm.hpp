// The ranks of an MPI job as a task farm (interpreter/task_farm.hpp): rank 0 hands tasks out with
// point-to-point messages, one to each rank as it frees up. install_mpi_team installs it.
#pragma once
#include <memory>

#include "interpreter/task_farm.hpp"

namespace plan::cluster {

std::unique_ptr<TaskFarm> make_mpi_farm(int rank, int size);

}  // namespace plan::cluster
