#pragma once
// Where each YAML document of a text starts, read without building nodes. It replaces
// YAML::LoadAll, which yaml-cpp 0.7 (Debian 12) loops on forever, allocating, for some invalid
// input such as a stray ',' (yaml-cpp issue 1040, fixed upstream in 0.8.0 by PR 1319): a document
// that starts where the previous one started means the parser is stuck, and is an error here.
#include <cstddef>
#include <string>
#include <vector>

#include <yaml-cpp/mark.h>

namespace xrecon::engine {

// The start of each document, at most `limit` of them. Throws YAML::ParserException for invalid
// YAML, including input on which the parser makes no progress.
std::vector<YAML::Mark> yaml_document_starts(const std::string& text, std::size_t limit);

}  // namespace xrecon::engine
