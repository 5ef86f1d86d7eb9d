#pragma once
// Percentiles over latency samples, for the benchmarks' printed tables.
#include <algorithm>
#include <cstdio>
#include <vector>

namespace latent::bench {

struct Stats {
    double median = 0, p95 = 0, p99 = 0, max = 0;
};

inline Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, std::size_t(q * double(v.size() - 1) + 0.5))]; };
    s.median = at(0.5);
    s.p95 = at(0.95);
    s.p99 = at(0.99);
    s.max = v.back();
    return s;
}

inline void printRow(const char* name, const Stats& s, const char* unit) {
    std::printf("%-34s median %9.3f  p95 %9.3f  p99 %9.3f  max %9.3f %s\n", name, s.median, s.p95, s.p99, s.max, unit);
}

}  // namespace latent::bench
