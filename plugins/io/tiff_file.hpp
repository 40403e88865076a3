#pragma once
// An open TIFF file whose libtiff errors and warnings are collected, not printed: libtiff writes
// them to stderr by default, where they would interleave with the pipeline's log and never reach
// the message that names the file.
#include <tiffio.h>

#include <cstdarg>
#include <filesystem>
#include <memory>
#include <string>

namespace xrecon::io {

class TiffFile {
 public:
  // Opens `file` for reading ("r") or writing ("w"); InputError "FILE: cannot be opened as TIFF
  // (libtiff: ...)" when libtiff refuses it.
  TiffFile(const std::filesystem::path& file, const char* mode);

  TIFF* get() const { return tiff_.get(); }
  const std::filesystem::path& path() const { return file_; }

  // Throws InputError "FILE: WHAT (libtiff: ...)" with what libtiff reported since opening.
  [[noreturn]] void fail(const std::string& what) const;

 private:
  struct Messages {
    std::string errors;
    std::string warnings;
  };
  struct Close {
    void operator()(TIFF* tiff) const { TIFFClose(tiff); }
  };
  static int collect_error(TIFF*, void* messages, const char* module, const char* format, va_list args);
  static int collect_warning(TIFF*, void* messages, const char* module, const char* format, va_list args);
  std::string reported() const;

  std::filesystem::path file_;
  std::unique_ptr<Messages> messages_;  // libtiff keeps its address as user data
  std::unique_ptr<TIFF, Close> tiff_;
};

}  // namespace xrecon::io
