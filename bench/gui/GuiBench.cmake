# GUI benchmarks (Qt): event-loop stalls under load and start-up time.
add_executable(bench_gui_stall ${CMAKE_CURRENT_LIST_DIR}/bench_gui_stall.cpp)
target_link_libraries(bench_gui_stall PRIVATE latent::ui)
target_include_directories(bench_gui_stall PRIVATE ${PROJECT_SOURCE_DIR}/tests/fixtures ${PROJECT_SOURCE_DIR}/bench)
target_compile_definitions(bench_gui_stall PRIVATE LATENT_TEST_PLUGIN_DIR="${CMAKE_BINARY_DIR}/tests/plugins")
latent_qt_target(bench_gui_stall)
latent_target_warnings(bench_gui_stall)

add_executable(bench_qt_floor ${CMAKE_CURRENT_LIST_DIR}/bench_qt_floor.cpp)
target_link_libraries(bench_qt_floor PRIVATE Qt6::Widgets)
latent_qt_target(bench_qt_floor)

add_executable(bench_startup ${CMAKE_CURRENT_LIST_DIR}/bench_startup.cpp)
target_include_directories(bench_startup PRIVATE ${PROJECT_SOURCE_DIR}/bench)
target_compile_definitions(bench_startup PRIVATE
  LATENT_STUDIO_BIN="$<TARGET_FILE:latent_studio>" QT_FLOOR_BIN="$<TARGET_FILE:bench_qt_floor>")
add_dependencies(bench_startup latent_studio bench_qt_floor)
latent_target_warnings(bench_startup)

# Slider drag -> repainted canvas on the bundled image models, vs PyTorch eager decode.
add_executable(bench_slider_latency ${CMAKE_CURRENT_LIST_DIR}/bench_slider_latency.cpp)
target_link_libraries(bench_slider_latency PRIVATE latent::ui)
target_include_directories(bench_slider_latency PRIVATE ${PROJECT_SOURCE_DIR}/bench)
target_compile_definitions(bench_slider_latency PRIVATE LATENT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
latent_qt_target(bench_slider_latency)
latent_target_warnings(bench_slider_latency)
if(TARGET plugin_image_vae)
  add_dependencies(bench_slider_latency plugin_image_vae plugin_image_gan plugin_image_flow)
endif()

# Audio slider move -> new sound (and first block -> sink) on audio-ddsp packages, vs PyTorch eager decode.
add_executable(bench_audio_latency ${CMAKE_CURRENT_LIST_DIR}/bench_audio_latency.cpp)
target_link_libraries(bench_audio_latency PRIVATE latent::ui)
target_include_directories(bench_audio_latency PRIVATE ${PROJECT_SOURCE_DIR}/bench)
target_compile_definitions(bench_audio_latency PRIVATE LATENT_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
latent_qt_target(bench_audio_latency)
latent_target_warnings(bench_audio_latency)
if(TARGET plugin_audio_ddsp)
  add_dependencies(bench_audio_latency plugin_audio_ddsp)
endif()
