#include "hdf5_reader.hpp"

#include <cmath>
#include <algorithm>
#include <unistd.h>

#include <cstdint>
#include <limits>
#include <utility>

#include "xrecon/error.hpp"
#include "xrecon/hdf5_library.hpp"

namespace xrecon::prior::detail {
namespace {

void close_id(hid_t id) {
  if (id < 0) return;
  switch (H5Iget_type(id)) {
    case H5I_FILE: H5Fclose(id); break;
    case H5I_GROUP: H5Gclose(id); break;
    case H5I_DATASET: H5Dclose(id); break;
    case H5I_ATTR: H5Aclose(id); break;
    case H5I_DATASPACE: H5Sclose(id); break;
    case H5I_DATATYPE: H5Tclose(id); break;
    default: break;
  }
}

struct Id {
  hid_t id;
  explicit Id(hid_t i) : id(i) {}
  ~Id() { close_id(id); }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
};

std::vector<std::size_t> extents_of(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

std::string shape_text(const std::vector<std::size_t>& extents) {
  std::string s = "(";
  for (std::size_t i = 0; i < extents.size(); ++i) s += (i ? ", " : "") + std::to_string(extents[i]);
  return s + ")";
}

// The most a deflate stream expands: about 1032 bytes out per byte in (zlib's technical notes).
constexpr std::uint64_t kDeflateMaxRatio = 1032;

std::uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? std::uint64_t(pages) * std::uint64_t(page) : 0;
}

// Only deflate (gzip) and shuffle, whose largest expansion is known.
bool deflate_only(hid_t creation) {
  const int filters = H5Pget_nfilters(creation);
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0;
    std::size_t count = 0;
    const H5Z_filter_t filter = H5Pget_filter2(creation, unsigned(i), &flags, &count, nullptr, 0, nullptr, nullptr);
    if (filter != H5Z_FILTER_DEFLATE && filter != H5Z_FILTER_SHUFFLE) return false;
  }
  return true;
}

}  // namespace

// A file may declare any shape for a dataset and store next to nothing (unallocated chunks read
// as fill values): reading it whole would ask for memory that is not there and end in a bare
// std::bad_alloc. The declared size must agree with what the file holds, and fit in memory.
void H5Object::require_plausible_size(hid_t dataset, const std::string& what, std::size_t values) const {
  const std::uint64_t element = sizeof(float);
  if (values > std::numeric_limits<std::uint64_t>::max() / element) fail(what + " declares more values than can be counted");
  const std::uint64_t bytes = values * element;
  const std::string declared = what + " declares " + std::to_string(values) + " values (" + std::to_string(bytes) +
                               " bytes as float32)";
  const std::uint64_t stored = H5Dget_storage_size(dataset);
  Id creation(H5Dget_create_plist(dataset));
  const int filters = creation.id >= 0 ? H5Pget_nfilters(creation.id) : 0;
  Id type(H5Dget_type(dataset));
  const std::uint64_t stored_element = type.id >= 0 ? H5Tget_size(type.id) : element;
  if (filters == 0 && stored < values * stored_element)
    fail(declared + " but the file stores only " + std::to_string(stored) + " bytes of it (damaged, or never written)");
  if (filters > 0 && deflate_only(creation.id) && bytes / kDeflateMaxRatio > stored)
    fail(declared + " but the file stores only " + std::to_string(stored) +
         " compressed bytes of it, fewer than gzip can expand to that (damaged, or never written)");
  if (const std::uint64_t memory = physical_memory_bytes(); memory > 0 && bytes > memory)
    fail(declared + ", more than this machine's memory (" + std::to_string(memory) + " bytes)");
}

H5Object::H5Object(hid_t id, std::string path, std::filesystem::path file)
    : id_(id), path_(std::move(path)), file_(std::move(file)) {}
H5Object::H5Object(H5Object&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), path_(std::move(other.path_)), file_(std::move(other.file_)) {}
H5Object& H5Object::operator=(H5Object&& other) noexcept {
  if (this != &other) {
    close_id(id_);
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    path_ = std::move(other.path_);
    file_ = std::move(other.file_);
  }
  return *this;
}
H5Object::~H5Object() { close_id(id_); }

void H5Object::fail(const std::string& what) const {
  throw InputError(path_.empty() || path_ == "/" ? what : path_ + ": " + what, file_.string());
}

H5Object H5Object::open_file(const std::filesystem::path& file) {
  prepare_hdf5_library();
  if (!std::filesystem::exists(file)) throw InputError("model file does not exist", file.string());
  if (H5Fis_hdf5(file.c_str()) <= 0) throw InputError("not an HDF5 file", file.string());
  const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw InputError("cannot open the HDF5 file (truncated?)", file.string());
  return {id, "/", file};
}

bool H5Object::has_attribute(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

bool H5Object::has_child(const std::string& name) const { return H5Lexists(id_, name.c_str(), H5P_DEFAULT) > 0; }

H5Object H5Object::open_group(const std::string& name) const {
  if (!has_child(name)) fail("missing group '" + name + "'");
  const hid_t id = H5Gopen2(id_, name.c_str(), H5P_DEFAULT);
  if (id < 0) fail("'" + name + "' is not a group");
  return {id, path_ == "/" ? "/" + name : path_ + "/" + name, file_};
}

std::vector<std::string> H5Object::children() const {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  if (H5Literate(id_, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names) < 0) fail("cannot list the members");
  return names;
}

std::string H5Object::string_attribute(const std::string& name) const {
  const auto values = strings_attribute(name);
  if (values.size() != 1) fail("attribute '" + name + "' should be one string, has " + std::to_string(values.size()));
  return values[0];
}

std::vector<std::string> H5Object::strings_attribute(const std::string& name) const {
  if (!has_attribute(name)) fail("missing attribute '" + name + "'");
  Id attr(H5Aopen(id_, name.c_str(), H5P_DEFAULT));
  Id type(H5Aget_type(attr.id));
  if (H5Tget_class(type.id) != H5T_STRING) fail("attribute '" + name + "' should be a string");
  Id space(H5Aget_space(attr.id));
  const hssize_t count = H5Sget_simple_extent_npoints(space.id);
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.id) > 0) {
    std::vector<char*> raw(count, nullptr);
    Id memtype(H5Tcopy(H5T_C_S1));
    H5Tset_size(memtype.id, H5T_VARIABLE);
    H5Tset_cset(memtype.id, H5Tget_cset(type.id));
    if (H5Aread(attr.id, memtype.id, raw.data()) < 0) fail("cannot read attribute '" + name + "'");
    for (char* s : raw) out.emplace_back(s ? s : "");
    H5Dvlen_reclaim(memtype.id, space.id, H5P_DEFAULT, raw.data());
  } else {
    const std::size_t size = H5Tget_size(type.id);
    std::vector<char> raw(size * count + 1, '\0');
    if (H5Aread(attr.id, type.id, raw.data()) < 0) fail("cannot read attribute '" + name + "'");
    for (hssize_t i = 0; i < count; ++i) {
      std::string s(raw.data() + i * size, size);
      s.erase(s.find_last_not_of('\0') + 1);
      out.push_back(s);
    }
  }
  return out;
}

std::vector<long long> H5Object::ints_attribute(const std::string& name, std::size_t count) const {
  if (!has_attribute(name)) fail("missing attribute '" + name + "'");
  Id attr(H5Aopen(id_, name.c_str(), H5P_DEFAULT));
  Id type(H5Aget_type(attr.id));
  const H5T_class_t cls = H5Tget_class(type.id);
  if (cls != H5T_INTEGER) fail("attribute '" + name + "' should be integer");
  Id space(H5Aget_space(attr.id));
  std::vector<long long> values(H5Sget_simple_extent_npoints(space.id));
  if (count && values.size() != count)
    fail("attribute '" + name + "' should have " + std::to_string(count) + " values, has " +
         std::to_string(values.size()));
  if (H5Aread(attr.id, H5T_NATIVE_LLONG, values.data()) < 0) fail("cannot read attribute '" + name + "'");
  return values;
}

long long H5Object::int_attribute(const std::string& name) const { return ints_attribute(name, 1)[0]; }

double H5Object::real_attribute(const std::string& name) const {
  if (!has_attribute(name)) fail("missing attribute '" + name + "'");
  Id attr(H5Aopen(id_, name.c_str(), H5P_DEFAULT));
  Id type(H5Aget_type(attr.id));
  const H5T_class_t cls = H5Tget_class(type.id);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail("attribute '" + name + "' should be a number");
  Id space(H5Aget_space(attr.id));
  if (H5Sget_simple_extent_npoints(space.id) != 1) fail("attribute '" + name + "' should be one number");
  double value = 0;
  if (H5Aread(attr.id, H5T_NATIVE_DOUBLE, &value) < 0) fail("cannot read attribute '" + name + "'");
  return value;
}

std::vector<float> H5Object::floats_dataset(const std::string& name, std::vector<std::size_t>& extents) const {
  if (!has_child(name)) fail("missing tensor '" + name + "'");
  Id set(H5Dopen2(id_, name.c_str(), H5P_DEFAULT));
  if (set.id < 0) fail("'" + name + "' is not a dataset");
  Id type(H5Dget_type(set.id));
  const H5T_class_t cls = H5Tget_class(type.id);
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) fail("tensor '" + name + "' should hold numbers");
  Id space(H5Dget_space(set.id));
  extents = extents_of(space.id);
  require_plausible_size(set.id, "tensor '" + name + "' " + shape_text(extents), std::size_t(H5Sget_simple_extent_npoints(space.id)));
  std::vector<float> values(H5Sget_simple_extent_npoints(space.id));
  if (!values.empty() && H5Dread(set.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    fail("cannot read tensor '" + name + "' " + shape_text(extents));
  // A NaN weight makes every output NaN: refuse the model where it is read (issue 13).
  if (const auto bad = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
      bad != values.end())
    fail("tensor '" + name + "' " + shape_text(extents) + " has a non-finite value (" + std::to_string(*bad) +
         ") at flat index " + std::to_string(bad - values.begin()));
  return values;
}

}  // namespace xrecon::prior::detail
