#include "cost_change_cpu.hpp"

#include <immintrin.h>

#include "ptycho_math.hpp"

// glibc's AVX2 vector log (libmvec, GLIBC_2.22): four doubles, within 4 ulp. The solvers are
// built for x86-64-v3 (AVX2, FMA), so it is always there.
extern "C" __m256d _ZGVdN4v_log(__m256d);

namespace xrecon::ptycho::detail {
namespace {

using Complex = std::complex<float>;

struct Lanes {
  __m256d z_re, z_im, s_re, s_im, d;
};

// Elements i .. i + 3 widened to double, real and imaginary parts apart.
Lanes load_four(const Complex* z, const Complex* s, const float* d) {
  // (re, im) pairs: 8 floats each; even lanes are the real parts.
  const __m256 z8 = _mm256_loadu_ps(reinterpret_cast<const float*>(z));
  const __m256 s8 = _mm256_loadu_ps(reinterpret_cast<const float*>(s));
  const __m256i order = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  const __m256 z_split = _mm256_permutevar8x32_ps(z8, order), s_split = _mm256_permutevar8x32_ps(s8, order);
  return {_mm256_cvtps_pd(_mm256_castps256_ps128(z_split)), _mm256_cvtps_pd(_mm256_extractf128_ps(z_split, 1)),
          _mm256_cvtps_pd(_mm256_castps256_ps128(s_split)), _mm256_cvtps_pd(_mm256_extractf128_ps(s_split, 1)),
          _mm256_cvtps_pd(_mm_loadu_ps(d))};
}

double sum_of_lanes(__m256d v) {
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, v);
  return ((lanes[0] + lanes[1]) + lanes[2]) + lanes[3];
}

}  // namespace

double cost_change_sum(const Complex* z, const Complex* s, const float* d, std::size_t count, double gamma,
                       bool gaussian, double epsilon) {
  const __m256d g = _mm256_set1_pd(gamma), one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
  const __m256d eps = _mm256_set1_pd(epsilon);
  __m256d total = zero;
  std::size_t i = 0;
  for (; i + 4 <= count; i += 4) {
    const Lanes v = load_four(z + i, s + i, d + i);
    const __m256d a_re = _mm256_add_pd(v.z_re, _mm256_mul_pd(g, v.s_re));
    const __m256d a_im = _mm256_add_pd(v.z_im, _mm256_mul_pd(g, v.s_im));
    const __m256d old_model = _mm256_add_pd(_mm256_mul_pd(v.z_re, v.z_re), _mm256_mul_pd(v.z_im, v.z_im));
    const __m256d new_model = _mm256_add_pd(_mm256_mul_pd(a_re, a_re), _mm256_mul_pd(a_im, a_im));
    __m256d term;
    if (gaussian) {
      const __m256d after = _mm256_sub_pd(_mm256_sqrt_pd(new_model), v.d);
      const __m256d before = _mm256_sub_pd(_mm256_sqrt_pd(old_model), v.d);
      term = _mm256_sub_pd(_mm256_mul_pd(after, after), _mm256_mul_pd(before, before));
    } else {
      // log1p(x) as log(u) * (x / (u - 1)): the rounding of u = 1 + x cancels in the ratio
      // (Goldberg, "What every computer scientist should know about floating-point arithmetic").
      // Where u rounds to 1, log1p(x) is x to double precision.
      const __m256d change = _mm256_sub_pd(new_model, old_model);
      const __m256d x = _mm256_div_pd(change, _mm256_add_pd(old_model, eps));
      const __m256d u = _mm256_add_pd(one, x);
      const __m256d u_minus_one = _mm256_sub_pd(u, one);
      const __m256d u_is_one = _mm256_cmp_pd(u_minus_one, zero, _CMP_EQ_OQ);
      const __m256d ratio = _mm256_div_pd(x, _mm256_blendv_pd(u_minus_one, one, u_is_one));
      const __m256d log1p_x = _mm256_blendv_pd(_mm256_mul_pd(_ZGVdN4v_log(u), ratio), x, u_is_one);
      term = _mm256_sub_pd(change, _mm256_mul_pd(v.d, log1p_x));
    }
    total = _mm256_add_pd(total, term);
  }
  double sum = sum_of_lanes(total);
  for (; i < count; ++i)
    sum += cost_change_term(z[i].real(), z[i].imag(), s[i].real(), s[i].imag(), gamma, d[i], gaussian, epsilon);
  return sum;
}

}  // namespace xrecon::ptycho::detail
