// Internal: axis lists computed from earlier axes (axis_lists.cpp), and the points of an axis loop,
// for the loop nest (lower.cpp).
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "jit/lower_expr.hpp"

namespace plan::jit {

// An axis whose items are known at compile time, as a table: values[i] is its value at point i.
struct Known {
    int item;                          // the axis's item index in the sweep
    llvm::GlobalVariable* values;
    Interval range;                    // of its numbers, when known
};

// The points of an axis loop: point i (0 <= i < count) is value(i) where valid(i) holds. A loop
// over known lists (`known`, `size`) may stand for several adjacent axes, flattened: then point i
// binds each of them to its table's item i.
struct Sequence {
    llvm::Value* count = nullptr;                        // i64
    std::function<llvm::Value*(llvm::Value*)> value;     // i64 → double (a computed list)
    std::function<llvm::Value*(llvm::Value*)> valid;     // i64 → i1; empty when every item is
    std::vector<Known> known;                            // empty for lists computed in the loop nest
    int64_t size = 0;
};

// The body of a counted loop: given the index, it fills the body and branches to the next block.
using LoopBody = std::function<void(llvm::Value*, llvm::BasicBlock*)>;

// Lowers the lists of axes that depend on earlier axes: ranges, divisors(n), comprehensions over
// such lists, list literals, and calls of functions that return one. Code that computes a count
// or checks a list goes before the loop; `check(item)` leaves the kernel if the list failed.
class AxisLists {
public:
    using Check = std::function<void(int item)>;
    using Loop = std::function<void(const std::string& name, llvm::Value* start, llvm::Value* end, const LoopBody& body)>;
    AxisLists(ExprLowering& x, llvm::IRBuilder<>& b, llvm::Function& fn, llvm::BasicBlock& entry, Check check, Loop loop)
        : x_(x), b_(b), fn_(fn), entry_(entry), check_(std::move(check)), loop_(std::move(loop)) {}

    // Throws Unsupported for a list it cannot lower.
    Sequence computed(const TExpr& e, int index);

private:
    llvm::Value* count_of(llvm::Value* n);
    Sequence sequence_in_frame(std::vector<LV>* frame, const std::function<Sequence()>& make);
    Sequence divisors(const TExpr& e, int index);
    Sequence comprehension(const TExpr& e, int index);
    Sequence computed_or_constant(const TExpr& e, int index);

    ExprLowering& x_;
    llvm::IRBuilder<>& b_;
    llvm::Function& fn_;
    llvm::BasicBlock& entry_;
    Check check_;
    Loop loop_;
    std::deque<std::vector<LV>> frames_;  // frames of functions whose lists are axes
    int lists_ = 0;
};

}  // namespace plan::jit
