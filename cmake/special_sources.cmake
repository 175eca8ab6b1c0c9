# parley_mark_special_sources(<target> <property>): sets the source property (to ON) on the
# target's sources that must see their own headers first, with nothing force-included before
# them or batched beside them: the translation units that compile Asio's and Beast's own
# sources, and the generated web bytes (plain data, nothing to gain). Unity builds skip them
# (SKIP_UNITY_BUILD_INCLUSION), and so do precompiled headers (SKIP_PRECOMPILE_HEADERS).
function(parley_mark_special_sources target property)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(special "")
  foreach(source IN LISTS sources)
    if(source MATCHES "(boost_sources|embedded_web)\\.cpp$")
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}" OUTPUT_VARIABLE absolute)
      list(APPEND special "${absolute}")
    endif()
  endforeach()
  if(special)
    set_source_files_properties(${special} TARGET_DIRECTORY ${target} PROPERTIES ${property} ON)
  endif()
endfunction()
