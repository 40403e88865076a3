# -DXRECON_SANITIZE=address,undefined (any list -fsanitize= takes): every target of the tree (sdk,
# engine, solvers, plugins, tests, fuzz targets) compiles and links with the sanitizers, so the
# xrecon executable and the plugins it dlopens share one ASan runtime. CPU only: the CUDA
# toolchain neither compiles device code with -fsanitize nor runs under ASan's shadow memory, so
# the CUDA backend is switched off (and XRECON_CUDA=ON refused). UBSan findings abort
# (-fno-sanitize-recover) so that a finding fails its test. The run-time options and suppressions
# are tests/sanitizers/ (set for every test by tests/sanitizers/ctest_env.cmake.in).
set(XRECON_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address,undefined (CPU only)")
set(XRECON_SANITIZER_ENV_FILE "")
if(XRECON_SANITIZE)
  if(XRECON_CUDA STREQUAL "ON")
    message(FATAL_ERROR "XRECON_SANITIZE=${XRECON_SANITIZE} builds the CPU backend only; "
      "configure with -DXRECON_CUDA=OFF (or AUTO) in a build folder of its own")
  endif()
  set(XRECON_CUDA OFF CACHE STRING "Build the CUDA backend (AUTO, ON, OFF)" FORCE)
  message(STATUS "xrecon sanitizers: ${XRECON_SANITIZE} (CUDA backend off)")
  string(REPLACE "," ";" xrecon_sanitizers "${XRECON_SANITIZE}")
  set(xrecon_sanitize_flags -fsanitize=${XRECON_SANITIZE} -fno-omit-frame-pointer)
  if("undefined" IN_LIST xrecon_sanitizers)
    list(APPEND xrecon_sanitize_flags -fno-sanitize-recover=undefined)
  endif()
  add_compile_options(${xrecon_sanitize_flags})
  add_link_options(-fsanitize=${XRECON_SANITIZE})
  # ctest's own environment, so every test and every program a test starts (the xrecon command)
  # runs with our options and suppressions, and gtest discovery at build time too (the variables
  # are read by the build's discovery step through the same file: see tests/CMakeLists.txt).
  set(XRECON_SANITIZER_DIR ${CMAKE_CURRENT_SOURCE_DIR}/tests/sanitizers)
  set(XRECON_SANITIZER_ENV_FILE ${CMAKE_BINARY_DIR}/xrecon_sanitizer_env.cmake)
  configure_file(${XRECON_SANITIZER_DIR}/ctest_env.cmake.in ${XRECON_SANITIZER_ENV_FILE} @ONLY)
endif()

# -DXRECON_FUZZ=ON: libFuzzer targets (tests/fuzz), which only clang provides. Every target gets
# libFuzzer's coverage instrumentation so that the fuzzers see into the readers and the parser.
if(XRECON_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "XRECON_FUZZ=ON needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}: configure a "
      "build folder of its own with -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "
      "(Debian: apt-get install clang), as scripts/fuzz.sh does")
  endif()
  set(XRECON_CUDA OFF CACHE STRING "Build the CUDA backend (AUTO, ON, OFF)" FORCE)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
