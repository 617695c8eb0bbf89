# laminar_fuzz_target(NAME LIB SECONDS): the fuzz target fuzz/NAME_fuzz.cc of the calling folder,
# linked with LIB (tests/fuzz/README.md).
# Normally it is linked with the standalone mutation driver src/lake/fuzz/fuzz_driver.cc and run
# by ctest as NAME_fuzz_smoke (label unit) for SECONDS from its own seeds and the repository
# corpus tests/fuzz/corpus/NAME. With -DLAMINAR_LIBFUZZER=ON (clang; scripts/fuzz.sh) NAME_fuzz
# is a libFuzzer binary and NAME_fuzz_seeds the driver build, used to write the seed corpus.
option(LAMINAR_LIBFUZZER "Build the fuzz targets (*_fuzz) with libFuzzer (clang)" OFF)

function(laminar_fuzz_target name lib seconds)
  set(target ${name}_fuzz)
  set(source ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${target}.cc)
  set(driver ${PROJECT_SOURCE_DIR}/src/lake/fuzz/fuzz_driver.cc)
  if(LAMINAR_LIBFUZZER)
    add_executable(${target} ${source})
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${target} PRIVATE ${lib})
    add_executable(${target}_seeds ${source} ${driver})
    target_link_libraries(${target}_seeds PRIVATE ${lib})
  else()
    add_executable(${target} ${source} ${driver})
    target_link_libraries(${target} PRIVATE ${lib})
    add_test(NAME ${target}_smoke COMMAND ${target} --self-seeds --seconds ${seconds} --seed 1
             ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
    set_tests_properties(${target}_smoke PROPERTIES LABELS unit TIMEOUT 300)
  endif()
endfunction()
