#include "fft_plans.hpp"

#include <map>
#include <mutex>
#include <string>

#include "xrecon/error.hpp"

namespace xrecon::tomo::detail {
namespace {

class PlanCache {
 public:
  ~PlanCache() {
    std::lock_guard lock(mutex_);
    for (auto& [length, plans] : plans_) {
      fftwf_destroy_plan(plans.forward);
      fftwf_destroy_plan(plans.inverse);
    }
  }

  const RealFftPlans& get(std::size_t length) {
    // FFTW's planner is not thread safe; only fftwf_execute* may run concurrently.
    std::lock_guard lock(mutex_);
    auto it = plans_.find(length);
    if (it != plans_.end()) return it->second;
    AlignedBuffer<float> real(length);
    AlignedBuffer<fftwf_complex> spectrum(length / 2 + 1);
    const int n = static_cast<int>(length);
    // FFTW_ESTIMATE chooses the algorithm without timing it, so results are reproducible from
    // run to run; at filter lengths (a few thousand) the measured plans gain little.
    RealFftPlans plans{length, fftwf_plan_dft_r2c_1d(n, real.data(), spectrum.data(), FFTW_ESTIMATE),
                       fftwf_plan_dft_c2r_1d(n, spectrum.data(), real.data(), FFTW_ESTIMATE)};
    if (!plans.forward || !plans.inverse) throw Error("FFTW could not plan a transform of length " +
                                                                   std::to_string(length));
    return plans_.emplace(length, plans).first->second;
  }

 private:
  std::mutex mutex_;
  std::map<std::size_t, RealFftPlans> plans_;
};

}  // namespace

const RealFftPlans& real_fft_plans(std::size_t length) {
  static PlanCache cache;
  return cache.get(length);
}

}  // namespace xrecon::tomo::detail
