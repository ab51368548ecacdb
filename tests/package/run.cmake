# Run by ctest (test package_consumer): installs the built mojifix into a
# scratch prefix, then configures, builds and runs this folder's consumer
# against it, once through find_package and once through pkg-config.
foreach(var MOJIFIX_BINARY_DIR MOJIFIX_CONSUMER_SOURCE_DIR MOJIFIX_WORK_DIR MOJIFIX_CONFIG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=...")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " cmd)
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

set(prefix ${MOJIFIX_WORK_DIR}/prefix)
set(build ${MOJIFIX_WORK_DIR}/build)
file(REMOVE_RECURSE ${MOJIFIX_WORK_DIR})

run(${CMAKE_COMMAND} --install ${MOJIFIX_BINARY_DIR} --prefix ${prefix}
    --config ${MOJIFIX_CONFIG})
foreach(f include/mojifix/mojifix.hpp include/mojifix/fix.hpp)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

set(configure_args -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${MOJIFIX_CONFIG})
if(MOJIFIX_CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${MOJIFIX_CXX_COMPILER})
endif()
# A sanitized libmojifix needs the sanitizer runtimes at link time.
if(MOJIFIX_SANITIZE)
  list(APPEND configure_args "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
file(GLOB_RECURSE pc_files ${prefix}/mojifix.pc)
if(NOT pc_files)
  message(FATAL_ERROR "not installed: mojifix.pc")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}:$ENV{PKG_CONFIG_PATH}")
run(${CMAKE_COMMAND} -S ${MOJIFIX_CONSUMER_SOURCE_DIR} -B ${build} ${configure_args})
run(${CMAKE_COMMAND} --build ${build} --config ${MOJIFIX_CONFIG})
run(${build}/consumer)
run(${build}/consumer_pkgconfig)

# The installed command, when it was built: clean text through it unchanged.
if(EXISTS ${prefix}/bin/mojifix)
  set(clean_file ${MOJIFIX_WORK_DIR}/clean.txt)
  file(WRITE ${clean_file} "Clean text, 中文テキスト, 한국어.\n")
  execute_process(COMMAND ${prefix}/bin/mojifix INPUT_FILE ${clean_file}
    OUTPUT_VARIABLE cli_out RESULT_VARIABLE rc)
  file(READ ${clean_file} clean)
  if(NOT rc EQUAL 0 OR NOT cli_out STREQUAL clean)
    message(FATAL_ERROR "installed mojifix (rc ${rc}) changed clean text: ${cli_out}")
  endif()
endif()
