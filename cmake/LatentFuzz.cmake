# LATENT_BUILD_FUZZ: a clang build for libFuzzer (docs/fuzzing.md). Every
# target configured after this file is included -- the engine core, latent_text,
# the SentencePiece shim and the harnesses -- is compiled with coverage
# instrumentation for libFuzzer (-fsanitize=fuzzer-no-link) and the sanitizers
# in LATENT_FUZZ_SANITIZERS; tests/fuzz links the harnesses with
# -fsanitize=fuzzer. Assertions stay on (NDEBUG off, libstdc++'s checked
# operator[]): a fuzzer should trip them.
if(NOT LATENT_BUILD_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "LATENT_BUILD_FUZZ needs clang (libFuzzer): configure with "
                      "-DCMAKE_CXX_COMPILER=clang++-14 (Debian: clang-14, libclang-rt-14-dev)")
endif()
set(LATENT_FUZZ_SANITIZERS "address,undefined" CACHE STRING
    "Sanitizers for the fuzz build (-fsanitize=...), e.g. address,undefined or undefined")
add_compile_options(-fsanitize=fuzzer-no-link,${LATENT_FUZZ_SANITIZERS} -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -g -UNDEBUG -D_GLIBCXX_ASSERTIONS)
add_link_options(-fsanitize=${LATENT_FUZZ_SANITIZERS})
message(STATUS "Fuzz build: -fsanitize=fuzzer-no-link,${LATENT_FUZZ_SANITIZERS} on every target")
