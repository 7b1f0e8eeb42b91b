# Runs COMMAND (arguments joined by |||) in WORKDIR, and compares its stdout followed by its stderr with the file
# EXPECTED, and its exit status with EXIT. With PLAN_UPDATE_GOLDEN=1 in the environment it
# rewrites EXPECTED instead (review the diff before committing). INPUT, if given, is the
# command's standard input.
string(REPLACE "|||" ";" COMMAND "${COMMAND}")
if(NOT INPUT)
  set(INPUT /dev/null)
endif()
execute_process(COMMAND ${COMMAND} WORKING_DIRECTORY "${WORKDIR}" INPUT_FILE "${INPUT}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
set(actual "${out}${err}")
if(DEFINED ENV{PLAN_UPDATE_GOLDEN})
  file(WRITE "${EXPECTED}" "${actual}")
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
file(READ "${EXPECTED}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${EXPECTED}.actual" "${actual}")
  execute_process(COMMAND diff -u "${EXPECTED}" "${EXPECTED}.actual")
  message(FATAL_ERROR "output differs from ${EXPECTED} (actual output in ${EXPECTED}.actual)")
endif()
if(NOT status STREQUAL "${EXIT}")
  message(FATAL_ERROR "exit status ${status}, expected ${EXIT}")
endif()
