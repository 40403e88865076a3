#pragma once
// Element-wise and reduction operations on float arrays, the vector algebra of the iterative
// solvers (SIRT, CGLS, ADMM). Each call runs where its arrays live: host arrays in OpenMP loops,
// cuda:k arrays in CUDA kernels on device k (NotCompiled in a build without CUDA). All arrays of
// one call must have the same size and memory space. Reductions accumulate in double.
#include "xrecon/array.hpp"

namespace xrecon::linalg {

double dot(const ArrayF& a, const ArrayF& b);
double squared_norm(const ArrayF& a);
void fill(ArrayF& y, float value);
void copy(const ArrayF& x, ArrayF& y);                        // y = x
void axpy(float alpha, const ArrayF& x, ArrayF& y);           // y += alpha * x
void xpay(const ArrayF& x, float beta, ArrayF& y);            // y = x + beta * y
void multiply(const ArrayF& w, ArrayF& y);                    // y *= w (element-wise)
void weighted_axpy(const ArrayF& w, const ArrayF& x, ArrayF& y);  // y += w * x (element-wise)
void clamp(ArrayF& y, float lo, float hi);
// y = 1 / y where y > threshold, else 0 (SIRT's row and column weights).
void invert_above(ArrayF& y, float threshold, float numerator = 1.0f);

}  // namespace xrecon::linalg
