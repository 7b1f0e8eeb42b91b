// CheckedSweep → LLVM IR: one loop nest, one loop per axis, each item emitted at the depth where it
// stands (so work that depends only on outer axes is hoisted), a failed constraint continuing the
// loop at its depth. The innermost axis (or several short ones, flattened) runs in blocks: a
// branch-free pass over the block counts the feasible points and looks for any that fails or
// beats the threshold (a loop the vectorizer turns into SIMD code with libmvec's pow, exp and
// log); only a block with such a point runs again point by point. tables.cpp then replaces math
// that is the same for every outer point with tables. Runtime errors set a flag, tested at the
// end of each item; the kernel then returns the failing point, which the host replays on the
// interpreter to give the interpreter's own diagnostic.
#include "jit/lower.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "jit/axis_lists.hpp"
#include "jit/lower_expr.hpp"
#include "jit/tables.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Constants.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {

constexpr int64_t kBlock = 128;                 // points per block of the innermost axis

using Kind = CheckedSweep::Item::Kind;

constexpr int64_t kMaxFlat = 1 << 16;  // points of a flattened group of axes

class LoopNest {
public:
    LoopNest(const CheckedSweep& s, Evaluator& eval, llvm::LLVMContext& ctx, const std::string& name, CompiledSweep& out)
        : s_(s), eval_(eval), ctx_(ctx), out_(out), b_(ctx), name_(name) {
        m_ = std::make_unique<llvm::Module>("sweep", ctx);
        f64_ = llvm::Type::getDoubleTy(ctx);
        i1_ = llvm::Type::getInt1Ty(ctx);
        i32_ = llvm::Type::getInt32Ty(ctx);
        i64_ = llvm::Type::getInt64Ty(ctx);
        ptr_ = llvm::PointerType::get(ctx, 0);
        emit_ty_ = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr_, ptr_, i64_}, false);
        auto* fty = llvm::FunctionType::get(i32_, {ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, i64_, i64_, ptr_}, false);
        fn_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, *m_);
        const char* names[] = {"sink", "emit", "threshold", "err", "stop", "progress", "lo", "hi", "feasible"};
        for (unsigned i = 0; i < fn_->arg_size(); ++i) {
            fn_->getArg(i)->setName(names[i]);
            if (fn_->getArg(i)->getType()->isPointerTy() && i != 1) fn_->addParamAttr(i, llvm::Attribute::NoAlias);
        }
        fn_->addFnAttr(llvm::Attribute::NoUnwind);
        for (size_t i = 0; i < s.items.size(); ++i)
            if (s.items[i].kind == Kind::Axis) out_.axis_items.push_back(static_cast<int>(i));
        // Progress and the stop flag are checked per iteration of the second axis when there are
        // three or more (the outer one may have few items), else of the outer axis: never per point.
        out_.progress_depth = out_.axis_items.size() >= 3 ? 1 : 0;
        // PLAN_JIT_VECTOR=0 runs the innermost axis point by point (bench/sweep compares the two).
        const char* vector = std::getenv("PLAN_JIT_VECTOR");
        blocked_ = !(vector && std::string(vector) == "0");
    }

    std::unique_ptr<llvm::Module> run() {
        entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
        b_.SetInsertPoint(entry_);
        x_.emplace(eval_, *m_, b_, fn_, s_.frame_size);
        lists_.emplace(*x_, b_, *fn_, *entry_, [this](int item) { check(item); },
                       [this](const std::string& name, llvm::Value* start, llvm::Value* end, const LoopBody& body) {
                           counted_loop(name, start, end, b_.getInt64(1), body);
                       });
        feasible_ = b_.CreateAlloca(i64_, nullptr, "count");
        objective_ = b_.CreateAlloca(f64_, nullptr, "objective");
        row_ = b_.CreateAlloca(llvm::ArrayType::get(f64_, s_.columns.size() + 1), nullptr, "row");
        b_.CreateStore(b_.getInt64(0), feasible_);
        b_.CreateStore(x_->f64(0), objective_);
        split_ = split_size();
        if (blocked_) group_ = flatten_group();
        if (split_ > 0) out_.progress_depth = std::max(out_.progress_depth, 1);
        auto* done = llvm::BasicBlock::Create(ctx_, "done", fn_);
        items(0, done);
        b_.SetInsertPoint(done);
        finish(kDone);
        llvm::Function* init = table_inner_math(*fn_, *entry_, inner_loads_, name_ + ".init");
        if (llvm::verifyFunction(*fn_, &llvm::errs()) || llvm::verifyFunction(*init, &llvm::errs())) throw Unsupported{"this sweep (internal error: invalid IR)", s_.span};
        out_.strings = x_->strings();
        return std::move(m_);
    }

private:
    // Threads take ranges of the outer axis. When it has few items (a sweep over 7 tensor-parallel
    // degrees on 2 cores would split badly) and the second axis is a list known at compile time,
    // the ranges count (outer, second) pairs instead: the second axis's length, else 0.
    int64_t split_size() {
        constexpr size_t kFewOuterItems = 256;
        if (out_.axis_items.size() < 2) return 0;
        const TExpr& outer = *s_.items[out_.axis_items[0]].expr;
        const TExpr& second = *s_.items[out_.axis_items[1]].expr;
        if (depends(outer) || depends(second)) return 0;
        std::optional<Value> a = x_->fold(outer), b = x_->fold(second);
        if (!a || !b || a->list().items.size() >= kFewOuterItems || b->list().items.empty()) return 0;
        return static_cast<int64_t>(b->list().items.size());
    }

    // ---- the loop nest --------------------------------------------------------------------------

    void finish(int code) {
        b_.CreateStore(b_.CreateLoad(i64_, feasible_), fn_->getArg(8));
        b_.CreateRet(b_.getInt32(code));
    }

    llvm::MDNode* weights_unlikely() { return llvm::MDBuilder(ctx_).createBranchWeights(1, 1 << 20); }

    // Leaves the kernel with the point being evaluated as failing in item `item`.
    void fail_here(llvm::Value* item, const std::vector<llvm::Value*>& axes) {
        llvm::Value* err = fn_->getArg(3);
        b_.CreateStore(item, err);
        for (size_t k = 0; k < axes.size(); ++k) b_.CreateStore(axes[k], b_.CreateConstGEP1_64(f64_, err, k + 1));
        finish(kError);
    }

    // After item `item`: a runtime error in it leaves the kernel with the point.
    void check(int item) {
        auto* bad = llvm::BasicBlock::Create(ctx_, "error", fn_);
        auto* ok = llvm::BasicBlock::Create(ctx_, "ok", fn_);
        b_.CreateCondBr(x_->error_flag(), bad, ok, weights_unlikely());
        b_.SetInsertPoint(bad);
        fail_here(x_->f64(item), axis_values_);
        b_.SetInsertPoint(ok);
    }

    bool is_objective(int index) const { return index == s_.objective; }

    void items(size_t i, llvm::BasicBlock* cont) {
        for (; i < s_.items.size(); ++i) {
            const auto& item = s_.items[i];
            int index = static_cast<int>(i);
            x_->clear_error();  // each item starts clean (else it would have left)
            switch (item.kind) {
                case Kind::Axis:
                    if (std::find(group_.begin() + (group_.empty() ? 0 : 1), group_.end(), index) != group_.end())
                        break;  // bound with the flattened group
                    axis(index, cont);
                    return;
                case Kind::Let:
                    x_->frame()[item.slot] = x_->lower(*item.expr);
                    check(index);
                    break;
                case Kind::Constraint: {
                    llvm::Value* c = x_->scalar(x_->lower(*item.expr), item.expr.get());
                    check(index);
                    auto* pass = llvm::BasicBlock::Create(ctx_, "feasible", fn_);
                    b_.CreateCondBr(c, pass, cont);
                    b_.SetInsertPoint(pass);
                    break;
                }
                case Kind::Objective: {
                    llvm::Value* v = x_->scalar(x_->lower(*item.expr), item.expr.get());
                    check(index);
                    if (is_objective(index)) b_.CreateStore(v, objective_);
                    break;
                }
            }
        }
        leaf(cont);
    }

    llvm::Value* key_of(llvm::Value* objective) {
        return s_.objective >= 0 && s_.items[s_.objective].maximize ? b_.CreateFNeg(objective) : objective;
    }

    // A feasible point: count it; hand it to the host when its key beats the threshold.
    // column(c) gives column c's value as a double.
    void offer(llvm::Value* key, const std::function<llvm::Value*(size_t)>& column, llvm::BasicBlock* cont) {
        llvm::Value* order = b_.CreateLoad(i64_, feasible_);
        b_.CreateStore(b_.CreateAdd(order, b_.getInt64(1)), feasible_);
        auto* take = llvm::BasicBlock::Create(ctx_, "take", fn_);
        llvm::Value* threshold = b_.CreateLoad(f64_, fn_->getArg(2));
        b_.CreateCondBr(b_.CreateFCmpOLT(key, threshold), take, cont);
        b_.SetInsertPoint(take);
        auto* row_ty = row_->getAllocatedType();
        for (size_t c = 0; c < s_.columns.size(); ++c) b_.CreateStore(column(c), b_.CreateConstGEP2_64(row_ty, row_, 0, c));
        b_.CreateStore(key, b_.CreateConstGEP2_64(row_ty, row_, 0, s_.columns.size()));
        b_.CreateCall(emit_ty_, fn_->getArg(1), {fn_->getArg(0), row_, order});
        b_.CreateBr(cont);
    }

    void leaf(llvm::BasicBlock* cont) {
        llvm::Value* obj = b_.CreateLoad(f64_, objective_);
        offer(key_of(obj), [&](size_t c) {
            const auto& col = s_.columns[c];
            return col.slot >= 0 ? x_->as_double(x_->scalar(x_->frame()[col.slot])) : obj;
        }, cont);
    }

    // Progress is counted, and the stop flag read, at one depth only.
    void progress(llvm::Value* n) {
        b_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, fn_->getArg(5), n, llvm::MaybeAlign(8), llvm::AtomicOrdering::Monotonic);
        auto* load = b_.CreateAlignedLoad(i32_, fn_->getArg(4), llvm::MaybeAlign(4));
        load->setAtomic(llvm::AtomicOrdering::Monotonic);
        auto* stopped = llvm::BasicBlock::Create(ctx_, "stopped", fn_);
        auto* go = llvm::BasicBlock::Create(ctx_, "go", fn_);
        b_.CreateCondBr(b_.CreateICmpNE(load, b_.getInt32(0)), stopped, go, weights_unlikely());
        b_.SetInsertPoint(stopped);
        finish(kStopped);
        b_.SetInsertPoint(go);
    }

    // A counted loop from `start` while < `end`; body(i, next) fills the body and branches to next.
    // Returns the loop's back edge (to attach loop metadata to).
    llvm::BranchInst* counted_loop(const std::string& name, llvm::Value* start, llvm::Value* end, llvm::Value* stride,
                                   const std::function<void(llvm::Value*, llvm::BasicBlock*)>& body) {
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

    llvm::Value* bind_axis(const CheckedSweep::Item& item, llvm::Value* x, Interval range) {
        bool is_bool = item.expr->type.elem->is(Type::Kind::Bool);
        x_->frame()[item.slot] = is_bool ? LV::scalar(b_.CreateFCmpUNE(x, x_->f64(0))) : LV::scalar(x, range);
        return x;
    }

    // One loop over an axis; the items after it form its body.
    void axis(int index, llvm::BasicBlock* cont) {
        const auto& item = s_.items[index];
        size_t depth = axis_values_.size();
        Sequence seq = !group_.empty() && index == group_.front() ? flattened() : sequence(*item.expr, index, depth);
        llvm::Value* start = b_.getInt64(0);
        llvm::Value* end = seq.count;
        llvm::Value* lo = fn_->getArg(6);
        llvm::Value* hi = fn_->getArg(7);
        if (depth == 0 && split_ > 0) {
            // [lo, hi) counts (outer, second) pairs: the outer items it touches, partly or whole.
            llvm::Value* n1 = b_.getInt64(split_);
            out_.outer_count *= split_;
            start = b_.CreateSDiv(lo, n1);
            end = b_.CreateSDiv(b_.CreateAdd(hi, b_.getInt64(split_ - 1)), n1);
        } else if (depth == 0) {
            start = lo;
            end = b_.CreateSelect(b_.CreateICmpSLT(hi, seq.count), hi, seq.count);
        } else if (depth == 1 && split_ > 0) {
            // The first and the last outer item of the range run part of the second axis.
            llvm::Value* n1 = b_.getInt64(split_);
            llvm::Value* last = b_.CreateSub(hi, b_.getInt64(1));
            start = b_.CreateSelect(b_.CreateICmpEQ(outer_index_, b_.CreateSDiv(lo, n1)), b_.CreateSRem(lo, n1), b_.getInt64(0));
            end = b_.CreateSelect(b_.CreateICmpEQ(outer_index_, b_.CreateSDiv(last, n1)),
                                  b_.CreateAdd(b_.CreateSRem(last, n1), b_.getInt64(1)), n1);
        }
        bool innermost = index == innermost_loop();
        if (blocked_ && innermost) {
            blocked_axis(index, seq, start, end, static_cast<int>(depth) == out_.progress_depth);
        } else {
            counted_loop(item.name, start, end, b_.getInt64(1), [&](llvm::Value* i, llvm::BasicBlock* next) {
                if (depth == 0) outer_index_ = i;
                if (static_cast<int>(depth) == out_.progress_depth) progress(b_.getInt64(1));
                axis_body(index, seq, i, next, innermost);
            });
        }
        b_.CreateBr(cont);
    }

    int innermost_loop() const { return group_.empty() ? out_.axis_items.back() : group_.front(); }

    // Binds the axes of point i; returns their values. Only the innermost loop's loads may be
    // tabled (outer axes' math runs once per item of theirs anyway).
    std::vector<llvm::Value*> bind_point(int index, const Sequence& seq, llvm::Value* i, bool innermost) {
        if (seq.known.empty()) return {bind_axis(s_.items[index], seq.value(i), {})};
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

    // The innermost axes, flattened into one loop when each is a list known at compile time and
    // the innermost alone is short (8 micro-batch sizes would leave the vectorizer nothing to do):
    // outward from the innermost while fewer than kBlock / 2 points, never the two outer axes
    // (threads split those), and only axes written one after the other (an item between two axes
    // is work, or a constraint that prunes, done once per outer point: it stays there).
    std::vector<int> flatten_group() {
        const auto& axes = out_.axis_items;
        std::vector<int> group;
        int64_t product = 1;
        for (size_t k = axes.size(); k-- > 2;) {
            const TExpr& list = *s_.items[axes[k]].expr;
            if (depends(list) || product >= kBlock / 2) break;
            if (!group.empty() && group.front() != axes[k] + 1) break;
            std::optional<Value> v = x_->fold(list);
            int64_t n = v ? static_cast<int64_t>(v->list().items.size()) : 0;
            if (n == 0 || product * n > kMaxFlat) break;
            group.insert(group.begin(), axes[k]);
            product *= n;
        }
        if (group.size() < 2) return {};
        return group;
    }

    // The flattened group's points in enumeration order: a table per axis.
    Sequence flattened() {
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

    static Interval number_range(const TExpr& list, const std::vector<double>& xs) {
        if (xs.empty() || !list.type.elem || !list.type.elem->is(Type::Kind::Number)) return {};
        return {*std::min_element(xs.begin(), xs.end()), *std::max_element(xs.begin(), xs.end())};
    }

    // The body of an axis loop for item i: skip it unless valid, bind the axis, run the items.
    void axis_body(int index, const Sequence& seq, llvm::Value* i, llvm::BasicBlock* next, bool innermost) {
        const auto& item = s_.items[index];
        if (seq.valid) {
            auto* take = llvm::BasicBlock::Create(ctx_, "item." + item.name, fn_);
            b_.CreateCondBr(seq.valid(i), take, next);
            b_.SetInsertPoint(take);
        }
        size_t mark = axis_values_.size();
        for (llvm::Value* x : bind_point(index, seq, i, innermost)) axis_values_.push_back(x);
        items(static_cast<size_t>(index) + 1, next);
        axis_values_.resize(mark);
    }

    // The innermost axis, kBlock points at a time. A first pass over the block computes every
    // item of every point without a branch (an item after a failed constraint is computed but
    // does not count, and its errors are masked), only to count the feasible points and to see
    // whether any point fails or beats the threshold: a loop the vectorizer turns into SIMD code.
    // Most blocks have nothing new once a top K has filled, and are done. The others (and every
    // block while the threshold is infinite: Pareto and `all` reports) run point by point.
    void blocked_axis(int index, const Sequence& seq, llvm::Value* start, llvm::Value* end, bool counts_progress) {
        const auto& item = s_.items[index];
        llvm::AllocaInst* count = nullptr;
        llvm::AllocaInst* notable = nullptr;
        {
            llvm::IRBuilder<> at(entry_, entry_->begin());
            count = at.CreateAlloca(i64_, nullptr, "block.count");
            notable = at.CreateAlloca(i1_, nullptr, "block.notable");
        }
        size_t first_load = inner_loads_.size();
        llvm::Value* enclosing = axis_values_.empty() ? nullptr : axis_values_.back();
        llvm::BranchInst* block_back = counted_loop("block." + item.name, start, end, b_.getInt64(kBlock), [&](llvm::Value* base, llvm::BasicBlock* next) {
            llvm::Value* left = b_.CreateSub(end, base);
            llvm::Value* n = b_.CreateSelect(b_.CreateICmpSLT(left, b_.getInt64(kBlock)), left, b_.getInt64(kBlock));
            if (counts_progress) progress(n);
            llvm::Value* threshold = b_.CreateLoad(f64_, fn_->getArg(2));
            auto* survey = llvm::BasicBlock::Create(ctx_, "survey", fn_);
            auto* walk = llvm::BasicBlock::Create(ctx_, "walk", fn_);
            b_.CreateCondBr(b_.CreateFCmpOEQ(threshold, llvm::ConstantFP::getInfinity(f64_)), walk, survey);
            b_.SetInsertPoint(survey);
            b_.CreateStore(b_.getInt64(0), count);
            b_.CreateStore(b_.getFalse(), notable);
            x_->set_straight(true);
            llvm::BranchInst* back = counted_loop("pass1." + item.name, b_.getInt64(0), n, b_.getInt64(1), [&](llvm::Value* j, llvm::BasicBlock* latch) {
                llvm::Value* i = b_.CreateAdd(base, j);
                llvm::Value* alive = seq.valid ? seq.valid(i) : b_.getTrue();
                bind_point(index, seq, i, true);
                if (!seq.known.empty()) inner_loads_.back().enclosing = enclosing;  // marks pass 1's loads
                x_->clear_error();
                llvm::Value* bad = b_.getFalse();
                llvm::Value* obj = b_.CreateLoad(f64_, objective_);  // the objective may stand before the axis
                for (size_t k = index + 1; k < s_.items.size(); ++k) {
                    const auto& it = s_.items[k];
                    llvm::Value* c = nullptr;
                    switch (it.kind) {
                        case Kind::Let: x_->frame()[it.slot] = x_->lower(*it.expr); break;
                        case Kind::Constraint: c = x_->scalar(x_->lower(*it.expr), it.expr.get()); break;
                        case Kind::Objective: {
                            llvm::Value* v = x_->scalar(x_->lower(*it.expr), it.expr.get());
                            if (is_objective(static_cast<int>(k))) obj = v;
                            break;
                        }
                        case Kind::Axis: break;  // bound by bind_point (a flattened group)
                    }
                    bad = b_.CreateOr(bad, b_.CreateAnd(x_->error_flag(), alive));
                    x_->clear_error();
                    if (c) alive = b_.CreateAnd(alive, c);
                }
                llvm::Value* feasible = b_.CreateAnd(alive, b_.CreateNot(bad));
                b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, count), b_.CreateZExt(feasible, i64_)), count);
                llvm::Value* news = b_.CreateOr(bad, b_.CreateAnd(feasible, b_.CreateFCmpOLT(key_of(obj), threshold)));
                b_.CreateStore(b_.CreateOr(b_.CreateLoad(i1_, notable), news), notable);
                b_.CreateBr(latch);
            });
            x_->set_straight(false);
            // A short axis (8 micro-batch sizes) is one vector iteration when not interleaved; the
            // vectorizer's default (4 vectors at a time) would leave it all to the scalar remainder.
            if (!seq.known.empty() && seq.size < kBlock) {
                llvm::LLVMContext& c = ctx_;
                llvm::Metadata* interleave[] = {llvm::MDString::get(c, "llvm.loop.interleave.count"),
                                                llvm::ConstantAsMetadata::get(b_.getInt32(1))};
                llvm::Metadata* parts[] = {nullptr, llvm::MDNode::get(c, interleave)};
                llvm::MDNode* loop = llvm::MDNode::getDistinct(c, parts);
                loop->replaceOperandWith(0, loop);
                back->setMetadata(llvm::LLVMContext::MD_loop, loop);
            }
            auto* quiet = llvm::BasicBlock::Create(ctx_, "quiet", fn_);
            b_.CreateCondBr(b_.CreateLoad(i1_, notable), walk, quiet);
            b_.SetInsertPoint(quiet);
            b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, feasible_), b_.CreateLoad(i64_, count)), feasible_);
            b_.CreateBr(next);
            b_.SetInsertPoint(walk);
            counted_loop("walk." + item.name, base, b_.CreateAdd(base, n), b_.getInt64(1),
                         [&](llvm::Value* i, llvm::BasicBlock* latch) { axis_body(index, seq, i, latch, true); });
            b_.CreateBr(next);
        });
        for (size_t k = first_load; k < inner_loads_.size(); ++k)
            if (inner_loads_[k].enclosing) inner_loads_[k].header = block_back->getSuccessor(0);
    }

    // ---- axis lists -----------------------------------------------------------------------------

    // The items of the list `e` (axis item `index` at `depth`); code that computes the count and
    // checks the list goes before the loop, and any error in the list leaves the kernel there.
    Sequence sequence(const TExpr& e, int index, size_t depth) {
        bool counted = static_cast<int>(depth) <= out_.progress_depth;
        if (!depends(e)) {
            std::optional<Value> list = x_->fold(e);
            std::vector<double> xs;
            if (list) {
                for (const Value& v : list->list().items) xs.push_back(x_->to_double(v));
            } else {
                x_->flag(b_.getTrue());  // the interpreter fails on this list: so does the kernel
                check(index);
            }
            if (depth == 0) out_.outer_count = static_cast<int64_t>(xs.size());
            if (counted) out_.progress_total = (depth == 0 ? 1.0 : out_.progress_total) * static_cast<double>(xs.size());
            auto* global = x_->constant_array(xs, (fn_->getName() + ".axis." + std::to_string(index)).str(), false);
            Sequence s;
            s.count = b_.getInt64(static_cast<int64_t>(xs.size()));
            s.known.push_back({index, global, number_range(e, xs)});
            s.size = static_cast<int64_t>(xs.size());
            return s;
        }
        if (counted) out_.progress_total = 0;
        return lists_->computed(e, index);
    }

    const CheckedSweep& s_;
    Evaluator& eval_;
    llvm::LLVMContext& ctx_;
    CompiledSweep& out_;
    llvm::IRBuilder<> b_;
    std::string name_;
    std::unique_ptr<llvm::Module> m_;
    std::optional<ExprLowering> x_;
    llvm::Type *f64_, *i1_, *i32_, *i64_;
    llvm::PointerType* ptr_;
    llvm::FunctionType* emit_ty_;
    llvm::Function* fn_;
    llvm::BasicBlock* entry_ = nullptr;
    llvm::AllocaInst *feasible_ = nullptr, *objective_ = nullptr, *row_ = nullptr;
    std::vector<llvm::Value*> axis_values_;
    std::optional<AxisLists> lists_;
    int64_t split_ = 0;    // see split_size
    llvm::Value* outer_index_ = nullptr;
    std::vector<InnerLoad> inner_loads_;
    std::vector<int> group_;  // item indices of the flattened innermost axes (see flatten_group)
    bool blocked_ = true;
};

}  // namespace

std::unique_ptr<llvm::Module> lower(const CheckedSweep& sweep, Evaluator& eval, llvm::LLVMContext& ctx,
                                    const std::string& name, CompiledSweep& out) {
    try {
        return LoopNest(sweep, eval, ctx, name, out).run();
    } catch (Unsupported& u) {
        if (u.span.end == u.span.begin) u.span = sweep.span;  // a value with no place of its own
        throw;
    }
}

}  // namespace plan::jit
