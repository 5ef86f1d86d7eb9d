# LATENT_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer on everything
# this project compiles (LibTorch and other libraries stay as Debian built
# them). `scripts/studio test` builds the Qt-free tree this way and runs its
# tests, so a memory error or undefined behaviour fails CI (docs/fuzzing.md).
# -fno-sanitize=vptr: plugins are dlopen'ed RTLD_LOCAL, so one class's
# typeinfo exists once per library and the vptr check reports false mismatches.
option(LATENT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(NOT LATENT_SANITIZE)
  return()
endif()
add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -g1)
add_link_options(-fsanitize=address,undefined)
add_compile_definitions(LATENT_SANITIZE=1)
message(STATUS "Sanitizers: address, undefined")
