# LibTorch discovery: Debian's libtorch-dev by default, any other (e.g. an
# official CUDA build) with -DTorch_DIR=<prefix>/share/cmake/Torch.
find_package(Torch REQUIRED)
message(STATUS "LibTorch ${Torch_VERSION}: ${TORCH_INCLUDE_DIRS}")

# A CUDA-enabled LibTorch (pip's torch, the official cu1xx zips) defines the
# imported target torch_cuda and TORCH_CUDA_LIBRARIES; Debian's CPU-only
# libtorch-dev defines neither. The engine then reports real CUDA device names.
if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES)
  set(LATENT_TORCH_CUDA ON)
else()
  set(LATENT_TORCH_CUDA OFF)
endif()
message(STATUS "LibTorch with CUDA: ${LATENT_TORCH_CUDA}")

# ATen's at::parallel_for is a header template that runs serially unless the
# calling code is compiled with OpenMP (it tests _OPENMP): without it the text
# decoder's kernels used one core. Debian's LibTorch runs on libgomp, the
# runtime -fopenmp links, so plugin code and LibTorch share one thread pool.
# The GPU check turns it off: pip's torch bundles its own libgomp, and the
# kernels that need it are not built there.
option(LATENT_TORCH_OPENMP "Compile torch-using plugin code with OpenMP, as LibTorch itself was" ON)
if(LATENT_TORCH_OPENMP)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
endif()

# One precompiled header for torch, built once and reused by every target that
# includes torch (plugins, torch helpers). Targets reusing it must share flags.
add_library(latent_torch_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/torch_pch.cpp)
target_link_libraries(latent_torch_pch PUBLIC torch)
if(LATENT_TORCH_OPENMP)
  target_link_libraries(latent_torch_pch PUBLIC OpenMP::OpenMP_CXX)
endif()
target_precompile_headers(latent_torch_pch PRIVATE <torch/torch.h> <torch/script.h>)
# A PCH is only used with the flags it was built with (-Wpedantic changes
# predefined macros), so it gets the same warning flags as our targets.
latent_target_warnings(latent_torch_pch)

function(latent_use_torch_pch target)
  target_link_libraries(${target} PRIVATE torch)
  if(LATENT_TORCH_OPENMP)
    target_link_libraries(${target} PRIVATE OpenMP::OpenMP_CXX)
  endif()
  target_precompile_headers(${target} REUSE_FROM latent_torch_pch)
endfunction()
