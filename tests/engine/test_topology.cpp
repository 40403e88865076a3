// NVLink cliques over synthetic link matrices (a DGX-like node, two NVLink islands, PCIe only)
// and the text `xrecon devices` prints for them.
#include <gtest/gtest.h>

#include "xrecon/engine/topology.hpp"

using namespace xrecon::engine;

namespace {

// `gpus` GPUs with peer access everywhere; NVLink between a and b when same_island(a, b).
template <typename SameIsland>
LinkMatrix links_of(int gpus, SameIsland same_island) {
  LinkMatrix links(std::size_t(gpus), std::vector<GpuLink>(std::size_t(gpus), GpuLink{}));
  for (int a = 0; a < gpus; ++a)
    for (int b = 0; b < gpus; ++b) {
      if (a == b) continue;
      const bool nv = same_island(a, b);
      links[std::size_t(a)][std::size_t(b)] = {true, nv ? 0 : 1, nv ? GpuLink::NvLink::present : GpuLink::NvLink::absent};
    }
  return links;
}

}  // namespace

TEST(NvlinkCliques, DgxLikeNodeIsOneClique) {
  const auto cliques = nvlink_cliques(links_of(8, [](int, int) { return true; }));
  EXPECT_EQ(cliques, (std::vector<std::vector<int>>{{0, 1, 2, 3, 4, 5, 6, 7}}));
}

TEST(NvlinkCliques, TwoIslandsOfFour) {
  const auto cliques = nvlink_cliques(links_of(8, [](int a, int b) { return a / 4 == b / 4; }));
  EXPECT_EQ(cliques, (std::vector<std::vector<int>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
}

TEST(NvlinkCliques, InterleavedIslandsKeepIndexOrder) {
  const auto cliques = nvlink_cliques(links_of(4, [](int a, int b) { return a % 2 == b % 2; }));
  EXPECT_EQ(cliques, (std::vector<std::vector<int>>{{0, 2}, {1, 3}}));
}

TEST(NvlinkCliques, PcieOnlyGivesOneCliquePerGpu) {
  const auto cliques = nvlink_cliques(links_of(4, [](int, int) { return false; }));
  EXPECT_EQ(cliques, (std::vector<std::vector<int>>{{0}, {1}, {2}, {3}}));
}

TEST(NvlinkCliques, UnknownNvlinkIsNotTrusted) {
  LinkMatrix links(2, std::vector<GpuLink>(2));
  links[0][1] = links[1][0] = {true, 0, GpuLink::NvLink::unknown};
  EXPECT_EQ(nvlink_cliques(links), (std::vector<std::vector<int>>{{0}, {1}}));
}

TEST(NvlinkCliques, NoGpusNoCliques) { EXPECT_TRUE(nvlink_cliques({}).empty()); }

TEST(DescribeTopology, PrintsGpusMatrixAndCliques) {
  Topology topology;
  topology.cpu = {64, 512ull << 30};
  for (int i = 0; i < 4; ++i) topology.gpus.push_back({i, "NVIDIA H100 80GB HBM3", 80ull << 30, 9, 0, 18});
  topology.links = links_of(4, [](int a, int b) { return a / 2 == b / 2; });
  const std::string text = describe_topology(topology);
  EXPECT_NE(text.find("cpu: 64 cores, 512.0 GiB memory\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cuda:3: NVIDIA H100 80GB HBM3, 80.0 GiB, compute capability 9.0, 18 active NVLinks\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("cuda:0 X       NV      P2P/1   P2P/1   \n"), std::string::npos) << text;
  EXPECT_NE(text.find("NVLink cliques: {cuda:0,cuda:1} {cuda:2,cuda:3}\n"), std::string::npos) << text;
}

TEST(DescribeTopology, WithoutGpusSaysWhy) {
  Topology topology;
  topology.cpu = {2, 8ull << 30};
  topology.gpu_note = "no GPUs shown: the CUDA runtime found no device";
  EXPECT_EQ(describe_topology(topology), "cpu: 2 cores, 8.0 GiB memory\nno GPUs shown: the CUDA runtime found no device\n");
}

TEST(ReadTopology, AlwaysDescribesTheCpu) {
  const Topology topology = read_topology();
  EXPECT_GT(topology.cpu.cores, 0);
  EXPECT_GT(topology.cpu.memory_bytes, 0u);
  if (topology.gpus.empty()) EXPECT_NE(topology.gpu_note.find("no GPUs shown"), std::string::npos);
  EXPECT_EQ(topology.links.size(), topology.gpus.size());
}
