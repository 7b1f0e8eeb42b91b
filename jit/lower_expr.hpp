// Internal: checked expressions → LLVM values (lower_expr.cpp), for the loop nest (lower.cpp).
// Numbers are doubles, Bools i1, strings interned ids (doubles); records are flattened to one value
// per field; whatever does not depend on sweep locals is evaluated once by the interpreter and
// becomes a constant. A runtime error sets the `err` flag instead of branching, so the caller
// decides where to test it.
#pragma once
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jit/lower.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#pragma GCC diagnostic pop

namespace plan::jit {

// Bounds of a number known at compile time (from the items of constant axis lists), used to leave
// out error checks that cannot fire. Unknown: infinite bounds.
struct Interval {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool known() const { return std::isfinite(lo) && std::isfinite(hi); }
    // Far inside the doubles: a result here is finite and any rounding of the bounds is absorbed.
    bool tame() const { return known() && lo > -1e300 && hi < 1e300; }
    bool excludes_zero() const { return known() && (lo > 1e-300 || hi < -1e-300); }
};

// A lowered value: a scalar in a register, a record of lowered fields, or a compile-time value.
struct LV {
    enum class K { Scalar, Record, Const } k = K::Scalar;
    llvm::Value* v = nullptr;
    std::vector<LV> fields;
    Value c;
    Interval range;  // of a numeric Scalar
    static LV scalar(llvm::Value* v, Interval r = {}) { return LV{K::Scalar, v, {}, {}, r}; }
    static LV constant(Value c) { return LV{K::Const, nullptr, {}, std::move(c), {}}; }
    static LV record(std::vector<LV> fields = {}) { return LV{K::Record, nullptr, std::move(fields), {}, {}}; }
};

class ExprLowering {
public:
    ExprLowering(Evaluator& eval, llvm::Module& m, llvm::IRBuilder<>& b, llvm::Function* fn, int frame_size);

    LV lower(const TExpr& e);
    llvm::Value* scalar(const LV& v, const TExpr* at = nullptr);
    llvm::Value* as_double(llvm::Value* v);  // Bools as 0/1
    std::optional<Value> fold(const TExpr& e);
    double to_double(const Value& v);        // strings become their ids
    llvm::Value* unary(llvm::Intrinsic::ID id, llvm::Value* x);
    llvm::Value* f64(double x);
    llvm::GlobalVariable* constant_array(const std::vector<double>& xs, const std::string& name, bool constant);

    // The error flag: flag() ors a condition into it (masked by the predicate in straight mode).
    void flag(llvm::Value* bad);
    llvm::Value* error_flag();
    void clear_error();

    // Straight mode: no branches (ifs, `and`, `or` evaluate both sides and select), so a loop of
    // it vectorizes; an error raised on a side not taken is masked out by the predicate.
    void set_straight(bool on) { straight_ = on; }

    llvm::Module& module() { return m_; }
    std::vector<LV>& frame() { return *frame_; }
    void set_frame(std::vector<LV>* f) { frame_ = f; }
    const std::vector<std::string>& strings() const { return strings_; }

private:
    LV binary(const TExpr& e);
    Interval range_of(const LV& v) const;
    bool constant_locals(const TExpr& e) const;
    LV logic(const TExpr& e);
    LV conditional(const TExpr& e);
    LV call(const TExpr& e);
    void check_rule(const ParamRule& rule, const LV& arg, const TExpr& at);
    LV index(const TExpr& e);
    LV builtin(const TExpr& e);
    std::vector<LV> fields(const LV& v, const TExpr& at);
    LV dummy(const Type& t);
    LV table(const std::vector<const Value*>& items, llvm::Value* i, const Type& t, const TExpr& at);
    LV flatten(LV v, const TExpr& at);
    LV merge(const LV& a, llvm::BasicBlock* from_a, const LV& b, llvm::BasicBlock* from_b, const TExpr& at);
    LV select(llvm::Value* c, const LV& a, const LV& b, const TExpr& at);
    llvm::Value* materialize(const Value& v, const TExpr* at);
    void flag_not_finite(llvm::Value* r);
    llvm::Value* masked(llvm::Value* pred, llvm::Value* c);  // pred && c, pred null meaning true

    Evaluator& eval_;
    llvm::Module& m_;
    llvm::IRBuilder<>& b_;
    llvm::LLVMContext& ctx_;
    llvm::Function* fn_;
    llvm::Type *f64_, *i1_, *i64_;
    llvm::AllocaInst* err_;
    std::vector<LV> env_;
    std::vector<LV>* frame_ = &env_;
    std::map<std::string, int> ids_;
    std::vector<std::string> strings_;
    int scratch_size_;
    int inline_depth_ = 0;
    int tables_ = 0;
    bool straight_ = false;
    llvm::Value* predicate_ = nullptr;  // straight mode: where the value being lowered counts
};

}  // namespace plan::jit
