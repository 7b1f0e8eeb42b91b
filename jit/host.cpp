// The ORC host backend: one LLJIT per process for the host CPU (detectHost), the new pass manager
// at O3, one ResourceTracker per sweep. The math is numeric/math.cpp's bitcode, linked into each
// sweep's module (jit/math_link.cpp) and inlined: no libm, so the bits are the interpreter's.
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "jit/jit.hpp"
#include "jit/lower.hpp"
#include "jit/math_link.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Support/raw_ostream.h>
#pragma GCC diagnostic pop

namespace plan::jit {

namespace {

struct Host {
    std::unique_ptr<llvm::orc::LLJIT> jit;
    std::unique_ptr<llvm::TargetMachine> tm;
    std::string error;
    std::mutex mutex;
    uint64_t next = 0;
};

Host& host() {
    static Host* h = [] {
        auto* h = new Host;  // lives as long as the process: code may be freed at exit in any order
        llvm::InitializeNativeTarget();
        llvm::InitializeNativeTargetAsmPrinter();
        auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
        if (!jtmb) {
            h->error = llvm::toString(jtmb.takeError());
            return h;
        }
        jtmb->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
        auto tm = jtmb->createTargetMachine();
        if (!tm) {
            h->error = llvm::toString(tm.takeError());
            return h;
        }
        h->tm = std::move(*tm);
        auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).create();
        if (!jit) {
            h->error = llvm::toString(jit.takeError());
            return h;
        }
        h->jit = std::move(*jit);
        return h;
    }();
    return *h;
}

void optimize(llvm::Module& m, llvm::TargetMachine& tm, bool quick, bool vectorize) {
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopVectorization = vectorize;
    tuning.SLPVectorization = vectorize;
    llvm::PassBuilder pb(&tm, tuning);
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    pb.buildPerModuleDefaultPipeline(quick ? llvm::OptimizationLevel::O1 : llvm::OptimizationLevel::O3).run(m, mam);
}

[[noreturn]] void unsupported(const std::string& what, Span at) {
    Diagnostic d(Code::JitUnsupported);
    d.message = "the JIT cannot compile " + what;
    d.labels.push_back({at, "not supported by the compiled sweep backend"});
    d.help = "run this sweep on the interpreter: `plan run --backend interp`";
    throw DiagnosticError{std::move(d)};
}

}  // namespace

std::unique_ptr<CompiledSweep> compile(const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, bool quick) {
    auto start = std::chrono::steady_clock::now();
    Host& h = host();
    std::lock_guard lock(h.mutex);
    if (!h.jit) unsupported("sweeps on this machine (" + h.error + ")", sweep.span);
    auto out = std::make_unique<CompiledSweep>();
    auto ctx = std::make_unique<llvm::LLVMContext>();
    std::string name = fmt::format("plan_sweep_{}", h.next++);
    std::unique_ptr<llvm::Module> m;
    try {
        m = lower(sweep, eval, space, *ctx, name, *out);
    } catch (const Unsupported& u) {
        unsupported(u.what, u.span);
    }
    m->setDataLayout(h.tm->createDataLayout());
    m->setTargetTriple(h.tm->getTargetTriple().str());
    // PLAN_JIT_O3=1 compiles every sweep at O3 (the tests use it to cover both pipelines).
    const char* o3 = std::getenv("PLAN_JIT_O3");
    bool always_o3 = o3 && *o3 && *o3 != '0';
    // Twice: first with the math functions as calls (pure and speculatable, so that those whose
    // arguments do not change in a loop are hoisted out of it, which their inlined bodies, with
    // table loads, would not be), without vectorizing; then with their bodies linked in, inlined
    // and vectorized.
    optimize(*m, *h.tm, quick && !always_o3, false);
    try {
        link_math(*m);
    } catch (const std::runtime_error& e) {
        unsupported(std::string("this sweep (") + e.what() + ")", sweep.span);
    }
    optimize(*m, *h.tm, quick && !always_o3, true);
    // PLAN_JIT_DUMP=1 prints the optimized IR (e.g. to see that the loop of a block is vectorized).
    if (const char* dump = std::getenv("PLAN_JIT_DUMP"); dump && *dump && *dump != '0') m->print(llvm::errs(), nullptr);
    auto& jd = h.jit->getMainJITDylib();
    auto tracker = jd.createResourceTracker();
    if (auto e = h.jit->addIRModule(tracker, llvm::orc::ThreadSafeModule(std::move(m), std::move(ctx))))
        unsupported("this sweep (" + llvm::toString(std::move(e)) + ")", sweep.span);
    auto sym = h.jit->lookup(name);
    if (!sym) unsupported("this sweep (" + llvm::toString(sym.takeError()) + ")", sweep.span);
    // The init function fills the tables the kernel reads (once, before any thread runs it).
    auto init = h.jit->lookup(name + ".init");
    if (!init) unsupported("this sweep (" + llvm::toString(init.takeError()) + ")", sweep.span);
    init->toPtr<void (*)()>()();
    // The machine code goes when the last copy of the launch function does.
    std::shared_ptr<void> code(nullptr, [tracker](void*) {
        Host& h = host();
        std::lock_guard lock(h.mutex);
        llvm::consumeError(tracker->remove());
    });
    auto* kernel = sym->toPtr<void (*)(sweep::KernelCall*)>();
    out->launch = [kernel, code](sweep::KernelCall& call) { kernel(&call); };
    out->compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

sweep::Backend host_backend() {
    return {"jit", [](const CheckedSweep& sweep, Evaluator& eval, const sweep::Space& space, bool quick) {
                return compile(sweep, eval, space, quick);
            }};
}

}  // namespace plan::jit
