// CheckedSweep → LLVM IR: one loop nest, one loop per axis, each item emitted at the depth where it
// stands (so work that depends only on outer axes is hoisted), a failed constraint continuing the
// loop at its depth. Values: numbers are doubles, Bools i1, strings interned ids (doubles); records
// are flattened to one SSA value per field; anything that does not depend on sweep locals is
// evaluated once by the interpreter and becomes a constant. Runtime errors set a flag that is
// tested at the end of each item; the kernel then returns the failing point, which the host replays
// on the interpreter to give the interpreter's own diagnostic.
#include "lower.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include "../interpreter/builtins.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {

constexpr double kMaxListLength = 10'000'000;  // as the evaluator's ranges
constexpr int kMaxInlineDepth = 64;

using Kind = CheckedSweep::Item::Kind;

// A lowered value: a scalar in a register, a record of lowered fields, or a compile-time value.
struct LV {
    enum class K { Scalar, Record, Const } k = K::Scalar;
    llvm::Value* v = nullptr;
    std::vector<LV> fields;
    Value c;
    static LV scalar(llvm::Value* v) { return LV{K::Scalar, v, {}, {}}; }
    static LV constant(Value c) { return LV{K::Const, nullptr, {}, std::move(c)}; }
};

// Local slots bound inside an expression (comprehensions, blocks) do not make it depend on the sweep.
bool depends(const TExpr& e, std::vector<int>& bound) {
    if (e.op == Op::Local) return std::find(bound.begin(), bound.end(), e.slot) == bound.end();
    size_t mark = bound.size();
    if (e.op == Op::Comprehension) {
        if (depends(*e.kids[1], bound)) return true;
        bound.push_back(e.slot);
        bool d = depends(*e.kids[0], bound) || (e.kids.size() > 2 && depends(*e.kids[2], bound));
        bound.resize(mark);
        return d;
    }
    if (e.op == Op::Block) bound.insert(bound.end(), e.slots.begin(), e.slots.end());
    bool d = false;
    for (auto& k : e.kids)
        if (depends(*k, bound)) {
            d = true;
            break;
        }
    bound.resize(mark);
    return d;
}

bool depends(const TExpr& e) {
    std::vector<int> bound;
    return depends(e, bound);
}

class Lowering {
public:
    Lowering(const CheckedSweep& s, Evaluator& eval, llvm::LLVMContext& ctx, const std::string& name, CompiledSweep& out)
        : s_(s), eval_(eval), ctx_(ctx), out_(out), b_(ctx) {
        m_ = std::make_unique<llvm::Module>("sweep", ctx);
        f64_ = llvm::Type::getDoubleTy(ctx);
        i1_ = llvm::Type::getInt1Ty(ctx);
        i32_ = llvm::Type::getInt32Ty(ctx);
        i64_ = llvm::Type::getInt64Ty(ctx);
        ptr_ = llvm::PointerType::get(ctx, 0);
        auto* emit_ty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr_, ptr_, i64_}, false);
        emit_ty_ = emit_ty;
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
        scratch_size_ = std::max(s.frame_size, 1);
    }

    std::unique_ptr<llvm::Module> run() {
        auto* entry = llvm::BasicBlock::Create(ctx_, "entry", fn_);
        b_.SetInsertPoint(entry);
        err_ = b_.CreateAlloca(i1_, nullptr, "err");
        feasible_ = b_.CreateAlloca(i64_, nullptr, "count");
        objective_ = b_.CreateAlloca(f64_, nullptr, "objective");
        row_ = b_.CreateAlloca(llvm::ArrayType::get(f64_, s_.columns.size() + 1), nullptr, "row");
        b_.CreateStore(b_.getFalse(), err_);
        b_.CreateStore(b_.getInt64(0), feasible_);
        b_.CreateStore(llvm::ConstantFP::get(f64_, 0.0), objective_);
        env_.assign(static_cast<size_t>(s_.frame_size), LV{});
        auto* done = llvm::BasicBlock::Create(ctx_, "done", fn_);
        items(0, done);
        b_.SetInsertPoint(done);
        finish(kDone);
        if (llvm::verifyFunction(*fn_, &llvm::errs())) throw Unsupported{"this sweep (internal error: invalid IR)", s_.span};
        out_.strings = strings_;
        return std::move(m_);
    }

private:
    // ---- control: the loop nest ---------------------------------------------------------------

    void finish(int code) {
        b_.CreateStore(b_.CreateLoad(i64_, feasible_), fn_->getArg(8));
        b_.CreateRet(b_.getInt32(code));
    }

    // After item `item`: a runtime error in it leaves the kernel with the point.
    void check(int item) {
        auto* bad = llvm::BasicBlock::Create(ctx_, "error", fn_);
        auto* ok = llvm::BasicBlock::Create(ctx_, "ok", fn_);
        b_.CreateCondBr(b_.CreateLoad(i1_, err_), bad, ok, weights_unlikely());
        b_.SetInsertPoint(bad);
        llvm::Value* err = fn_->getArg(3);
        b_.CreateStore(llvm::ConstantFP::get(f64_, item), err);
        for (size_t k = 0; k < axis_values_.size(); ++k)
            b_.CreateStore(axis_values_[k], b_.CreateConstGEP1_64(f64_, err, k + 1));
        finish(kError);
        b_.SetInsertPoint(ok);
    }

    llvm::MDNode* weights_unlikely() { return llvm::MDBuilder(ctx_).createBranchWeights(1, 1 << 20); }

    void items(size_t i, llvm::BasicBlock* cont) {
        for (; i < s_.items.size(); ++i) {
            const auto& item = s_.items[i];
            int index = static_cast<int>(i);
            b_.CreateStore(b_.getFalse(), err_);  // each item starts clean (else it would have left)
            switch (item.kind) {
                case Kind::Axis: axis(index, cont); return;
                case Kind::Let:
                    env_[item.slot] = lower(*item.expr);
                    check(index);
                    break;
                case Kind::Constraint: {
                    llvm::Value* c = scalar(lower(*item.expr));
                    check(index);
                    auto* pass = llvm::BasicBlock::Create(ctx_, "feasible", fn_);
                    b_.CreateCondBr(c, pass, cont);
                    b_.SetInsertPoint(pass);
                    break;
                }
                case Kind::Objective:
                    b_.CreateStore(scalar(lower(*item.expr)), objective_);
                    check(index);
                    break;
            }
        }
        leaf(cont);
    }

    void leaf(llvm::BasicBlock* cont) {
        llvm::Value* order = b_.CreateLoad(i64_, feasible_);
        b_.CreateStore(b_.CreateAdd(order, b_.getInt64(1)), feasible_);
        llvm::Value* obj = b_.CreateLoad(f64_, objective_);
        llvm::Value* key = s_.objective >= 0 && s_.items[s_.objective].maximize ? b_.CreateFNeg(obj) : obj;
        auto* take = llvm::BasicBlock::Create(ctx_, "take", fn_);
        llvm::Value* threshold = b_.CreateLoad(f64_, fn_->getArg(2));
        b_.CreateCondBr(b_.CreateFCmpOLT(key, threshold), take, cont);
        b_.SetInsertPoint(take);
        for (size_t c = 0; c < s_.columns.size(); ++c) {
            const auto& col = s_.columns[c];
            llvm::Value* v = col.slot >= 0 ? as_double(scalar(env_[col.slot])) : obj;
            b_.CreateStore(v, b_.CreateConstGEP2_64(row_->getAllocatedType(), row_, 0, c));
        }
        b_.CreateStore(key, b_.CreateConstGEP2_64(row_->getAllocatedType(), row_, 0, s_.columns.size()));
        b_.CreateCall(emit_ty_, fn_->getArg(1), {fn_->getArg(0), row_, order});
        b_.CreateBr(cont);
    }

    llvm::Value* as_double(llvm::Value* v) {
        return v->getType()->isIntegerTy(1) ? b_.CreateUIToFP(v, f64_) : v;
    }

    // One loop over an axis; the items after it form its body.
    void axis(int index, llvm::BasicBlock* cont) {
        const auto& item = s_.items[index];
        size_t depth = axis_values_.size();
        bool outer = depth == 0;
        const Type& elem = *item.expr->type.elem;
        llvm::Value* count = nullptr;  // i64
        std::function<llvm::Value*(llvm::Value*)> value_at;  // i64 index → double
        if (!depends(*item.expr)) {
            std::optional<Value> list = fold(*item.expr);
            std::vector<double> xs;
            if (list) {
                for (const Value& v : list->list().items) xs.push_back(to_double(v));
            } else {
                flag(b_.getTrue());  // the interpreter fails on this list: so does the kernel
                check(index);
            }
            if (outer) out_.outer_count = static_cast<int64_t>(xs.size());
            if (static_cast<int>(depth) <= out_.progress_depth) {
                out_.progress_total = (depth == 0 ? 1.0 : out_.progress_total) * static_cast<double>(xs.size());
            }
            auto* data = llvm::ConstantDataArray::get(ctx_, xs);
            // Not constant to the optimizer: loops over small lists stay loops (no full unrolling
            // into code that grows with the grid), which keeps compile times short.
            auto* global = make_global(data, (fn_->getName() + ".axis." + std::to_string(index)).str(), false,
                                       llvm::GlobalValue::ExternalLinkage);
            count = b_.getInt64(xs.size());
            value_at = [this, global](llvm::Value* i) {
                return b_.CreateLoad(f64_, b_.CreateInBoundsGEP(global->getValueType(), global, {b_.getInt64(0), i}));
            };
        } else if (item.expr->op == Op::Range) {
            if (static_cast<int>(depth) <= out_.progress_depth) out_.progress_total = 0;
            const TExpr& r = *item.expr;
            llvm::Value* from = scalar(lower(*r.kids[0]));
            llvm::Value* to = scalar(lower(*r.kids[1]));
            llvm::Value* third = scalar(lower(*r.kids[2]));
            llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
            llvm::Value* max = llvm::ConstantFP::get(f64_, kMaxListLength);
            llvm::Value* n = nullptr;
            if (r.index == 1) {
                flag(b_.CreateOr(b_.CreateOr(b_.CreateFCmpOLT(third, llvm::ConstantFP::get(f64_, 2.0)),
                                             b_.CreateFCmpUNE(third, unary(llvm::Intrinsic::floor, third))),
                                 b_.CreateFCmpOGT(third, max)));
                flag(b_.CreateOr(b_.CreateFCmpOLE(from, zero), b_.CreateFCmpOLE(to, zero)));
                check(index);
                n = third;
                llvm::Value* last = b_.CreateFSub(n, llvm::ConstantFP::get(f64_, 1.0));
                llvm::Value* ratio = b_.CreateFDiv(unary(llvm::Intrinsic::log, b_.CreateFDiv(to, from)), last);
                value_at = [this, from, to, ratio, last](llvm::Value* i) {
                    llvm::Value* x = b_.CreateSIToFP(i, f64_);
                    llvm::Value* v = b_.CreateFMul(from, unary(llvm::Intrinsic::exp, b_.CreateFMul(ratio, x)));
                    return b_.CreateSelect(b_.CreateFCmpOEQ(x, last), to, v);
                };
            } else {
                flag(b_.CreateFCmpOEQ(third, zero));
                check(index);
                n = b_.CreateFAdd(unary(llvm::Intrinsic::floor,
                                        b_.CreateFAdd(b_.CreateFDiv(b_.CreateFSub(to, from), third),
                                                      llvm::ConstantFP::get(f64_, 1e-9))),
                                  llvm::ConstantFP::get(f64_, 1.0));
                flag(b_.CreateFCmpUGT(n, max));
                check(index);
                value_at = [this, from, third](llvm::Value* i) {
                    return b_.CreateFAdd(from, b_.CreateFMul(b_.CreateSIToFP(i, f64_), third));
                };
            }
            // Items are 0, 1, ... while i < n (n may be fractional or negative).
            n = b_.CreateCall(llvm::Intrinsic::getDeclaration(m_.get(), llvm::Intrinsic::ceil, {f64_}), {n});
            n = b_.CreateSelect(b_.CreateFCmpOGT(n, zero), n, zero);
            count = b_.CreateFPToSI(n, i64_);
        } else {
            throw Unsupported{"an axis whose list is computed from other axes (only ranges `a .. b step s` and `a .. b log n` are)",
                              item.expr->span};
        }

        llvm::Value* start = b_.getInt64(0);
        llvm::Value* end = count;
        if (outer) {
            start = fn_->getArg(6);
            end = b_.CreateSelect(b_.CreateICmpSLT(fn_->getArg(7), count), fn_->getArg(7), count);
        }
        llvm::BasicBlock* pre = b_.GetInsertBlock();
        auto* header = llvm::BasicBlock::Create(ctx_, "loop." + item.name, fn_);
        auto* body = llvm::BasicBlock::Create(ctx_, "body." + item.name, fn_);
        auto* latch = llvm::BasicBlock::Create(ctx_, "next." + item.name, fn_);
        auto* exit = llvm::BasicBlock::Create(ctx_, "exit." + item.name, fn_);
        b_.CreateBr(header);
        b_.SetInsertPoint(header);
        llvm::PHINode* i = b_.CreatePHI(i64_, 2, item.name + ".i");
        i->addIncoming(start, pre);
        b_.CreateCondBr(b_.CreateICmpSLT(i, end), body, exit);
        b_.SetInsertPoint(body);
        if (static_cast<int>(depth) == out_.progress_depth) {
            b_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, fn_->getArg(5), b_.getInt64(1), llvm::MaybeAlign(8),
                               llvm::AtomicOrdering::Monotonic);
            auto* load = b_.CreateAlignedLoad(i32_, fn_->getArg(4), llvm::MaybeAlign(4));
            load->setAtomic(llvm::AtomicOrdering::Monotonic);
            auto* stopped = llvm::BasicBlock::Create(ctx_, "stopped", fn_);
            auto* go = llvm::BasicBlock::Create(ctx_, "go", fn_);
            b_.CreateCondBr(b_.CreateICmpNE(load, b_.getInt32(0)), stopped, go, weights_unlikely());
            b_.SetInsertPoint(stopped);
            finish(kStopped);
            b_.SetInsertPoint(go);
        }
        llvm::Value* x = value_at(i);
        axis_values_.push_back(x);
        env_[item.slot] = LV::scalar(elem.is(Type::Kind::Bool) ? b_.CreateFCmpUNE(x, llvm::ConstantFP::get(f64_, 0.0)) : x);
        items(static_cast<size_t>(index) + 1, latch);
        axis_values_.pop_back();
        b_.SetInsertPoint(latch);
        llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1), "", true, true);
        i->addIncoming(next, latch);
        b_.CreateBr(header);
        b_.SetInsertPoint(exit);
        b_.CreateBr(cont);
    }

    // ---- values ---------------------------------------------------------------------------------

    // Through the module (not `new GlobalVariable`, which GCC's -Wmismatched-new-delete misreads).
    llvm::GlobalVariable* make_global(llvm::Constant* data, const std::string& name, bool constant,
                                      llvm::GlobalValue::LinkageTypes linkage) {
        auto* g = llvm::cast<llvm::GlobalVariable>(m_->getOrInsertGlobal(name, data->getType()));
        g->setInitializer(data);
        g->setConstant(constant);
        g->setLinkage(linkage);
        return g;
    }

    double intern(const std::string& s) {
        auto [at, fresh] = ids_.emplace(s, static_cast<int>(strings_.size()));
        if (fresh) strings_.push_back(s);
        return at->second;
    }

    double to_double(const Value& v) {
        switch (v.v.index()) {
            case 0: return v.num();
            case 1: return v.truth() ? 1 : 0;
            case 2: return intern(v.str());
            default: return 0;
        }
    }

    std::optional<Value> fold(const TExpr& e) {
        std::vector<Value> frame(static_cast<size_t>(scratch_size_));
        try {
            return eval_.eval(e, frame);
        } catch (const DiagnosticError&) {
            return std::nullopt;
        }
    }

    void flag(llvm::Value* bad) { b_.CreateStore(b_.CreateOr(b_.CreateLoad(i1_, err_), bad), err_); }

    llvm::Value* materialize(const Value& v, const TExpr* at) {
        switch (v.v.index()) {
            case 0: return llvm::ConstantFP::get(f64_, v.num());
            case 1: return v.truth() ? b_.getTrue() : b_.getFalse();
            case 2: return llvm::ConstantFP::get(f64_, intern(v.str()));
            default: throw Unsupported{"a list or record where a single value is needed", at ? at->span : s_.span};
        }
    }

    llvm::Value* scalar(const LV& v, const TExpr* at = nullptr) {
        if (v.k == LV::K::Const) return materialize(v.c, at);
        if (v.k == LV::K::Record || !v.v) throw Unsupported{"a record where a single value is needed", at ? at->span : s_.span};
        return v.v;
    }

    // Records: fields as lowered values (a constant record's fields stay constants).
    std::vector<LV> fields(const LV& v, const TExpr& at) {
        if (v.k == LV::K::Record) return v.fields;
        if (v.k == LV::K::Const && v.c.v.index() == 4) {
            std::vector<LV> out;
            for (auto& f : v.c.record().fields) out.push_back(LV::constant(f));
            return out;
        }
        throw Unsupported{"a value that is not a record where a record is needed", at.span};
    }

    // A value of the type that is never used: the error flag is already set where it stands.
    LV dummy(const Type& t) {
        switch (t.kind) {
            case Type::Kind::Bool: return LV::scalar(b_.getFalse());
            case Type::Kind::Record: {
                LV r{LV::K::Record, nullptr, {}, {}};
                for (auto& ft : t.record->types) r.fields.push_back(dummy(ft));
                return r;
            }
            case Type::Kind::List: return LV::constant(make_list({}));
            default: return LV::scalar(llvm::ConstantFP::get(f64_, 0.0));
        }
    }

    llvm::Value* unary(llvm::Intrinsic::ID id, llvm::Value* x) {
        return b_.CreateCall(llvm::Intrinsic::getDeclaration(m_.get(), id, {f64_}), {x});
    }

    void flag_not_finite(llvm::Value* r) {
        flag(b_.CreateFCmpUEQ(unary(llvm::Intrinsic::fabs, r), llvm::ConstantFP::getInfinity(f64_)));
    }

    LV lower(const TExpr& e) {
        if (!depends(e)) {
            if (auto v = fold(e)) return LV::constant(std::move(*v));
            flag(b_.getTrue());
            return dummy(e.type);
        }
        switch (e.op) {
            case Op::Const: return LV::constant(e.constant);
            case Op::Global: return LV::constant(*fold(e));
            case Op::Local: {
                const LV& v = (*frame_)[e.slot];
                if (v.k == LV::K::Scalar && !v.v) throw Unsupported{"this local (internal error: not bound)", e.span};
                return v;
            }
            case Op::Neg: return LV::scalar(b_.CreateFNeg(scalar(lower(*e.kids[0]))));
            case Op::Not: return LV::scalar(b_.CreateNot(scalar(lower(*e.kids[0]))));
            case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Pow: {
                llvm::Value* a = scalar(lower(*e.kids[0]), e.kids[0].get());
                llvm::Value* b = scalar(lower(*e.kids[1]), e.kids[1].get());
                llvm::Value* r = nullptr;
                llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
                switch (e.op) {
                    case Op::Add: r = b_.CreateFAdd(a, b); break;
                    case Op::Sub: r = b_.CreateFSub(a, b); break;
                    case Op::Mul: r = b_.CreateFMul(a, b); break;
                    case Op::Div:
                        flag(b_.CreateFCmpOEQ(b, zero));
                        r = b_.CreateFDiv(a, b);
                        break;
                    default:
                        flag(b_.CreateAnd(b_.CreateFCmpOLT(a, zero), b_.CreateFCmpUNE(b, unary(llvm::Intrinsic::round, b))));
                        flag(b_.CreateAnd(b_.CreateFCmpOEQ(a, zero), b_.CreateFCmpOLT(b, zero)));
                        r = b_.CreateCall(llvm::Intrinsic::getDeclaration(m_.get(), llvm::Intrinsic::pow, {f64_}), {a, b});
                        break;
                }
                flag_not_finite(r);
                return LV::scalar(r);
            }
            case Op::Eq: case Op::Ne: {
                const Type& t = e.kids[0]->type;
                bool eq = e.op == Op::Eq;
                bool comparable = t.is(Type::Kind::Number) || t.is(Type::Kind::Bool) || t.is(Type::Kind::String);
                if (!comparable || !same_type(t, e.kids[1]->type)) {
                    lower(*e.kids[0]);
                    lower(*e.kids[1]);
                    return LV::scalar(eq ? b_.getFalse() : b_.getTrue());
                }
                llvm::Value* a = scalar(lower(*e.kids[0]), e.kids[0].get());
                llvm::Value* b = scalar(lower(*e.kids[1]), e.kids[1].get());
                if (t.is(Type::Kind::Bool)) return LV::scalar(eq ? b_.CreateICmpEQ(a, b) : b_.CreateICmpNE(a, b));
                return LV::scalar(eq ? b_.CreateFCmpOEQ(a, b) : b_.CreateFCmpUNE(a, b));
            }
            case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
                llvm::Value* a = scalar(lower(*e.kids[0]), e.kids[0].get());
                llvm::Value* b = scalar(lower(*e.kids[1]), e.kids[1].get());
                switch (e.op) {
                    case Op::Lt: return LV::scalar(b_.CreateFCmpOLT(a, b));
                    case Op::Le: return LV::scalar(b_.CreateFCmpOLE(a, b));
                    case Op::Gt: return LV::scalar(b_.CreateFCmpOGT(a, b));
                    default: return LV::scalar(b_.CreateFCmpOGE(a, b));
                }
            }
            case Op::And: case Op::Or: {
                llvm::Value* a = scalar(lower(*e.kids[0]), e.kids[0].get());
                llvm::BasicBlock* from = b_.GetInsertBlock();
                auto* rhs = llvm::BasicBlock::Create(ctx_, e.op == Op::And ? "and" : "or", fn_);
                auto* join = llvm::BasicBlock::Create(ctx_, "join", fn_);
                if (e.op == Op::And)
                    b_.CreateCondBr(a, rhs, join);
                else
                    b_.CreateCondBr(a, join, rhs);
                b_.SetInsertPoint(rhs);
                llvm::Value* b = scalar(lower(*e.kids[1]), e.kids[1].get());
                llvm::BasicBlock* rhs_end = b_.GetInsertBlock();
                b_.CreateBr(join);
                b_.SetInsertPoint(join);
                llvm::PHINode* phi = b_.CreatePHI(i1_, 2);
                phi->addIncoming(e.op == Op::And ? b_.getFalse() : b_.getTrue(), from);
                phi->addIncoming(b, rhs_end);
                return LV::scalar(phi);
            }
            case Op::If: {
                llvm::Value* c = scalar(lower(*e.kids[0]), e.kids[0].get());
                auto* then_bb = llvm::BasicBlock::Create(ctx_, "then", fn_);
                auto* else_bb = llvm::BasicBlock::Create(ctx_, "else", fn_);
                auto* join = llvm::BasicBlock::Create(ctx_, "endif", fn_);
                b_.CreateCondBr(c, then_bb, else_bb);
                b_.SetInsertPoint(then_bb);
                LV t = flatten(lower(*e.kids[1]), *e.kids[1]);
                llvm::BasicBlock* then_end = b_.GetInsertBlock();
                b_.CreateBr(join);
                b_.SetInsertPoint(else_bb);
                LV f = flatten(lower(*e.kids[2]), *e.kids[2]);
                llvm::BasicBlock* else_end = b_.GetInsertBlock();
                b_.CreateBr(join);
                b_.SetInsertPoint(join);
                return merge(t, then_end, f, else_end, e);
            }
            case Op::Call: {
                const FnInstance& fn = *e.fn;
                if (inline_depth_ >= kMaxInlineDepth)
                    throw Unsupported{"a recursive function call (`" + fn.decl->name + "`)", e.span};
                std::vector<LV> callee(static_cast<size_t>(std::max(fn.frame_size, 1)));
                for (size_t i = 0; i < e.kids.size(); ++i) callee[i] = lower(*e.kids[i]);
                std::vector<LV>* saved = frame_;
                int saved_scratch = scratch_size_;
                frame_ = &callee;
                scratch_size_ = std::max(fn.frame_size, 1);
                ++inline_depth_;
                LV r = lower(*fn.body);
                --inline_depth_;
                frame_ = saved;
                scratch_size_ = saved_scratch;
                return r;
            }
            case Op::Builtin: return builtin(e);
            case Op::Field: {
                LV r = lower(*e.kids[0]);
                if (r.k == LV::K::Const) return LV::constant(r.c.record().fields[e.index]);
                return fields(r, e)[e.index];
            }
            case Op::With: {
                LV r{LV::K::Record, nullptr, fields(lower(*e.kids[0]), e), {}};
                for (size_t i = 0; i < e.slots.size(); ++i) r.fields[e.slots[i]] = lower(*e.kids[i + 1]);
                return r;
            }
            case Op::Record: {
                LV r{LV::K::Record, nullptr, {}, {}};
                for (auto& k : e.kids) r.fields.push_back(lower(*k));
                return r;
            }
            case Op::Block: {
                for (size_t i = 0; i < e.slots.size(); ++i) (*frame_)[e.slots[i]] = lower(*e.kids[i]);
                return lower(*e.kids.back());
            }
            case Op::Index: {
                // A list known at compile time, an index that changes: a table per scalar field.
                LV list = lower(*e.kids[0]);
                if (list.k != LV::K::Const || list.c.v.index() != 3)
                    throw Unsupported{"indexing a list that is built inside the sweep", e.span};
                llvm::Value* at = scalar(lower(*e.kids[1]), e.kids[1].get());
                const auto& items = list.c.list().items;
                llvm::Value* n = llvm::ConstantFP::get(f64_, static_cast<double>(items.size()));
                llvm::Value* bad = b_.CreateOr(b_.CreateFCmpUNE(at, unary(llvm::Intrinsic::floor, at)),
                                               b_.CreateOr(b_.CreateFCmpOLT(at, llvm::ConstantFP::get(f64_, 0.0)),
                                                           b_.CreateFCmpUGE(at, n)));
                flag(bad);
                // Out of range: the flag is set, and item 0 (or nothing) is read instead.
                llvm::Value* i = b_.CreateSelect(bad, b_.getInt64(0), b_.CreateFPToSI(at, i64_));
                if (items.empty()) return dummy(e.type);
                std::vector<const Value*> column;
                for (auto& v : items) column.push_back(&v);
                return table(column, i, e.type, e);
            }
            case Op::List: throw Unsupported{"a list built inside the sweep", e.span};
            case Op::Comprehension: throw Unsupported{"a list comprehension", e.span};
            case Op::Range: throw Unsupported{"a range outside an axis", e.span};
            case Op::Interpolate: throw Unsupported{"string interpolation", e.span};
        }
        throw Unsupported{"this expression", e.span};
    }

    // items[i] of a constant list, one constant array per scalar leaf of the element type.
    LV table(const std::vector<const Value*>& items, llvm::Value* i, const Type& t, const TExpr& at) {
        if (t.is(Type::Kind::Record)) {
            LV r{LV::K::Record, nullptr, {}, {}};
            for (size_t f = 0; f < t.record->types.size(); ++f) {
                std::vector<const Value*> column;
                for (auto* v : items) column.push_back(&v->record().fields[f]);
                r.fields.push_back(table(column, i, t.record->types[f], at));
            }
            return r;
        }
        if (!t.is(Type::Kind::Number) && !t.is(Type::Kind::Bool) && !t.is(Type::Kind::String))
            throw Unsupported{"indexing a list of lists with an index that changes within the sweep", at.span};
        std::vector<double> xs;
        for (auto* v : items) xs.push_back(to_double(*v));
        auto* data = llvm::ConstantDataArray::get(ctx_, xs);
        auto* global = make_global(data, "table." + std::to_string(tables_++), true, llvm::GlobalValue::PrivateLinkage);
        llvm::Value* x = b_.CreateLoad(f64_, b_.CreateInBoundsGEP(global->getValueType(), global, {b_.getInt64(0), i}));
        return LV::scalar(t.is(Type::Kind::Bool) ? b_.CreateFCmpUNE(x, llvm::ConstantFP::get(f64_, 0.0)) : x);
    }

    // Constants become registers (records field by field) so that both arms of an `if` match.
    LV flatten(LV v, const TExpr& at) {
        if (v.k == LV::K::Record || (v.k == LV::K::Const && v.c.v.index() == 4)) {
            LV r{LV::K::Record, nullptr, fields(v, at), {}};
            for (auto& f : r.fields) f = flatten(f, at);
            return r;
        }
        return LV::scalar(scalar(v, &at));
    }

    LV merge(const LV& a, llvm::BasicBlock* from_a, const LV& b, llvm::BasicBlock* from_b, const TExpr& at) {
        if (a.k == LV::K::Record) {
            if (b.k != LV::K::Record || b.fields.size() != a.fields.size())
                throw Unsupported{"an `if` whose branches are records of different shapes", at.span};
            LV r{LV::K::Record, nullptr, {}, {}};
            for (size_t i = 0; i < a.fields.size(); ++i) r.fields.push_back(merge(a.fields[i], from_a, b.fields[i], from_b, at));
            return r;
        }
        llvm::PHINode* phi = b_.CreatePHI(a.v->getType(), 2);
        phi->addIncoming(a.v, from_a);
        phi->addIncoming(b.v, from_b);
        return LV::scalar(phi);
    }

    LV builtin(const TExpr& e) {
        const Builtin& bi = builtins()[e.index];
        std::string name = bi.name;
        std::vector<LV> args;
        for (auto& k : e.kids) args.push_back(lower(*k));
        bool all_const = std::all_of(args.begin(), args.end(), [](const LV& a) { return a.k == LV::K::Const; });
        if (all_const) {  // e.g. a native of a constant record passed through a function
            std::vector<Value> values;
            for (auto& a : args) values.push_back(a.c);
            try {
                return LV::constant(bi.eval(values, CallSite{e.span, ""}));
            } catch (const DiagnosticError&) {
                flag(b_.getTrue());
                return dummy(e.type);
            }
        }
        auto x = [&](size_t i) { return scalar(args[i], e.kids[i].get()); };
        llvm::Value* zero = llvm::ConstantFP::get(f64_, 0.0);
        if (args.size() == 1 && e.kids[0]->type.is(Type::Kind::Number)) {
            llvm::Value* a = x(0);
            if (name == "sqrt") {
                flag(b_.CreateFCmpOLT(a, zero));
                return LV::scalar(unary(llvm::Intrinsic::sqrt, a));
            }
            if (name == "exp") {
                llvm::Value* r = unary(llvm::Intrinsic::exp, a);
                flag_not_finite(r);
                return LV::scalar(r);
            }
            if (name == "log" || name == "log2" || name == "log10") {
                flag(b_.CreateFCmpOLE(a, zero));
                return LV::scalar(unary(name == "log" ? llvm::Intrinsic::log
                                        : name == "log2" ? llvm::Intrinsic::log2 : llvm::Intrinsic::log10, a));
            }
            if (name == "abs") return LV::scalar(unary(llvm::Intrinsic::fabs, a));
            if (name == "floor") return LV::scalar(unary(llvm::Intrinsic::floor, a));
            if (name == "ceil") return LV::scalar(unary(llvm::Intrinsic::ceil, a));
            if (name == "round") return LV::scalar(unary(llvm::Intrinsic::round, a));
        }
        if ((name == "min" || name == "max") && args.size() >= 2) {
            // As std::min_element / max_element: the first of equal extremes.
            llvm::Value* m = x(0);
            for (size_t i = 1; i < args.size(); ++i) {
                llvm::Value* v = x(i);
                llvm::Value* better = name == "min" ? b_.CreateFCmpOLT(v, m) : b_.CreateFCmpOLT(m, v);
                m = b_.CreateSelect(better, v, m);
            }
            return LV::scalar(m);
        }
        throw Unsupported{"`" + name + "` of values that change within the sweep", e.span};
    }

    const CheckedSweep& s_;
    Evaluator& eval_;
    llvm::LLVMContext& ctx_;
    CompiledSweep& out_;
    llvm::IRBuilder<> b_;
    std::unique_ptr<llvm::Module> m_;
    llvm::Type *f64_, *i1_, *i32_, *i64_;
    llvm::PointerType* ptr_;
    llvm::FunctionType* emit_ty_;
    llvm::Function* fn_;
    llvm::AllocaInst *err_ = nullptr, *feasible_ = nullptr, *objective_ = nullptr, *row_ = nullptr;
    std::vector<LV> env_;
    std::vector<LV>* frame_ = &env_;
    std::vector<llvm::Value*> axis_values_;
    std::map<std::string, int> ids_;
    std::vector<std::string> strings_;
    int scratch_size_ = 1;
    int inline_depth_ = 0;
    int tables_ = 0;
};

}  // namespace

std::unique_ptr<llvm::Module> lower(const CheckedSweep& sweep, Evaluator& eval, llvm::LLVMContext& ctx,
                                    const std::string& name, CompiledSweep& out) {
    return Lowering(sweep, eval, ctx, name, out).run();
}

}  // namespace plan::jit
