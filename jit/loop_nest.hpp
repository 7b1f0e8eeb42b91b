// Internal: the loop nest of a kernel (loop_nest.cpp), for lower.cpp. It does not depend on the
// target: the kernel protocol's entry and exit (`void kernel(KernelCall*)`, sweep/kernel.hpp), one
// loop per axis over the part of its list the call's range covers, each item lowered at the depth
// where it stands by the walk of interpreter/sweep_items.hpp (so work that depends only on outer
// axes is hoisted, and a failed constraint continues the loop at its depth), rows written to the
// host's buffer and, when it is full, where to resume. Runtime errors set a flag, tested after
// each item; the kernel then leaves with the failing point. The host CPU's blocked vector pass
// over the innermost axis (blocked.cpp) plugs in here; another target would lower that loop its
// own way.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jit/axis_lists.hpp"
#include "jit/lower_expr.hpp"
#include "jit/tables.hpp"

namespace plan::jit {

class LoopNest {
public:
    // `blocked`: the innermost axis runs in blocks with a branch-free first pass (blocked.cpp),
    // short innermost axes flattened into one loop for it.
    LoopNest(const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, llvm::Module& m, const std::string& name,
             bool blocked);

    // Builds the kernel function. Throws Unsupported.
    void build();
    llvm::Function& kernel() const { return *fn_; }
    llvm::BasicBlock& entry() const { return *entry_; }
    const std::vector<InnerLoad>& inner_loads() const { return inner_loads_; }
    const std::vector<std::string>& strings() const { return x_->strings(); }
    size_t cursor_size() const { return cursor_size_; }

    // The primitives of the walk over the items (interpreter/sweep_items.hpp).
    LV value(int item);
    void bind(int item, LV v);
    bool require(int item, const LV& condition);
    void key(int item, const LV& objective);
    void axis(int item, const std::function<void()>& rest);
    void feasible();

private:
    struct Bounds {  // of an axis loop
        llvm::Value* start;           // of the range's part of the axis
        llvm::Value* end;
        llvm::Value* on_cursor_path;  // whether it resumes at the cursor (see Loop)
        llvm::Value* first;           // the first item to evaluate: the cursor's there, else start
    };
    struct Loop {  // around the point being lowered
        llvm::Value* index;
        // Whether the loops from the outermost to this one started at the cursor of a call that
        // resumes: on that path alone (taken once per call) the next loop starts at the cursor too.
        llvm::Value* on_cursor_path;
    };

    void enter();
    void finish(sweep::Status status);
    void finish(llvm::Value* status);
    void count_points(const Bounds& bounds);
    llvm::MDNode* weights_unlikely();
    void fail_here(llvm::Value* item, const std::vector<llvm::Value*>& axes);
    void check(int item);
    void progress(llvm::Value* n);
    llvm::BranchInst* counted_loop(const std::string& name, llvm::Value* start, llvm::Value* end, llvm::Value* stride,
                                   const LoopBody& body);
    llvm::Value* key_of(int item, llvm::Value* objective);
    void write_row(llvm::Value* key, llvm::Value* order, llvm::BasicBlock* done);

    Bounds covered(size_t depth, const Sequence& seq);
    llvm::Value* cursor_at(size_t loop);
    int innermost_loop() const;
    bool in_group_tail(int item) const;
    llvm::Value* bind_axis(const CheckedSweep::Item& item, llvm::Value* x, Interval range);
    std::vector<llvm::Value*> bind_point(int item, const Sequence& seq, llvm::Value* i, bool innermost);
    void axis_body(int item, const Sequence& seq, llvm::Value* i, llvm::Value* on_cursor_path, llvm::BasicBlock* next, bool innermost,
                   const std::function<void()>& rest);
    static Interval number_range(const TExpr& list, const std::vector<double>& xs);
    Sequence sequence(const TExpr& e, int item);

    // The host's vector pass (blocked.cpp): flattening, and the blocked innermost axis.
    std::vector<int> flatten_group();
    Sequence flattened();
    void blocked_axis(int item, const Sequence& seq, Bounds bounds, bool counts_progress, const std::function<void()>& rest);
    void interleave_once(llvm::BranchInst* back);
    friend class Survey;

    const CheckedSweep& s_;
    Evaluator& eval_;
    const sweep::Space space_;
    llvm::Module& m_;
    llvm::LLVMContext& ctx_;
    llvm::IRBuilder<> b_;
    llvm::Function* fn_;
    llvm::Type *f64_, *i1_, *i8_, *i32_, *i64_;
    llvm::BasicBlock* entry_ = nullptr;
    std::optional<ExprLowering> x_;
    std::optional<AxisLists> lists_;
    std::vector<int> axes_;  // item indices of the axes
    // The call's inputs, read once at entry.
    llvm::Value *lo_ = nullptr, *hi_ = nullptr, *bound_ = nullptr, *capacity_ = nullptr, *budget_ = nullptr;
    llvm::Value *stop_ = nullptr, *progress_ = nullptr, *rows_ = nullptr, *orders_ = nullptr, *cursor_ = nullptr, *error_ = nullptr;
    llvm::AllocaInst *feasible_ = nullptr, *count_ = nullptr, *key_ = nullptr, *points_ = nullptr;
    llvm::Value* resume_ = nullptr;             // the call resumes from the cursor (i1)
    llvm::BasicBlock* cont_ = nullptr;         // where a point that fails a constraint goes on
    std::vector<llvm::Value*> axis_values_;    // of the axes bound at the point being lowered
    std::vector<Loop> loops_;                  // around it: where it is, for the cursor
    llvm::Value* outer_index_ = nullptr;
    llvm::Value* inner_end_ = nullptr;          // where the innermost loop ends (count_points)
    size_t cursor_size_ = 0;
    std::vector<InnerLoad> inner_loads_;
    std::vector<int> group_;  // item indices of the flattened innermost axes (see flatten_group)
    bool blocked_;
};

}  // namespace plan::jit
