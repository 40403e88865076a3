#pragma once
// What the GPU benchmarks share: GPU 0's peak memory bandwidth and FP32 rate from its attributes
// (0 without a GPU, which skips the entry with the reason), and a timer of CUDA events on the
// default stream. CUDA sources only (it uses the runtime API).
#include <benchmark/benchmark.h>
#include <cuda_runtime_api.h>

#include <string>

namespace xrecon::bench {

struct GpuPeaks {
  double bandwidth = 0;   // bytes per second
  double fp32_flops = 0;  // flops per second, FMA counted as 2
};

// GPU 0's peaks, 0 when there is no GPU; adds them to the benchmark's context once.
inline const GpuPeaks& gpu_peaks() {
  static const GpuPeaks peaks = [] {
    GpuPeaks p;
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) return p;
    int memory_khz = 0, bus_bits = 0, clock_khz = 0, sms = 0, major = 0, minor = 0;
    cudaDeviceGetAttribute(&memory_khz, cudaDevAttrMemoryClockRate, 0);
    cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0);
    cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, 0);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, 0);
    cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, 0);
    cudaDeviceProp prop{};
    cudaGetDeviceProperties(&prop, 0);
    p.bandwidth = 2.0 * memory_khz * 1e3 * bus_bits / 8.0;  // double data rate
    // FP32 lanes per multiprocessor: 64 on sm_80 (A100) and earlier data-centre parts, 128 since.
    const int lanes = major < 8 || (major == 8 && minor == 0) ? 64 : 128;
    p.fp32_flops = 2.0 * lanes * sms * clock_khz * 1e3;
    benchmark::AddCustomContext("gpu", prop.name);
    benchmark::AddCustomContext("gpu_peak_bandwidth_GBps", std::to_string(p.bandwidth / 1e9));
    benchmark::AddCustomContext("gpu_peak_fp32_GFLOPps", std::to_string(p.fp32_flops / 1e9));
    return p;
  }();
  return peaks;
}

inline bool skipped_without_gpu(benchmark::State& state) {
  if (gpu_peaks().bandwidth > 0) return false;
  state.SkipWithError("no CUDA device present");
  return true;
}

// Elapsed GPU time between start() and stop() on the default stream.
class EventTimer {
 public:
  EventTimer() {
    cudaEventCreate(&start_);
    cudaEventCreate(&stop_);
  }
  ~EventTimer() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  EventTimer(const EventTimer&) = delete;
  EventTimer& operator=(const EventTimer&) = delete;
  void start() { cudaEventRecord(start_, 0); }
  double stop() {
    cudaEventRecord(stop_, 0);
    cudaEventSynchronize(stop_);
    float ms = 0;
    cudaEventElapsedTime(&ms, start_, stop_);
    return ms / 1e3;
  }

 private:
  cudaEvent_t start_{}, stop_{};
};

}  // namespace xrecon::bench
