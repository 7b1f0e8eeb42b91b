// libFuzzer target: any text run in a fresh session (the prelude only, sweeps on the interpreter
// on one thread, output discarded) ends in a value or in diagnostics.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "plan/plan.hpp"

namespace {

// Each input runs for at most a second, then its session is cancelled (E0562): seeds that do
// real work (examples that size 70B models, million-point sweeps) take tens of seconds in this
// build, which libFuzzer would report as hangs. An evaluation that ignores the cancel still hangs.
constexpr auto kRunLimit = std::chrono::seconds(1);

class Watchdog {
public:
    explicit Watchdog(plan::Session& session)
        : thread_([this, &session] {
              std::unique_lock lock(mutex_);
              if (!done_cv_.wait_for(lock, kRunLimit, [this] { return done_; })) session.cancel();
          }) {}
    ~Watchdog() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        done_cv_.notify_one();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
    std::thread thread_;  // last: it starts once the members it uses exist
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::ostringstream out;
    plan::SessionOptions o;
    o.out = &out;
    o.stdlib = false;
    o.backend = "interp";
    o.threads = 1;
    plan::Session session(o);
    Watchdog watchdog(session);
    (void)session.eval(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>", plan::Mode::Run);
    return 0;
}
