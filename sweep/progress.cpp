#include "sweep/progress.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

#include <fmt/format.h>

namespace plan::sweep {

std::string human_rate(double x) {
    const char* suffix[] = {"", "k", "M", "G", "T"};
    int i = 0;
    while (x >= 1000 && i < 4) {
        x /= 1000;
        ++i;
    }
    return fmt::format("{:.3g}{}", x, suffix[i]);
}

ProgressBar::ProgressBar(bool shown, int workers, double total, double per)
    : counters_(shown ? static_cast<size_t>(workers) : 0), total_(total), per_(per) {
    if (!shown) return;
    monitor_ = std::thread([this] {
        auto start = std::chrono::steady_clock::now();
        while (!finished_.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            draw(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        std::cerr << "\r" << std::string(72, ' ') << "\r" << std::flush;
    });
}

ProgressBar::~ProgressBar() {
    finished_.store(true);
    if (monitor_.joinable()) monitor_.join();
}

int64_t* ProgressBar::counter(int worker) {
    if (counters_.empty()) return nullptr;
    return reinterpret_cast<int64_t*>(&counters_[static_cast<size_t>(worker)].n);
}

void ProgressBar::draw(double seconds) const {
    double done = 0;
    for (auto& c : counters_) done += static_cast<double>(c.n.load(std::memory_order_relaxed));
    std::string line;
    if (total_ > 0) {
        double frac = std::min(1.0, done / total_);
        int filled = static_cast<int>(frac * 30);
        double eta = frac > 0 ? seconds * (1 - frac) / frac : 0;
        line = fmt::format("\r[{}{}] {:5.1f}%  {} points/s  ETA {:.0f} s ", std::string(filled, '#'), std::string(30 - filled, ' '),
                           frac * 100, human_rate(done * per_ / seconds), eta);
    } else {
        line = fmt::format("\r{} points/s ", human_rate(done * per_ / seconds));
    }
    std::cerr << line << std::flush;
}

}  // namespace plan::sweep
