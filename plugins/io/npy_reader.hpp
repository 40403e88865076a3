#pragma once
// Reads projections from a NumPy .npy file: a 2-D array is one sinogram (angles, cols), read as
// (angles, 1, cols); a 3-D array is (angles, rows, cols), TomoPy's projection order, or (rows,
// angles, cols), the order of ASTRA's 3-D parallel-beam data (astra.create_sino3d_gpu, the
// 'parallel3d' projection data). Fortran-order files (np.save of a transposed array, e.g.
// radon(...).T) are read in their logical order.
#include <filesystem>

#include "plain_projections.hpp"

namespace xrecon::io {

// What the axes of a 3-D array are.
enum class NpyAxes { angles_rows_cols, rows_angles_cols };
const char* to_string(NpyAxes axes);  // "angles, rows, cols"

// The (angles, selected rows, cols) stack. InputError naming the file for a header np.save would
// not write or we do not read (see npy_format.hpp), a rank other than 2 or 3, an empty array, a
// size that does not match the file, and for the first NaN or infinity in the selected rows by
// its index in the array; ParamError for rows outside it.
PlainStack read_npy(const std::filesystem::path& file, const RowSelection& rows = {},
                    NpyAxes axes = NpyAxes::angles_rows_cols);

}  // namespace xrecon::io
