#include "tiff_file.hpp"

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <xrecon/error.hpp>

namespace xrecon::io {
namespace {

void append_message(std::string& to, const char* module, const char* format, va_list args) {
  char text[1024];
  std::vsnprintf(text, sizeof text, format, args);
  if (!to.empty()) to += "; ";
  to += (module && *module ? std::string(module) + ": " : std::string()) + text;
}

// The per-file handlers below see every message of a file opened through TiffFile; the global
// ones, which print to stderr, would still see messages from outside any file. Silenced once.
void silence_global_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
  });
}

struct OptionsFree {
  void operator()(TIFFOpenOptions* options) const { TIFFOpenOptionsFree(options); }
};

}  // namespace

int TiffFile::collect_error(TIFF*, void* messages, const char* module, const char* format, va_list args) {
  append_message(static_cast<Messages*>(messages)->errors, module, format, args);
  return 1;  // handled: libtiff calls no other handler
}

int TiffFile::collect_warning(TIFF*, void* messages, const char* module, const char* format, va_list args) {
  append_message(static_cast<Messages*>(messages)->warnings, module, format, args);
  return 1;
}

TiffFile::TiffFile(const std::filesystem::path& file, const char* mode)
    : file_(file), messages_(std::make_unique<Messages>()) {
  silence_global_handlers();
  const std::unique_ptr<TIFFOpenOptions, OptionsFree> options(TIFFOpenOptionsAlloc());
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), &TiffFile::collect_error, messages_.get());
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), &TiffFile::collect_warning, messages_.get());
  tiff_.reset(TIFFOpenExt(file.c_str(), mode, options.get()));
  if (!tiff_) fail(std::string("cannot be opened as TIFF") + (*mode == 'w' ? " for writing" : ""));
}

std::string TiffFile::reported() const {
  const std::string& said = messages_->errors.empty() ? messages_->warnings : messages_->errors;
  return said.empty() ? "" : " (libtiff: " + said + ")";
}

void TiffFile::fail(const std::string& what) const { throw InputError(file_.string() + ": " + what + reported()); }

}  // namespace xrecon::io
