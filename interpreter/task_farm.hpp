// The processes of a job that share a list of tasks handed out one at a time, each to a process as
// it frees up: the ranks of an MPI job (cluster/ installs one). The core only holds the installed
// farm; natives use it (train_runs hands its runs to the ranks) without knowing MPI, and a plain
// process has none.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace plan {

class TaskFarm {
public:
    struct Task {
        uint64_t id = 0;
        std::string bytes;
    };
    // Rank 0: the next task to hand out, or nothing when none is left (asked again after that).
    using Next = std::function<std::optional<Task>()>;
    // Rank 0: a task's result, from the rank that ran it, as it comes back.
    using Done = std::function<void(uint64_t id, int rank, const std::string& result)>;
    // The other ranks: runs one task.
    using Work = std::function<std::string(const std::string& task)>;

    virtual ~TaskFarm() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Collective: every rank calls it. Rank 0 hands next()'s tasks to the other ranks as they free
    // up and gives each result to done() on the calling thread; the other ranks run work() on each
    // task they get. Returns on every rank once next() gave nothing and every task handed out came
    // back. When work() throws on a rank, or next() or done() throws, nothing more is handed out,
    // the tasks already out are still given to done(), and rank 0 then throws (a rank's failure as
    // a std::runtime_error naming the rank). A rank that dies ends the whole job (the launcher's
    // rule); if it is ended while the farm runs, rank 0 prints `when_killed` on its way out.
    virtual void farm(const Next& next, const Done& done, const Work& work, const std::string& when_killed) const = 0;
    // Rank 0's bytes, on every rank. Collective.
    virtual std::string broadcast(const std::string& bytes) const = 0;
};

// Called once at start-up, before any program runs.
void set_task_farm(std::unique_ptr<TaskFarm> farm);
// The farm of this process, or null when it runs alone.
const TaskFarm* task_farm();

}  // namespace plan
