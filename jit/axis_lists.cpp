#include "jit/axis_lists.hpp"

#include <algorithm>

#include "interpreter/builtins.hpp"
#include "interpreter/sweep_items.hpp"
#include "jit/math_link.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Constants.h>
#include <llvm/IR/Module.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {

constexpr double kMaxListLength = 10'000'000;  // as the evaluator's ranges

// Runs f with `frame` as the current frame (the parameters of a function whose list is an axis).
template <class F>
auto in_frame(ExprLowering& x, std::vector<LV>* frame, F f) {
    std::vector<LV>* saved = &x.frame();
    x.set_frame(frame);
    auto r = f();
    x.set_frame(saved);
    return r;
}

}  // namespace

llvm::Value* AxisLists::count_of(llvm::Value* n) {  // items 0, 1, ... while i < n (n may be fractional or negative)
    n = x_.unary(llvm::Intrinsic::ceil, n);
    return b_.CreateFPToSI(b_.CreateSelect(b_.CreateFCmpOGT(n, x_.f64(0)), n, x_.f64(0)), b_.getInt64Ty());
}

// A list that depends on outer axes: a range, divisors(n), a comprehension over such a list, a
// list literal, or a call of a function that returns one of these.
Sequence AxisLists::computed(const TExpr& e, int index) {
    llvm::Value* max = x_.f64(kMaxListLength);
    Sequence s;
    switch (e.op) {
        case Op::Range: {
            llvm::Value* from = x_.scalar(x_.lower(*e.kids[0]), e.kids[0].get());
            llvm::Value* to = x_.scalar(x_.lower(*e.kids[1]), e.kids[1].get());
            llvm::Value* third = x_.scalar(x_.lower(*e.kids[2]), e.kids[2].get());
            llvm::Value* zero = x_.f64(0);
            if (e.index == 1) {  // from .. to log n
                x_.flag(b_.CreateOr(b_.CreateOr(b_.CreateFCmpOLT(third, x_.f64(2)),
                                                 b_.CreateFCmpUNE(third, x_.unary(llvm::Intrinsic::floor, third))),
                                     b_.CreateFCmpOGT(third, max)));
                x_.flag(b_.CreateOr(b_.CreateFCmpOLE(from, zero), b_.CreateFCmpOLE(to, zero)));
                check_(index);
                llvm::Value* last = b_.CreateFSub(third, x_.f64(1));
                llvm::Value* ratio = b_.CreateFDiv(math_call(x_.module(), b_, "plan_log", {b_.CreateFDiv(to, from)}), last);
                s.count = count_of(third);
                s.value = [this, from, to, ratio, last](llvm::Value* i) {
                    llvm::Value* x = b_.CreateSIToFP(i, b_.getDoubleTy());
                    llvm::Value* v = b_.CreateFMul(from, math_call(x_.module(), b_, "plan_exp", {b_.CreateFMul(ratio, x)}));
                    return b_.CreateSelect(b_.CreateFCmpOEQ(x, last), to, v);
                };
                return s;
            }
            x_.flag(b_.CreateFCmpOEQ(third, zero));
            check_(index);
            llvm::Value* n = b_.CreateFAdd(
                x_.unary(llvm::Intrinsic::floor, b_.CreateFAdd(b_.CreateFDiv(b_.CreateFSub(to, from), third), x_.f64(1e-9))),
                x_.f64(1));
            x_.flag(b_.CreateFCmpUGT(n, max));
            check_(index);
            s.count = count_of(n);
            s.value = [this, from, third](llvm::Value* i) { return b_.CreateFAdd(from, b_.CreateFMul(b_.CreateSIToFP(i, b_.getDoubleTy()), third)); };
            return s;
        }
        case Op::Builtin:
            if (core_builtin(e.index) == BuiltinId::Divisors) return divisors(e, index);
            break;
        case Op::Comprehension: return comprehension(e, index);
        case Op::List: {
            // Every item is computed before the loop, as the interpreter builds the list.
            llvm::IRBuilder<> at(&entry_, entry_.begin());
            auto* array = at.CreateAlloca(llvm::ArrayType::get(b_.getDoubleTy(), std::max<size_t>(e.kids.size(), 1)), nullptr, "list");
            for (size_t k = 0; k < e.kids.size(); ++k) {
                llvm::Value* v = x_.as_double(x_.scalar(x_.lower(*e.kids[k]), e.kids[k].get()));
                b_.CreateStore(v, b_.CreateConstGEP2_64(array->getAllocatedType(), array, 0, k));
            }
            check_(index);
            s.count = b_.getInt64(static_cast<int64_t>(e.kids.size()));
            s.value = [this, array](llvm::Value* i) {
                return b_.CreateLoad(b_.getDoubleTy(), b_.CreateInBoundsGEP(array->getAllocatedType(), array, {b_.getInt64(0), i}));
            };
            return s;
        }
        case Op::Call: {
            // The callee's parameters live in a frame of their own, current while its list is built.
            auto& frame = frames_.emplace_back(static_cast<size_t>(std::max(e.fn->frame_size, 1)));
            for (size_t k = 0; k < e.kids.size(); ++k) frame[k] = x_.lower(*e.kids[k]);
            check_(index);
            return sequence_in_frame(&frame, [&] { return computed(*e.fn->body, index); });
        }
        default: break;
    }
    throw Unsupported{"an axis whose list is computed from other axes this way (ranges, `divisors(n)`, comprehensions, "
                      "list literals and functions returning them compile)",
                      e.span};
}

Sequence AxisLists::sequence_in_frame(std::vector<LV>* frame, const std::function<Sequence()>& make) {
    std::vector<LV>* saved = &x_.frame();
    x_.set_frame(frame);
    Sequence inner = make();
    x_.set_frame(saved);
    Sequence s;
    s.count = inner.count;
    s.value = [this, frame, inner](llvm::Value* i) { return in_frame(x_, frame, [&] { return inner.value(i); }); };
    if (inner.valid) s.valid = [this, frame, inner](llvm::Value* i) { return in_frame(x_, frame, [&] { return inner.valid(i); }); };
    return s;
}

// divisors(n), ascending, in sqrt(n) steps: for j < r = floor(sqrt(n)) the item is k = j + 1,
// after it n / k for k = 2r - j; the pairs where k does not divide n (or n / k = k) are skipped.
Sequence AxisLists::divisors(const TExpr& e, int index) {
    llvm::Value* n = x_.scalar(x_.lower(*e.kids[0]), e.kids[0].get());
    x_.flag(b_.CreateOr(b_.CreateOr(b_.CreateFCmpULT(n, x_.f64(1)), b_.CreateFCmpOGT(n, x_.f64(kMaxDivisorsOf))),
                         b_.CreateFCmpUNE(n, x_.unary(llvm::Intrinsic::floor, n))));
    check_(index);
    llvm::Value* r = x_.unary(llvm::Intrinsic::floor, x_.unary(llvm::Intrinsic::sqrt, n));
    Sequence s;
    s.count = b_.CreateFPToSI(b_.CreateFMul(r, x_.f64(2)), b_.getInt64Ty());
    auto pair = [this, r](llvm::Value* i) {
        llvm::Value* j = b_.CreateSIToFP(i, b_.getDoubleTy());
        llvm::Value* low = b_.CreateFCmpOLT(j, r);
        llvm::Value* k = b_.CreateSelect(low, b_.CreateFAdd(j, x_.f64(1)), b_.CreateFSub(b_.CreateFMul(r, x_.f64(2)), j));
        return std::pair{low, k};
    };
    s.value = [this, n, pair](llvm::Value* i) {
        auto [low, k] = pair(i);
        return b_.CreateSelect(low, k, b_.CreateFDiv(n, k));
    };
    s.valid = [this, n, pair](llvm::Value* i) {
        auto [low, k] = pair(i);
        llvm::Value* divides = b_.CreateFCmpOEQ(b_.CreateFRem(n, k), x_.f64(0));
        return b_.CreateAnd(divides, b_.CreateOr(low, b_.CreateFCmpUNE(b_.CreateFMul(k, k), n)));
    };
    return s;
}

// [body for v in source if filter]: the source's items, filtered, mapped. A first loop over the
// source computes every item as the interpreter does before the axis starts, so an error in
// any of them leaves the kernel before the first point.
Sequence AxisLists::comprehension(const TExpr& e, int index) {
    Sequence source = computed_or_constant(*e.kids[1], index);
    const TExpr* body = e.kids[0].get();
    const TExpr* filter = e.kids.size() > 2 ? e.kids[2].get() : nullptr;
    bool is_bool = e.kids[1]->type.elem->is(Type::Kind::Bool);
    int slot = e.slot;
    std::vector<LV>* frame = &x_.frame();
    auto bind = [this, source, is_bool, slot, frame](llvm::Value* i) {
        llvm::Value* v = source.value(i);
        (*frame)[slot] = LV::scalar(is_bool ? b_.CreateFCmpUNE(v, x_.f64(0)) : v);
    };
    loop_("check", b_.getInt64(0), source.count, [&](llvm::Value* i, llvm::BasicBlock* next) {
        if (source.valid) {
            auto* take = llvm::BasicBlock::Create(b_.getContext(), "item", &fn_);
            b_.CreateCondBr(source.valid(i), take, next);
            b_.SetInsertPoint(take);
        }
        bind(i);
        if (filter) {
            auto* kept = llvm::BasicBlock::Create(b_.getContext(), "kept", &fn_);
            b_.CreateCondBr(x_.scalar(x_.lower(*filter), filter), kept, next);
            b_.SetInsertPoint(kept);
        }
        x_.scalar(x_.lower(*body), body);
        b_.CreateBr(next);
    });
    check_(index);
    Sequence s;
    s.count = source.count;
    s.value = [this, bind, body](llvm::Value* i) {
        bind(i);
        return x_.as_double(x_.scalar(x_.lower(*body), body));
    };
    if (source.valid || filter) {
        s.valid = [this, source, bind, filter](llvm::Value* i) {
            llvm::Value* ok = source.valid ? source.valid(i) : b_.getTrue();
            if (!filter) return ok;
            bind(i);
            return b_.CreateAnd(ok, x_.scalar(x_.lower(*filter), filter));
        };
    }
    return s;
}

// The source of a comprehension may be a constant list even when the comprehension is not.
Sequence AxisLists::computed_or_constant(const TExpr& e, int index) {
    if (reads_sweep_locals(e)) return computed(e, index);
    std::optional<Value> list = x_.fold(e);
    std::vector<double> xs;
    if (list) {
        for (const Value& v : list->list().items) xs.push_back(x_.to_double(v));
    } else {
        x_.flag(b_.getTrue());
        check_(index);
    }
    auto* global = x_.constant_array(xs, (fn_.getName() + ".list." + std::to_string(lists_++)).str(), false);
    Sequence s;
    s.count = b_.getInt64(static_cast<int64_t>(xs.size()));
    s.value = [this, global](llvm::Value* i) {
        return b_.CreateLoad(b_.getDoubleTy(), b_.CreateInBoundsGEP(global->getValueType(), global, {b_.getInt64(0), i}));
    };
    return s;
}

}  // namespace plan::jit
