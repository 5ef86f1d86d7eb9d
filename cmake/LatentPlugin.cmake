# latent_add_plugin(<id> SOURCES ... [TORCH])
# Builds a model-family plugin into <build>/lib/latent-studio/plugins/<id>/
# beside its plugin.json, the layout the plugin host scans, and installs it.
function(latent_add_plugin id)
  cmake_parse_arguments(ARG "TORCH;NO_INSTALL" "MANIFEST;OUTPUT_DIR" "SOURCES" ${ARGN})
  set(target plugin_${id})
  string(REPLACE "-" "_" target ${target})
  add_library(${target} MODULE ${ARG_SOURCES})
  if(NOT ARG_MANIFEST)
    set(ARG_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/plugin.json)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${LATENT_PLUGIN_OUTPUT_DIR})
  endif()
  set(outdir ${ARG_OUTPUT_DIR}/${id})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${id}
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY ${outdir}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    INSTALL_RPATH "$ORIGIN/../../..")
  target_link_libraries(${target} PRIVATE latent::engine)
  latent_target_warnings(${target})
  if(ARG_TORCH)
    target_link_libraries(${target} PRIVATE latent::torch)
    latent_use_torch_pch(${target})
  endif()
  if(EXISTS ${ARG_MANIFEST})
    configure_file(${ARG_MANIFEST} ${outdir}/plugin.json COPYONLY)
  endif()
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${LATENT_PLUGIN_SUBDIR}/${id})
    install(FILES ${ARG_MANIFEST} DESTINATION ${LATENT_PLUGIN_SUBDIR}/${id})
  endif()
endfunction()
