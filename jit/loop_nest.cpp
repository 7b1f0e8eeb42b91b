#include "jit/loop_nest.hpp"

#include <algorithm>
#include <cstddef>

#include "interpreter/sweep_items.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Constants.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#pragma GCC diagnostic pop

namespace plan::jit {

LoopNest::LoopNest(const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, llvm::Module& m, const std::string& name,
                   bool blocked)
    : s_(sweep), eval_(eval), space_(space), m_(m), ctx_(m.getContext()), b_(ctx_), axes_(axis_items(sweep)), blocked_(blocked) {
    f64_ = llvm::Type::getDoubleTy(ctx_);
    i1_ = llvm::Type::getInt1Ty(ctx_);
    i8_ = llvm::Type::getInt8Ty(ctx_);
    i32_ = llvm::Type::getInt32Ty(ctx_);
    i64_ = llvm::Type::getInt64Ty(ctx_);
    auto* ptr = llvm::PointerType::get(ctx_, 0);
    fn_ = llvm::Function::Create(llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr}, false),
                                 llvm::Function::ExternalLinkage, name, m_);
    fn_->getArg(0)->setName("call");
    fn_->addParamAttr(0, llvm::Attribute::NoAlias);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
}

void LoopNest::build() {
    entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
    b_.SetInsertPoint(entry_);
    x_.emplace(eval_, m_, b_, fn_, s_.frame_size);
    lists_.emplace(*x_, b_, *fn_, *entry_, [this](int item) { check(item); },
                   [this](const std::string& name, llvm::Value* start, llvm::Value* end, const LoopBody& body) {
                       counted_loop(name, start, end, b_.getInt64(1), body);
                   });
    enter();
    if (blocked_) group_ = flatten_group();
    cont_ = llvm::BasicBlock::Create(ctx_, "done", fn_);
    llvm::BasicBlock* done = cont_;
    walk_items(s_, 0, *this);
    b_.SetInsertPoint(done);
    finish(sweep::kDone);
}

// ---- the kernel protocol ----------------------------------------------------------------------

// Reads the call's inputs; the outputs live in registers (allocas) until the kernel leaves.
void LoopNest::enter() {
    llvm::Value* call = fn_->getArg(0);
    auto field = [&](size_t offset, llvm::Type* type, const char* name) {
        return b_.CreateLoad(type, b_.CreateConstInBoundsGEP1_64(i8_, call, offset), name);
    };
    auto* ptr = llvm::PointerType::get(ctx_, 0);
    using sweep::KernelCall;
    lo_ = field(offsetof(KernelCall, lo), i64_, "lo");
    hi_ = field(offsetof(KernelCall, hi), i64_, "hi");
    bound_ = field(offsetof(KernelCall, bound), f64_, "bound");
    capacity_ = field(offsetof(KernelCall, capacity), i64_, "capacity");
    budget_ = field(offsetof(KernelCall, budget), i64_, "budget");
    rows_ = field(offsetof(KernelCall, rows), ptr, "rows");
    orders_ = field(offsetof(KernelCall, orders), ptr, "orders");
    cursor_ = field(offsetof(KernelCall, cursor), ptr, "cursor");
    error_ = field(offsetof(KernelCall, error), ptr, "error");
    // The optional stop word and progress counter: a null one reads a zero, counts into a local.
    auto* zero = llvm::cast<llvm::GlobalVariable>(m_.getOrInsertGlobal((fn_->getName() + ".no_stop").str(), i32_));
    zero->setInitializer(b_.getInt32(0));
    zero->setConstant(true);
    zero->setLinkage(llvm::GlobalValue::InternalLinkage);
    llvm::Value* stop = field(offsetof(KernelCall, stop), ptr, "stop");
    stop_ = b_.CreateSelect(b_.CreateIsNull(stop), zero, stop);
    llvm::Value* progress = field(offsetof(KernelCall, progress), ptr, "progress");
    progress_ = b_.CreateSelect(b_.CreateIsNull(progress), b_.CreateAlloca(i64_, nullptr, "no_progress"), progress);
    feasible_ = b_.CreateAlloca(i64_, nullptr, "feasible");
    b_.CreateStore(field(offsetof(KernelCall, feasible), i64_, "feasible.in"), feasible_);
    count_ = b_.CreateAlloca(i64_, nullptr, "count");
    b_.CreateStore(b_.getInt64(0), count_);
    points_ = b_.CreateAlloca(i64_, nullptr, "points");
    b_.CreateStore(b_.getInt64(0), points_);
    key_ = b_.CreateAlloca(f64_, nullptr, "key");
    b_.CreateStore(x_->f64(0), key_);
    resume_ = b_.CreateICmpNE(field(offsetof(KernelCall, resume), i32_, "resume"), b_.getInt32(0));
}

void LoopNest::finish(sweep::Status status) { finish(b_.getInt32(status)); }

void LoopNest::finish(llvm::Value* status) {
    llvm::Value* call = fn_->getArg(0);
    auto out = [&](size_t offset, llvm::Value* v) { b_.CreateStore(v, b_.CreateConstInBoundsGEP1_64(i8_, call, offset)); };
    out(offsetof(sweep::KernelCall, feasible), b_.CreateLoad(i64_, feasible_));
    out(offsetof(sweep::KernelCall, count), b_.CreateLoad(i64_, count_));
    out(offsetof(sweep::KernelCall, points), b_.CreateLoad(i64_, points_));
    out(offsetof(sweep::KernelCall, status), status);
    b_.CreateRetVoid();
}

// Entering a loop of the innermost axis: its points are counted, or, when they would pass the
// call's budget, the kernel leaves with the loop's start as the cursor (kOverBudget when it has
// counted nothing yet). One addition per loop, outside it: the points themselves pay nothing.
void LoopNest::count_points(const Bounds& bounds) {
    llvm::Value* items = b_.CreateSub(bounds.end, bounds.first);
    llvm::Value* n = b_.CreateSelect(b_.CreateICmpSLT(items, b_.getInt64(0)), b_.getInt64(0), items);
    llvm::Value* counted = b_.CreateLoad(i64_, points_);
    auto* pause = llvm::BasicBlock::Create(ctx_, "budget.spent", fn_);
    auto* go = llvm::BasicBlock::Create(ctx_, "budget.ok", fn_);
    b_.CreateCondBr(b_.CreateICmpSGT(n, b_.CreateSub(budget_, counted)), pause, go, weights_unlikely());
    b_.SetInsertPoint(pause);
    for (size_t d = 0; d < loops_.size(); ++d) b_.CreateStore(loops_[d].index, b_.CreateConstGEP1_64(i64_, cursor_, d));
    b_.CreateStore(bounds.first, b_.CreateConstGEP1_64(i64_, cursor_, loops_.size()));
    finish(b_.CreateSelect(b_.CreateICmpEQ(counted, b_.getInt64(0)), b_.getInt32(sweep::kOverBudget), b_.getInt32(sweep::kFull)));
    b_.SetInsertPoint(go);
    b_.CreateStore(b_.CreateAdd(counted, n), points_);
    inner_end_ = bounds.end;
}

llvm::MDNode* LoopNest::weights_unlikely() { return llvm::MDBuilder(ctx_).createBranchWeights(1, 1 << 20); }

// Leaves the kernel with the point being evaluated as failing in item `item`.
void LoopNest::fail_here(llvm::Value* item, const std::vector<llvm::Value*>& axes) {
    b_.CreateStore(item, error_);
    for (size_t k = 0; k < axes.size(); ++k) b_.CreateStore(axes[k], b_.CreateConstGEP1_64(f64_, error_, k + 1));
    finish(sweep::kError);
}

// After item `item`: a runtime error in it leaves the kernel with the point.
void LoopNest::check(int item) {
    auto* bad = llvm::BasicBlock::Create(ctx_, "error", fn_);
    auto* ok = llvm::BasicBlock::Create(ctx_, "ok", fn_);
    b_.CreateCondBr(x_->error_flag(), bad, ok, weights_unlikely());
    b_.SetInsertPoint(bad);
    fail_here(x_->f64(item), axis_values_);
    b_.SetInsertPoint(ok);
}

// Progress is counted, and the stop word read, at one depth only.
void LoopNest::progress(llvm::Value* n) {
    b_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, progress_, n, llvm::MaybeAlign(8), llvm::AtomicOrdering::Monotonic);
    auto* load = b_.CreateAlignedLoad(i32_, stop_, llvm::MaybeAlign(4));
    load->setAtomic(llvm::AtomicOrdering::Monotonic);
    auto* stopped = llvm::BasicBlock::Create(ctx_, "stopped", fn_);
    auto* go = llvm::BasicBlock::Create(ctx_, "go", fn_);
    b_.CreateCondBr(b_.CreateICmpNE(load, b_.getInt32(0)), stopped, go, weights_unlikely());
    b_.SetInsertPoint(stopped);
    finish(sweep::kStopped);
    b_.SetInsertPoint(go);
}

// A counted loop from `start` while < `end`; body(i, next) fills the body and branches to next.
// Returns the loop's back edge (to attach loop metadata to).
llvm::BranchInst* LoopNest::counted_loop(const std::string& name, llvm::Value* start, llvm::Value* end, llvm::Value* stride,
                                         const LoopBody& body) {
    llvm::BasicBlock* pre = b_.GetInsertBlock();
    auto* header = llvm::BasicBlock::Create(ctx_, "loop." + name, fn_);
    auto* inside = llvm::BasicBlock::Create(ctx_, "body." + name, fn_);
    auto* latch = llvm::BasicBlock::Create(ctx_, "next." + name, fn_);
    auto* exit = llvm::BasicBlock::Create(ctx_, "exit." + name, fn_);
    b_.CreateBr(header);
    b_.SetInsertPoint(header);
    llvm::PHINode* i = b_.CreatePHI(i64_, 2, name + ".i");
    i->addIncoming(start, pre);
    b_.CreateCondBr(b_.CreateICmpSLT(i, end), inside, exit);
    b_.SetInsertPoint(inside);
    body(i, latch);
    b_.SetInsertPoint(latch);
    llvm::Value* next = b_.CreateAdd(i, stride, "", true, true);
    i->addIncoming(next, latch);
    llvm::BranchInst* back = b_.CreateBr(header);
    b_.SetInsertPoint(exit);
    return back;
}

// ---- the walk's primitives --------------------------------------------------------------------

LV LoopNest::value(int item) {
    x_->clear_error();  // each item starts clean (else it would have left)
    LV v = x_->lower(*s_.items[item].expr);
    check(item);
    return v;
}

void LoopNest::bind(int item, LV v) { x_->frame()[s_.items[item].slot] = std::move(v); }

bool LoopNest::require(int item, const LV& condition) {
    llvm::Value* c = x_->scalar(condition, s_.items[item].expr.get());
    auto* pass = llvm::BasicBlock::Create(ctx_, "feasible", fn_);
    b_.CreateCondBr(c, pass, cont_);
    b_.SetInsertPoint(pass);
    return true;
}

llvm::Value* LoopNest::key_of(int item, llvm::Value* objective) {
    return s_.items[item].maximize ? b_.CreateFNeg(objective) : objective;
}

void LoopNest::key(int item, const LV& objective) {
    b_.CreateStore(key_of(item, x_->scalar(objective, s_.items[item].expr.get())), key_);
}

// A feasible point: counted, and written as a row when its key is within the bound.
void LoopNest::feasible() {
    cursor_size_ = loops_.size();
    llvm::Value* order = b_.CreateLoad(i64_, feasible_);
    llvm::Value* key = b_.CreateLoad(f64_, key_);
    auto* take = llvm::BasicBlock::Create(ctx_, "take", fn_);
    auto* counted = llvm::BasicBlock::Create(ctx_, "counted", fn_);
    b_.CreateCondBr(b_.CreateFCmpOLE(key, bound_), take, counted);
    b_.SetInsertPoint(take);
    write_row(key, order, counted);
    b_.SetInsertPoint(counted);
    b_.CreateStore(b_.CreateAdd(order, b_.getInt64(1)), feasible_);
    b_.CreateBr(cont_);
}

// The row of the point (its columns, then its key) and its order; when the buffer is full, the
// kernel leaves with the point's loop indices as the cursor, not counting the point.
void LoopNest::write_row(llvm::Value* key, llvm::Value* order, llvm::BasicBlock* done) {
    llvm::Value* n = b_.CreateLoad(i64_, count_);
    auto* full = llvm::BasicBlock::Create(ctx_, "full", fn_);
    auto* room = llvm::BasicBlock::Create(ctx_, "room", fn_);
    b_.CreateCondBr(b_.CreateICmpEQ(n, capacity_), full, room, weights_unlikely());
    b_.SetInsertPoint(full);
    for (size_t d = 0; d < loops_.size(); ++d) b_.CreateStore(loops_[d].index, b_.CreateConstGEP1_64(i64_, cursor_, d));
    // The points from this one to the loop's end are counted again when the next call resumes here.
    llvm::Value* unvisited = b_.CreateSub(inner_end_, loops_.back().index);
    b_.CreateStore(b_.CreateSub(b_.CreateLoad(i64_, points_), unvisited), points_);
    finish(sweep::kFull);
    b_.SetInsertPoint(room);
    const size_t columns = s_.columns.size();
    llvm::Value* row = b_.CreateInBoundsGEP(f64_, rows_, b_.CreateMul(n, b_.getInt64(static_cast<int64_t>(columns + 1))));
    for (size_t c = 0; c < columns; ++c) {
        llvm::Value* v = x_->as_double(x_->scalar(x_->frame()[s_.columns[c].slot]));
        b_.CreateStore(v, b_.CreateConstInBoundsGEP1_64(f64_, row, c));
    }
    b_.CreateStore(key, b_.CreateConstInBoundsGEP1_64(f64_, row, columns));
    b_.CreateStore(order, b_.CreateInBoundsGEP(i64_, orders_, n));
    b_.CreateStore(b_.CreateAdd(n, b_.getInt64(1)), count_);
    b_.CreateBr(done);
}

// One loop over an axis (or a flattened group of axes); the items after it form its body.
void LoopNest::axis(int item, const std::function<void()>& rest) {
    x_->clear_error();  // as every item
    if (in_group_tail(item)) {  // bound with the flattened group
        rest();
        return;
    }
    const size_t depth = axis_values_.size();
    const bool innermost = item == innermost_loop();
    Sequence seq = !group_.empty() && item == group_.front() ? flattened() : sequence(*s_.items[item].expr, item);
    Bounds bounds = covered(depth, seq);
    if (innermost) count_points(bounds);
    const bool counts_progress = static_cast<int>(depth) == space_.progress_depth;
    if (blocked_ && innermost) {
        blocked_axis(item, seq, bounds, counts_progress, rest);
    } else {
        counted_loop(s_.items[item].name, bounds.first, bounds.end, b_.getInt64(1), [&](llvm::Value* i, llvm::BasicBlock* next) {
            if (depth == 0) outer_index_ = i;
            if (counts_progress) progress(b_.getInt64(1));
            axis_body(item, seq, i, bounds.on_cursor_path, next, innermost, rest);
        });
    }
    b_.CreateBr(cont_);
}

// The items [start, end) of the axis loop at `depth` that the call covers: its range's part of
// the outer axis (sweep::Space), then every item; a call that resumes starts the loops on the
// cursor's path at the cursor (`first`).
LoopNest::Bounds LoopNest::covered(size_t depth, const Sequence& seq) {
    llvm::Value* start = b_.getInt64(0);
    llvm::Value* end = seq.count;
    const int64_t pairs = space_.pairs;
    llvm::Value* n = b_.getInt64(pairs);
    if (depth == 0 && pairs > 0) {
        start = b_.CreateSDiv(lo_, n);
        end = b_.CreateSDiv(b_.CreateAdd(hi_, b_.getInt64(pairs - 1)), n);
    } else if (depth == 0) {
        start = lo_;
        end = b_.CreateSelect(b_.CreateICmpSLT(hi_, seq.count), hi_, seq.count);
    } else if (depth == 1 && pairs > 0) {
        // The first and the last outer item of the range run part of the second axis.
        llvm::Value* last = b_.CreateSub(hi_, b_.getInt64(1));
        start = b_.CreateSelect(b_.CreateICmpEQ(outer_index_, b_.CreateSDiv(lo_, n)), b_.CreateSRem(lo_, n), b_.getInt64(0));
        end = b_.CreateSelect(b_.CreateICmpEQ(outer_index_, b_.CreateSDiv(last, n)), b_.CreateAdd(b_.CreateSRem(last, n), b_.getInt64(1)), n);
    }
    llvm::Value* on_path = resume_;
    if (!loops_.empty()) {
        const Loop& around = loops_.back();
        on_path = b_.CreateAnd(around.on_cursor_path, b_.CreateICmpEQ(around.index, cursor_at(loops_.size() - 1)));
    }
    return {start, end, on_path, b_.CreateSelect(on_path, cursor_at(loops_.size()), start)};
}

llvm::Value* LoopNest::cursor_at(size_t loop) { return b_.CreateLoad(i64_, b_.CreateConstGEP1_64(i64_, cursor_, loop)); }

int LoopNest::innermost_loop() const { return group_.empty() ? axes_.back() : group_.front(); }

bool LoopNest::in_group_tail(int item) const {
    return !group_.empty() && std::find(group_.begin() + 1, group_.end(), item) != group_.end();
}

llvm::Value* LoopNest::bind_axis(const CheckedSweep::Item& item, llvm::Value* x, Interval range) {
    bool is_bool = item.expr->type.elem->is(Type::Kind::Bool);
    x_->frame()[item.slot] = is_bool ? LV::scalar(b_.CreateFCmpUNE(x, x_->f64(0))) : LV::scalar(x, range);
    return x;
}

// Binds the axes of point i; returns their values. Only the innermost loop's loads may be
// tabled (outer axes' math runs once per item of theirs anyway).
std::vector<llvm::Value*> LoopNest::bind_point(int item, const Sequence& seq, llvm::Value* i, bool innermost) {
    if (seq.known.empty()) return {bind_axis(s_.items[item], seq.value(i), {})};
    std::vector<llvm::Value*> xs;
    InnerLoad load{{}, i, seq.size};
    for (const Known& k : seq.known) {
        auto* type = k.values->getValueType();
        auto* x = b_.CreateLoad(f64_, b_.CreateInBoundsGEP(type, k.values, {b_.getInt64(0), i}));
        xs.push_back(bind_axis(s_.items[k.item], x, k.range));
        load.loads.push_back({x, k.values});
    }
    if (innermost) inner_loads_.push_back(load);
    return xs;
}

// The body of an axis loop for its item i: skip it unless valid, bind the axis, walk the rest.
void LoopNest::axis_body(int item, const Sequence& seq, llvm::Value* i, llvm::Value* on_cursor_path, llvm::BasicBlock* next, bool innermost,
                         const std::function<void()>& rest) {
    if (seq.valid) {
        auto* take = llvm::BasicBlock::Create(ctx_, "item." + s_.items[item].name, fn_);
        b_.CreateCondBr(seq.valid(i), take, next);
        b_.SetInsertPoint(take);
    }
    const size_t mark = axis_values_.size();
    for (llvm::Value* x : bind_point(item, seq, i, innermost)) axis_values_.push_back(x);
    llvm::BasicBlock* outside = cont_;
    cont_ = next;
    loops_.push_back({i, on_cursor_path});
    rest();
    loops_.pop_back();
    cont_ = outside;
    axis_values_.resize(mark);
}

// ---- axis lists -------------------------------------------------------------------------------

Interval LoopNest::number_range(const TExpr& list, const std::vector<double>& xs) {
    if (xs.empty() || !list.type.elem || !list.type.elem->is(Type::Kind::Number)) return {};
    return {*std::min_element(xs.begin(), xs.end()), *std::max_element(xs.begin(), xs.end())};
}

// The items of the list `e` of axis `item`; code that computes the count and checks the list goes
// before the loop, and any error in the list leaves the kernel there.
Sequence LoopNest::sequence(const TExpr& e, int item) {
    if (reads_sweep_locals(e)) return lists_->computed(e, item);
    std::optional<Value> list = x_->fold(e);
    std::vector<double> xs;
    if (list) {
        for (const Value& v : list->list().items) xs.push_back(x_->to_double(v));
    } else {
        x_->flag(b_.getTrue());  // the interpreter fails on this list: so does the kernel
        check(item);
    }
    auto* global = x_->constant_array(xs, (fn_->getName() + ".axis." + std::to_string(item)).str(), false);
    Sequence s;
    s.count = b_.getInt64(static_cast<int64_t>(xs.size()));
    s.known.push_back({item, global, number_range(e, xs)});
    s.size = static_cast<int64_t>(xs.size());
    return s;
}

}  // namespace plan::jit
