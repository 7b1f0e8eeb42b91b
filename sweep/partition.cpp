#include "sweep/partition.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "grammar/diagnostic.hpp"
#include "interpreter/sweep_items.hpp"

namespace plan::sweep {

namespace {

// An outer axis with fewer items would split badly across threads (7 tensor-parallel degrees on
// 2 cores): ranges then count (outer, second) pairs.
constexpr size_t kFewOuterItems = 256;
constexpr int kRangesPerWorker = 8;

// The number of items of an axis list known before the sweep runs; none when it reads the sweep's
// locals, or fails (the kernel meets that error at its place).
std::optional<size_t> known_length(const TExpr& list, Evaluator& eval, int frame_size) {
    if (reads_sweep_locals(list)) return std::nullopt;
    try {
        return eval.evaluate(list, frame_size).list().items.size();
    } catch (const DiagnosticError&) {
        return std::nullopt;
    }
}

}  // namespace

Space space_of(const CheckedSweep& sweep, Evaluator& eval) {
    std::vector<std::optional<size_t>> lengths;  // of the axes, outermost first
    for (const auto& item : sweep.items)
        if (item.kind == CheckedSweep::Item::Kind::Axis) lengths.push_back(known_length(*item.expr, eval, sweep.frame_size));
    Space space;
    const auto& outer = lengths.at(0);
    if (lengths.size() >= 2 && outer && lengths[1] && *outer < kFewOuterItems && *lengths[1] > 0)
        space.pairs = static_cast<int64_t>(*lengths[1]);
    if (outer) space.units = static_cast<int64_t>(*outer) * std::max<int64_t>(space.pairs, 1);
    // Progress is counted (and the stop word read) per iteration of the second axis when there are
    // three axes or more, or ranges of pairs (the outer axis may have few items), else of the outer
    // axis: never per point.
    space.progress_depth = lengths.size() >= 3 || space.pairs > 0 ? 1 : 0;
    space.progress_total = 1;
    for (int depth = 0; depth <= space.progress_depth; ++depth)
        space.progress_total *= lengths[depth] ? static_cast<double>(*lengths[depth]) : 0.0;
    return space;
}

std::vector<Range> cut(const Space& space, int workers) {
    if (space.units < 0) return {{0, std::numeric_limits<int64_t>::max()}};
    const int64_t n = space.units;
    const int64_t size = std::max<int64_t>(1, n / (static_cast<int64_t>(workers) * kRangesPerWorker));
    std::vector<Range> ranges;
    for (int64_t lo = 0; lo < n; lo += size) ranges.push_back({lo, std::min(n, lo + size)});
    if (ranges.empty()) ranges.push_back({0, 0});
    return ranges;
}

}  // namespace plan::sweep
