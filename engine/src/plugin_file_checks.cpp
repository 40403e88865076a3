#include "plugin_file_checks.hpp"

#include <elf.h>
#include <link.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <vector>

namespace xrecon::engine {

namespace fs = std::filesystem;

namespace {

using Header = ElfW(Ehdr);
using ProgramHeader = ElfW(Phdr);

constexpr unsigned char kOurClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kOurByteOrder = std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
#if defined(__x86_64__)
constexpr int kOurMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kOurMachine = EM_AARCH64;
#elif defined(__powerpc64__)
constexpr int kOurMachine = EM_PPC64;
#else
constexpr int kOurMachine = -1;  // not checked: the loader still refuses a foreign machine cleanly
#endif

// [offset, offset + length) lies inside a file of `size` bytes (without overflowing).
bool inside(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

std::string truncated(const std::string& what, std::uint64_t end, std::uint64_t size) {
  return "truncated: " + what + " ends at byte " + std::to_string(end) + " but the file has " + std::to_string(size) +
         " bytes (an interrupted copy or build?)";
}

// The owner's own group (Debian's user private groups, umask 002): group write is owner write.
bool is_private_group(uid_t owner, gid_t gid) {
  const struct passwd* user = ::getpwuid(owner);
  const struct group* members = ::getgrgid(gid);
  if (user == nullptr || members == nullptr || user->pw_gid != gid) return false;
  return members->gr_mem == nullptr || members->gr_mem[0] == nullptr;
}

}  // namespace

std::string damaged_library_reason(const fs::path& path) {
  std::error_code error;
  const std::uint64_t size = fs::file_size(path, error);
  if (error) return "cannot be read: " + error.message();
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot be opened for reading";

  Header header{};
  if (size < sizeof header) return "truncated: " + std::to_string(size) + " bytes, less than an ELF header";
  if (!file.read(reinterpret_cast<char*>(&header), sizeof header)) return "cannot be read";
  const unsigned char* id = header.e_ident;
  if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 || id[EI_MAG2] != ELFMAG2 || id[EI_MAG3] != ELFMAG3)
    return "not a shared library (no ELF signature)";
  if (id[EI_CLASS] != kOurClass) return "an ELF file of another word size than this xrecon's";
  if (id[EI_DATA] != kOurByteOrder) return "an ELF file of another byte order than this machine's";
  if (header.e_type != ET_DYN) return "an ELF file but not a shared library (type " + std::to_string(header.e_type) + ")";
  if (kOurMachine >= 0 && header.e_machine != kOurMachine)
    return "a shared library for another machine (ELF machine " + std::to_string(header.e_machine) + ")";

  if (header.e_phnum == 0 || header.e_phentsize != sizeof(ProgramHeader))
    return "a shared library without valid program headers";
  const std::uint64_t program_bytes = std::uint64_t(header.e_phnum) * sizeof(ProgramHeader);
  if (!inside(header.e_phoff, program_bytes, size)) return truncated("the program header table", header.e_phoff + program_bytes, size);
  if (header.e_shoff != 0) {
    const std::uint64_t section_bytes = std::uint64_t(header.e_shnum) * header.e_shentsize;
    if (!inside(header.e_shoff, section_bytes, size))
      return truncated("the section header table", header.e_shoff + section_bytes, size);
  }

  // The loader maps these segments from the file; one past its end is the SIGBUS.
  std::vector<ProgramHeader> segments(header.e_phnum);
  file.seekg(std::streamoff(header.e_phoff));
  if (!file.read(reinterpret_cast<char*>(segments.data()), std::streamsize(program_bytes)))
    return "cannot read its program headers";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const ProgramHeader& s = segments[i];
    if ((s.p_type == PT_LOAD || s.p_type == PT_DYNAMIC) && !inside(s.p_offset, s.p_filesz, size))
      return truncated((s.p_type == PT_LOAD ? "loadable segment " : "dynamic segment ") + std::to_string(i),
                       s.p_offset + s.p_filesz, size);
  }
  return {};
}

std::string unsafe_write_permission(const fs::path& path) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0) return {};
  mode_t others = info.st_mode & S_IWOTH;
  if ((info.st_mode & S_IWGRP) && !is_private_group(info.st_uid, info.st_gid)) others |= S_IWGRP;
  if (others == 0) return {};
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", unsigned(info.st_mode & 07777));
  return std::string("is writable by ") + ((others & S_IWOTH) ? "every user" : "its group") + " (mode " + mode +
         "): whoever can write there can make xrecon run their code";
}

}  // namespace xrecon::engine
