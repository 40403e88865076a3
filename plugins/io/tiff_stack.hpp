#pragma once
// Reads projections from TIFF through libtiff: one multi-page TIFF (a page per projection), or a
// folder of single-page files, one per projection, in the order of their names (how
// dxchange.read_tiff_stack users have them). Grayscale only: 8, 16 and 32-bit integers, 32 and
// 64-bit floats, stripped or tiled, any compression libtiff decodes.
#include <filesystem>
#include <string>

#include "plain_projections.hpp"

namespace xrecon::io {

// The files of a folder stack: regular files whose names match `pattern` (fnmatch(3) wildcards;
// empty: names ending in .tif or .tiff, any case), sorted by name with digit runs compared as
// numbers, so proj_9.tif comes before proj_10.tif as it does when zero-padded. InputError naming
// the folder when none match.
std::vector<std::filesystem::path> tiff_stack_files(const std::filesystem::path& folder, const std::string& pattern);

// `path` a file: its pages; a folder: tiff_stack_files(path, pattern), one page each. InputError
// naming the file (and page) for what libtiff cannot read (its own message included), a format
// we do not read, pages of different sizes (both sizes named), a file of a folder stack with more
// than one page, and the first NaN or infinity; ParamError for rows outside the pages.
PlainStack read_tiff_stack(const std::filesystem::path& path, const std::string& pattern = {},
                           const RowSelection& rows = {});

}  // namespace xrecon::io
