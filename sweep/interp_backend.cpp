#include "sweep/interp_backend.hpp"

#include <algorithm>

#include "grammar/diagnostic.hpp"
#include "interpreter/sweep_items.hpp"
#include "sweep/report.hpp"

namespace plan::sweep {

namespace {

[[noreturn]] void not_reproduced(const CheckedSweep& sweep, size_t failing) {
    runtime_error(Code::JitMismatch, sweep.items[std::min(failing, sweep.items.size() - 1)].expr->span,
                  "the compiled sweep failed here but the interpreter does not (a JIT bug)", "run with `--backend interp`");
}

// One kernel call on the interpreter: the walk over the sweep's items (interpreter/sweep_items.hpp)
// with values computed by the evaluator, each axis over the part of its list the range covers.
class Call {
public:
    Call(const CheckedSweep& sweep, const Space& space, const Evaluator& eval, StringTable& strings, KernelCall& call)
        : s_(sweep), space_(space), eval_(eval), strings_(strings), call_(call), frame_(static_cast<size_t>(sweep.frame_size)),
          index_(axis_items(sweep).size()), resuming_(call.resume != 0) {
        eval_.cancel_on(nullptr);  // the kernel's halt word stops it between points
    }

    void run() {
        try {
            walk_items(s_, 0, *this);
            if (!halted_) call_.status = kDone;
        } catch (const DiagnosticError&) {
            // The host replays the point for the diagnostic, as it does a compiled kernel's.
            call_.status = kError;
            call_.error[0] = current_;
            std::vector<int> axes = axis_items(s_);
            for (size_t d = 0; d < depth_; ++d) call_.error[1 + d] = cell_of(frame_[s_.items[axes[d]].slot], strings_);
        }
    }

    Value value(int item) {
        current_ = item;
        return eval_.eval(*s_.items[item].expr, frame_);
    }
    void bind(int item, Value v) { frame_[s_.items[item].slot] = std::move(v); }
    bool require(int, const Value& v) { return v.truth(); }
    void key(int item, const Value& v) { key_ = s_.items[item].maximize ? -v.num() : v.num(); }

    template <class Rest>
    void axis(int item, const Rest& rest) {
        Value list = value(item);
        const std::vector<Value>& values = list.list().items;
        const size_t depth = depth_++;
        auto [start, end] = covered(depth, static_cast<int64_t>(values.size()));
        if (resuming_) {  // every axis starts where the last call stopped, up to the innermost
            start = call_.cursor[depth];
            resuming_ = depth + 1 < index_.size();
        }
        if (depth + 1 == index_.size() && !count_points(depth, start, end)) {
            --depth_;
            return;
        }
        const int slot = s_.items[item].slot;
        for (int64_t i = start; i < end; ++i) {
            if (call_.stop && __atomic_load_n(call_.stop, __ATOMIC_RELAXED)) {
                halt(kStopped);
                break;
            }
            if (static_cast<int>(depth) == space_.progress_depth && call_.progress)
                __atomic_fetch_add(call_.progress, 1, __ATOMIC_RELAXED);
            if (depth == 0) outer_ = i;
            frame_[slot] = values[static_cast<size_t>(i)];
            index_[depth] = i;
            rest();
            if (halted_) break;
        }
        --depth_;
    }

    void feasible() {
        const int64_t order = call_.feasible;
        if (key_ <= call_.bound) {
            if (call_.count == call_.capacity) {
                std::copy(index_.begin(), index_.end(), call_.cursor);
                call_.points -= inner_end_ - index_.back();  // counted again when the next call resumes here
                halt(kFull);
                return;
            }
            const size_t columns = s_.columns.size();
            double* row = call_.rows + static_cast<size_t>(call_.count) * (columns + 1);
            for (size_t c = 0; c < columns; ++c) row[c] = cell_of(frame_[s_.columns[c].slot], strings_);
            row[columns] = key_;
            call_.orders[call_.count++] = order;
        }
        call_.feasible = order + 1;
    }

private:
    void halt(Status status) {
        halted_ = true;
        call_.status = status;
    }

    // Entering a loop of the innermost axis over [start, end): its points are counted, or, when
    // they would pass the call's budget, the call leaves with the loop's start as the cursor.
    bool count_points(size_t depth, int64_t start, int64_t end) {
        const int64_t n = std::max<int64_t>(0, end - start);
        if (n > call_.budget - call_.points) {
            std::copy(index_.begin(), index_.begin() + static_cast<std::ptrdiff_t>(depth), call_.cursor);
            call_.cursor[depth] = start;
            halt(call_.points == 0 ? kOverBudget : kFull);
            return false;
        }
        call_.points += n;
        inner_end_ = end;
        return true;
    }

    // The items [start, end) of the axis at `depth` (of `count` items) that the call's range covers.
    std::pair<int64_t, int64_t> covered(size_t depth, int64_t count) const {
        const int64_t lo = call_.lo, hi = call_.hi, n = space_.pairs;
        if (depth == 0 && n > 0) return {lo / n, std::min(count, (hi + n - 1) / n)};
        if (depth == 0) return {lo, std::min(count, hi)};
        if (depth == 1 && n > 0)
            return {outer_ == lo / n ? lo % n : 0, std::min(count, outer_ == (hi - 1) / n ? (hi - 1) % n + 1 : n)};
        return {0, count};
    }

    const CheckedSweep& s_;
    const Space& space_;
    Evaluator eval_;  // its own: calls run at once on several threads
    StringTable& strings_;
    KernelCall& call_;
    std::vector<Value> frame_;
    std::vector<int64_t> index_;  // of each bound axis in its list: the cursor
    size_t depth_ = 0;            // axes bound
    int64_t outer_ = 0;                // index of the outer axis's item
    int64_t inner_end_ = 0;            // where the innermost loop being run ends
    int current_ = 0;                  // the item being evaluated
    double key_ = 0;
    bool resuming_;
    bool halted_ = false;
};

// The point of a failure, evaluated again item by item up to the failing one: the axes take the
// values the kernel gave, and every item is evaluated (constraints do not stop it).
class Replay {
public:
    Replay(const CheckedSweep& sweep, Evaluator& eval, const StringTable& strings, const std::vector<double>& error)
        : s_(sweep), eval_(eval), strings_(strings), error_(error), failing_(static_cast<size_t>(error.at(0))),
          frame_(static_cast<size_t>(sweep.frame_size)) {}

    Value value(int item) {
        Value v = eval_.eval(*s_.items[item].expr, frame_);
        if (static_cast<size_t>(item) == failing_) not_reproduced(s_, failing_);
        return v;
    }
    void bind(int item, Value v) { frame_[s_.items[item].slot] = std::move(v); }
    bool require(int, const Value&) { return true; }
    void key(int, const Value&) {}
    template <class Rest>
    void axis(int item, const Rest& rest) {
        const auto& axis = s_.items[item];
        if (static_cast<size_t>(item) == failing_) value(item);
        frame_[axis.slot] = value_of_cell(*axis.expr->type.elem, error_.at(1 + axes_++), strings_);
        rest();
    }
    void feasible() { not_reproduced(s_, failing_); }

private:
    const CheckedSweep& s_;
    Evaluator& eval_;
    const StringTable& strings_;
    const std::vector<double>& error_;
    size_t failing_;
    std::vector<Value> frame_;
    size_t axes_ = 0;
};

}  // namespace

Backend interpreter_backend() {
    auto compile = [](const CheckedSweep& sweep, Evaluator& eval, const Space& space, bool) {
        auto code = std::make_unique<CompiledSweep>();
        code->cursor_size = axis_items(sweep).size();
        StringTable* strings = &code->strings;  // lives as long as the launch function beside it
        code->launch = [&sweep, eval, space, strings](KernelCall& call) { Call(sweep, space, eval, *strings, call).run(); };
        return code;
    };
    return {"interp", compile};
}

void replay_failure(const CheckedSweep& sweep, Evaluator& eval, const StringTable& strings, const std::vector<double>& error) {
    Replay replay(sweep, eval, strings, error);
    walk_items(sweep, 0, replay);  // throws: in the failing item, or in feasible()
    not_reproduced(sweep, static_cast<size_t>(error.at(0)));
}

}  // namespace plan::sweep
