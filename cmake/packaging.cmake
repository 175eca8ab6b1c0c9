# `cpack -G DEB` in a build directory makes parley_<version>_<arch>.deb: the binary, the
# systemd unit, /etc/parley/parley.toml (a conffile), and maintainer scripts that create the
# parley user. Runtime dependencies come from dpkg-shlibdeps (libspdlog, libfmt, Boost.JSON,
# liburing, libssl, libhiredis0.14 for --redis, ...); Redis itself is a suggestion: one node
# needs none, and several share one that may run elsewhere.
install(TARGETS parley RUNTIME DESTINATION bin)
install(FILES packaging/parley.service DESTINATION lib/systemd/system)
install(FILES packaging/parley.toml DESTINATION /etc/parley PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME parley)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Parley operators <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted video meetings in one server binary")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-server (>= 5:6.2)")
set(CPACK_STRIP_FILES ON)  # line tables stay in the build tree, not in the package
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst;${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# The package installed and started for real (root only; skipped otherwise).
add_test(NAME package.deb COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/package/deb_test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(package.deb PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS package RUN_SERIAL TRUE)

# The package's unit run by systemd itself (PID 1 of its own namespaces): start, probes, a join,
# the media addresses it announces, a drain on stop, io_uring under its syscall filter. Root,
# systemd and node only; skipped otherwise.
add_test(NAME package.systemd COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/package/systemd_test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(package.systemd PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS package RUN_SERIAL TRUE)
