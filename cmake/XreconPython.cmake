# The Python package (python/CMakeLists.txt) when XRECON_PYTHON allows it and its build
# dependencies are here: Python's headers and pybind11 (Debian's pybind11-dev, a CMake package).
# Sets XRECON_HAVE_PYTHON and XRECON_PYTHON_EXECUTABLE (the interpreter the module is built for).
set(XRECON_HAVE_PYTHON OFF)
if(NOT XRECON_PYTHON STREQUAL "OFF")
  set(required)
  if(XRECON_PYTHON STREQUAL "ON")
    set(required REQUIRED)
  endif()
  # pybind11's own FindPython mode, so that scikit-build-core's interpreter hint (Python_EXECUTABLE) is the one used.
  set(PYBIND11_FINDPYTHON ON)
  find_package(Python 3.9 COMPONENTS Interpreter Development.Module ${required})
  if(Python_FOUND)
    find_package(pybind11 2.10 CONFIG ${required})
  endif()
  if(Python_FOUND AND pybind11_FOUND)
    set(XRECON_HAVE_PYTHON ON)
    set(XRECON_PYTHON_EXECUTABLE ${Python_EXECUTABLE})
    add_subdirectory(python)
  endif()
endif()
message(STATUS "xrecon Python module: ${XRECON_HAVE_PYTHON}")
