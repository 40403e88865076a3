# xrecon_add_plugin(NAME SOURCES ... [LIBRARIES ...] [OUTPUT_DIRECTORY dir] [NO_INSTALL])
# Builds a plugin library the engine can load: a MODULE named xrecon_plugin_<NAME>, hidden
# symbols except the descriptor, linked to the SDK. Used in this tree and by plugin authors
# after find_package(xrecon).
function(xrecon_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  set(target xrecon_plugin_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  # For targets that need every plugin built (tests/CMakeLists.txt).
  set_property(GLOBAL APPEND PROPERTY XRECON_PLUGIN_TARGETS ${target})
  target_link_libraries(${target} PRIVATE xrecon::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    CUDA_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED XRECON_BUILD_PLUGIN_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${XRECON_BUILD_PLUGIN_DIR})
  endif()
  if(DEFINED XRECON_INSTALL_PLUGIN_DIR AND NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${XRECON_INSTALL_PLUGIN_DIR})
  endif()
endfunction()
