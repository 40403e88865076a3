// The tomography operators on NumPy arrays (xrecon/tomo/*.hpp): projector, its adjoint, FBP, SIRT
// and CGLS. Inputs are read in place (no copy); the GIL is released while they compute.
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "xrecon/tomo/cgls.hpp"
#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace xrecon::python {

namespace {

CentreConvention convention_of(const std::string& name) {
  if (name == "tomopy") return CentreConvention::tomopy;
  if (name == "astra") return CentreConvention::astra;
  throw InputError("convention '" + name + "': expected 'tomopy' or 'astra' (docs/geometry.md)");
}

// A slice (n, n) is a volume of one slice and a sinogram (angles, cols) projections of one row:
// TomoPy's and scikit-image's 2-D habits. The result keeps the caller's rank.
template <typename T>
Array<T> as_3d(const Array<T>& a, bool sinogram) {
  if (a.rank() == 3) return a;
  return sinogram ? a.reshaped(Shape{a.extent(0), 1, a.extent(1)}) : a.reshaped(Shape{1, a.extent(0), a.extent(1)});
}
ArrayF back_to_rank(const ArrayF& a, std::size_t rank, bool sinogram) {
  if (rank == 3) return a;
  return sinogram ? a.reshaped(Shape{a.extent(0), a.extent(2)}) : a.reshaped(Shape{a.extent(1), a.extent(2)});
}

struct GeometryArgs {
  std::vector<double> angles;
  std::optional<double> center;
  std::string convention;
};

tomo::Geometry geometry(const GeometryArgs& g, std::size_t cols, std::size_t n) {
  return {.angles = g.angles, .cols = cols, .center = g.center.value_or(-1.0), .n = n,
          .convention = convention_of(g.convention)};
}

// Projections (angles, rows, cols) as given, checked against the geometry's angle count.
ArrayF projections_arg(const py::handle& object, const GeometryArgs& g, const char* what) {
  const ArrayF p = as_3d(borrow<float>(object, what, {2, 3}), true);
  if (p.extent(0) != g.angles.size())
    throw InputError(std::string(what) + ": " + std::to_string(p.extent(0)) + " projections for " +
                     std::to_string(g.angles.size()) + " angles (the first axis is the angle)");
  return p;
}

py::object project(const py::handle& volume, const GeometryArgs& g, std::optional<std::size_t> cols) {
  const ArrayF v3 = as_3d(borrow<float>(volume, "volume", {2, 3}), false);
  if (v3.extent(1) != v3.extent(2))
    throw InputError("volume: slices must be square (n, n), got " + v3.shape().to_string());
  const std::size_t rank = py::len(volume.attr("shape"));
  ArrayF out;
  {
    py::gil_scoped_release release;
    out = tomo::project(v3, geometry(g, cols.value_or(v3.extent(2)), v3.extent(2)));
  }
  return to_numpy(back_to_rank(out, rank, true));
}

py::object backproject(const py::handle& projections, const GeometryArgs& g, std::optional<std::size_t> n) {
  const ArrayF p = projections_arg(projections, g, "projections");
  const std::size_t rank = py::len(projections.attr("shape"));
  ArrayF out;
  {
    py::gil_scoped_release release;
    out = tomo::backproject(p, geometry(g, p.extent(2), n.value_or(p.extent(2))));
  }
  return to_numpy(back_to_rank(out, rank, false));
}

py::object fbp(const py::handle& projections, const GeometryArgs& g, std::optional<std::size_t> n,
               const std::string& filter) {
  const ArrayF p = projections_arg(projections, g, "projections");
  const std::size_t rank = py::len(projections.attr("shape"));
  tomo::FbpOptions options;
  options.window = tomo::filter_window_from_name(filter);
  ArrayF out;
  {
    py::gil_scoped_release release;
    out = tomo::fbp(p, geometry(g, p.extent(2), n.value_or(p.extent(2))), options);
  }
  return to_numpy(back_to_rank(out, rank, false));
}

// The start image: x0 copied (the solvers work in place), or zeros of the slices' shape.
ArrayF start_volume(const py::object& x0, const ArrayF& p, std::size_t n) {
  if (x0.is_none()) return ArrayF::zeros(Shape{p.extent(1), n, n});
  ArrayF x = as_3d(copy_of<float>(x0, "x0", {2, 3}), false);
  if (!(x.shape() == Shape{p.extent(1), n, n}))
    throw InputError("x0: shape " + x.shape().to_string() + " does not match the projections' " +
                     std::to_string(p.extent(1)) + " rows of " + std::to_string(n) + " x " + std::to_string(n) +
                     " slices");
  return x;
}

py::object sirt(const py::handle& projections, const GeometryArgs& g, std::optional<std::size_t> n,
                std::size_t iterations, double relaxation, std::optional<double> min, std::optional<double> max,
                const py::object& x0) {
  const ArrayF p = projections_arg(projections, g, "projections");
  const std::size_t rank = py::len(projections.attr("shape"));
  const std::size_t width = n.value_or(p.extent(2));
  ArrayF x = start_volume(x0, p, width);
  tomo::SirtOptions options;
  options.iterations = iterations;
  options.relaxation = relaxation;
  options.min = min;
  options.max = max;
  {
    py::gil_scoped_release release;
    tomo::sirt(p, geometry(g, p.extent(2), width), x, options);
  }
  return to_numpy(back_to_rank(x, rank, false));
}

py::tuple cgls(const py::handle& projections, const GeometryArgs& g, std::optional<std::size_t> n,
               std::size_t iterations, const py::object& x0, double rho, const py::object& v) {
  const ArrayF p = projections_arg(projections, g, "projections");
  const std::size_t rank = py::len(projections.attr("shape"));
  const std::size_t width = n.value_or(p.extent(2));
  ArrayF x = start_volume(x0, p, width);
  tomo::CglsOptions options;
  options.iterations = iterations;
  if (!v.is_none()) {
    ArrayF centre = as_3d(borrow<float>(v, "v", {2, 3}), false);
    if (!(centre.shape() == x.shape()))
      throw InputError("v: shape " + centre.shape().to_string() + ", expected the volume's " + x.shape().to_string());
    options.proximal = tomo::CglsProximal{rho, centre};
  } else if (rho != 0) {
    throw InputError("rho is the weight of rho ||x - v||^2: give v too");
  }
  tomo::CglsResult result;
  {
    py::gil_scoped_release release;
    result = tomo::cgls(p, geometry(g, p.extent(2), width), x, options);
  }
  py::dict info;
  info["iterations"] = result.iterations;
  info["initial_residual_norm"] = result.initial_residual_norm;
  info["residual_norm"] = result.residual_norm;
  info["normal_residual_norm"] = result.normal_residual_norm;
  return py::make_tuple(to_numpy(back_to_rank(x, rank, false)), info);
}

}  // namespace

void bind_tomo(py::module_& m) {
  py::class_<GeometryArgs>(m, "_TomoGeometry")
      .def(py::init([](std::vector<double> angles, std::optional<double> center, std::string convention) {
             return GeometryArgs{std::move(angles), center, std::move(convention)};
           }),
           py::arg("angles"), py::arg("center"), py::arg("convention"));
  m.def("tomo_project", &project, py::arg("volume"), py::arg("geometry"), py::arg("cols"));
  m.def("tomo_backproject", &backproject, py::arg("projections"), py::arg("geometry"), py::arg("n"));
  m.def("tomo_fbp", &fbp, py::arg("projections"), py::arg("geometry"), py::arg("n"), py::arg("filter"));
  m.def("tomo_sirt", &sirt, py::arg("projections"), py::arg("geometry"), py::arg("n"), py::arg("iterations"),
        py::arg("relaxation"), py::arg("min"), py::arg("max"), py::arg("x0"));
  m.def("tomo_cgls", &cgls, py::arg("projections"), py::arg("geometry"), py::arg("n"), py::arg("iterations"),
        py::arg("x0"), py::arg("rho"), py::arg("v"));
}

}  // namespace xrecon::python
