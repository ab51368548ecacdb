# Install and export: the mojifix library, its public headers, a CMake package
# (find_package(mojifix) -> mojifix::mojifix) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MOJIFIX_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/mojifix" CACHE STRING
  "Where mojifixConfig.cmake is installed, relative to the prefix")

install(TARGETS mojifix EXPORT mojifixTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mojifix
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")
# The command, when it is built and its room does not install it itself.
if(TARGET mojifix_cli)
  get_target_property(_mojifix_cli_type mojifix_cli TYPE)
  if(_mojifix_cli_type STREQUAL "EXECUTABLE")
    install(TARGETS mojifix_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endif()

install(EXPORT mojifixTargets NAMESPACE mojifix:: FILE mojifixTargets.cmake
  DESTINATION ${MOJIFIX_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mojifixConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mojifixConfig.cmake
  INSTALL_DESTINATION ${MOJIFIX_INSTALL_CMAKEDIR})
# 0.x: a minor release may break the API, so only the same minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mojifixConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mojifixConfig.cmake
  ${PROJECT_BINARY_DIR}/mojifixConfigVersion.cmake
  DESTINATION ${MOJIFIX_INSTALL_CMAKEDIR})

# pkg-config: a static libmojifix needs ICU and uchardet on the consumer's
# link line, so they are public requirements unless the library is shared.
get_target_property(_mojifix_type mojifix TYPE)
if(_mojifix_type STREQUAL "SHARED_LIBRARY")
  set(MOJIFIX_PC_REQUIRES "")
  set(MOJIFIX_PC_REQUIRES_PRIVATE "icu-uc icu-i18n uchardet")
else()
  set(MOJIFIX_PC_REQUIRES "icu-uc icu-i18n uchardet")
  set(MOJIFIX_PC_REQUIRES_PRIVATE "")
endif()
# Relocatable: prefix is found from where the .pc file lies, so an install
# with `cmake --install --prefix DIR` points at DIR. Absolute dirs stay as set.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(MOJIFIX_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _mojifix_up "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
  string(REGEX REPLACE "/$" "" _mojifix_up "${_mojifix_up}")
  set(MOJIFIX_PC_PREFIX "\${pcfiledir}/${_mojifix_up}")
endif()
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(MOJIFIX_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(MOJIFIX_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/mojifix.pc @ONLY CONTENT [=[
prefix=@MOJIFIX_PC_PREFIX@
libdir=@MOJIFIX_PC_LIBDIR@
includedir=@MOJIFIX_PC_INCLUDEDIR@

Name: mojifix
Description: Finds and repairs mojibake in UTF-8 text
Version: @PROJECT_VERSION@
Requires: @MOJIFIX_PC_REQUIRES@
Requires.private: @MOJIFIX_PC_REQUIRES_PRIVATE@
Cflags: -I${includedir}
Libs: -L${libdir} -lmojifix
Libs.private: -lstdc++ -lm
]=])
install(FILES ${PROJECT_BINARY_DIR}/mojifix.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Proves the installed package works: installs into a scratch prefix, then
# configures, builds and runs tests/package against it (CMake and pkg-config).
if(MOJIFIX_TESTS)
  add_test(NAME package_consumer
    COMMAND ${CMAKE_COMMAND}
      -DMOJIFIX_BINARY_DIR=${PROJECT_BINARY_DIR}
      -DMOJIFIX_CONSUMER_SOURCE_DIR=${PROJECT_SOURCE_DIR}/tests/package
      -DMOJIFIX_WORK_DIR=${PROJECT_BINARY_DIR}/package_consumer
      -DMOJIFIX_CONFIG=$<CONFIG>
      -DMOJIFIX_CXX_COMPILER=${CMAKE_CXX_COMPILER}
      -DMOJIFIX_SANITIZE=${MOJIFIX_SANITIZE}
      -P ${PROJECT_SOURCE_DIR}/tests/package/run.cmake)
  set_tests_properties(package_consumer PROPERTIES TIMEOUT 600 LABELS package)
endif()
