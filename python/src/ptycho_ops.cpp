// Far-field ptychography on NumPy arrays (xrecon/ptycho/ptycho.hpp): the forward model, the cost,
// its gradients and the Dai-Yuan CG reconstruction.
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::python {

namespace {

ptycho::Likelihood likelihood_of(const std::string& name) {
  if (name == "gaussian") return ptycho::Likelihood::gaussian;
  if (name == "poisson") return ptycho::Likelihood::poisson;
  throw InputError("likelihood '" + name + "': expected 'gaussian' or 'poisson'");
}

ArrayD positions_arg(const py::handle& positions) {
  ArrayD p = borrow<double>(positions, "positions", {2});
  if (p.extent(1) != 2)
    throw InputError("positions: expected shape (N, 2), the (row, col) of each probe window's top-left corner; got " +
                     p.shape().to_string());
  return p;
}

py::object farfield(const py::handle& object, const py::handle& probe, const py::handle& positions,
                    std::optional<std::pair<std::size_t, std::size_t>> detector) {
  const ArrayCF o = borrow<std::complex<float>>(object, "object", {2});
  const ArrayCF p = borrow<std::complex<float>>(probe, "probe", {2});
  const ArrayD r = positions_arg(positions);
  ArrayCF out;
  {
    py::gil_scoped_release release;
    out = detector ? ptycho::farfield(o, p, r, detector->first, detector->second) : ptycho::farfield(o, p, r);
  }
  return to_numpy(out);
}

double cost(const py::handle& patterns, const py::handle& farfield, const std::string& likelihood) {
  const ArrayF d = borrow<float>(patterns, "patterns", {3});
  const ArrayCF f = borrow<std::complex<float>>(farfield, "farfield", {3});
  if (!(d.shape() == f.shape()))
    throw InputError("patterns " + d.shape().to_string() + " and farfield " + f.shape().to_string() +
                     " must have the same shape");
  py::gil_scoped_release release;
  return ptycho::cost(d, f, likelihood_of(likelihood));
}

py::object gradient(bool of_object, const py::handle& patterns, const py::handle& object, const py::handle& probe,
                    const py::handle& positions, const std::string& likelihood) {
  const ArrayF d = borrow<float>(patterns, "patterns", {3});
  const ArrayCF o = borrow<std::complex<float>>(object, "object", {2});
  const ArrayCF p = borrow<std::complex<float>>(probe, "probe", {2});
  const ArrayD r = positions_arg(positions);
  ArrayCF out;
  {
    py::gil_scoped_release release;
    out = of_object ? ptycho::object_gradient(d, o, p, r, likelihood_of(likelihood))
                    : ptycho::probe_gradient(d, o, p, r, likelihood_of(likelihood));
  }
  return to_numpy(out);
}

py::tuple reconstruct(const py::handle& patterns, const py::handle& positions, const py::handle& object,
                      const py::handle& probe, std::size_t iterations, const std::string& likelihood,
                      bool recover_probe, std::optional<double> max_amplitude) {
  const ArrayF d = borrow<float>(patterns, "patterns", {3});
  const ArrayD r = positions_arg(positions);
  if (r.extent(0) != d.extent(0))
    throw InputError("positions: " + std::to_string(r.extent(0)) + " positions for " + std::to_string(d.extent(0)) +
                     " patterns");
  // The solver refines both in place: copies, so that the caller's start values stay as they were.
  ArrayCF o = copy_of<std::complex<float>>(object, "object", {2});
  ArrayCF p = copy_of<std::complex<float>>(probe, "probe", {2});
  ptycho::CgOptions options;
  options.iterations = iterations;
  options.likelihood = likelihood_of(likelihood);
  options.recover_probe = recover_probe;
  options.max_amplitude = max_amplitude;
  ptycho::CgResult result;
  {
    py::gil_scoped_release release;
    result = ptycho::reconstruct(d, r, o, p, options);
  }
  return py::make_tuple(to_numpy(o), to_numpy(p), py::cast(result.costs));
}

}  // namespace

void bind_ptycho(py::module_& m) {
  m.def("ptycho_farfield", &farfield, py::arg("object"), py::arg("probe"), py::arg("positions"), py::arg("detector"));
  m.def("ptycho_cost", &cost, py::arg("patterns"), py::arg("farfield"), py::arg("likelihood"));
  m.def("ptycho_object_gradient",
        [](const py::handle& d, const py::handle& o, const py::handle& p, const py::handle& r, const std::string& l) {
          return gradient(true, d, o, p, r, l);
        },
        py::arg("patterns"), py::arg("object"), py::arg("probe"), py::arg("positions"), py::arg("likelihood"));
  m.def("ptycho_probe_gradient",
        [](const py::handle& d, const py::handle& o, const py::handle& p, const py::handle& r, const std::string& l) {
          return gradient(false, d, o, p, r, l);
        },
        py::arg("patterns"), py::arg("object"), py::arg("probe"), py::arg("positions"), py::arg("likelihood"));
  m.def("ptycho_reconstruct", &reconstruct, py::arg("patterns"), py::arg("positions"), py::arg("object"),
        py::arg("probe"), py::arg("iterations"), py::arg("likelihood"), py::arg("recover_probe"),
        py::arg("max_amplitude"));
}

}  // namespace xrecon::python
