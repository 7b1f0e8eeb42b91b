// The progress bar of a long sweep on a terminal: the rate and the ETA, on stderr, from counters
// that the kernels bump (one per worker, each on its own cache line) and a thread that reads them.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace plan::sweep {

// 1234567 → "1.23M".
std::string human_rate(double x);

class ProgressBar {
public:
    // `shown`: draw it (else the counters are not kept). `total`: iterations at the counted depth
    // over the whole grid (0 if unknown); `per`: points per iteration.
    ProgressBar(bool shown, int workers, double total, double per);
    ~ProgressBar();  // clears the line
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    // The worker's counter for KernelCall::progress; null when the bar is not shown.
    int64_t* counter(int worker);

private:
    void draw(double seconds) const;

    struct alignas(64) Counter {  // one cache line each: workers never share one
        std::atomic<int64_t> n{0};
    };
    static_assert(sizeof(std::atomic<int64_t>) == sizeof(int64_t) && std::atomic<int64_t>::is_always_lock_free);
    std::vector<Counter> counters_;
    double total_, per_;
    std::atomic<bool> finished_{false};
    std::thread monitor_;
};

}  // namespace plan::sweep
