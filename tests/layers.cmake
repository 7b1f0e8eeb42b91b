# Fails when a file includes a header of a layer above its own (docs/architecture.md). Run by
# ctest as `cmake -DROOT=<project> -P tests/layers.cmake`; every #include "..." of every C++
# file is checked against the table below (the first matching prefix of the file's path wins).
# System headers (<...>) are not checked.
set(layers
  "numeric/=numeric/"
  "files/=files/"
  "plot/=files/ plot/"
  "grammar/=grammar/"
  "interpreter/=numeric/ files/ grammar/ interpreter/ stdlib/stdlib.hpp plan/plan.hpp"
  "stdlib/native/=numeric/ files/ grammar/ interpreter/ stdlib/native/ plot/ validation/"
  "sweep/=numeric/ files/ grammar/ interpreter/ sweep/ plan/plan.hpp"
  "jit/=numeric/ grammar/ interpreter/ sweep/kernel.hpp sweep/backend.hpp jit/"
  "gpu/=numeric/ grammar/ interpreter/ sweep/kernel.hpp sweep/backend.hpp jit/ gpu/"
  "cluster/=numeric/ files/ grammar/ interpreter/ sweep/ cluster/"
  "validation/=files/ validation/"
  "embed/=numeric/ files/ plot/ grammar/ interpreter/ stdlib/ sweep/ jit/ gpu/ cluster/ validation/ embed/ plan/"
  "cli/=files/ plan/ cli/ grammar/formatter.hpp validation/"
  "include/=plan/")
set(patterns "")
foreach(folder numeric files plot grammar interpreter stdlib sweep jit gpu cluster validation embed cli include)
  list(APPEND patterns "${ROOT}/${folder}/*.cpp" "${ROOT}/${folder}/*.hpp" "${ROOT}/${folder}/*.h" "${ROOT}/${folder}/*.cu")
endforeach()
file(GLOB_RECURSE sources RELATIVE "${ROOT}" ${patterns})
set(violations "")
foreach(source IN LISTS sources)
  set(allowed "")
  foreach(entry IN LISTS layers)
    string(REPLACE "=" ";" parts "${entry}")
    list(GET parts 0 prefix)
    list(GET parts 1 permitted)
    string(FIND "${source}" "${prefix}" at)
    if(at EQUAL 0)
      string(REPLACE " " ";" allowed "${permitted}")
      break()
    endif()
  endforeach()
  if(NOT allowed)
    continue()  # tests, examples, bench: above every layer
  endif()
  file(STRINGS "${ROOT}/${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([^\"]+)\".*" "\\1" header "${line}")
    set(ok FALSE)
    foreach(permit IN LISTS allowed)
      string(FIND "${header}" "${permit}" at)
      if(at EQUAL 0)
        set(ok TRUE)
        break()
      endif()
    endforeach()
    if(NOT ok)
      string(APPEND violations "  ${source} includes \"${header}\"\n")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "includes that point up the layers (or out of them):\n${violations}")
endif()
message(STATUS "every include points down the layers (${ROOT})")
