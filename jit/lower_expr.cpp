#include "jit/lower_expr.hpp"

#include <algorithm>

#include "interpreter/sweep_items.hpp"
#include "jit/math_link.hpp"
#include "numeric/math.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/Constants.h>
#include <llvm/IR/Module.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {

constexpr int kMaxInlineDepth = 64;

}  // namespace

// Whether every local `e` reads (apart from those bound inside it) holds a constant in `frame`.
static bool constant_locals(const TExpr& e, const std::vector<LV>& frame, std::vector<int>& bound) {
    if (e.op == Op::Local) {
        if (std::find(bound.begin(), bound.end(), e.slot) != bound.end()) return true;
        return static_cast<size_t>(e.slot) < frame.size() && frame[e.slot].k == LV::K::Const;
    }
    size_t mark = bound.size();
    if (e.op == Op::Comprehension) {
        if (!constant_locals(*e.kids[1], frame, bound)) return false;
        bound.push_back(e.slot);
        bool ok = constant_locals(*e.kids[0], frame, bound) && (e.kids.size() < 3 || constant_locals(*e.kids[2], frame, bound));
        bound.resize(mark);
        return ok;
    }
    if (e.op == Op::Block) bound.insert(bound.end(), e.slots.begin(), e.slots.end());
    bool ok = std::all_of(e.kids.begin(), e.kids.end(), [&](auto& k) { return constant_locals(*k, frame, bound); });
    bound.resize(mark);
    return ok;
}

bool ExprLowering::constant_locals(const TExpr& e) const {
    std::vector<int> bound;
    return jit::constant_locals(e, *frame_, bound);
}

ExprLowering::ExprLowering(Evaluator& eval, llvm::Module& m, llvm::IRBuilder<>& b, llvm::Function* fn, int frame_size)
    : eval_(eval), m_(m), b_(b), ctx_(m.getContext()), fn_(fn), scratch_size_(std::max(frame_size, 1)) {
    f64_ = llvm::Type::getDoubleTy(ctx_);
    i1_ = llvm::Type::getInt1Ty(ctx_);
    i64_ = llvm::Type::getInt64Ty(ctx_);
    err_ = b_.CreateAlloca(i1_, nullptr, "err");
    b_.CreateStore(b_.getFalse(), err_);
    env_.assign(static_cast<size_t>(std::max(frame_size, 1)), LV{});
}

// ---- helpers ------------------------------------------------------------------------------------

llvm::Value* ExprLowering::f64(double x) { return llvm::ConstantFP::get(f64_, x); }

llvm::Value* ExprLowering::as_double(llvm::Value* v) { return v->getType()->isIntegerTy(1) ? b_.CreateUIToFP(v, f64_) : v; }

llvm::Value* ExprLowering::unary(llvm::Intrinsic::ID id, llvm::Value* x) {
    return b_.CreateCall(llvm::Intrinsic::getDeclaration(&m_, id, {f64_}), {x});
}

// Through the module (not `new GlobalVariable`, which GCC's -Wmismatched-new-delete misreads).
// Axis lists are not marked constant: the optimizer then keeps loops over small lists as loops
// (no full unrolling into code that grows with the grid), which keeps compile times short.
llvm::GlobalVariable* ExprLowering::constant_array(const std::vector<double>& xs, const std::string& name, bool constant) {
    auto* data = llvm::ConstantDataArray::get(ctx_, xs);
    auto* g = llvm::cast<llvm::GlobalVariable>(m_.getOrInsertGlobal(name, data->getType()));
    g->setInitializer(data);
    g->setConstant(constant);
    g->setLinkage(constant ? llvm::GlobalValue::PrivateLinkage : llvm::GlobalValue::ExternalLinkage);
    return g;
}

double ExprLowering::to_double(const Value& v) {
    switch (v.v.index()) {
        case 0: return v.num();
        case 1: return v.truth() ? 1 : 0;
        case 2: {
            auto [at, fresh] = ids_.emplace(v.str(), static_cast<int>(strings_.size()));
            if (fresh) strings_.push_back(v.str());
            return at->second;
        }
        default: return 0;
    }
}

std::optional<Value> ExprLowering::fold(const TExpr& e) {
    std::vector<Value> frame(static_cast<size_t>(scratch_size_));
    try {
        return eval_.eval(e, frame);
    } catch (const DiagnosticError&) {
        return std::nullopt;
    }
}

llvm::Value* ExprLowering::masked(llvm::Value* pred, llvm::Value* c) { return pred ? b_.CreateAnd(pred, c) : c; }

void ExprLowering::flag(llvm::Value* bad) {
    if (straight_) bad = masked(predicate_, bad);
    b_.CreateStore(b_.CreateOr(b_.CreateLoad(i1_, err_), bad), err_);
}

llvm::Value* ExprLowering::error_flag() { return b_.CreateLoad(i1_, err_); }

void ExprLowering::clear_error() { b_.CreateStore(b_.getFalse(), err_); }

void ExprLowering::flag_not_finite(llvm::Value* r) {
    flag(b_.CreateFCmpUEQ(unary(llvm::Intrinsic::fabs, r), llvm::ConstantFP::getInfinity(f64_)));
}

llvm::Value* ExprLowering::materialize(const Value& v, const TExpr* at) {
    switch (v.v.index()) {
        case 0: return f64(v.num());
        case 1: return v.truth() ? b_.getTrue() : b_.getFalse();
        case 2: return f64(to_double(v));
        default: throw Unsupported{"a list or record where a single value is needed", at ? at->span : Span{}};
    }
}

llvm::Value* ExprLowering::scalar(const LV& v, const TExpr* at) {
    if (v.k == LV::K::Const) return materialize(v.c, at);
    if (v.k == LV::K::Record || !v.v) throw Unsupported{"a record where a single value is needed", at ? at->span : Span{}};
    return v.v;
}

// Records: fields as lowered values (a constant record's fields stay constants).
std::vector<LV> ExprLowering::fields(const LV& v, const TExpr& at) {
    if (v.k == LV::K::Record) return v.fields;
    if (v.k == LV::K::Const && v.c.v.index() == 4) {
        std::vector<LV> out;
        for (auto& f : v.c.record().fields) out.push_back(LV::constant(f));
        return out;
    }
    throw Unsupported{"a value that is not a record where a record is needed", at.span};
}

// A value of the type that is never used: the error flag is already set where it stands.
LV ExprLowering::dummy(const Type& t) {
    switch (t.kind) {
        case Type::Kind::Bool: return LV::scalar(b_.getFalse());
        case Type::Kind::Record: {
            LV r = LV::record();
            for (auto& ft : t.record->types) r.fields.push_back(dummy(ft));
            return r;
        }
        case Type::Kind::List: return LV::constant(make_list({}));
        default: return LV::scalar(f64(0));
    }
}

// Constants become registers (records field by field) so that both arms of an `if` match.
LV ExprLowering::flatten(LV v, const TExpr& at) {
    if (v.k == LV::K::Record || (v.k == LV::K::Const && v.c.v.index() == 4)) {
        LV r = LV::record(fields(v, at));
        for (auto& f : r.fields) f = flatten(f, at);
        return r;
    }
    return LV::scalar(scalar(v, &at), range_of(v));
}

LV ExprLowering::merge(const LV& a, llvm::BasicBlock* from_a, const LV& b, llvm::BasicBlock* from_b, const TExpr& at) {
    if (a.k == LV::K::Record) {
        if (b.k != LV::K::Record || b.fields.size() != a.fields.size())
            throw Unsupported{"an `if` whose branches are records of different shapes", at.span};
        LV r = LV::record();
        for (size_t i = 0; i < a.fields.size(); ++i) r.fields.push_back(merge(a.fields[i], from_a, b.fields[i], from_b, at));
        return r;
    }
    llvm::PHINode* phi = b_.CreatePHI(a.v->getType(), 2);
    phi->addIncoming(a.v, from_a);
    phi->addIncoming(b.v, from_b);
    Interval r;
    if (a.range.known() && b.range.known()) r = {std::min(a.range.lo, b.range.lo), std::max(a.range.hi, b.range.hi)};
    return LV::scalar(phi, r);
}

LV ExprLowering::select(llvm::Value* c, const LV& a, const LV& b, const TExpr& at) {
    if (a.k == LV::K::Record) {
        if (b.k != LV::K::Record || b.fields.size() != a.fields.size())
            throw Unsupported{"an `if` whose branches are records of different shapes", at.span};
        LV r = LV::record();
        for (size_t i = 0; i < a.fields.size(); ++i) r.fields.push_back(select(c, a.fields[i], b.fields[i], at));
        return r;
    }
    Interval r;
    if (a.range.known() && b.range.known()) r = {std::min(a.range.lo, b.range.lo), std::max(a.range.hi, b.range.hi)};
    return LV::scalar(b_.CreateSelect(c, a.v, b.v), r);
}

// ---- expressions --------------------------------------------------------------------------------

LV ExprLowering::lower(const TExpr& e) {
    if (!reads_sweep_locals(e)) {
        if (auto v = fold(e)) return LV::constant(std::move(*v));
        flag(b_.getTrue());
        return dummy(e.type);
    }
    // An expression whose locals are all constants here (a parameter of an inlined function that
    // was passed a constant, e.g. `optimizer_bytes(optimizer)` in memory_per_gpu) is computed once,
    // now, by the interpreter: whatever it builds (lists, comprehensions) needs no lowering.
    if (e.op != Op::Local && constant_locals(e)) {
        std::vector<Value> frame(static_cast<size_t>(scratch_size_));
        for (size_t i = 0; i < frame_->size() && i < frame.size(); ++i)
            if ((*frame_)[i].k == LV::K::Const) frame[i] = (*frame_)[i].c;
        try {
            return LV::constant(eval_.eval(e, frame));
        } catch (const DiagnosticError&) {
            flag(b_.getTrue());
            return dummy(e.type);
        }
    }
    switch (e.op) {
        case Op::Const: return LV::constant(e.constant);
        case Op::Global: return LV::constant(*fold(e));
        case Op::Local: {
            const LV& v = (*frame_)[e.slot];
            if (v.k == LV::K::Scalar && !v.v) throw Unsupported{"this local (internal error: not bound)", e.span};
            return v;
        }
        case Op::Neg: {
            LV a = lower(*e.kids[0]);
            Interval r = range_of(a);
            return LV::scalar(b_.CreateFNeg(scalar(a)), r.known() ? Interval{-r.hi, -r.lo} : Interval{});
        }
        case Op::Not: return LV::scalar(b_.CreateNot(scalar(lower(*e.kids[0]))));
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Pow: return binary(e);
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
        case Op::And: case Op::Or: return logic(e);
        case Op::If: return conditional(e);
        case Op::Call: return call(e);
        case Op::Builtin: return builtin(e);
        case Op::Field: {
            LV r = lower(*e.kids[0]);
            if (r.k == LV::K::Const) return LV::constant(r.c.record().fields[e.index]);
            return fields(r, e)[e.index];
        }
        case Op::With: {
            LV r = LV::record(fields(lower(*e.kids[0]), e));
            for (size_t i = 0; i < e.slots.size(); ++i) r.fields[e.slots[i]] = lower(*e.kids[i + 1]);
            return r;
        }
        case Op::Record: {
            LV r = LV::record();
            for (auto& k : e.kids) r.fields.push_back(lower(*k));
            return r;
        }
        case Op::Block: {
            for (size_t i = 0; i < e.slots.size(); ++i) (*frame_)[e.slots[i]] = lower(*e.kids[i]);
            return lower(*e.kids.back());
        }
        case Op::Index: return index(e);
        case Op::List: throw Unsupported{"a list built inside the sweep", e.span};
        case Op::Comprehension: throw Unsupported{"a list comprehension outside an axis", e.span};
        case Op::Range: throw Unsupported{"a range outside an axis", e.span};
        case Op::Interpolate: throw Unsupported{"string interpolation", e.span};
    }
    throw Unsupported{"this expression", e.span};
}

Interval ExprLowering::range_of(const LV& v) const {
    if (v.k == LV::K::Const && v.c.v.index() == 0) return {v.c.num(), v.c.num()};
    return v.k == LV::K::Scalar ? v.range : Interval{};
}

namespace {

// The bounds of f over a box, from its corners: right for functions monotonic in each argument
// over the box (IEEE rounding is monotonic too, so the corners' results bound every result).
Interval corners(const Interval& a, const Interval& b, double (*f)(double, double)) {
    if (!a.known() || !b.known()) return {};
    double xs[] = {f(a.lo, b.lo), f(a.lo, b.hi), f(a.hi, b.lo), f(a.hi, b.hi)};
    Interval r{*std::min_element(xs, xs + 4), *std::max_element(xs, xs + 4)};
    return std::isnan(r.lo) || std::isnan(r.hi) ? Interval{} : r;
}

}  // namespace

LV ExprLowering::binary(const TExpr& e) {
    LV la = lower(*e.kids[0]), lb = lower(*e.kids[1]);
    llvm::Value* a = scalar(la, e.kids[0].get());
    llvm::Value* b = scalar(lb, e.kids[1].get());
    Interval ra = range_of(la), rb = range_of(lb), r;
    llvm::Value* zero = f64(0);
    llvm::Value* v = nullptr;
    switch (e.op) {
        case Op::Add:
            v = b_.CreateFAdd(a, b);
            r = corners(ra, rb, [](double x, double y) { return x + y; });
            break;
        case Op::Sub:
            v = b_.CreateFSub(a, b);
            r = corners(ra, rb, [](double x, double y) { return x - y; });
            break;
        case Op::Mul:
            v = b_.CreateFMul(a, b);
            r = corners(ra, rb, [](double x, double y) { return x * y; });
            break;
        case Op::Div:
            if (!rb.excludes_zero()) flag(b_.CreateFCmpOEQ(b, zero));
            v = b_.CreateFDiv(a, b);
            if (rb.excludes_zero()) r = corners(ra, rb, [](double x, double y) { return x / y; });
            break;
        default: {
            // Errors: a negative base with a fractional exponent, zero to a negative power.
            bool integral_exponent = rb.known() && rb.lo == rb.hi && rb.lo == std::round(rb.lo);
            if (!(ra.known() && ra.lo >= 0) && !integral_exponent)
                flag(b_.CreateAnd(b_.CreateFCmpOLT(a, zero), b_.CreateFCmpUNE(b, unary(llvm::Intrinsic::round, b))));
            if (!(ra.excludes_zero() || (rb.known() && rb.lo >= 0)))
                flag(b_.CreateAnd(b_.CreateFCmpOEQ(a, zero), b_.CreateFCmpOLT(b, zero)));
            v = math_call(m_, b_, "plan_pow", {a, b});
            if (ra.known() && ra.lo > 1e-300) r = corners(ra, rb, plan_pow);
            break;
        }
    }
    if (!r.tame()) {
        flag_not_finite(v);
        r = {};
    }
    return LV::scalar(v, r);
}

// `and`, `or`: the right side only counts (and only raises errors) when the left does not decide.
LV ExprLowering::logic(const TExpr& e) {
    bool is_and = e.op == Op::And;
    llvm::Value* a = scalar(lower(*e.kids[0]), e.kids[0].get());
    if (straight_) {
        llvm::Value* saved = predicate_;
        predicate_ = masked(saved, is_and ? a : b_.CreateNot(a));
        llvm::Value* b = scalar(lower(*e.kids[1]), e.kids[1].get());
        predicate_ = saved;
        return LV::scalar(is_and ? b_.CreateAnd(a, b) : b_.CreateOr(a, b));
    }
    llvm::BasicBlock* from = b_.GetInsertBlock();
    auto* rhs = llvm::BasicBlock::Create(ctx_, is_and ? "and" : "or", fn_);
    auto* join = llvm::BasicBlock::Create(ctx_, "join", fn_);
    if (is_and)
        b_.CreateCondBr(a, rhs, join);
    else
        b_.CreateCondBr(a, join, rhs);
    b_.SetInsertPoint(rhs);
    llvm::Value* b = scalar(lower(*e.kids[1]), e.kids[1].get());
    llvm::BasicBlock* rhs_end = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    llvm::PHINode* phi = b_.CreatePHI(i1_, 2);
    phi->addIncoming(is_and ? b_.getFalse() : b_.getTrue(), from);
    phi->addIncoming(b, rhs_end);
    return LV::scalar(phi);
}

LV ExprLowering::conditional(const TExpr& e) {
    llvm::Value* c = scalar(lower(*e.kids[0]), e.kids[0].get());
    if (straight_) {
        llvm::Value* saved = predicate_;
        predicate_ = masked(saved, c);
        LV t = flatten(lower(*e.kids[1]), *e.kids[1]);
        predicate_ = masked(saved, b_.CreateNot(c));
        LV f = flatten(lower(*e.kids[2]), *e.kids[2]);
        predicate_ = saved;
        return select(c, t, f, e);
    }
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

// Calls are inlined: the callee's body is lowered in a frame of its own.
LV ExprLowering::call(const TExpr& e) {
    const FnInstance& fn = *e.fn;
    if (inline_depth_ >= kMaxInlineDepth) throw Unsupported{"a recursive function call (`" + fn.decl->name + "`)", e.span};
    std::vector<LV> callee(static_cast<size_t>(std::max(fn.frame_size, 1)));
    for (size_t i = 0; i < e.kids.size(); ++i) callee[i] = lower(*e.kids[i]);
    for (size_t i = 0; i < fn.rules.size(); ++i) check_rule(fn.rules[i], callee[i], *e.kids[i]);
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

// A parameter's rule (interpreter/param_rules.hpp) on an argument: a point whose argument breaks
// it is flagged, and the interpreter's replay of that point reports it.
void ExprLowering::check_rule(const ParamRule& rule, const LV& arg, const TExpr& at) {
    if (!rule.any()) return;
    if (arg.k == LV::K::Const) {
        if (violates(rule, "", arg.c)) flag(b_.getTrue());
        return;
    }
    // Lists are constants here (one built inside the sweep is not lowered).
    if (rule.kind == ParamRule::Kind::EachOf) throw Unsupported{"a list argument computed inside the sweep", at.span};
    llvm::Value* x = scalar(arg, &at);
    llvm::Value* bad = nullptr;
    if (rule.kind == ParamRule::Kind::OneOf) {  // strings compare as their interned ids
        bad = b_.getTrue();
        for (const Value& a : rule.allowed) bad = b_.CreateAnd(bad, b_.CreateFCmpUNE(x, materialize(a, &at)));
    } else {
        double least = rule.kind == ParamRule::Kind::Count ? 1 : 0;
        bad = b_.CreateOr(b_.CreateFCmpUNE(x, unary(llvm::Intrinsic::floor, x)), b_.CreateFCmpULT(x, f64(least)));
    }
    flag(bad);
}

// A list known at compile time, an index that changes: a table per scalar field.
LV ExprLowering::index(const TExpr& e) {
    LV list = lower(*e.kids[0]);
    if (list.k != LV::K::Const || list.c.v.index() != 3) throw Unsupported{"indexing a list that is built inside the sweep", e.span};
    llvm::Value* at = scalar(lower(*e.kids[1]), e.kids[1].get());
    const auto& items = list.c.list().items;
    llvm::Value* bad = b_.CreateOr(b_.CreateFCmpUNE(at, unary(llvm::Intrinsic::floor, at)),
                                   b_.CreateOr(b_.CreateFCmpOLT(at, f64(0)), b_.CreateFCmpUGE(at, f64(static_cast<double>(items.size())))));
    flag(bad);
    // Out of range: the flag is set, and item 0 (or nothing) is read instead.
    llvm::Value* i = b_.CreateSelect(bad, b_.getInt64(0), b_.CreateFPToSI(at, i64_));
    if (items.empty()) return dummy(e.type);
    std::vector<const Value*> column;
    for (auto& v : items) column.push_back(&v);
    return table(column, i, e.type, e);
}

// items[i] of a constant list, one constant array per scalar leaf of the element type.
LV ExprLowering::table(const std::vector<const Value*>& items, llvm::Value* i, const Type& t, const TExpr& at) {
    if (t.is(Type::Kind::Record)) {
        LV r = LV::record();
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
    auto* global = constant_array(xs, "table." + std::to_string(tables_++), true);
    llvm::Value* x = b_.CreateLoad(f64_, b_.CreateInBoundsGEP(global->getValueType(), global, {b_.getInt64(0), i}));
    if (t.is(Type::Kind::Bool)) return LV::scalar(b_.CreateFCmpUNE(x, f64(0)));
    Interval r;
    if (t.is(Type::Kind::Number)) r = {*std::min_element(xs.begin(), xs.end()), *std::max_element(xs.begin(), xs.end())};
    return LV::scalar(x, r);
}

}  // namespace plan::jit
