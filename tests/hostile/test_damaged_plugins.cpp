// Damaged plugin libraries in the plugin path: a truncated file (SIGBUS inside dlopen), a
// descriptor function returning NULL or a descriptor with NULL fields (SIGSEGV in the registry).
// Each is refused naming the file and why, with a warning; the other plugins still load, so
// `xrecon plugins` and every other command still work. Folders others may write to are warned of.
#include <sys/stat.h>

#include <xrecon/version.hpp>

#include "hostile.hpp"

using namespace hostile;

namespace {

const fs::path kShippedIo = fs::path(XRECON_PLUGIN_BUILD_DIR) / "xrecon_plugin_io.so";

std::string with_plugin_path(const fs::path& folder) { return "XRECON_PLUGIN_PATH=" + folder.string() + " "; }

// `xrecon plugins` succeeded and still lists the shipped plugins' components.
void expect_shipped_plugins_listed(const CommandResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* component : {"io.hdf5_writer", "sim.phantom", "tomo.sirt"})
    EXPECT_NE(r.output.find(std::string("  ") + component + "  [stage]"), std::string::npos) << component << "\n"
                                                                                             << r.output;
}

}  // namespace

// Cut at several places: inside the ELF header, inside the program headers, in the middle of the
// code, and just before the section header table at the end.
TEST(DamagedPlugins, ATruncatedLibraryIsRefusedNamingTheFile) {
  const std::uintmax_t size = fs::file_size(kShippedIo);
  for (const std::uintmax_t kept : {std::uintmax_t(10), std::uintmax_t(100), size / 2, size - 100}) {
    TempDir dir;
    const fs::path copy = dir / "xrecon_plugin_io.so";
    fs::copy_file(kShippedIo, copy);
    fs::resize_file(copy, kept);
    const CommandResult r = run_command(with_plugin_path(dir.path()) + xrecon_command("plugins"));
    expect_shipped_plugins_listed(r);  // the shipped io plugin, further along the path, stands in
    EXPECT_NE(r.output.find("refused: " + copy.string() + ": truncated: "), std::string::npos) << kept << "\n"
                                                                                               << r.output;
    EXPECT_NE(r.output.find("plugin file " + copy.string() + " refused: truncated: "), std::string::npos)
        << "no warning on stderr\n" << r.output;
  }
}

TEST(DamagedPlugins, AFileThatIsNotALibraryIsRefused) {
  TempDir dir;
  // Longer than an ELF header, so that the signature is what gives it away.
  std::ofstream(dir / "xrecon_plugin_notes.so") << "#!/bin/sh\n# notes about plugins, saved by mistake under a plugin's name\n";
  const CommandResult r = run_command(with_plugin_path(dir.path()) + xrecon_command("plugins"));
  expect_shipped_plugins_listed(r);
  EXPECT_NE(r.output.find("refused: " + (dir / "xrecon_plugin_notes.so") + ": not a shared library (no ELF signature)"),
            std::string::npos)
      << r.output;
}

TEST(DamagedPlugins, NullDescriptorsAndFieldsAreRefusedNamingTheFile) {
  const fs::path folder = XRECON_DAMAGED_PLUGIN_DIR;
  const CommandResult r = run_command(with_plugin_path(folder) + xrecon_command("plugins"));
  expect_shipped_plugins_listed(r);
  const auto refused = [&](const std::string& file, const std::string& reason) {
    EXPECT_NE(r.output.find("refused: " + (folder / file).string() + ": " + reason), std::string::npos)
        << reason << "\n" << r.output;
  };
  refused("xrecon_plugin_nulldescriptor.so", "xrecon_plugin_descriptor_v1 returned no descriptor (NULL)");
  refused("xrecon_plugin_nullfields.so", "its descriptor has no name, version, build_tag, components (NULL)");
  refused("xrecon_plugin_nullcomponents.so",
          "plugin 'nullcomponents' listed no components (its components function returned NULL)");

  // A command that needs a shipped component runs, warning about the damaged files.
  const CommandResult describe = run_command(with_plugin_path(folder) + xrecon_command("describe tomo.sirt"));
  EXPECT_EQ(describe.exit_code, 0) << describe.output;
  EXPECT_NE(describe.output.find("plugin file " + (folder / "xrecon_plugin_nullfields.so").string() + " refused"),
            std::string::npos)
      << describe.output;
}

TEST(DamagedPlugins, APluginFolderEveryoneMayWriteToIsWarnedOf) {
  TempDir dir;
  const fs::path folder = dir.path() / "plugins";
  fs::create_directory(folder);
  ::chmod(folder.c_str(), 0777);
  const CommandResult r = run_command(with_plugin_path(folder) + xrecon_command("plugins"));
  expect_shipped_plugins_listed(r);
  EXPECT_NE(r.output.find("warning: " + folder.string() +
                          ": plugin folder is writable by every user (mode 0777): whoever can write there can make "
                          "xrecon run their code"),
            std::string::npos)
      << r.output;
}

// Code of a library runs when it is loaded (static constructors). A library that is not a stamped
// plugin for this ABI and compiler is refused from its file, before loading: no mark is left.
namespace {

struct StampRun {
  CommandResult result;
  bool constructor_ran = false;
};

StampRun list_plugins_of(const std::string& folder_name) {
  TempDir dir;
  const fs::path mark = dir / "constructor-ran";
  const fs::path folder = fs::path(XRECON_STAMP_PLUGIN_DIR) / folder_name;
  StampRun run;
  run.result = run_command("XRECON_TEST_CONSTRUCTOR_MARK=" + mark.string() + " " + with_plugin_path(folder) +
                           xrecon_command("plugins"));
  run.constructor_ran = fs::exists(mark);
  return run;
}

}  // namespace

TEST(DamagedPlugins, AnUnstampedLibraryIsRefusedWithoutRunningItsCode) {
  const StampRun run = list_plugins_of("unstamped");
  expect_shipped_plugins_listed(run.result);
  const fs::path file = fs::path(XRECON_STAMP_PLUGIN_DIR) / "unstamped" / "xrecon_plugin_unstamped.so";
  EXPECT_NE(run.result.output.find("refused: " + file.string() + ": carries no xrecon plugin stamp"), std::string::npos)
      << run.result.output;
  EXPECT_NE(run.result.output.find("none of its code ran"), std::string::npos) << run.result.output;
  EXPECT_FALSE(run.constructor_ran) << "the refused library's static constructor ran";
}

TEST(DamagedPlugins, AnotherCompilersPluginIsRefusedWithoutRunningItsCode) {
  const StampRun run = list_plugins_of("foreigncompiler");
  expect_shipped_plugins_listed(run.result);
  EXPECT_NE(run.result.output.find("plugin 'foreigncompiler' built with 'othercc-1;libstdc++-abi0', but this engine was "
                                   "built with '" XRECON_BUILD_TAG "'"),
            std::string::npos)
      << run.result.output;
  EXPECT_FALSE(run.constructor_ran) << "the refused library's static constructor ran";
}

// The control: a library whose stamp passes is loaded (its constructor runs, so the mark works),
// and then refused because its descriptor claims to be another plugin than its stamp said.
TEST(DamagedPlugins, ADescriptorThatDisagreesWithItsStampIsRefused) {
  const StampRun run = list_plugins_of("disagreeing");
  expect_shipped_plugins_listed(run.result);
  EXPECT_NE(run.result.output.find("its descriptor (plugin 'tomo', SDK ABI " XRECON_SDK_ABI_STRING
                                   ", '" XRECON_BUILD_TAG "') disagrees with its stamp (plugin 'disagreeing'"),
            std::string::npos)
      << run.result.output;
  EXPECT_TRUE(run.constructor_ran) << "the control library's constructor left no mark: the mark does not work";
}
