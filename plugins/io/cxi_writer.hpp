#pragma once
// Writes far-field ptychography scans to CXI files (layout in cxi_layout.hpp): one scan to one
// file, or a tomographic series, one file per angle plus an index (cxi_index.hpp).
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xrecon/atomic_output.hpp>
#include <xrecon/cancellation.hpp>
#include <xrecon/payload.hpp>

namespace xrecon::io {

// Patterns as float32 chunked per pattern (gzip), translations in metres (cxi_geometry.hpp),
// geometry as scalars, the probe as complex {r, i}, the sample orientation for the scan's angle
// and, when the scan has one, xrecon's object grid. The scan needs positive energy, distance and
// detector pixel (they fix the object pixel size); Error naming the file otherwise. The file
// appears at `path` only when complete; `cancellation` is polled between patterns.
void write_cxi(const PtychoScan& scan, const std::filesystem::path& path, const CancellationToken& cancellation);

// True for a path that names a series rather than one file: it holds "{angle}", ends with '/',
// or is an existing folder.
bool is_cxi_series_path(const std::string& path);

// A tomographic series written scan by scan. Every file is written under a temporary name and
// nothing is put in place before commit(), which renames the files and then writes the index:
// a failed or cancelled run leaves no partial series and no index naming missing files.
class CxiSeriesWriter {
 public:
  // `path`: a pattern holding "{angle}", which becomes the scan's sequence number (4 digits or
  // more: 0000, 0001, ...), or a folder, where the files are angle_{angle}.cxi. `index`: the
  // index file; empty: index.txt in the folder of the files.
  explicit CxiSeriesWriter(const std::string& path, const std::filesystem::path& index = {});
  ~CxiSeriesWriter();
  CxiSeriesWriter(const CxiSeriesWriter&) = delete;
  CxiSeriesWriter& operator=(const CxiSeriesWriter&) = delete;

  std::filesystem::path file_for(std::size_t sequence) const;
  const std::filesystem::path& index() const { return index_; }
  std::size_t size() const { return written_.size(); }

  // Error naming the file when a scan of the same sequence or angle was written already.
  void write(const PtychoScan& scan, const CancellationToken& cancellation);
  // Renames every file into place, then writes the index with the scans in increasing angle.
  void commit();

 private:
  struct Written {
    double angle = 0;
    std::size_t sequence = 0;
    std::unique_ptr<AtomicOutput> output;
  };
  std::string pattern_;
  std::filesystem::path index_;
  std::vector<Written> written_;
};

}  // namespace xrecon::io
