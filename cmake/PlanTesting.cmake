# plan_golden_test(NAME EXPECTED FILE EXIT CODE [WORKDIR DIR] [INPUT FILE] COMMAND args...)
# A test that runs the command and compares stdout+stderr with FILE and the exit status with CODE.
# `plan` in COMMAND means the built plan binary.
function(plan_golden_test name)
  cmake_parse_arguments(G "" "EXPECTED;EXIT;WORKDIR;INPUT" "COMMAND" ${ARGN})
  if(NOT G_WORKDIR)
    set(G_WORKDIR ${PROJECT_SOURCE_DIR})
  endif()
  list(TRANSFORM G_COMMAND REPLACE "^plan$" "$<TARGET_FILE:plan_cli>")
  list(JOIN G_COMMAND "|||" command)  # golden.cmake splits it again
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${command}" -DEXPECTED=${G_EXPECTED} -DEXIT=${G_EXIT}
                   -DWORKDIR=${G_WORKDIR} -DINPUT=${G_INPUT} -P ${PROJECT_SOURCE_DIR}/cmake/golden.cmake)
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "NO_COLOR=1;HOME=${PROJECT_BINARY_DIR}")
endfunction()
