# Install rules and the packages integrators consume: the CMake package `leandesk` and the
# pkg-config module `leandesk`. Included from the top-level CMakeLists.txt after the library
# targets exist. Layout and policy: docs/building.md.
#
#   <prefix>/include/leandesk/*.h, *.hpp                   public headers (the C API and its C++ wrapper)
#   <prefix>/<libdir>/libleandesk.so.<major>.<minor>.<patch>  shared library (+ SONAME and dev links)
#   <prefix>/<libdir>/libleandesk.a                         static library
#   <prefix>/<libdir>/cmake/leandesk/                       leandeskConfig.cmake and friends
#   <prefix>/<libdir>/pkgconfig/leandesk.pc                 pkg-config module

include(CMakePackageConfigHelpers)

set(LEANDESK_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/leandesk"
    CACHE STRING "Where the CMake package files of leandesk are installed (relative to the prefix)")
mark_as_advanced(LEANDESK_INSTALL_CMAKEDIR)

# ---- libraries --------------------------------------------------------------------------------
# Two export sets: the shared library needs nothing from its consumer, while the static one brings
# its link dependencies (SQLite, libsodium, threads), which leandeskConfig.cmake looks for only when
# they are there, so that a machine with just the shared library can still use the package.
install(TARGETS leandesk EXPORT leandeskTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT Runtime NAMELINK_COMPONENT Development
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT Runtime
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT Development
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS leandesk_static EXPORT leandeskStaticTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT Development
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

# ---- headers ----------------------------------------------------------------------------------
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/leandesk"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT Development
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

# ---- CMake package ----------------------------------------------------------------------------
install(EXPORT leandeskTargets
  NAMESPACE leandesk:: FILE leandeskTargets.cmake
  DESTINATION "${LEANDESK_INSTALL_CMAKEDIR}" COMPONENT Development)
install(EXPORT leandeskStaticTargets
  NAMESPACE leandesk:: FILE leandeskStaticTargets.cmake
  DESTINATION "${LEANDESK_INSTALL_CMAKEDIR}" COMPONENT Development)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/scripts/cmake/leandeskConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/leandeskConfig.cmake"
  INSTALL_DESTINATION "${LEANDESK_INSTALL_CMAKEDIR}")
# SOVERSION is the major version (docs/building.md): any 0.x asks for 0.y with y >= x.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake/leandeskConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/cmake/leandeskConfig.cmake"
  "${PROJECT_BINARY_DIR}/cmake/leandeskConfigVersion.cmake"
  DESTINATION "${LEANDESK_INSTALL_CMAKEDIR}" COMPONENT Development)

# ---- pkg-config -------------------------------------------------------------------------------
# The file is written when installing, not when configuring, so that `cmake --install --prefix X`
# gives a file naming X. (DESTDIR staging is handled by file(INSTALL) and does not show in it.)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(_leandesk_pc_libdir "${CMAKE_INSTALL_LIBDIR}")
  set(_leandesk_pc_dest "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
else()
  set(_leandesk_pc_libdir "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(_leandesk_pc_dest "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(_leandesk_pc_includedir "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(_leandesk_pc_includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
install(CODE "
  set(LEANDESK_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(LEANDESK_PC_LIBDIR [==[${_leandesk_pc_libdir}]==])
  set(LEANDESK_PC_INCLUDEDIR [==[${_leandesk_pc_includedir}]==])
  set(LEANDESK_PC_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/scripts/cmake/leandesk.pc.in\"
    \"${PROJECT_BINARY_DIR}/cmake/leandesk.pc\" @ONLY)
  file(INSTALL DESTINATION \"${_leandesk_pc_dest}\"
    TYPE FILE FILES \"${PROJECT_BINARY_DIR}/cmake/leandesk.pc\")
" COMPONENT Development)
