# Which files under web/ are part of the client: everything except hidden files and folders
# (editor swap files, .DS_Store, .git). Shared by the build and by embed_web.cmake so both
# agree on the list.
function(parley_keep_web_files out_var candidates)
  set(kept "")
  foreach(relative IN LISTS candidates)
    if(NOT relative MATCHES "(^|/)\\.")
      list(APPEND kept "${relative}")
    endif()
  endforeach()
  list(SORT kept)
  set(${out_var} "${kept}" PARENT_SCOPE)
endfunction()
