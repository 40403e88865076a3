#include "joint_loop.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstring>
#include <string>

#include <xrecon/admm/rank_checkpoint.hpp>
#include <xrecon/joint/transmission.hpp>
#include <xrecon/joint/vector_algebra.hpp>
#include <xrecon/linalg/array_ops.hpp>
#include <xrecon/metrics/image_quality.hpp>
#include <xrecon/ptycho/ptycho.hpp>
#include <xrecon/slabs.hpp>
#include <xrecon/tomo/projector.hpp>

#include "redistribute.hpp"
#include "slab_roles.hpp"

namespace xrecon::joint_plugin {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// One angle's psi-level state, in the memory space of its rank's device.
struct AngleState {
  ArrayCF psi, lambda, h, probe;  // psi, scaled dual Lambda = lambda / rho, H(u), the probe
  double rho_scale = 1;           // the illumination scale of its scan
};

// A rank's whole state: its angles and its slab of the volume (phase units).
struct RankState {
  std::vector<AngleState> angles;
  Volume d, b;           // delta and beta x nu * voxel, the u-step's variables (slab, n, n)
  ArrayF zd, zb, wd, wb;  // the prior's variables and their scaled duals
  std::size_t done = 0;
  int rho_exponent = 0, rho_steps = 0, tau_exponent = 0, tau_steps = 0;
};

// factor * a, in host memory (phase units to physical ones).
ArrayF scaled_on_host(const ArrayF& a, double factor) {
  ArrayF out = a.space().is_host() ? a.clone() : a.to(MemorySpace::host());
  for (float& v : out.host_span()) v = float(v * factor);
  return out;
}

ArrayF zeros_in(const Shape& shape, MemorySpace space) {
  ArrayF a(shape, space);
  linalg::fill(a, 0.0f);
  return a;
}

// A complex image of one value in `space`, filled on the host (a GPU gets one copy).
ArrayCF constant_image(const Shape& grid, std::complex<float> value, MemorySpace space) {
  ArrayCF a(grid);
  std::fill(a.host_span().begin(), a.host_span().end(), value);
  return space.is_host() ? a : a.to(space);
}

// `a` in `space`: itself when it is there already (a checkpoint's arrays, read into host memory).
template <typename T>
Array<T> placed(const Array<T>& a, MemorySpace space) {
  return a.space() == space ? a : a.to(space);
}

// The scan with its patterns and positions in `space`, for one angle's psi-step and its cost. The
// CG solver would copy them there itself, but ptycho::cost needs the patterns where the farfield
// is (it runs on device arrays when both are there; the farfield takes the positions anywhere).
// One angle at a time, so that a GPU holds one angle's patterns beside the state, not its rank's.
std::shared_ptr<const PtychoScan> scan_in(const std::shared_ptr<const PtychoScan>& scan, MemorySpace space) {
  if (space.is_host()) return scan;
  auto here = std::make_shared<PtychoScan>(*scan);
  here->patterns = scan->patterns.to(space);
  here->positions = scan->positions.to(space);
  return here;
}

// t = psi - Lambda of each of a rank's angles, stacked (angles, rows, cols) in `space`: the
// u-step's data, whose linearised log is then one call for all of them.
ArrayCF transmission_estimates(const std::vector<AngleState>& angles, const Shape& grid, MemorySpace space) {
  std::vector<ArrayCF> estimates;
  for (const AngleState& a : angles) {
    ArrayCF t = a.psi.clone();
    joint::axpy(-1.0, a.lambda, t);
    estimates.push_back(std::move(t));
  }
  return joint::stacked(estimates, grid, space);
}

// An (angles, rows, cols) complex stack of which each process filled its ranks' angles, completed
// from the other processes (a no-op when one process drives every rank).
void share_angle_stack(Context& context, ArrayCF& stack) {
  ArrayF interleaved(Shape{stack.extent(0), stack.extent(1), 2 * stack.extent(2)});
  std::memcpy(interleaved.data(), stack.data(), stack.size() * sizeof(std::complex<float>));
  share_slabs(context, interleaved);
  std::memcpy(static_cast<void*>(stack.data()), interleaved.data(), stack.size() * sizeof(std::complex<float>));
}

// 1 inside the circle inscribed in each (n, n) slice, 0 outside: the field of view that every
// angle sees (TomoPy's circ_mask); the corners outside it are seen by some angles only and carry
// artefacts that a prior can amplify.
ArrayF circle_mask(const Shape& volume, MemorySpace space) {
  ArrayF mask(volume);
  const std::size_t n = volume[2];
  const double centre = (double(n) - 1) / 2, radius = double(n) / 2;
  for (std::size_t z = 0; z < volume[0]; ++z)
    for (std::size_t r = 0; r < volume[1]; ++r)
      for (std::size_t c = 0; c < n; ++c)
        mask.data()[(z * volume[1] + r) * n + c] =
            std::hypot(double(r) - centre, double(c) - centre) <= radius ? 1.0f : 0.0f;
  return space.is_host() ? mask : mask.to(space);
}

// The checkpoint's arrays of a rank, and their expected shapes. Device arrays come to the host in
// admm::interleaved and save_rank_state.
std::vector<admm::NamedArray> state_arrays(const RankState& s) {
  std::vector<admm::NamedArray> arrays{{"d", tomo_plugin::on_host(s.d.data)}, {"b", tomo_plugin::on_host(s.b.data)}, {"zd", s.zd},
                                       {"zb", s.zb},                {"wd", s.wd},                {"wb", s.wb}};
  for (std::size_t k = 0; k < s.angles.size(); ++k) {
    const std::string a = std::to_string(k);
    arrays.push_back({"psi" + a, admm::interleaved(s.angles[k].psi)});
    arrays.push_back({"lambda" + a, admm::interleaved(s.angles[k].lambda)});
    arrays.push_back({"h" + a, admm::interleaved(s.angles[k].h)});
    arrays.push_back({"probe" + a, admm::interleaved(s.angles[k].probe)});
  }
  ArrayF counters(Shape{5});
  counters[0] = float(s.done);
  counters[1] = float(s.rho_exponent), counters[2] = float(s.rho_steps);
  counters[3] = float(s.tau_exponent), counters[4] = float(s.tau_steps);
  arrays.push_back({"state", counters});
  return arrays;
}

}  // namespace

double illumination_scale(const PtychoScan& scan) {
  const std::size_t rows = scan.object_rows, cols = scan.object_cols, h = scan.probe.extent(0), w = scan.probe.extent(1);
  std::vector<double> sum(rows * cols, 0.0);
  const auto probe = scan.probe.host_span();
  const auto positions = scan.positions.host_span();
  for (std::size_t j = 0; j < scan.positions.extent(0); ++j) {
    const auto r0 = std::size_t(std::lround(positions[2 * j])), c0 = std::size_t(std::lround(positions[2 * j + 1]));
    for (std::size_t r = 0; r < h && r0 + r < rows; ++r)
      for (std::size_t c = 0; c < w && c0 + c < cols; ++c) sum[(r0 + r) * cols + c0 + c] += std::norm(probe[r * w + c]);
  }
  const double scale = *std::max_element(sum.begin(), sum.end());
  XRECON_CHECK(scale > 0, "the scan at angle " + std::to_string(scan.angle) + " illuminates nothing");
  return scale;
}

JointOutcome run_joint_admm(const JointInput& input, const JointSettings& settings, JointRoles& roles,
                            admm::Report& report, Context& context) {
  const std::size_t angles = input.scans.size(), rows = input.rows, n = input.cols;
  Communicator& communicator = context.communicator();
  const std::size_t ranks = context.devices().size();
  const std::vector<Slab> angle_slabs = split_slices(angles, ranks), row_slabs = split_slices(rows, ranks);
  // The axis at the centre of the slice and of the detector, as sim.joint_scan projects with.
  tomo::Geometry geometry{.angles = {}, .cols = n, .n = n, .convention = CentreConvention::astra};
  for (const auto& scan : input.scans) geometry.angles.push_back(scan->angle);
  const double to_physical = 1.0 / input.phase_per_unit;
  const auto truth_range = [](const ArrayF* t) {
    if (!t) return 1.0;
    const auto [lo, hi] = std::minmax_element(t->data(), t->data() + t->size());
    return std::max(double(*hi - *lo), 1e-30);
  };
  const double delta_range = truth_range(input.truth_delta);

  JointOutcome outcome;
  outcome.delta = ArrayF::zeros(Shape{rows, n, n});
  outcome.beta = ArrayF::zeros(Shape{rows, n, n});
  std::vector<ArrayCF> psi_of(angles), probe_of(angles);
  for_each_slab(context, rows, [&](int rank, Slab slab, const Device& device) {
    const MemorySpace space = device.memory_space();
    const Slab my_angles = angle_slabs[std::size_t(rank)];
    PtychoSolver& ptycho = *roles.ptycho[std::size_t(rank)];
    TomoSolver& tomo = *roles.tomo[std::size_t(rank)];
    Prior* prior = roles.prior.empty() ? nullptr : roles.prior[std::size_t(rank)].get();
    const Shape volume_shape{slab.size(), n, n}, grid{rows, n};

    // rank 0 measures the tomographic scale; the others take it from the sum.
    std::array<double, 1> tomo_scale{rank == 0 ? tomo_plugin::normal_operator_scale(geometry, space) : 0.0};
    communicator.allreduce_sum(rank, tomo_scale);

    RankState s;
    s.angles.resize(my_angles.size());
    std::vector<std::pair<std::string, Shape>> expected{{"d", volume_shape}, {"b", volume_shape}, {"zd", volume_shape},
                                                        {"zb", volume_shape}, {"wd", volume_shape}, {"wb", volume_shape}};
    for (std::size_t k = 0; k < my_angles.size(); ++k) {
      const PtychoScan& scan = *input.scans[my_angles.begin + k];
      AngleState& a = s.angles[k];
      a.rho_scale = illumination_scale(scan);
      const std::string i = std::to_string(k);
      for (const char* name : {"psi", "lambda", "h"}) expected.push_back({name + i, Shape{rows, n, 2}});
      expected.push_back({"probe" + i, Shape{scan.probe.extent(0), scan.probe.extent(1), 2}});
    }
    expected.push_back({"state", Shape{5}});
    std::int64_t step = 0;
    const auto saved = context.checkpoints().enabled() ? admm::load_rank_state(context.checkpoints(), rank, expected, step)
                                                       : std::nullopt;
    const bool resume = admm::every_rank_resumes(communicator, rank,
                                                 saved && std::int64_t((*saved).back()[0]) == step
                                                     ? std::optional<std::int64_t>(step) : std::nullopt);
    if (resume) {
      const std::vector<ArrayF>& v = *saved;
      s.d.data = placed(v[0], space), s.b.data = placed(v[1], space);
      s.zd = placed(v[2], space), s.zb = placed(v[3], space), s.wd = placed(v[4], space), s.wb = placed(v[5], space);
      for (std::size_t k = 0; k < s.angles.size(); ++k) {
        s.angles[k].psi = placed(admm::from_interleaved(v[6 + 4 * k]), space);
        s.angles[k].lambda = placed(admm::from_interleaved(v[7 + 4 * k]), space);
        s.angles[k].h = placed(admm::from_interleaved(v[8 + 4 * k]), space);
        s.angles[k].probe = placed(admm::from_interleaved(v[9 + 4 * k]), space);
      }
      const ArrayF& counters = v.back();
      s.done = std::size_t(counters[0]);
      s.rho_exponent = int(counters[1]), s.rho_steps = int(counters[2]);
      s.tau_exponent = int(counters[3]), s.tau_steps = int(counters[4]);
    } else {
      s.d.data = zeros_in(volume_shape, space), s.b.data = zeros_in(volume_shape, space);
      s.zd = zeros_in(volume_shape, space), s.zb = zeros_in(volume_shape, space);
      s.wd = zeros_in(volume_shape, space), s.wb = zeros_in(volume_shape, space);
      for (std::size_t k = 0; k < s.angles.size(); ++k) {
        AngleState& a = s.angles[k];
        a.h = constant_image(grid, {1, 0}, space);  // u = 0: air
        a.psi = a.h.clone();
        a.lambda = constant_image(grid, {0, 0}, space);
        a.probe = input.scans[my_angles.begin + k]->probe.to(space);  // a copy: the psi-step refines it
      }
    }
    admm::require_resumable_step(s.done, settings.iterations, "joint.admm");
    if (rank == 0 && s.done > 0) {
      outcome.resumed = true;
      context.logger().info("joint.admm: resuming after iteration " + std::to_string(s.done));
    }
    admm::Penalty rho(settings.rho, settings.balancing, s.rho_exponent, s.rho_steps);
    admm::Penalty tau(settings.tau, settings.balancing, s.tau_exponent, s.tau_steps);
    Projections b_delta, b_beta;  // the u-step's data: this slab's rows of every angle
    b_delta.angles = b_beta.angles = geometry.angles;
    // The role builds its geometry from these (tomo::geometry_of): the loop's axis, in its convention.
    b_delta.center = b_beta.center = geometry.center_or_default();
    b_delta.convention = b_beta.convention = geometry.convention;
    const ArrayF truth_delta = input.truth_delta ? volume_slices(*input.truth_delta, slab, MemorySpace::host()) : ArrayF();
    const ArrayF truth_beta = input.truth_beta ? volume_slices(*input.truth_beta, slab, MemorySpace::host()) : ArrayF();

    const ArrayF field_of_view = settings.circle ? circle_mask(volume_shape, space) : ArrayF();

    while (s.done < settings.iterations) {
      const auto start = Clock::now();
      // psi-step per angle: min F(psi) + rho ||psi - (H + Lambda)||^2, a few CG iterations from the last psi.
      double ptycho_cost = 0;
      for (std::size_t k = 0; k < s.angles.size(); ++k) {
        AngleState& a = s.angles[k];
        const std::shared_ptr<const PtychoScan> scan = scan_in(input.scans[my_angles.begin + k], space);
        ArrayCF v = a.h.clone();  // the proximal centre H + Lambda
        joint::axpy(1.0, a.lambda, v);
        ptycho.solve_local(rank, *scan, a.psi, a.probe, PtychoSolver::kConfigured,
                           PtychoSolver::Proximal{rho.rho() * a.rho_scale, &v}, context);
        ptycho_cost += ptycho::cost(scan->patterns,
                                    ptycho::farfield(a.psi, a.probe, scan->positions, scan->patterns.extent(1),
                                                     scan->patterns.extent(2)),
                                    ptycho::Likelihood::gaussian);
      }
      // u-step's data: the linearised log of t = psi - Lambda, every angle of this rank at once.
      const joint::LinearisedLog log = joint::linearised_log(transmission_estimates(s.angles, grid, space));
      const double seconds_psi = seconds_since(start);

      // To the u-step's distribution: every angle, this rank's rows.
      const auto u_start = Clock::now();
      b_delta.data = angles_to_slices(communicator, rank, angle_slabs, row_slabs, log.phase);
      b_beta.data = angles_to_slices(communicator, rank, angle_slabs, row_slabs, log.attenuation);
      if (settings.weighted) b_delta.weights = b_beta.weights = joint::ray_weights(b_beta.data);
      const double tau_abs = tau.rho() * tomo_scale[0];
      Volume v_delta, v_beta;  // the prior level's pull: z - w
      v_delta.data = s.zd.clone(), v_beta.data = s.zb.clone();
      linalg::axpy(-1.0f, s.wd, v_delta.data);
      linalg::axpy(-1.0f, s.wb, v_beta.data);
      const auto residual_delta = tomo.solve_slab(rank, b_delta, s.d, TomoSolver::kConfigured,
                                                  TomoSolver::Proximal{tau_abs, &v_delta}, context);
      tomo.solve_slab(rank, b_beta, s.b, TomoSolver::kConfigured, TomoSolver::Proximal{tau_abs, &v_beta}, context);
      const double seconds_u = seconds_since(u_start);

      // z-step: the prior on delta (the phase volume, where the signal is) at strength tau0 / tau;
      // beta takes only the bound.
      const auto prior_start = Clock::now();
      ArrayF wd_plus = s.d.data.clone(), wb_plus = s.b.data.clone();
      linalg::axpy(1.0f, s.wd, wd_plus);
      linalg::axpy(1.0f, s.wb, wb_plus);
      // Half-quadratic splitting serves networks, trained on iterates within the bound: the
      // unclamped d (negative noise in the air) would shift their percentile normalisation.
      if (!settings.prior_dual && settings.min) linalg::clamp(wd_plus, *settings.min, INFINITY);
      ArrayF zd = tomo_plugin::prior_on_slab(prior, wd_plus, tau.initial() / tau.rho(), rank, row_slabs, context);
      ArrayF zb = wb_plus;
      if (settings.min) {
        linalg::clamp(zd, *settings.min, INFINITY);
        linalg::clamp(zb, *settings.min, INFINITY);
      }
      if (settings.circle && slab.size()) linalg::multiply(field_of_view, zd), linalg::multiply(field_of_view, zb);
      const double seconds_prior = seconds_since(prior_start);

      // Duals of the u-level (none for half-quadratic splitting: w stays 0), H(u) back at the
      // angles, duals of the psi-level.
      if (settings.prior_dual) {
        linalg::axpy(1.0f, s.d.data, s.wd), linalg::axpy(-1.0f, zd, s.wd);
        linalg::axpy(1.0f, s.b.data, s.wb), linalg::axpy(-1.0f, zb, s.wb);
      }
      const ArrayF projected_d = slab.size() ? tomo::project(s.d.data, geometry) : ArrayF(Shape{angles, 0, n}, space);
      const ArrayF projected_b = slab.size() ? tomo::project(s.b.data, geometry) : ArrayF(Shape{angles, 0, n}, space);
      const ArrayCF transmissions =
          joint::transmission(slices_to_angles(communicator, rank, angle_slabs, row_slabs, projected_d),
                              slices_to_angles(communicator, rank, angle_slabs, row_slabs, projected_b));
      // sums: psi-level ||H - psi||^2, ||H - H_prev||^2, ||H||^2, ||psi||^2, ||Lambda||^2;
      // u-level ||d - zd||^2, ||zd - zd_prev||^2, ||d||^2, ||zd||^2, ||wd||^2; the ptycho cost; truth errors.
      std::array<double, 14> sums{};
      for (std::size_t k = 0; k < s.angles.size(); ++k) {
        AngleState& a = s.angles[k];
        ArrayCF h = joint::image(transmissions, k);
        sums[0] += joint::squared_distance(h, a.psi);
        sums[1] += joint::squared_distance(h, a.h);
        sums[2] += joint::squared_norm(h);
        sums[3] += joint::squared_norm(a.psi);
        joint::axpy(1.0, h, a.lambda);
        joint::axpy(-1.0, a.psi, a.lambda);
        sums[4] += joint::squared_norm(a.lambda);
        a.h = std::move(h);
      }
      sums[5] = tomo_plugin::squared_distance(s.d.data, zd);
      sums[6] = tomo_plugin::squared_distance(zd, s.zd);
      sums[7] = slab.size() ? linalg::squared_norm(s.d.data) : 0;
      sums[8] = slab.size() ? linalg::squared_norm(zd) : 0;
      sums[9] = slab.size() ? linalg::squared_norm(s.wd) : 0;
      sums[10] = ptycho_cost;
      if (slab.size() && input.truth_delta) {
        const ArrayF physical = scaled_on_host(zd, to_physical);
        sums[11] = tomo_plugin::squared_distance(physical, truth_delta);
        sums[12] = metrics::ssim(physical, truth_delta, delta_range) * double(slab.size());
      }
      if (slab.size() && input.truth_beta) {
        sums[13] = tomo_plugin::squared_distance(scaled_on_host(zb, to_physical), truth_beta);
      }
      communicator.allreduce_sum(rank, sums);
      s.zd = std::move(zd), s.zb = std::move(zb);
      ++s.done;

      const double eps = 1e-30;
      const double psi_primal = std::sqrt(sums[0]) / std::max(std::sqrt(std::max(sums[2], sums[3])), eps);
      const double psi_dual = std::sqrt(sums[1]) / std::max(std::sqrt(sums[4]), eps);
      const double u_primal = std::sqrt(sums[5]) / std::max(std::sqrt(std::max(sums[7], sums[8])), eps);
      // Without a u-level dual (half-quadratic splitting) the change of z is reported relative to z.
      const double u_dual = std::sqrt(sums[6]) / std::max(std::sqrt(settings.prior_dual ? sums[9] : sums[8]), eps);
      const double rho_used = rho.rho(), tau_used = tau.rho();
      // Balancing after the first iteration (its dual residuals compare with the start); the
      // scaled duals follow their penalties.
      const double rho_factor = (s.done > 1 ? rho.balance(psi_primal, psi_dual) : 1.0) * rho.grow();
      const double tau_factor = (s.done > 1 ? tau.balance(u_primal, u_dual) : 1.0) * tau.grow();
      if (rho_factor != 1)
        for (AngleState& a : s.angles) joint::scale(1 / rho_factor, a.lambda);
      if (tau_factor != 1) {
        linalg::axpy(float(1 / tau_factor - 1), s.wd, s.wd);
        linalg::axpy(float(1 / tau_factor - 1), s.wb, s.wb);
      }
      s.rho_exponent = rho.exponent(), s.rho_steps = rho.steps();
      s.tau_exponent = tau.exponent(), s.tau_steps = tau.steps();

      const bool checkpoint_now = context.checkpoints().enabled() &&
                                  (s.done % settings.checkpoint_every == 0 || s.done == settings.iterations);
      if (checkpoint_now) admm::save_rank_state(context.checkpoints(), rank, state_arrays(s), std::int64_t(s.done));
      if (rank == 0) {
        admm::IterationRecord record{.iteration = int(s.done), .values = {}};
        record.add("psi_primal", psi_primal).add("psi_dual", psi_dual).add("rho", rho_used);
        record.add("u_primal", u_primal).add("u_dual", u_dual).add("tau", tau_used);
        record.add("ptycho_cost", sums[10]);
        if (residual_delta) record.add("tomo_residual", *residual_delta);
        record.add("seconds_psi", seconds_psi).add("seconds_u", seconds_u).add("seconds_prior", seconds_prior);
        record.add("seconds_other", seconds_since(start) - seconds_psi - seconds_u - seconds_prior);
        const double voxels = double(rows * n * n);
        if (input.truth_delta) record.add("rmse_delta", std::sqrt(sums[11] / voxels)).add("ssim_delta", sums[12] / double(rows));
        if (input.truth_beta) record.add("rmse_beta", std::sqrt(sums[13] / voxels));
        report.add(std::move(record), context.logger(),
                   {"psi_primal", "psi_dual", "u_primal", "u_dual", "rho", "tau", "ptycho_cost", "rmse_delta", "ssim_delta"});
        context.progress().advance();
      }
      context.cancellation().throw_if_cancelled();
    }

    // Results in physical units; psi and probes of this rank's angles.
    put_slices(scaled_on_host(s.zd, to_physical), slab, outcome.delta);
    put_slices(scaled_on_host(s.zb, to_physical), slab, outcome.beta);
    for (std::size_t k = 0; k < s.angles.size(); ++k) {
      psi_of[my_angles.begin + k] = s.angles[k].psi.to(MemorySpace::host());
      probe_of[my_angles.begin + k] = s.angles[k].probe.to(MemorySpace::host());
    }
    if (rank == 0) outcome.iterations = s.done;
  });
  share_slabs(context, outcome.delta);
  share_slabs(context, outcome.beta);
  // psi and probes: each rank filled in its own angles; in an mpi run the other processes' angles
  // come through the communicator (angles split over ranks as slices are, so share_slabs serves).
  const Shape probe_shape{input.scans.front()->probe.extent(0), input.scans.front()->probe.extent(1)};
  outcome.psi = ArrayCF(Shape{angles, rows, n});
  outcome.probes = ArrayCF(Shape{angles, probe_shape[0], probe_shape[1]});
  for (std::size_t a = 0; a < angles; ++a) {
    if (!psi_of[a].empty()) std::copy_n(psi_of[a].data(), psi_of[a].size(), outcome.psi.data() + a * rows * n);
    else std::fill_n(outcome.psi.data() + a * rows * n, rows * n, std::complex<float>(0, 0));
    if (!probe_of[a].empty()) std::copy_n(probe_of[a].data(), probe_of[a].size(), outcome.probes.data() + a * probe_of[a].size());
    else std::fill_n(outcome.probes.data() + a * probe_shape.size(), probe_shape.size(), std::complex<float>(0, 0));
  }
  share_angle_stack(context, outcome.psi);
  share_angle_stack(context, outcome.probes);
  return outcome;
}

}  // namespace xrecon::joint_plugin
