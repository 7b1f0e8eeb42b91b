// The host CPU's vector pass: the innermost axis (with the short axes written just before it,
// flattened into one loop) runs kBlock points at a time. A first pass over the block computes
// every item of every point without a branch (an item after a failed constraint is computed but
// does not count, and its errors are masked), only to count the feasible points and to see
// whether any point fails or has a key within the bound: a loop the vectorizer turns into SIMD
// code, numeric/math.cpp's pow, exp and log inlined into it. Most blocks have nothing to write once a top K has a
// bound, and are done. The others (and every block while the bound is infinite: Pareto and `all`
// reports) run again point by point, which keeps order, error checks and the rows exact.
#include <algorithm>

#include "interpreter/sweep_items.hpp"
#include "jit/loop_nest.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Constants.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {
constexpr int64_t kBlock = 128;        // points per block of the innermost axis
constexpr int64_t kMaxFlat = 1 << 16;  // points of a flattened group of axes
}  // namespace

// The first pass over one point of a block, as a walk over the items after the innermost axis
// (interpreter/sweep_items.hpp): values computed straight, constraints and errors folded into
// masks, and at the end the point counted.
class Survey {
public:
    Survey(LoopNest& nest, llvm::Value* alive, llvm::AllocaInst* count, llvm::AllocaInst* notable)
        : n_(nest), x_(*nest.x_), b_(nest.b_), alive_(alive), bad_(b_.getFalse()), key_(b_.CreateLoad(nest.f64_, nest.key_)),
          count_(count), notable_(notable) {}

    LV value(int item) {
        LV v = x_.lower(*n_.s_.items[item].expr);
        bad_ = b_.CreateOr(bad_, b_.CreateAnd(x_.error_flag(), alive_));
        x_.clear_error();
        return v;
    }
    void bind(int item, LV v) { x_.frame()[n_.s_.items[item].slot] = std::move(v); }
    bool require(int item, const LV& condition) {
        alive_ = b_.CreateAnd(alive_, x_.scalar(condition, n_.s_.items[item].expr.get()));
        return true;
    }
    // The objective may stand before the axis: then the key is the one the loop nest stored.
    void key(int item, const LV& objective) { key_ = n_.key_of(item, x_.scalar(objective, n_.s_.items[item].expr.get())); }
    void axis(int, const std::function<void()>& rest) { rest(); }  // bound already: a flattened group
    void feasible() {
        llvm::Value* feasible = b_.CreateAnd(alive_, b_.CreateNot(bad_));
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(n_.i64_, count_), b_.CreateZExt(feasible, n_.i64_)), count_);
        llvm::Value* news = b_.CreateOr(bad_, b_.CreateAnd(feasible, b_.CreateFCmpOLE(key_, n_.bound_)));
        b_.CreateStore(b_.CreateOr(b_.CreateLoad(n_.i1_, notable_), news), notable_);
    }

private:
    LoopNest& n_;
    ExprLowering& x_;
    llvm::IRBuilder<>& b_;
    llvm::Value *alive_, *bad_, *key_;
    llvm::AllocaInst *count_, *notable_;
};

// The innermost axes, flattened into one loop when each is a list known at compile time and
// the innermost alone is short (8 micro-batch sizes would leave the vectorizer nothing to do):
// outward from the innermost while fewer than kBlock / 2 points, never the two outer axes
// (ranges split those), and only axes written one after the other (an item between two axes is
// work, or a constraint that prunes, done once per outer point: it stays there).
std::vector<int> LoopNest::flatten_group() {
    std::vector<int> group;
    int64_t product = 1;
    for (size_t k = axes_.size(); k-- > 2;) {
        const TExpr& list = *s_.items[axes_[k]].expr;
        if (reads_sweep_locals(list) || product >= kBlock / 2) break;
        if (!group.empty() && group.front() != axes_[k] + 1) break;
        std::optional<Value> v = x_->fold(list);
        int64_t n = v ? static_cast<int64_t>(v->list().items.size()) : 0;
        if (n == 0 || product * n > kMaxFlat) break;
        group.insert(group.begin(), axes_[k]);
        product *= n;
    }
    if (group.size() < 2) return {};
    return group;
}

// The flattened group's points in enumeration order: a table per axis.
Sequence LoopNest::flattened() {
    std::vector<std::vector<double>> lists;
    int64_t size = 1;
    for (int item : group_) {
        std::vector<double> xs;
        std::optional<Value> list = x_->fold(*s_.items[item].expr);  // folds: flatten_group checked it
        for (const Value& v : list->list().items) xs.push_back(x_->to_double(v));
        size *= static_cast<int64_t>(xs.size());
        lists.push_back(std::move(xs));
    }
    Sequence s;
    s.size = size;
    s.count = b_.getInt64(size);
    int64_t stride = size;
    for (size_t a = 0; a < group_.size(); ++a) {
        const auto& xs = lists[a];
        stride /= static_cast<int64_t>(xs.size());
        std::vector<double> column(static_cast<size_t>(size));
        for (int64_t i = 0; i < size; ++i) column[static_cast<size_t>(i)] = xs[static_cast<size_t>((i / stride) % static_cast<int64_t>(xs.size()))];
        auto* global = x_->constant_array(column, (fn_->getName() + ".flat." + std::to_string(group_[a])).str(), false);
        s.known.push_back({group_[a], global, number_range(*s_.items[group_[a]].expr, xs)});
    }
    return s;
}

// The innermost axis in blocks: a survey of each block (counting its feasible points), then a
// walk point by point through the blocks that have an error or a row to write. The blocks start
// where the range's part of the axis does (so that a short axis's survey has a trip count known
// at compile time); in a call that resumes, the blocks up to the cursor's are walked from the
// cursor on (the blocks before it: not at all).
void LoopNest::blocked_axis(int item, const Sequence& seq, Bounds bounds, bool counts_progress, const std::function<void()>& rest) {
    const std::string& name = s_.items[item].name;
    llvm::AllocaInst* count = nullptr;
    llvm::AllocaInst* notable = nullptr;
    {
        llvm::IRBuilder<> at(entry_, entry_->begin());
        count = at.CreateAlloca(i64_, nullptr, "block.count");
        notable = at.CreateAlloca(i1_, nullptr, "block.notable");
    }
    size_t first_load = inner_loads_.size();
    llvm::Value* enclosing = axis_values_.empty() ? nullptr : axis_values_.back();
    llvm::Value* end = bounds.end;
    auto block = [&](llvm::Value* base, llvm::BasicBlock* next) {
        llvm::Value* left = b_.CreateSub(end, base);
        llvm::Value* n = b_.CreateSelect(b_.CreateICmpSLT(left, b_.getInt64(kBlock)), left, b_.getInt64(kBlock));
        llvm::Value* after = b_.CreateAdd(base, n);
        if (counts_progress) progress(n);
        auto* survey = llvm::BasicBlock::Create(ctx_, "survey", fn_);
        auto* walk = llvm::BasicBlock::Create(ctx_, "walk", fn_);
        llvm::Value* unbounded = b_.CreateFCmpOEQ(bound_, llvm::ConstantFP::getInfinity(f64_));
        b_.CreateCondBr(b_.CreateOr(unbounded, b_.CreateICmpSLT(base, bounds.first)), walk, survey);
        b_.SetInsertPoint(survey);
        b_.CreateStore(b_.getInt64(0), count);
        b_.CreateStore(b_.getFalse(), notable);
        x_->set_straight(true);
        llvm::BranchInst* back = counted_loop("pass1." + name, b_.getInt64(0), n, b_.getInt64(1), [&](llvm::Value* j, llvm::BasicBlock* latch) {
            llvm::Value* i = b_.CreateAdd(base, j);
            llvm::Value* alive = seq.valid ? seq.valid(i) : b_.getTrue();
            bind_point(item, seq, i, true);
            if (!seq.known.empty()) inner_loads_.back().enclosing = enclosing;  // marks pass 1's loads
            x_->clear_error();
            Survey point(*this, alive, count, notable);
            walk_items(s_, static_cast<size_t>(item) + 1, point);
            b_.CreateBr(latch);
        });
        x_->set_straight(false);
        if (!seq.known.empty() && seq.size < kBlock) interleave_once(back);
        auto* quiet = llvm::BasicBlock::Create(ctx_, "quiet", fn_);
        b_.CreateCondBr(b_.CreateLoad(i1_, notable), walk, quiet);
        b_.SetInsertPoint(quiet);
        b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, feasible_), b_.CreateLoad(i64_, count)), feasible_);
        b_.CreateBr(next);
        b_.SetInsertPoint(walk);
        llvm::Value* from = b_.CreateSelect(b_.CreateICmpSLT(base, bounds.first), bounds.first, base);
        counted_loop("walk." + name, from, after, b_.getInt64(1),
                     [&](llvm::Value* i, llvm::BasicBlock* latch) { axis_body(item, seq, i, bounds.on_cursor_path, latch, true, rest); });
        b_.CreateBr(next);
    };
    llvm::BranchInst* block_back = counted_loop("block." + name, bounds.start, end, b_.getInt64(kBlock), block);
    for (size_t k = first_load; k < inner_loads_.size(); ++k)
        if (inner_loads_[k].enclosing) inner_loads_[k].header = block_back->getSuccessor(0);
}

// A short axis (8 micro-batch sizes) is one vector iteration when not interleaved; the
// vectorizer's default (4 vectors at a time) would leave it all to the scalar remainder.
void LoopNest::interleave_once(llvm::BranchInst* back) {
    llvm::Metadata* interleave[] = {llvm::MDString::get(ctx_, "llvm.loop.interleave.count"),
                                    llvm::ConstantAsMetadata::get(b_.getInt32(1))};
    llvm::Metadata* parts[] = {nullptr, llvm::MDNode::get(ctx_, interleave)};
    llvm::MDNode* loop = llvm::MDNode::getDistinct(ctx_, parts);
    loop->replaceOperandWith(0, loop);
    back->setMetadata(llvm::LLVMContext::MD_loop, loop);
}

}  // namespace plan::jit
