# laminar_module(NAME DEPS <targets...>)
# Builds laminar_NAME from every *.cc in the folder except *_test.cc and *_benchmark.cc, and, when
# *_test.cc files exist, one GoogleTest binary NAME_test whose tests ctest lists one by one.
# With -DLAMINAR_MICROBENCH=ON (scripts/microbench.sh) and Google Benchmark found, the folder's
# *_benchmark.cc files also become one binary NAME_benchmark (not a ctest test); off by default,
# so the test and release builds neither need the library nor compile the benchmarks.
option(LAMINAR_MICROBENCH "Build the Google Benchmark microbenchmarks (src/*/*_benchmark.cc)" OFF)
if(LAMINAR_MICROBENCH)
  find_package(benchmark)
  if(NOT benchmark_FOUND)
    message(WARNING "LAMINAR_MICROBENCH: Google Benchmark not found (libbenchmark-dev); no *_benchmark targets")
  endif()
endif()

function(laminar_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  file(GLOB benches CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_benchmark.cc)
  list(REMOVE_ITEM srcs ${tests} ${benches} "")
  if(srcs)
    add_library(laminar_${name} STATIC ${srcs})
    target_include_directories(laminar_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(laminar_${name} PUBLIC ${ARG_DEPS})
  else()  # headers only so far
    add_library(laminar_${name} INTERFACE)
    target_include_directories(laminar_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(laminar_${name} INTERFACE ${ARG_DEPS})
  endif()
  if(tests)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE laminar_${name} GTest::gtest GTest::gtest_main GTest::gmock)
    gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit TIMEOUT 300)
  endif()
  if(benches AND LAMINAR_MICROBENCH AND benchmark_FOUND)
    add_executable(${name}_benchmark ${benches})
    target_link_libraries(${name}_benchmark PRIVATE laminar_${name} benchmark::benchmark benchmark::benchmark_main)
  endif()
endfunction()
