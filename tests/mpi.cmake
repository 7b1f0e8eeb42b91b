# MPI: ranks share every sweep and rank 0 prints exactly what one process prints; train_runs hands
# its runs out to the ranks. Every example with a sweep runs on two ranks, every sweep case on three
# ranks and both backends, and a sweep whose point fails gives the same error and exit status. One
# thread per rank makes each rank's share several ranges. Not in the sanitizer build (Open MPI's own allocations are reported there).
if(NOT PLAN_MPI OR PLAN_SANITIZE)
  return()
endif()
set(mpi_env "NO_COLOR=1;HOME=${PROJECT_BINARY_DIR};OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
set(mpirun ${MPIEXEC_EXECUTABLE} --oversubscribe -q)

function(plan_mpi_test name expected exit ranks)
  plan_golden_test(${name} EXPECTED ${expected} EXIT ${exit} COMMAND ${mpirun} -np ${ranks} plan run --threads 1 ${ARGN})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${mpi_env}")
endfunction()

file(GLOB examples CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/*.plan)
foreach(example IN LISTS examples)
  get_filename_component(name ${example} NAME_WE)
  file(STRINGS ${example} sweeps REGEX "^sweep ")
  if(sweeps AND EXISTS ${PROJECT_SOURCE_DIR}/examples/${name}.out)
    plan_mpi_test(mpi.example.${name} ${PROJECT_SOURCE_DIR}/examples/${name}.out 0 2 examples/${name}.plan)
  endif()
endforeach()

file(GLOB sweep_cases CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/sweeps/*.plan)
foreach(case IN LISTS sweep_cases)
  get_filename_component(name ${case} NAME_WE)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/sweeps/${name}.out)
    plan_mpi_test(mpi.sweep.${name} ${CMAKE_CURRENT_SOURCE_DIR}/sweeps/${name}.out 0 3 tests/sweeps/${name}.plan)
    # A million points on the interpreter, with three ranks busy-waiting on two cores, takes minutes.
    if(NOT name STREQUAL "pow_half_is_sqrt")
      plan_mpi_test(mpi.sweep.${name}.interp ${CMAKE_CURRENT_SOURCE_DIR}/sweeps/${name}.out 0 3 --backend interp
                    tests/sweeps/${name}.plan)
    endif()
  endif()
endforeach()

# Fixed shares (every N-th range per rank, as without MPI_THREAD_SERIALIZED) merge to the same bytes.
plan_mpi_test(mpi.fixed_shares.parallelism_175b ${PROJECT_SOURCE_DIR}/examples/parallelism_175b.out 0 3 examples/parallelism_175b.plan)
set_tests_properties(mpi.fixed_shares.parallelism_175b PROPERTIES ENVIRONMENT "${mpi_env};PLAN_MPI_FIXED_SHARES=1")

plan_mpi_test(mpi.failing_point ${CMAKE_CURRENT_SOURCE_DIR}/diagnostics/runtime_divisors.out 1 2
              tests/diagnostics/runtime_divisors.plan)

# train_runs on three ranks: a worker killed, then rank 0, then the grid completed; every run
# trained and stored once, and equal to one process's (tests/mpi/train_runs_test.py).
if(PLAN_TRAINING)
  add_test(NAME mpi.train_runs_killed_and_resumed
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/mpi/train_runs_test.py ${MPIEXEC_EXECUTABLE} $<TARGET_FILE:plan_cli>
                   ${PROJECT_SOURCE_DIR}/data/tinyshakespeare.txt)
  set_tests_properties(mpi.train_runs_killed_and_resumed PROPERTIES ENVIRONMENT "${mpi_env}" TIMEOUT 300)
endif()

# A sweep whose axes are computed from earlier ones is held to the limit of points on a team too,
# with the single process's error: rank 0 adds the ranks' counts (PLAN_SWEEP_MAX_POINTS lowers the limit).
plan_mpi_test(mpi.sweep_points ${CMAKE_CURRENT_SOURCE_DIR}/cli/sweep_points/mpi.out 1 2 tests/cli/sweep_points/dependent.plan)
set_tests_properties(mpi.sweep_points PROPERTIES ENVIRONMENT "${mpi_env};PLAN_SWEEP_MAX_POINTS=99")
