#include "plugin_stamp_reader.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>

#include "xrecon/plugin.hpp"

namespace xrecon::engine {

namespace {

// Closes the descriptor and libelf's handle on every path.
class ElfFile {
 public:
  explicit ElfFile(const std::filesystem::path& path) {
    if (elf_version(EV_CURRENT) == EV_NONE) throw std::runtime_error(std::string("libelf: ") + elf_errmsg(-1));
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot be opened for reading: " + std::string(std::strerror(errno)));
    // ELF_C_READ copies what it reads: no mapping of the file that a truncation could fault.
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (elf_ == nullptr) {
      ::close(fd_);
      throw std::runtime_error(std::string("libelf cannot read it: ") + elf_errmsg(-1));
    }
  }
  ~ElfFile() {
    elf_end(elf_);
    ::close(fd_);
  }
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;
  Elf* get() const { return elf_; }

 private:
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + elf_errmsg(-1)); }

// The text of the first xrecon stamp note in a SHT_NOTE section, if any.
std::optional<std::string> stamp_in(Elf_Data* data) {
  const std::string_view owner = XRECON_PLUGIN_STAMP_OWNER;
  GElf_Nhdr header;
  std::size_t name_offset = 0, text_offset = 0;
  for (std::size_t offset = 0, next = 0;
       (next = gelf_getnote(data, offset, &header, &name_offset, &text_offset)) > 0; offset = next) {
    const char* bytes = static_cast<const char*>(data->d_buf);
    if (header.n_type != XRECON_PLUGIN_STAMP_TYPE || header.n_namesz != owner.size() + 1 ||
        std::memcmp(bytes + name_offset, owner.data(), owner.size() + 1) != 0)
      continue;
    const char* text = bytes + text_offset;
    return std::string(text, ::strnlen(text, header.n_descsz));
  }
  return std::nullopt;
}

bool exports_symbol(Elf* elf, Elf_Scn* section, const GElf_Shdr& header, const char* wanted) {
  if (header.sh_entsize == 0) return false;
  Elf_Data* data = elf_getdata(section, nullptr);
  if (data == nullptr) fail("its dynamic symbol table cannot be read");
  const std::size_t count = header.sh_size / header.sh_entsize;
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Sym symbol;
    if (gelf_getsym(data, int(i), &symbol) == nullptr) break;
    if (symbol.st_shndx == SHN_UNDEF) continue;  // imported, not defined here
    const char* name = elf_strptr(elf, header.sh_link, symbol.st_name);
    if (name != nullptr && std::strcmp(name, wanted) == 0) return true;
  }
  return false;
}

std::uint32_t parse_abi_number(const std::string& text, const std::string& whole) {
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    throw std::runtime_error("its stamp has a malformed sdk-abi line ('" + whole + "', expected MAJOR.MINOR)");
  return value;
}

}  // namespace

PluginFileFacts read_plugin_file_facts(const std::filesystem::path& path) {
  ElfFile file(path);
  PluginFileFacts facts;
  for (Elf_Scn* section = nullptr; (section = elf_nextscn(file.get(), section)) != nullptr;) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr) fail("a section header cannot be read");
    if (header.sh_type == SHT_NOTE && !facts.stamp) {
      Elf_Data* data = elf_getdata(section, nullptr);
      if (data == nullptr) fail("a note section cannot be read");
      facts.stamp = stamp_in(data);
    } else if (header.sh_type == SHT_DYNSYM && !facts.exports_descriptor) {
      facts.exports_descriptor = exports_symbol(file.get(), section, header, XRECON_PLUGIN_SYMBOL);
    }
  }
  return facts;
}

PluginStamp parse_plugin_stamp(const std::string& text) {
  std::map<std::string, std::string> fields;
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t equals = line.find('=');
    if (equals != std::string::npos) fields.emplace(line.substr(0, equals), line.substr(equals + 1));
  }
  for (const char* key : {"name", "sdk-abi", "build"})
    if (fields.find(key) == fields.end() || fields[key].empty())
      throw std::runtime_error(std::string("its stamp has no ") + key + " line");
  PluginStamp stamp;
  stamp.name = fields["name"];
  const std::string& abi = fields["sdk-abi"];
  const std::size_t dot = abi.find('.');
  if (dot == std::string::npos)
    throw std::runtime_error("its stamp has a malformed sdk-abi line ('" + abi + "', expected MAJOR.MINOR)");
  stamp.abi_major = parse_abi_number(abi.substr(0, dot), abi);
  stamp.abi_minor = parse_abi_number(abi.substr(dot + 1), abi);
  stamp.build_tag = fields["build"];
  return stamp;
}

}  // namespace xrecon::engine
