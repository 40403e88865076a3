#pragma once
// Scores each refresh of a streaming reconstruction against the object it images, when known.
#include <memory>

#include <xrecon/payload.hpp>

namespace xrecon::stream {

struct Score {
  double rmse = 0, ssim = 0;
};

class TruthScore {
 public:
  explicit TruthScore(std::shared_ptr<const Volume> truth);

  // Throws InputError unless the truth has the reconstruction's shape.
  void check_shape(const Shape& reconstruction) const;
  // SSIM's data range is the truth's max - min: the span the reconstruction is meant to have.
  Score score(const ArrayF& reconstruction) const;

 private:
  std::shared_ptr<const Volume> truth_;
  double data_range_ = 1;
};

}  // namespace xrecon::stream
