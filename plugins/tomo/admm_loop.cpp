#include "admm_loop.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <string>

#include <xrecon/admm/rank_checkpoint.hpp>
#include <xrecon/linalg/array_ops.hpp>
#include <xrecon/tomo/fbp.hpp>
#include <xrecon/metrics/image_quality.hpp>

#include "slab_roles.hpp"

namespace xrecon::tomo_plugin {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The loop's state on one rank: everything a checkpoint must hold to continue bit for bit.
struct RankState {
  Volume x;    // the tomography iterate (x-step)
  ArrayF z;    // the prior's iterate (z-step), the output
  ArrayF u;    // the scaled dual variable
  std::size_t done = 0;  // completed iterations
  int exponent = 0;      // of the penalty's balancing (admm::Penalty)
  int steps = 0;         // of its continuation
};

// The per-rank checkpoint: x, z, u and [done, exponent, steps], all saved with step `done`.
void save_state(Context& context, int rank, const RankState& s) {
  ArrayF counters(Shape{3});
  counters[0] = float(s.done);  // exact: all are small integers
  counters[1] = float(s.exponent);
  counters[2] = float(s.steps);
  admm::save_rank_state(context.checkpoints(), rank, {{"x", s.x.data}, {"z", s.z}, {"u", s.u}, {"state", counters}},
                        std::int64_t(s.done));
}

// This rank's saved state when every file is there, of the slab's shape and of one step.
std::optional<RankState> load_state(Context& context, int rank, const Shape& shape, MemorySpace space) {
  std::int64_t step = 0;
  auto arrays = admm::load_rank_state(context.checkpoints(), rank,
                                      {{"x", shape}, {"z", shape}, {"u", shape}, {"state", Shape{3}}}, step);
  if (!arrays || std::int64_t((*arrays)[3][0]) != step) return std::nullopt;
  const auto placed = [&](ArrayF& a) { return space.is_host() ? a : a.to(space); };
  RankState s;
  s.x.data = placed((*arrays)[0]);
  s.z = placed((*arrays)[1]);
  s.u = placed((*arrays)[2]);
  s.done = std::size_t(step);
  s.exponent = int((*arrays)[3][1]);
  s.steps = int((*arrays)[3][2]);
  return s;
}

// The records so far, as a float table (one row per iteration: the iteration, then the values),
// so that the plot of a resumed run covers the whole run.
void save_records(Context& context, const std::vector<admm::IterationRecord>& records, std::size_t done) {
  if (records.empty()) return;
  const std::size_t width = 1 + records.front().values.size();
  ArrayF table(Shape{records.size(), width});
  for (std::size_t i = 0; i < records.size(); ++i) {
    table[i * width] = float(records[i].iteration);
    for (std::size_t j = 0; j + 1 < width && j < records[i].values.size(); ++j)
      table[i * width + 1 + j] = float(records[i].values[j].second);
  }
  context.checkpoints().save("admm.records", table, std::int64_t(done));
}

std::vector<admm::IterationRecord> load_records(Context& context, std::size_t done,
                                                const std::vector<std::string>& names) {
  std::vector<admm::IterationRecord> records;
  const auto saved = context.checkpoints().load("admm.records");
  if (!saved || saved->second != std::int64_t(done) || saved->first.rank() != 2 ||
      saved->first.extent(1) != names.size() + 1)
    return records;
  const ArrayF& table = saved->first;
  for (std::size_t i = 0; i < table.extent(0); ++i) {
    admm::IterationRecord r{.iteration = int(table[i * table.extent(1)])};
    for (std::size_t j = 0; j < names.size(); ++j) r.add(names[j], table[i * table.extent(1) + 1 + j]);
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace

AdmmOutcome run_admm(const Projections& projections, const tomo::Geometry& geometry, const ArrayF* truth,
                     const AdmmSettings& settings, AdmmRoles& roles, admm::Report& report, Context& context) {
  const std::size_t rows = projections.num_rows(), n = geometry.n;
  Communicator& communicator = context.communicator();
  const std::vector<Slab> slabs = split_slices(rows, context.devices().size());
  double truth_range = 0;
  if (truth) {
    const auto t = truth->host_span();
    const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
    truth_range = std::max(double(*hi - *lo), 1e-12);
  }
  const std::vector<std::string> names = [&] {
    std::vector<std::string> v{"primal_residual", "dual_residual", "rho", "data_term",
                               "seconds_tomo",    "seconds_prior", "seconds_other"};
    if (truth) v.insert(v.end(), {"rmse", "ssim"});
    return v;
  }();

  AdmmOutcome outcome;
  outcome.volume = ArrayF::zeros(Shape{rows, n, n});
  for_each_slab(context, rows, [&](int rank, Slab slab, const Device& device) {
    const MemorySpace space = device.memory_space();
    TomoSolver& tomo = *roles.tomo[std::size_t(rank)];
    Prior* prior = roles.prior.empty() ? nullptr : roles.prior[std::size_t(rank)].get();
    Projections b = projections;  // the geometry and metadata; the data is this slab's rows
    b.data = projection_rows(projections.data, slab, space);
    const Shape shape{slab.size(), n, n};

    // rank 0 measures the scale; the others take it from the sum (they contribute zero).
    std::array<double, 1> scale{rank == 0 ? normal_operator_scale(geometry, space) : 0.0};
    communicator.allreduce_sum(rank, scale);

    std::optional<RankState> saved = context.checkpoints().enabled() ? load_state(context, rank, shape, space) : std::nullopt;
    RankState s;
    if (admm::every_rank_resumes(communicator, rank,
                                 saved ? std::optional<std::int64_t>(std::int64_t(saved->done)) : std::nullopt)) {
      s = std::move(*saved);
    } else {
      s.u = ArrayF(shape, space);
      linalg::fill(s.u, 0.0f);
      s.x.data = settings.start_from_fbp && slab.size() > 0 ? tomo::fbp(b.data, geometry) : s.u.clone();
      if (settings.min || settings.max)
        linalg::clamp(s.x.data, settings.min.value_or(-INFINITY), settings.max.value_or(INFINITY));
      s.z = s.x.data.clone();
    }
    s.x.voxel_size = projections.pixel_size;
    admm::require_resumable_step(s.done, settings.iterations, "tomo.admm");
    if (rank == 0 && s.done > 0) {
      outcome.resumed = true;
      report.restore(load_records(context, s.done, names));
      context.logger().info("tomo.admm: resuming after iteration " + std::to_string(s.done));
    }
    admm::Penalty penalty(settings.rho, settings.balancing, s.exponent, s.steps);
    const ArrayF truth_slab = truth ? volume_slices(*truth, slab, MemorySpace::host()) : ArrayF();

    bool converged = false;
    while (s.done < settings.iterations && !converged) {
      const auto start = Clock::now();
      const double rho_relative = penalty.rho(), rho = rho_relative * scale[0];
      // x-step: min ||A x - b||^2 + rho ||x - (z - u)||^2, a few inner iterations from the last x.
      Volume v;
      v.data = s.z.clone();
      linalg::axpy(-1.0f, s.u, v.data);
      const std::optional<double> data_residual =
          tomo.solve_slab(rank, b, s.x, TomoSolver::kConfigured, TomoSolver::Proximal{rho, &v}, context);
      const double seconds_tomo = seconds_since(start);

      // z-step: z = prox_{R / rho}(x + u), the prior at strength rho0 / rho, then the bounds.
      const auto prior_start = Clock::now();
      ArrayF w = s.x.data.clone();
      linalg::axpy(1.0f, s.u, w);
      ArrayF z = prior_on_slab(prior, w, penalty.initial() / penalty.rho(), rank, slabs, context);
      if (settings.min || settings.max)
        linalg::clamp(z, settings.min.value_or(-INFINITY), settings.max.value_or(INFINITY));
      const double seconds_prior = seconds_since(prior_start);

      // Dual update and residuals (Boyd et al. 2011, section 3.3).
      linalg::axpy(1.0f, s.x.data, s.u);
      linalg::axpy(-1.0f, z, s.u);
      std::array<double, 8> sums{squared_distance(s.x.data, z), squared_distance(z, s.z), linalg::squared_norm(s.x.data),
                                 linalg::squared_norm(z), linalg::squared_norm(s.u), 0, 0, 0};
      if (!data_residual && slab.size() > 0) sums[5] = squared_distance(tomo::project(s.x.data, geometry), b.data);
      if (truth && slab.size() > 0) {
        const ArrayF z_host = on_host(z);
        sums[6] = squared_distance(z_host, truth_slab);
        sums[7] = metrics::ssim(z_host, truth_slab, truth_range) * double(slab.size());
      }
      communicator.allreduce_sum(rank, sums);
      s.z = std::move(z);
      ++s.done;

      const double primal = std::sqrt(sums[0]), dual = rho * std::sqrt(sums[1]);
      // Balancing compares the residuals relative to their scales (Wohlberg, "ADMM penalty
      // parameter selection by residual balancing", 2017): the absolute ones are in different
      // units (image vs rho x image), so comparing them drives rho wherever the data's scale says.
      const double primal_relative = primal / std::max(std::sqrt(std::max(sums[2], sums[3])), 1e-30);
      const double dual_relative = dual / std::max(rho * std::sqrt(sums[4]), 1e-30);
      const double data_term = 0.5 * (data_residual ? *data_residual * *data_residual : sums[5]);
      converged = primal_relative <= settings.primal_tolerance && dual_relative <= settings.dual_tolerance;
      // Residual balancing; the scaled dual u = y / rho follows rho. Not after the first iteration:
      // its dual residual measures z against the zero start, not a change between iterates.
      const double factor = (s.done > 1 ? penalty.balance(primal_relative, dual_relative) : 1.0) * penalty.grow();
      if (factor != 1) linalg::axpy(float(1 / factor - 1), s.u, s.u);
      s.exponent = penalty.exponent();
      s.steps = penalty.steps();

      const bool checkpoint_now = context.checkpoints().enabled() &&
                                  (s.done % settings.checkpoint_every == 0 || s.done == settings.iterations || converged);
      if (checkpoint_now) save_state(context, rank, s);
      if (rank == 0) {
        admm::IterationRecord record{.iteration = int(s.done)};
        // The rho this iteration used, as the `rho` parameter states it (relative to the scale of A^T A).
        record.add("primal_residual", primal).add("dual_residual", dual).add("rho", rho_relative);
        record.add("primal_relative", primal_relative).add("dual_relative", dual_relative);
        record.add("data_term", data_term);
        record.add("seconds_tomo", seconds_tomo).add("seconds_prior", seconds_prior);
        record.add("seconds_other", seconds_since(start) - seconds_tomo - seconds_prior);
        if (truth) {
          record.add("rmse", std::sqrt(sums[6] / double(outcome.volume.size())));
          record.add("ssim", sums[7] / double(rows));
        }
        report.add(std::move(record), context.logger(),
                   {"primal_residual", "dual_residual", "rho", "data_term", "rmse", "ssim"});
        if (checkpoint_now) save_records(context, report.records(), s.done);
        context.progress().advance();
      }
      context.cancellation().throw_if_cancelled();
    }
    put_slices(s.z, slab, outcome.volume);
    if (rank == 0) outcome.iterations = s.done, outcome.converged = converged;
  });
  share_slabs(context, outcome.volume);
  return outcome;
}

}  // namespace xrecon::tomo_plugin
