# parley_unity_build(<target> <files per batch>): compile <target> as batches of that many
# source files when PARLEY_UNITY_BUILD is on. Sources whose headers must come first (Asio's and
# Beast's own sources) or that are generated data stay on their own.
include(${CMAKE_CURRENT_LIST_DIR}/special_sources.cmake)

function(parley_unity_build target batch_size)
  if(NOT PARLEY_UNITY_BUILD)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch_size})
  parley_mark_special_sources(${target} SKIP_UNITY_BUILD_INCLUSION)
endfunction()
