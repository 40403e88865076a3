#include "synthetic_hdf5.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace xrecon::io::testing {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("test fixture: " + what);
}

template <typename T>
hid_t file_type();
template <>
hid_t file_type<std::uint16_t>() {
  return H5T_STD_U16LE;
}
template <>
hid_t file_type<float>() {
  return H5T_IEEE_F32LE;
}
template <>
hid_t file_type<double>() {
  return H5T_IEEE_F64LE;
}
template <typename T>
hid_t memory_type();
template <>
hid_t memory_type<std::uint16_t>() {
  return H5T_NATIVE_UINT16;
}
template <>
hid_t memory_type<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
hid_t memory_type<double>() {
  return H5T_NATIVE_DOUBLE;
}

}  // namespace

SyntheticHdf5::SyntheticHdf5(const std::filesystem::path& path) {
  file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  require(file_ >= 0, "cannot create " + path.string());
}

SyntheticHdf5::~SyntheticHdf5() { close(); }

void SyntheticHdf5::close() {
  if (file_ >= 0) H5Fclose(file_);
  file_ = H5I_INVALID_HID;
}

template <typename T>
void SyntheticHdf5::write(const std::string& dataset, const std::vector<hsize_t>& dims, const std::vector<T>& values) {
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  require(count == values.size(), dataset + ": values do not match dims");
  const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
  const hid_t links = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(links, 1);
  const hid_t set = H5Dcreate2(file_, dataset.c_str(), file_type<T>(), space, links, H5P_DEFAULT, H5P_DEFAULT);
  require(set >= 0, "cannot create " + dataset);
  require(H5Dwrite(set, memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0, "cannot write " + dataset);
  H5Dclose(set);
  H5Pclose(links);
  H5Sclose(space);
}

template void SyntheticHdf5::write<std::uint16_t>(const std::string&, const std::vector<hsize_t>&,
                                                  const std::vector<std::uint16_t>&);
template void SyntheticHdf5::write<float>(const std::string&, const std::vector<hsize_t>&, const std::vector<float>&);
template void SyntheticHdf5::write<double>(const std::string&, const std::vector<hsize_t>&, const std::vector<double>&);

void SyntheticHdf5::write_strings(const std::string& dataset, const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  for (const std::string& v : values) pointers.push_back(v.c_str());
  const hsize_t dims[] = {values.size()};
  const hid_t space = H5Screate_simple(1, dims, nullptr);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t links = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(links, 1);
  const hid_t set = H5Dcreate2(file_, dataset.c_str(), type, space, links, H5P_DEFAULT, H5P_DEFAULT);
  require(set >= 0 && H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0,
          "cannot write " + dataset);
  H5Dclose(set);
  H5Pclose(links);
  H5Tclose(type);
  H5Sclose(space);
}

void SyntheticHdf5::create_group(const std::string& group) {
  const hid_t links = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(links, 1);
  const hid_t id = H5Gcreate2(file_, group.c_str(), links, H5P_DEFAULT, H5P_DEFAULT);
  require(id >= 0, "cannot create group " + group);
  H5Gclose(id);
  H5Pclose(links);
}

void SyntheticHdf5::write_fixed_string_attribute(const std::string& object, const std::string& name,
                                                 const std::string& value) {
  const hid_t target = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
  require(target >= 0, "cannot open " + object);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, value.size());
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attribute = H5Acreate2(target, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
  require(attribute >= 0 && H5Awrite(attribute, type, value.data()) >= 0, "cannot write attribute " + name);
  H5Aclose(attribute);
  H5Sclose(space);
  H5Tclose(type);
  H5Oclose(target);
}

DxchangeFixture::DxchangeFixture() {
  data.resize(angles * rows * cols);
  white.resize(2 * rows * cols);
  dark.resize(2 * rows * cols);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const std::size_t k = r * cols + c;
      // Row-dependent flats and darks: reading the wrong rows of them changes every result.
      dark[k] = std::uint16_t(90 + r);
      dark[rows * cols + k] = std::uint16_t(110 + r);
      white[k] = std::uint16_t(1000 + 10 * r);
      white[rows * cols + k] = std::uint16_t(1200 + 10 * r);
      for (std::size_t a = 0; a < angles; ++a) at(a, r, c) = std::uint16_t(150 + 37 * a + 50 * c + 7 * r);
    }
  // Hand-picked pixels. Row 0: dark 100, white 1100.
  at(0, 0, 0) = 600;   // transmission 0.5: -log = ln 2
  at(0, 0, 1) = 100;   // transmission 0: clamped to 1e-6
  at(0, 0, 2) = 2100;  // transmission 2: -log = -ln 2
  // Pixel (3, 4): a dead flat equal to the dark (mean 103), so the denominator is clamped.
  white[3 * cols + 4] = dark[3 * cols + 4];
  white[rows * cols + 3 * cols + 4] = dark[rows * cols + 3 * cols + 4];
  at(1, 3, 4) = 104;
  theta_degrees = {0.0, 90.0, 180.0};
}

double DxchangeFixture::mean_white(std::size_t r, std::size_t c) const {
  return (double(white[r * cols + c]) + double(white[rows * cols + r * cols + c])) / 2.0;
}

double DxchangeFixture::mean_dark(std::size_t r, std::size_t c) const {
  return (double(dark[r * cols + c]) + double(dark[rows * cols + r * cols + c])) / 2.0;
}

double DxchangeFixture::expected(std::size_t a, std::size_t r, std::size_t c, bool normalize, bool minus_log) const {
  double v = data[(a * rows + r) * cols + c];
  if (normalize) v = (v - mean_dark(r, c)) / std::max(mean_white(r, c) - mean_dark(r, c), 1e-6);
  if (minus_log) v = -std::log(std::max(v, 1e-6));
  return v;
}

void DxchangeFixture::write_without_theta(SyntheticHdf5& file) const {
  file.write<std::uint16_t>("/exchange/data", {angles, rows, cols}, data);
  file.write<std::uint16_t>("/exchange/data_white", {2, rows, cols}, white);
  file.write<std::uint16_t>("/exchange/data_dark", {2, rows, cols}, dark);
}

void DxchangeFixture::write(const std::filesystem::path& path) const {
  SyntheticHdf5 file(path);
  write_without_theta(file);
  file.write<double>("/exchange/theta", {angles}, theta_degrees);
}

}  // namespace xrecon::io::testing
