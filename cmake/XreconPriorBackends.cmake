# Libraries behind the learned prior's backends (solvers/prior): oneDNN (Debian libdnnl-dev) for
# the CPU, cuDNN for CUDA. Either may be missing; its backend then throws NotCompiled.
# Found by header and library rather than dnnl-config.cmake, which drags in OpenCL.
find_path(XRECON_DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
find_library(XRECON_DNNL_LIBRARY NAMES dnnl)
set(XRECON_HAVE_ONEDNN OFF)
if(XRECON_DNNL_INCLUDE_DIR AND XRECON_DNNL_LIBRARY)
  add_library(xrecon_dnnl INTERFACE IMPORTED)
  target_include_directories(xrecon_dnnl INTERFACE ${XRECON_DNNL_INCLUDE_DIR})
  target_link_libraries(xrecon_dnnl INTERFACE ${XRECON_DNNL_LIBRARY})
  set(XRECON_HAVE_ONEDNN ON)
endif()
message(STATUS "xrecon oneDNN (prior CPU backend): ${XRECON_HAVE_ONEDNN}")

set(XRECON_HAVE_CUDNN OFF)
if(XRECON_HAVE_CUDA)
  find_path(XRECON_CUDNN_INCLUDE_DIR cudnn.h HINTS ${CUDAToolkit_INCLUDE_DIRS})
  find_library(XRECON_CUDNN_LIBRARY NAMES cudnn HINTS ${CUDAToolkit_LIBRARY_DIR})
  if(XRECON_CUDNN_INCLUDE_DIR AND XRECON_CUDNN_LIBRARY)
    add_library(xrecon_cudnn INTERFACE IMPORTED)
    target_include_directories(xrecon_cudnn INTERFACE ${XRECON_CUDNN_INCLUDE_DIR})
    target_link_libraries(xrecon_cudnn INTERFACE ${XRECON_CUDNN_LIBRARY})
    set(XRECON_HAVE_CUDNN ON)
  endif()
  message(STATUS "xrecon cuDNN (prior GPU backend): ${XRECON_HAVE_CUDNN}")
endif()

# ONNX import (Debian libonnx-dev, plus libprotobuf-dev, whose headers libonnx-dev's include but
# which it does not pull in). The importer needs only the generated protobuf classes
# (libonnx_proto). Debian builds ONNX with ONNX_ML (it ships onnx-ml.pb.h only), so the
# definitions must say so. Missing, or XRECON_ONNX=OFF (to test that build): load_onnx_model
# throws NotCompiled.
option(XRECON_ONNX "Import ONNX prior models where libonnx-dev is found" ON)
set(XRECON_HAVE_ONNX OFF)
if(XRECON_ONNX)
  find_path(XRECON_ONNX_INCLUDE_DIR onnx/onnx_pb.h)
  find_path(XRECON_PROTOBUF_INCLUDE_DIR google/protobuf/message.h)
  find_library(XRECON_ONNX_PROTO_LIBRARY NAMES onnx_proto)
  find_library(XRECON_PROTOBUF_LIBRARY NAMES protobuf)
endif()
if(XRECON_ONNX AND XRECON_ONNX_INCLUDE_DIR AND XRECON_PROTOBUF_INCLUDE_DIR AND XRECON_ONNX_PROTO_LIBRARY
   AND XRECON_PROTOBUF_LIBRARY)
  set(XRECON_ONNX_INCLUDE_DIRS ${XRECON_ONNX_INCLUDE_DIR} ${XRECON_PROTOBUF_INCLUDE_DIR})
  # As a source property, /usr/include would become -isystem /usr/include, which breaks the C++
  # headers' #include_next <stdlib.h>; the compiler searches it anyway.
  list(REMOVE_DUPLICATES XRECON_ONNX_INCLUDE_DIRS)
  list(REMOVE_ITEM XRECON_ONNX_INCLUDE_DIRS ${CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES})
  set(XRECON_ONNX_DEFINITIONS XRECON_HAVE_ONNX=1 ONNX_NAMESPACE=onnx ONNX_ML=1)
  set(XRECON_ONNX_LIBRARIES ${XRECON_ONNX_PROTO_LIBRARY} ${XRECON_PROTOBUF_LIBRARY})
  set(XRECON_HAVE_ONNX ON)
endif()
message(STATUS "xrecon ONNX import (prior models): ${XRECON_HAVE_ONNX}")
