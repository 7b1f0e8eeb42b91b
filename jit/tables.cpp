// Math in the innermost loop that gives the same value for every outer point is computed once
// into a table that the loop reads: what depends on the loop's axes alone (`410.7 / d^0.28` of a
// `d` swept inside `n`) once per item, by the module's init function; what mixes them with values
// of outer axes (`n * 16 B / tp`) once per outer point, right where the last of those values is
// computed. This is what NumPy's broadcasting gets for free (each subexpression over the axes it
// has). Only costly instructions are tabled (math calls, divisions); the rest of the expression,
// error checks included, stays per point and reads the table, so the results are the same.
#include "jit/tables.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "jit/math_link.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/ValueMapper.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {

constexpr int64_t kMaxTabled = 1 << 21;  // doubles in the tables filled once
constexpr int64_t kMaxPartial = 4096;    // points of a table rebuilt per outer point (on the stack)
constexpr int64_t kMaxOnStack = 1 << 16; // doubles in all of those: 512 kB of a thread's stack

class Tables {
public:
    Tables(llvm::Function& kernel, llvm::BasicBlock& entry, const std::string& init_name)
        : fn_(&kernel), entry_(&entry), m_(kernel.getParent()), ctx_(kernel.getContext()),
          init_(llvm::Function::Create(llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), false),
                                       llvm::Function::ExternalLinkage, init_name, *m_)),
          init_builder_(llvm::BasicBlock::Create(ctx_, "entry", init_)) {
        init_->addFnAttr(llvm::Attribute::NoUnwind);
        f64_ = llvm::Type::getDoubleTy(ctx_);
        i64_ = llvm::Type::getInt64Ty(ctx_);
    }

    llvm::Function* run(const std::vector<InnerLoad>& loads) {
        for (const InnerLoad& load : loads) {
            llvm::DominatorTree dt(*fn_);  // again each time: a partial table splits blocks
            table_calls_of(load, dt);
        }
        init_builder_.CreateRetVoid();
        return init_;
    }

    void table_calls_of(const InnerLoad& load, llvm::DominatorTree& dt) {
        // The loads are together, in program order: the last one dominates what uses any of them.
        llvm::Instruction* x = load.loads.back().first;
        std::set<llvm::Instruction*> pure, seeds;
        for (auto& [in, table] : load.loads) seeds.insert(in);
        pure = seeds;
        std::set<llvm::Value*> varies(seeds.begin(), seeds.end());  // pure and computed from the axes
        std::vector<llvm::Instruction*> order;  // the pure instructions, definitions before uses
        // With a header, values computed before the block loop may take part too ("invariant");
        // a pure instruction's anchor is the last of those it reads, directly or not.
        std::map<llvm::Instruction*, llvm::Instruction*> anchor;
        auto invariant = [&](llvm::Instruction* v) {
            return load.header && dt.dominates(v, load.header->getTerminator()) && !dt.dominates(load.header, v->getParent());
        };
        auto later = [&](llvm::Instruction* a, llvm::Instruction* b) { return !a ? b : !b ? a : dt.dominates(a, b) ? b : a; };
        llvm::ReversePostOrderTraversal<llvm::Function*> rpo(fn_);
        for (llvm::BasicBlock* block : rpo) {
            if (!dt.dominates(x->getParent(), block)) continue;
            for (llvm::Instruction& inst : *block) {
                if (seeds.count(&inst)) continue;
                bool allowed = llvm::isa<llvm::BinaryOperator>(inst) || llvm::isa<llvm::CmpInst>(inst) ||
                               llvm::isa<llvm::SelectInst>(inst) || llvm::isa<llvm::CastInst>(inst) ||
                               llvm::isa<llvm::UnaryOperator>(inst) ||
                               (llvm::isa<llvm::IntrinsicInst>(inst) && !inst.mayHaveSideEffects()) || is_math_call(&inst);
                if (!allowed || !dt.dominates(x, &inst)) continue;
                llvm::Instruction* at = nullptr;
                bool operands_pure = std::all_of(inst.op_begin(), inst.op_end(), [&](llvm::Use& u) {
                    auto* op = llvm::dyn_cast<llvm::Instruction>(u.get());
                    if (!op) return llvm::isa<llvm::Constant>(u.get());
                    if (pure.count(op)) {
                        at = later(at, anchor[op]);
                        return true;
                    }
                    if (!invariant(op)) return false;
                    at = later(at, op);
                    return true;
                });
                if (!operands_pure) continue;
                pure.insert(&inst);
                order.push_back(&inst);
                anchor[&inst] = at;
                if (std::any_of(inst.op_begin(), inst.op_end(), [&](llvm::Use& u) { return varies.count(u.get()) > 0; }))
                    varies.insert(&inst);
            }
        }
        auto costly = [](llvm::Value* v) {  // math calls and divisions; the rest is a few cycles
            if (auto* op = llvm::dyn_cast<llvm::BinaryOperator>(v)) return op->getOpcode() == llvm::Instruction::FDiv;
            return is_math_call(v);
        };
        std::vector<llvm::Instruction*> calls;                             // tabled once, by init
        std::map<llvm::Instruction*, std::vector<llvm::Instruction*>> per;  // tabled per anchor
        for (llvm::Instruction* inst : order) {
            if (!costly(inst) || !varies.count(inst) || !inst->getType()->isDoubleTy()) continue;
            bool used_elsewhere = std::any_of(inst->user_begin(), inst->user_end(), [&](llvm::User* u) {
                auto* user = llvm::cast<llvm::Instruction>(u);
                return !costly(user) || !pure.count(user) || anchor[user] != anchor[inst];
            });
            if (!used_elsewhere) continue;
            llvm::Instruction* a = anchor[inst];
            if (!a) {
                calls.push_back(inst);
            } else if (load.size <= kMaxPartial && on_stack_ + load.size <= kMaxOnStack &&
                       !(load.enclosing && dt.dominates(load.enclosing, a))) {
                // Rebuilt once per point of the outer axes it reads; not when it reads the axis
                // just outside the block loop (the table would be rebuilt for each use).
                per[a].push_back(inst);
                on_stack_ += load.size;
            }
        }
        std::vector<std::pair<llvm::Instruction*, llvm::Value*>> reads;  // a root, its table
        for (auto& [a, roots] : per) table_partial(load, a, roots, order, anchor, dt, reads);
        const int64_t size = load.size;
        if (calls.empty() || (tabled_ + static_cast<int64_t>(calls.size())) * size > kMaxTabled) calls.clear();
        if (!calls.empty()) table_once(load, calls, order, anchor, reads);
        // The loop reads the tables; what only fed the roots is left for the optimizer to delete.
        auto* type = llvm::ArrayType::get(f64_, static_cast<uint64_t>(size));
        llvm::IRBuilder<> at(x->getNextNode());
        for (auto& [root, table] : reads)
            root->replaceAllUsesWith(at.CreateLoad(f64_, at.CreateInBoundsGEP(type, table, {at.getInt64(0), load.index})));
    }

    // A loop from `ib` over the points of `load`: it recomputes the pure instructions of `order`
    // that `keep` accepts, stores each root into its table, then goes on to `exit`.
    void fill_loop(llvm::IRBuilder<>& ib, const InnerLoad& load, const std::vector<llvm::Instruction*>& order,
                   const std::function<bool(llvm::Instruction*)>& keep, const std::vector<llvm::Instruction*>& roots,
                   const std::vector<llvm::Value*>& tables, llvm::BasicBlock* exit) {
        llvm::BasicBlock* pre = ib.GetInsertBlock();
        auto* loop = llvm::BasicBlock::Create(ctx_, "fill", pre->getParent());
        ib.CreateBr(loop);
        ib.SetInsertPoint(loop);
        llvm::PHINode* i = ib.CreatePHI(i64_, 2, "k");
        i->addIncoming(ib.getInt64(0), pre);
        llvm::ValueToValueMapTy map;
        for (auto& [in, values] : load.loads)
            map[in] = ib.CreateLoad(f64_, ib.CreateInBoundsGEP(values->getValueType(), values, {ib.getInt64(0), i}));
        for (llvm::Instruction* inst : order) {
            if (!keep(inst)) continue;
            llvm::Instruction* copy = inst->clone();
            llvm::RemapInstruction(copy, map, llvm::RF_IgnoreMissingLocals | llvm::RF_NoModuleLevelChanges);
            ib.Insert(copy);
            map[inst] = copy;
        }
        auto* type = llvm::ArrayType::get(f64_, static_cast<uint64_t>(load.size));
        for (size_t r = 0; r < roots.size(); ++r) ib.CreateStore(map[roots[r]], ib.CreateInBoundsGEP(type, tables[r], {ib.getInt64(0), i}));
        llvm::Value* next = ib.CreateAdd(i, ib.getInt64(1));
        i->addIncoming(next, loop);
        ib.CreateCondBr(ib.CreateICmpSLT(next, ib.getInt64(load.size)), loop, exit);
    }

    // Tables of `calls` (math of the innermost axes alone), filled once by the init function.
    void table_once(const InnerLoad& load, const std::vector<llvm::Instruction*>& calls, const std::vector<llvm::Instruction*>& order,
                    std::map<llvm::Instruction*, llvm::Instruction*>& anchor, std::vector<std::pair<llvm::Instruction*, llvm::Value*>>& reads) {
        const int64_t size = load.size;
        tabled_ += static_cast<int64_t>(calls.size());
        // The init function: a loop over the axis's items recomputes the pure instructions and stores the calls.
        auto* type = llvm::ArrayType::get(f64_, static_cast<uint64_t>(size));
        std::vector<llvm::Value*> tables;
        for (size_t t = 0; t < calls.size(); ++t) {
            auto* table = llvm::cast<llvm::GlobalVariable>(
                m_->getOrInsertGlobal((fn_->getName() + ".tabled." + std::to_string(tables_++)).str(), type));
            table->setInitializer(llvm::ConstantAggregateZero::get(type));
            table->setLinkage(llvm::GlobalValue::InternalLinkage);
            tables.push_back(table);
        }
        llvm::IRBuilder<>& ib = init_builder_;
        auto* after = llvm::BasicBlock::Create(ctx_, "tabled", init_);
        fill_loop(ib, load, order, [&](llvm::Instruction* inst) { return !anchor[inst]; }, calls, tables, after);
        ib.SetInsertPoint(after);
        for (size_t t = 0; t < calls.size(); ++t) reads.push_back({calls[t], tables[t]});
    }

    // A table of `roots` (math of the block loop's axes and of outer values, the last of them
    // `anchor`), filled right after `anchor` is computed: once per point of the outer axes it reads
    // (`n * 16 B / tp` once per n, not once per point), as NumPy computes each subexpression over
    // the axes it has. The table lives on the kernel's stack: each thread has its own.
    void table_partial(const InnerLoad& load, llvm::Instruction* anchor_at, const std::vector<llvm::Instruction*>& roots,
                       const std::vector<llvm::Instruction*>& order, std::map<llvm::Instruction*, llvm::Instruction*>& anchor,
                       llvm::DominatorTree& dt, std::vector<std::pair<llvm::Instruction*, llvm::Value*>>& reads) {
        auto* type = llvm::ArrayType::get(f64_, static_cast<uint64_t>(load.size));
        std::vector<llvm::Value*> tables;
        {
            llvm::IRBuilder<> at(entry_, entry_->begin());
            for (size_t r = 0; r < roots.size(); ++r) tables.push_back(at.CreateAlloca(type, nullptr, "partial"));
        }
        // Split after the anchor: its block branches to a fill loop, which goes on to the rest.
        llvm::BasicBlock* block = anchor_at->getParent();
        llvm::Instruction* after_anchor = llvm::isa<llvm::PHINode>(anchor_at) ? &*block->getFirstInsertionPt() : anchor_at->getNextNode();
        llvm::BasicBlock* rest = block->splitBasicBlock(after_anchor, "partial.rest");
        block->getTerminator()->eraseFromParent();
        llvm::IRBuilder<> ib(block);
        auto computed_here = [&](llvm::Instruction* inst) {
            llvm::Instruction* a = anchor[inst];
            return !a || a == anchor_at || dt.dominates(a, anchor_at);
        };
        fill_loop(ib, load, order, computed_here, roots, tables, rest);
        // The block loop reads the tables (once every table of this loop is filled: the fill loops
        // clone the original instructions).
        for (size_t r = 0; r < roots.size(); ++r) reads.push_back({roots[r], tables[r]});
        dt.recalculate(*fn_);
    }

private:
    llvm::Function* fn_;
    llvm::BasicBlock* entry_;
    llvm::Module* m_;
    llvm::LLVMContext& ctx_;
    llvm::Function* init_;
    llvm::IRBuilder<> init_builder_;  // where the init function's next loop goes
    llvm::Type *f64_, *i64_;
    int tables_ = 0;
    int64_t tabled_ = 0;    // doubles in the tables filled once so far
    int64_t on_stack_ = 0;  // doubles in the tables rebuilt per outer point so far
};

}  // namespace

llvm::Function* table_inner_math(llvm::Function& kernel, llvm::BasicBlock& entry, const std::vector<InnerLoad>& loads,
                                 const std::string& init_name) {
    return Tables(kernel, entry, init_name).run(loads);
}

}  // namespace plan::jit
