# parley_unity_build(<target> <files per batch>): compile <target> as batches of that many
# source files when PARLEY_UNITY_BUILD is on. Sources whose headers must come first (Asio's and
# Beast's own sources) or that are generated data stay on their own.
function(parley_unity_build target batch_size)
  if(NOT PARLEY_UNITY_BUILD)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch_size})
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  foreach(source IN LISTS sources)
    if(source MATCHES "(boost_sources|embedded_web)\\.cpp$")
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE absolute)
      set_source_files_properties("${absolute}" TARGET_DIRECTORY ${target}
                                  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endforeach()
endfunction()
