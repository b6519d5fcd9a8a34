# Fails when any C++ source or header in the repository is not formatted as
# clang-format (LLVM style, see .clang-format) would format it.
# Usage: cmake -DCLANG_FORMAT=... -DSOURCE_DIR=... -P CheckFormat.cmake
file(GLOB_RECURSE kiln_cpp_files
  ${SOURCE_DIR}/include/*.h ${SOURCE_DIR}/dialects/*.cpp ${SOURCE_DIR}/dialects/*.h
  ${SOURCE_DIR}/passes/*.cpp ${SOURCE_DIR}/passes/*.h ${SOURCE_DIR}/lib/*.cpp
  ${SOURCE_DIR}/lib/*.h ${SOURCE_DIR}/tools/*.cpp ${SOURCE_DIR}/tools/*.h
  ${SOURCE_DIR}/costmodel/*.cpp ${SOURCE_DIR}/costmodel/*.h
  ${SOURCE_DIR}/test/*.cpp ${SOURCE_DIR}/test/*.h ${SOURCE_DIR}/python/*.cpp)
list(LENGTH kiln_cpp_files count)
execute_process(
  COMMAND ${CLANG_FORMAT} --dry-run --Werror ${kiln_cpp_files}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "clang-format: files above are not formatted; run "
                      "scripts/format.sh to fix them")
endif()
message(STATUS "clang-format: ${count} C++ files formatted")
