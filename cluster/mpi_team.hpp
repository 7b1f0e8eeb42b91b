// The ranks of an MPI job as a sweep team (sweep/team.hpp). Installed only when the process was
// started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx); a plain `plan run` does not
// touch MPI at all.
#pragma once

namespace plan::cluster {

// Under a launcher: initializes MPI (finalized at exit), installs the team and the task farm
// (cluster/mpi_farm.hpp), and sends the standard output and error of every rank but 0 to /dev/null
// (each rank runs the whole program; rank 0 speaks for all). Otherwise does nothing.
void install_mpi_team();

}  // namespace plan::cluster
