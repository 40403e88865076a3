#include "hdf5_file.hpp"

#include <algorithm>
#include <string>

#include <xrecon/error.hpp>
#include <xrecon/hdf5_library.hpp>

namespace xrecon::io {
namespace {

std::string owned(std::string_view text) { return std::string(text); }

// Where an attribute lives, for messages: "attribute 'units' of /exchange/theta".
struct AttributeOwner {
  hid_t object;
  std::string_view description;
  const std::filesystem::path& file;
  Hdf5Access access;
};

std::string attribute_label(std::string_view name, const AttributeOwner& owner) {
  return "attribute '" + owned(name) + "' of " + owned(owner.description);
}

// Opens the attribute when it exists; an invalid handle when it does not.
AttributeHandle open_attribute(std::string_view name, const AttributeOwner& owner) {
  const std::string label = attribute_label(name, owner);
  const htri_t exists =
      check_hdf5(H5Aexists(owner.object, owned(name).c_str()), owner.access, owner.file, "cannot look up " + label);
  if (exists == 0) return {};
  return AttributeHandle(check_hdf5(H5Aopen(owner.object, owned(name).c_str(), H5P_DEFAULT), owner.access,
                                    owner.file, "cannot open " + label));
}

void require_single_value(const AttributeHandle& attribute, std::string_view name, const AttributeOwner& owner) {
  DataspaceHandle space(check_hdf5(H5Aget_space(attribute.get()), owner.access, owner.file,
                                   "cannot read " + attribute_label(name, owner)));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count != 1)
    throw_file_error(owner.access, owner.file,
                     attribute_label(name, owner) + " has " + std::to_string(count) + " values, expected one");
}

std::optional<std::string> read_string_attribute(std::string_view name, const AttributeOwner& owner) {
  AttributeHandle attribute = open_attribute(name, owner);
  if (!attribute.valid()) return std::nullopt;
  const std::string label = attribute_label(name, owner);
  TypeHandle stored_type(check_hdf5(H5Aget_type(attribute.get()), owner.access, owner.file, "cannot read " + label));
  if (H5Tget_class(stored_type.get()) != H5T_STRING)
    throw_file_error(owner.access, owner.file, label + " is not a string");
  require_single_value(attribute, name, owner);

  // h5py writes variable-length strings, older tools fixed-length ones: accept both.
  if (H5Tis_variable_str(stored_type.get()) > 0) {
    TypeHandle memory_type(H5Tcopy(H5T_C_S1));
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    H5Tset_cset(memory_type.get(), H5Tget_cset(stored_type.get()));
    char* text = nullptr;
    check_hdf5(H5Aread(attribute.get(), memory_type.get(), &text), owner.access, owner.file, "cannot read " + label);
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  std::string value(H5Tget_size(stored_type.get()), '\0');
  check_hdf5(H5Aread(attribute.get(), stored_type.get(), value.data()), owner.access, owner.file,
             "cannot read " + label);
  // Fixed-length strings are padded with NULs or spaces up to their declared size.
  value.resize(std::min(value.size(), value.find('\0')));
  value.erase(value.find_last_not_of(' ') + 1);
  return value;
}

std::optional<double> read_real_attribute(std::string_view name, const AttributeOwner& owner) {
  AttributeHandle attribute = open_attribute(name, owner);
  if (!attribute.valid()) return std::nullopt;
  const std::string label = attribute_label(name, owner);
  TypeHandle stored_type(check_hdf5(H5Aget_type(attribute.get()), owner.access, owner.file, "cannot read " + label));
  const H5T_class_t type_class = H5Tget_class(stored_type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    throw_file_error(owner.access, owner.file, label + " is not a number");
  require_single_value(attribute, name, owner);
  double value = 0;
  check_hdf5(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value), owner.access, owner.file, "cannot read " + label);
  return value;
}

// Replaces any attribute of that name, so writing twice never fails with "already exists".
AttributeHandle create_attribute(std::string_view name, hid_t stored_type, const AttributeOwner& owner) {
  const std::string label = attribute_label(name, owner);
  const htri_t exists =
      check_hdf5(H5Aexists(owner.object, owned(name).c_str()), owner.access, owner.file, "cannot write " + label);
  if (exists > 0)
    check_hdf5(H5Adelete(owner.object, owned(name).c_str()), owner.access, owner.file, "cannot replace " + label);
  DataspaceHandle scalar(H5Screate(H5S_SCALAR));
  return AttributeHandle(check_hdf5(
      H5Acreate2(owner.object, owned(name).c_str(), stored_type, scalar.get(), H5P_DEFAULT, H5P_DEFAULT),
      owner.access, owner.file, "cannot write " + label));
}

// Variable-length UTF-8, which h5py and HDFView show as plain text of any length.
void write_string_attribute(std::string_view name, std::string_view value, const AttributeOwner& owner) {
  TypeHandle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  AttributeHandle attribute = create_attribute(name, type.get(), owner);
  const std::string text(value);
  const char* pointer = text.c_str();
  check_hdf5(H5Awrite(attribute.get(), type.get(), &pointer), owner.access, owner.file,
             "cannot write " + attribute_label(name, owner));
}

void write_real_attribute(std::string_view name, double value, const AttributeOwner& owner) {
  AttributeHandle attribute = create_attribute(name, H5T_IEEE_F64LE, owner);
  check_hdf5(H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, &value), owner.access, owner.file,
             "cannot write " + attribute_label(name, owner));
}

enum class LinkState { missing, not_a_dataset, dataset };

// H5Lexists on "/a/b" fails (rather than answering no) when "/a" is missing, so each prefix
// is checked in turn.
LinkState find_dataset(hid_t file, std::string_view dataset_path) {
  std::string prefix;
  std::size_t begin = 0;
  while (begin < dataset_path.size()) {
    std::size_t end = dataset_path.find('/', begin);
    if (end == std::string_view::npos) end = dataset_path.size();
    if (end > begin) {
      prefix += "/";
      prefix += dataset_path.substr(begin, end - begin);
      if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return LinkState::missing;
    }
    begin = end + 1;
  }
  if (prefix.empty()) return LinkState::not_a_dataset;
  const hid_t object = H5Oopen(file, prefix.c_str(), H5P_DEFAULT);
  if (object < 0) return LinkState::missing;
  const bool is_dataset = H5Iget_type(object) == H5I_DATASET;
  H5Oclose(object);
  return is_dataset ? LinkState::dataset : LinkState::not_a_dataset;
}

template <typename T>
hid_t native_type();
template <>
hid_t native_type<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
hid_t native_type<double>() {
  return H5T_NATIVE_DOUBLE;
}

std::vector<hsize_t> to_hsize(std::span<const std::size_t> values) { return {values.begin(), values.end()}; }

std::size_t product(std::span<const std::size_t> values) {
  std::size_t n = 1;
  for (std::size_t v : values) n *= v;
  return n;
}

// std::complex<float> in memory: the layout h5py gives complex64, fields matched by name so that
// complex128 files convert field by field.
TypeHandle complex_float_type() {
  TypeHandle type(H5Tcreate(H5T_COMPOUND, sizeof(std::complex<float>)));
  H5Tinsert(type.get(), "r", 0, H5T_NATIVE_FLOAT);
  H5Tinsert(type.get(), "i", sizeof(float), H5T_NATIVE_FLOAT);
  return type;
}

// A new dataset of `stored_type`, the groups on its path created as needed.
hid_t create_dataset_id(hid_t file, std::string_view dataset_path, hid_t stored_type,
                        std::span<const std::size_t> extents, hid_t creation, Hdf5Access access,
                        const std::filesystem::path& reported_path) {
  const std::string what = "cannot create dataset " + owned(dataset_path);
  const std::vector<hsize_t> dims = to_hsize(extents);
  DataspaceHandle space(check_hdf5(dims.empty() ? H5Screate(H5S_SCALAR)
                                                : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                                   access, reported_path, what));
  PropertyListHandle link_creation(H5Pcreate(H5P_LINK_CREATE));
  H5Pset_create_intermediate_group(link_creation.get(), 1);
  return check_hdf5(H5Dcreate2(file, owned(dataset_path).c_str(), stored_type, space.get(), link_creation.get(),
                               creation, H5P_DEFAULT),
                    access, reported_path, what);
}

}  // namespace

// ---- Hdf5File ----

Hdf5File::Hdf5File(FileHandle handle, std::filesystem::path reported_path, Hdf5Access access)
    : handle_(std::move(handle)), reported_path_(std::move(reported_path)), access_(access) {}

Hdf5File Hdf5File::open_read_only(const std::filesystem::path& path) {
  prepare_hdf5_library();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) throw_file_error(Hdf5Access::read, path, "file not found");
  if (std::filesystem::is_directory(status))
    throw_file_error(Hdf5Access::read, path, "is a folder, expected an HDF5 file");

#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
  if (is_hdf5 < 0) throw_hdf5_error(Hdf5Access::read, path, "cannot open file");
  if (is_hdf5 == 0) throw_file_error(Hdf5Access::read, path, "not an HDF5 file (or truncated)");
  // A truncated file keeps its signature, so only opening it (which compares the stored end of
  // file with the real size) finds out.
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw_hdf5_error(Hdf5Access::read, path, "not an HDF5 file (or truncated)");
  return Hdf5File(FileHandle(id), path, Hdf5Access::read);
}

Hdf5File Hdf5File::create(const std::filesystem::path& path, const std::filesystem::path& reported_as) {
  prepare_hdf5_library();
  // Strong close: closing the file also closes anything still open in it, so close() really
  // flushes and reports the outcome.
  PropertyListHandle access_list(H5Pcreate(H5P_FILE_ACCESS));
  H5Pset_fclose_degree(access_list.get(), H5F_CLOSE_STRONG);
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access_list.get());
  if (id < 0) throw_hdf5_error(Hdf5Access::write, reported_as, "cannot create file");
  return Hdf5File(FileHandle(id), reported_as, Hdf5Access::write);
}

bool Hdf5File::has_dataset(std::string_view dataset_path) const {
  return find_dataset(id(), dataset_path) == LinkState::dataset;
}

Hdf5Dataset Hdf5File::open_dataset(std::string_view dataset_path) const {
  switch (find_dataset(id(), dataset_path)) {
    case LinkState::missing:
      throw_file_error(access_, reported_path_, "missing dataset " + owned(dataset_path));
    case LinkState::not_a_dataset:
      throw_file_error(access_, reported_path_, owned(dataset_path) + " is a group, expected a dataset");
    case LinkState::dataset:
      break;
  }
  const hid_t dataset = H5Dopen2(id(), owned(dataset_path).c_str(), H5P_DEFAULT);
  if (dataset < 0) throw_hdf5_error(access_, reported_path_, "cannot open dataset " + owned(dataset_path));
  return Hdf5Dataset(DatasetHandle(dataset), owned(dataset_path), reported_path_, access_);
}

Hdf5Dataset Hdf5File::create_float_dataset(std::string_view dataset_path, std::span<const std::size_t> extents,
                                           std::span<const std::size_t> chunk, int gzip_level) {
  const std::string what = "cannot create dataset " + owned(dataset_path);
  PropertyListHandle creation(H5Pcreate(H5P_DATASET_CREATE));
  if (!chunk.empty()) {
    const std::vector<hsize_t> chunk_dims = to_hsize(chunk);
    check_hdf5(H5Pset_chunk(creation.get(), int(chunk_dims.size()), chunk_dims.data()), access_, reported_path_, what);
    if (gzip_level > 0) {
      if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
        throw_file_error(access_, reported_path_, what + ": this HDF5 library has no gzip filter; use compression 0");
      check_hdf5(H5Pset_deflate(creation.get(), unsigned(gzip_level)), access_, reported_path_, what);
    }
  }
  const hid_t dataset =
      create_dataset_id(id(), dataset_path, H5T_IEEE_F32LE, extents, creation.get(), access_, reported_path_);
  return Hdf5Dataset(DatasetHandle(dataset), owned(dataset_path), reported_path_, access_);
}

void Hdf5File::write_doubles(std::string_view dataset_path, std::span<const std::size_t> extents,
                             std::span<const double> values) {
  XRECON_CHECK(values.size() == product(extents), "write buffer of " + owned(dataset_path) + " has the wrong size");
  DatasetHandle dataset(
      create_dataset_id(id(), dataset_path, H5T_IEEE_F64LE, extents, H5P_DEFAULT, access_, reported_path_));
  check_hdf5(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), access_,
             reported_path_, "cannot write " + owned(dataset_path));
}

void Hdf5File::write_complex(std::string_view dataset_path, std::span<const std::size_t> extents,
                             std::span<const std::complex<float>> values) {
  XRECON_CHECK(values.size() == product(extents), "write buffer of " + owned(dataset_path) + " has the wrong size");
  const TypeHandle type = complex_float_type();
  DatasetHandle dataset(create_dataset_id(id(), dataset_path, type.get(), extents, H5P_DEFAULT, access_, reported_path_));
  check_hdf5(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), access_,
             reported_path_, "cannot write " + owned(dataset_path));
}

std::optional<std::string> Hdf5File::string_attribute(std::string_view name) const {
  return read_string_attribute(name, {id(), "the root group", reported_path_, access_});
}

void Hdf5File::write_string_attribute(std::string_view name, std::string_view value) {
  io::write_string_attribute(name, value, {id(), "the root group", reported_path_, access_});
}

void Hdf5File::close() {
  if (handle_.close() < 0) throw_hdf5_error(access_, reported_path_, "cannot finish writing the file");
}

// ---- Hdf5Dataset ----

Hdf5Dataset::Hdf5Dataset(DatasetHandle handle, std::string path, std::filesystem::path file, Hdf5Access access)
    : handle_(std::move(handle)), path_(std::move(path)), file_(std::move(file)), access_(access) {}

std::vector<std::size_t> Hdf5Dataset::extents() const {
  DataspaceHandle space(check_hdf5(H5Dget_space(id()), access_, file_, "cannot read the shape of " + path_));
  const int rank = check_hdf5(H5Sget_simple_extent_ndims(space.get()), access_, file_, "cannot read the shape of " + path_);
  std::vector<hsize_t> dims(std::size_t(rank), 0);
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

std::size_t Hdf5Dataset::element_count() const {
  const std::vector<std::size_t> dims = extents();
  return product(dims);
}

void Hdf5Dataset::require_numeric() const {
  TypeHandle type(check_hdf5(H5Dget_type(id()), access_, file_, "cannot read the type of " + path_));
  switch (H5Tget_class(type.get())) {
    case H5T_INTEGER:
    case H5T_FLOAT:
      return;
    case H5T_STRING:
      fail("holds strings, expected numbers");
    case H5T_COMPOUND:
      fail("holds compound records, expected numbers");
    default:
      fail("holds values of a non-numeric type, expected numbers");
  }
}

template <typename T>
void Hdf5Dataset::read(std::span<T> destination) const {
  XRECON_CHECK(destination.size() == element_count(), "read buffer of " + path_ + " has the wrong size");
  check_hdf5(H5Dread(id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, destination.data()), access_, file_,
             "cannot read " + path_);
}

bool Hdf5Dataset::is_complex() const {
  TypeHandle type(check_hdf5(H5Dget_type(id()), access_, file_, "cannot read the type of " + path_));
  return H5Tget_class(type.get()) == H5T_COMPOUND && H5Tget_nmembers(type.get()) == 2 &&
         H5Tget_member_index(type.get(), "r") >= 0 && H5Tget_member_index(type.get(), "i") >= 0;
}

void Hdf5Dataset::read_complex(std::span<std::complex<float>> destination) const {
  if (!is_complex()) fail("is not complex, expected a compound of fields r and i");
  XRECON_CHECK(destination.size() == element_count(), "read buffer of " + path_ + " has the wrong size");
  const TypeHandle type = complex_float_type();
  check_hdf5(H5Dread(id(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, destination.data()), access_, file_,
             "cannot read " + path_);
}

Hdf5Dataset::BlockSpaces Hdf5Dataset::select_block(std::span<const std::size_t> start,
                                                  std::span<const std::size_t> count, const std::string& what) const {
  const std::vector<hsize_t> offset = to_hsize(start);
  const std::vector<hsize_t> block = to_hsize(count);
  DataspaceHandle file_space(check_hdf5(H5Dget_space(id()), access_, file_, what));
  check_hdf5(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offset.data(), nullptr, block.data(), nullptr),
             access_, file_, what);
  DataspaceHandle memory_space(check_hdf5(H5Screate_simple(int(block.size()), block.data(), nullptr), access_, file_, what));
  return {std::move(file_space), std::move(memory_space)};
}

template <typename T>
void Hdf5Dataset::read_block(std::span<const std::size_t> start, std::span<const std::size_t> count,
                             std::span<T> destination) const {
  const std::vector<std::size_t> dims = extents();
  XRECON_CHECK(start.size() == dims.size() && count.size() == dims.size(),
               "block of " + path_ + " has the wrong rank");
  for (std::size_t axis = 0; axis < dims.size(); ++axis)
    XRECON_CHECK(start[axis] + count[axis] <= dims[axis], "block of " + path_ + " lies outside the dataset");
  XRECON_CHECK(destination.size() == product(count), "read buffer of " + path_ + " has the wrong size");

  const std::string what = "cannot read " + path_;
  const BlockSpaces spaces = select_block(start, count, what);
  check_hdf5(H5Dread(id(), native_type<T>(), spaces.memory.get(), spaces.file.get(), H5P_DEFAULT, destination.data()),
             access_, file_, what);
}

void Hdf5Dataset::write_block(std::span<const std::size_t> start, std::span<const std::size_t> count,
                              std::span<const float> values) {
  XRECON_CHECK(values.size() == product(count), "write buffer of " + path_ + " has the wrong size");
  const std::string what = "cannot write " + path_;
  const BlockSpaces spaces = select_block(start, count, what);
  check_hdf5(H5Dwrite(id(), H5T_NATIVE_FLOAT, spaces.memory.get(), spaces.file.get(), H5P_DEFAULT, values.data()),
             access_, file_, what);
}

std::optional<std::string> Hdf5Dataset::string_attribute(std::string_view name) const {
  return read_string_attribute(name, {id(), path_, file_, access_});
}

std::optional<double> Hdf5Dataset::real_attribute(std::string_view name) const {
  return read_real_attribute(name, {id(), path_, file_, access_});
}

void Hdf5Dataset::write_string_attribute(std::string_view name, std::string_view value) {
  io::write_string_attribute(name, value, {id(), path_, file_, access_});
}

void Hdf5Dataset::write_real_attribute(std::string_view name, double value) {
  io::write_real_attribute(name, value, {id(), path_, file_, access_});
}

void Hdf5Dataset::fail(std::string_view what) const { throw_file_error(access_, file_, path_ + " " + owned(what)); }

template void Hdf5Dataset::read<float>(std::span<float>) const;
template void Hdf5Dataset::read<double>(std::span<double>) const;
template void Hdf5Dataset::read_block<float>(std::span<const std::size_t>, std::span<const std::size_t>,
                                             std::span<float>) const;
template void Hdf5Dataset::read_block<double>(std::span<const std::size_t>, std::span<const std::size_t>,
                                              std::span<double>) const;

}  // namespace xrecon::io
