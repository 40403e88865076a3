#include "arrays.hpp"

#include <algorithm>
#include <complex>
#include <memory>
#include <variant>

namespace xrecon::python {

namespace {

template <typename T>
struct Dtype;
template <>
struct Dtype<float> {
  static constexpr const char* name = "float32";
  static constexpr const char* format = "f";
};
template <>
struct Dtype<double> {
  static constexpr const char* name = "float64";
  static constexpr const char* format = "d";
};
template <>
struct Dtype<std::complex<float>> {
  static constexpr const char* name = "complex64";
  static constexpr const char* format = "Zf";
};

// The buffer formats of native byte order: '=' and '@' prefixes mean native, '<' native here.
std::string native_format(std::string format) {
  if (!format.empty() && (format[0] == '=' || format[0] == '@' || format[0] == '<')) format.erase(0, 1);
  return format;
}

std::string shape_text(const std::vector<py::ssize_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

std::string ranks_text(const std::vector<std::size_t>& ranks) {
  std::string text;
  for (std::size_t i = 0; i < ranks.size(); ++i)
    text += (i == 0 ? "" : i + 1 == ranks.size() ? " or " : ", ") + std::to_string(ranks[i]) + "-D";
  return text;
}

// What NumPy's asarray makes of an exported buffer: the array keeps `Exported` (and through it
// the engine's bytes) alive as its base.
struct Exported {
  std::variant<ArrayF, ArrayD, ArrayCF> array;
  bool writable = true;
};

template <typename T>
py::buffer_info describe(Array<T>& a, bool writable) {
  std::vector<py::ssize_t> shape, strides;
  py::ssize_t stride = sizeof(T);
  for (std::size_t axis = a.rank(); axis-- > 0;) {
    shape.insert(shape.begin(), py::ssize_t(a.extent(axis)));
    strides.insert(strides.begin(), stride);
    stride *= py::ssize_t(a.extent(axis));
  }
  return py::buffer_info(a.data(), sizeof(T), Dtype<T>::format, py::ssize_t(a.rank()), shape, strides, !writable);
}

template <typename T>
py::object export_array(Array<T> array, bool writable) {
  if (!array.space().is_host()) array = array.to(MemorySpace::host());
  if (array.empty()) array = Array<T>(array.shape());  // a real (zero-size) buffer for NumPy
  return py::module_::import("numpy").attr("asarray")(py::cast(Exported{std::move(array), writable}));
}

}  // namespace

std::string dtype_name(const std::string& format) {
  const std::string f = native_format(format);
  if (f == "f") return "float32";
  if (f == "d") return "float64";
  if (f == "e") return "float16";
  if (f == "g") return "float128";
  if (f == "Zf") return "complex64";
  if (f == "Zd") return "complex128";
  if (f == "?") return "bool";
  if (f == "b") return "int8";
  if (f == "B") return "uint8";
  if (f == "h") return "int16";
  if (f == "H") return "uint16";
  if (f == "i") return "int32";
  if (f == "I") return "uint32";
  if (f == "l" || f == "q") return "int64";
  if (f == "L" || f == "Q") return "uint64";
  if (!format.empty() && (format[0] == '>' || format[0] == '!')) return "big-endian '" + format + "'";
  return "buffer format '" + format + "'";
}

template <typename T>
Array<T> borrow(const py::handle& object, const std::string& what, std::vector<std::size_t> ranks) {
  if (!PyObject_CheckBuffer(object.ptr()))
    throw InputError(what + ": expected a NumPy array of " + Dtype<T>::name + ", got a " +
                     std::string(py::str(py::type::of(object).attr("__name__"))));
  // PyBUF_RECORDS_RO: format, shape and strides, read-only access is enough.
  auto view = std::make_shared<py::buffer_info>(py::reinterpret_borrow<py::buffer>(object).request(false));
  if (native_format(view->format) != Dtype<T>::format)
    throw InputError(what + ": expected dtype " + Dtype<T>::name + ", got " + dtype_name(view->format) +
                     " (convert with .astype(np." + Dtype<T>::name + "))");
  if (std::find(ranks.begin(), ranks.end(), std::size_t(view->ndim)) == ranks.end())
    throw InputError(what + ": expected a " + ranks_text(ranks) + " array, got shape " + shape_text(view->shape));
  py::ssize_t expected = sizeof(T);
  for (py::ssize_t axis = view->ndim; axis-- > 0;) {
    if (view->shape[axis] > 1 && view->strides[axis] != expected)
      throw InputError(what + ": the array is not C-contiguous (a slice, a transpose or Fortran order); pass "
                              "np.ascontiguousarray(...)");
    expected *= view->shape[axis];
  }
  Shape shape;
  switch (view->ndim) {
    case 1: shape = Shape{std::size_t(view->shape[0])}; break;
    case 2: shape = Shape{std::size_t(view->shape[0]), std::size_t(view->shape[1])}; break;
    case 3: shape = Shape{std::size_t(view->shape[0]), std::size_t(view->shape[1]), std::size_t(view->shape[2])}; break;
    default:
      throw InputError(what + ": expected a " + ranks_text(ranks) + " array, got shape " + shape_text(view->shape));
  }
  T* data = static_cast<T*>(view->ptr);
  // Releasing the buffer touches the Python object: the last copy may go on any thread.
  std::shared_ptr<void> owner(new std::shared_ptr<py::buffer_info>(std::move(view)), [](void* p) {
    py::gil_scoped_acquire gil;
    delete static_cast<std::shared_ptr<py::buffer_info>*>(p);
  });
  return Array<T>::borrowed(data, shape, std::move(owner));
}

template <typename T>
py::object to_numpy(const Array<T>& array) {
  return export_array(array, true);
}

void bind_arrays(py::module_& m) {
  py::class_<Exported>(m, "_EngineArray", py::buffer_protocol(),
                       "The bytes of an engine array, exported to NumPy without a copy (internal)")
      .def_buffer([](Exported& e) {
        return std::visit([&](auto& a) { return describe(a, e.writable); }, e.array);
      });
}

template ArrayF borrow<float>(const py::handle&, const std::string&, std::vector<std::size_t>);
template ArrayD borrow<double>(const py::handle&, const std::string&, std::vector<std::size_t>);
template ArrayCF borrow<std::complex<float>>(const py::handle&, const std::string&, std::vector<std::size_t>);
template py::object to_numpy<float>(const ArrayF&);
template py::object to_numpy<double>(const ArrayD&);
template py::object to_numpy<std::complex<float>>(const ArrayCF&);

}  // namespace xrecon::python
