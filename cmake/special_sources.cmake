# parley_special_sources(<target> <out var>): the target's sources that must see their own
# headers first, with nothing force-included before them or batched beside them: the translation
# units that compile Asio's and Beast's own sources, and the generated web bytes (plain data,
# nothing to gain). As absolute paths, for set_source_files_properties.
function(parley_special_sources target out_var)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(special "")
  foreach(source IN LISTS sources)
    if(source MATCHES "(boost_sources|embedded_web)\\.cpp$")
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE absolute)
      list(APPEND special "${absolute}")
    endif()
  endforeach()
  set(${out_var} "${special}" PARENT_SCOPE)
endfunction()
