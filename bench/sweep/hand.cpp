// The same two sweeps as sweep2d.plan and sweep5d.plan, written by hand in C++ (compiled with
// -O3 -march=native): the practical limit. Loops nest as in plan, invariant work hoisted (and, in
// the 2-D grid, the data term tabled per d, as plan does), a top-5
// kept as a sorted array. Prints the feasible count, the best objective and the time.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

static std::vector<double> log_range(double from, double to, int n) {
    std::vector<double> v(n);
    double ratio = std::log(to / from) / (n - 1);
    for (int i = 0; i < n; ++i) v[i] = i == n - 1 ? to : from * std::exp(ratio * i);
    return v;
}

static double loss(double n, double d) { return 1.69 + 406.4 / std::pow(n, 0.34) + 410.7 / std::pow(d, 0.28); }

struct Top5 {
    double key[5] = {INFINITY, INFINITY, INFINITY, INFINITY, INFINITY};
    void offer(double k) {
        if (!(k < key[4])) return;
        int i = 4;
        while (i > 0 && k < key[i - 1]) {
            key[i] = key[i - 1];
            --i;
        }
        key[i] = k;
    }
};

struct Result {
    long feasible = 0;
    double best = 0, points = 0;
};

static Result sweep(int which) {
    long feasible = 0;
    Top5 top;
    double points = 0;
    if (which == 2) {
        auto ns = log_range(1e8, 1e12, 2000), ds = log_range(1e9, 1e14, 2000);
        points = 2000.0 * 2000;
        // The data term depends on d alone: computed once per d, as plan's JIT (and NumPy) do.
        std::vector<double> data_term(ds.size());
        for (size_t j = 0; j < ds.size(); ++j) data_term[j] = 410.7 / std::pow(ds[j], 0.28);
        for (double n : ns) {
            if (!(n * 16 <= 64 * 80e9)) continue;
            double model_term = 1.69 + 406.4 / std::pow(n, 0.34);
            for (size_t j = 0; j < ds.size(); ++j) {
                double compute = 6 * n * ds[j];
                if (!(compute <= 1e24)) continue;
                ++feasible;
                top.offer(model_term + data_term[j]);
            }
        }
    } else {
        auto ns = log_range(1e8, 1e12, 100), ds = log_range(1e9, 1e14, 100);
        const double tps[] = {1, 2, 4, 8}, mbss[] = {1, 2, 4, 8, 16, 32, 64, 128};
        points = 100.0 * 100 * 16 * 4 * 8;
        for (double n : ns)
            for (double d : ds) {
                double compute = 6 * n * d;
                if (!(compute <= 1e24)) continue;
                double l = loss(n, d);
                for (int g = 0; g < 16; ++g) {
                    double gpus = 64 + g * 64.0;
                    for (double tp : tps)
                        for (double mbs : mbss) {
                            double memory = n * 16 / tp + mbs * std::sqrt(n) * 2048 * 34 / tp;
                            if (!(memory <= 80e9)) continue;
                            double rate = gpus * 989e12 * 0.45 * (1 - 0.04 * std::log2(tp)) * (1 - 0.2 / mbs);
                            double time = compute / rate;
                            if (!(time <= 120 * 86400.0)) continue;
                            ++feasible;
                            top.offer(l + time / (1000 * 86400.0));
                        }
                }
            }
    }
    return {feasible, top.key[0], points};
}

// The best of three runs, as for the other programs.
int main(int argc, char** argv) {
    int which = argc > 1 ? std::atoi(argv[1]) : 2;
    Result r;
    double secs = INFINITY;
    for (int run = 0; run < 3; ++run) {
        auto start = std::chrono::steady_clock::now();
        r = sweep(which);
        secs = std::min(secs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("feasible %ld best %.6g time %.6f s points/s %.4g\n", r.feasible, r.best, secs, r.points / secs);
}
