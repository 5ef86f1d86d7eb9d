# Warnings for our own targets (not for third-party headers, which are SYSTEM).
function(latent_target_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  endif()
endfunction()

# Every Qt target: LibTorch headers use `slots` as an identifier. moc runs for
# Qt targets only (a global CMAKE_AUTOMOC would add autogen steps to the engine,
# plugins and tests that never see Qt).
function(latent_qt_target target)
  target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
  set_target_properties(${target} PROPERTIES AUTOMOC ON)
endfunction()
