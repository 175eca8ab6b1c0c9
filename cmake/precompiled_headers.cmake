# Precompiled headers for the heavy third-party libraries (Boost.Asio/Beast, Boost.JSON, spdlog,
# fmt, GoogleTest). Parsing Beast's headers alone takes several seconds per file, and nearly every
# network, integration-test and benchmark file includes them, so each build parses them once per
# target family instead of once per file. Included at the end of the top-level CMakeLists, after
# every target exists; it only adds properties to targets that are there.
#
# ccache cannot cache files compiled against a precompiled header unless its sloppiness allows it,
# so with ccache as the compiler launcher the default is off (the cache already saves the work).
# Turn it on anyway with -DPARLEY_PCH=ON and CCACHE_SLOPPINESS=pch_defines,time_macros.
if(CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
  set(parley_pch_default OFF)
else()
  set(parley_pch_default ON)
endif()
option(PARLEY_PCH "Precompile the heavy third-party headers" ${parley_pch_default})
if(NOT PARLEY_PCH)
  return()
endif()

set(PARLEY_PCH_LOGGING <fmt/format.h> <spdlog/spdlog.h>)
set(PARLEY_PCH_JSON <boost/json.hpp>)
set(PARLEY_PCH_NETWORK
  <boost/asio/io_context.hpp>
  <boost/asio/ip/tcp.hpp>
  <boost/asio/steady_timer.hpp>
  <boost/asio/ssl.hpp>
  <boost/beast/core.hpp>
  <boost/beast/http.hpp>
  <boost/beast/ssl.hpp>
  <boost/beast/websocket.hpp>
  <boost/beast/websocket/ssl.hpp>)

# Files that must see their headers first, without anything force-included before them
# (cmake/special_sources.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/special_sources.cmake)

# Only the network family gains: for the core, protocol and unit-test files (no Beast) the
# optimiser dominates and building the header costs more than parsing JSON, fmt or GoogleTest
# saves (measured).

if(TARGET parley_net)
  # One network header set for the server library; the programs built on it reuse its
  # precompiled header (same compile flags and definitions, which they inherit from it).
  target_precompile_headers(parley_net PRIVATE
                            ${PARLEY_PCH_NETWORK} ${PARLEY_PCH_JSON} ${PARLEY_PCH_LOGGING})
  parley_mark_special_sources(parley_net SKIP_PRECOMPILE_HEADERS)
  foreach(target parley parley-load parley-floor)
    if(TARGET ${target})
      get_target_property(links ${target} LINK_LIBRARIES)
      if("parley_net" IN_LIST links)
        target_precompile_headers(${target} REUSE_FROM parley_net)
      endif()
    endif()
  endforeach()
endif()

if(TARGET parley_integration_tests)
  # GoogleTest's own definitions differ from the server's, so the tests have their own.
  target_precompile_headers(parley_integration_tests PRIVATE
                            <gtest/gtest.h> ${PARLEY_PCH_NETWORK} ${PARLEY_PCH_JSON})
endif()
