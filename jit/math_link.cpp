#include "jit/math_link.hpp"

#include <cstring>
#include <stdexcept>

#include "numeric/bitcode.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Linker/Linker.h>
#include <llvm/Support/MemoryBuffer.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {
constexpr const char* kMathFunctions[] = {"plan_exp", "plan_log", "plan_log2", "plan_log10", "plan_pow"};

bool is_math_name(llvm::StringRef name) {
    for (const char* f : kMathFunctions)
        if (name == f) return true;
    return false;
}
}  // namespace

llvm::Value* math_call(llvm::Module& m, llvm::IRBuilder<>& b, const char* name, llvm::ArrayRef<llvm::Value*> args) {
    if (!is_math_name(name)) throw std::logic_error(std::string("not a function of numeric/math.hpp: ") + name);
    llvm::Type* f64 = b.getDoubleTy();
    auto* type = llvm::FunctionType::get(f64, std::vector<llvm::Type*>(args.size(), f64), false);
    llvm::FunctionCallee callee = m.getOrInsertFunction(name, type);
    auto* fn = llvm::cast<llvm::Function>(callee.getCallee());
    // Pure and defined for every argument (reads only constant tables): calls may be hoisted out
    // of loops, tabled, executed speculatively, or deleted when unused.
    fn->setDoesNotAccessMemory();
    fn->setDoesNotThrow();
    fn->setWillReturn();
    fn->addFnAttr(llvm::Attribute::Speculatable);
    return b.CreateCall(callee, args);
}

bool is_math_call(const llvm::Value* v) {
    auto* call = llvm::dyn_cast<llvm::CallInst>(v);
    const llvm::Function* fn = call ? call->getCalledFunction() : nullptr;
    return fn && is_math_name(fn->getName());
}

void link_math(llvm::Module& m) {
    bool needed = false;
    for (const char* f : kMathFunctions) needed = needed || m.getFunction(f);
    if (!needed) return;
    llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char*>(numeric::kMathBitcode), numeric::kMathBitcodeSize),
                                 "numeric/math.bc");
    auto math = llvm::parseBitcodeFile(buffer, m.getContext());
    if (!math) throw std::runtime_error("the math bitcode does not load: " + llvm::toString(math.takeError()));
    (*math)->setTargetTriple(m.getTargetTriple());
    (*math)->setDataLayout(m.getDataLayout());
    // The sweep's own target (the host CPU) decides the instructions, not clang's default.
    for (llvm::Function& f : **math) {
        f.removeFnAttr("target-cpu");
        f.removeFnAttr("target-features");
        f.removeFnAttr("tune-cpu");
    }
    if (llvm::Linker::linkModules(m, std::move(*math), llvm::Linker::Flags::LinkOnlyNeeded))
        throw std::runtime_error("the math bitcode does not link into the sweep");
    for (const char* name : kMathFunctions) {
        llvm::Function* f = m.getFunction(name);
        if (!f) continue;
        if (f->isDeclaration()) throw std::runtime_error(std::string("the math bitcode lacks ") + name);
        f->setLinkage(llvm::GlobalValue::InternalLinkage);
        f->removeFnAttr(llvm::Attribute::NoInline);
        f->addFnAttr(llvm::Attribute::AlwaysInline);
    }
}

}  // namespace plan::jit
