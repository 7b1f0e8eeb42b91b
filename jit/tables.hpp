// Internal: tables of the math of the innermost loop's axes (tables.cpp), for the loop nest.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class BasicBlock;
class Function;
class GlobalVariable;
class Instruction;
class Value;
}  // namespace llvm

namespace plan::jit {

// The axes of the innermost loop, loaded at `index` from tables of `size` items (one item per
// point of the loop): tables may replace the math done on them.
struct InnerLoad {
    std::vector<std::pair<llvm::Instruction*, llvm::GlobalVariable*>> loads;
    llvm::Value* index;
    int64_t size;
    // The first pass of a blocked loop may also table math that mixes its axes with values of
    // outer axes: the block loop's header, and the enclosing axis's value.
    llvm::BasicBlock* header = nullptr;
    llvm::Value* enclosing = nullptr;
};

// Rewrites `kernel` (whose allocas go in `entry`) to read tables instead of computing what each
// load's math gives the same for every outer point; returns the module's new function `init_name`
// that fills the tables computed once (the host calls it before the kernel).
llvm::Function* table_inner_math(llvm::Function& kernel, llvm::BasicBlock& entry, const std::vector<InnerLoad>& loads,
                                 const std::string& init_name);

}  // namespace plan::jit
