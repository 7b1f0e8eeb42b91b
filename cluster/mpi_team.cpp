#include "cluster/mpi_team.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>

#include <mpi.h>

#include "cluster/mpi_farm.hpp"
#include "sweep/team.hpp"

namespace plan::cluster {

namespace {

// Open MPI's mpirun, MPICH/Hydra and Slurm (PMI, PMIx) each set one of these in the ranks.
bool started_by_launcher() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
        if (std::getenv(name)) return true;
    return false;
}

void check(int status, const char* what) {
    if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

// The counter is one 64-bit integer in a window on rank 0, taken with MPI_Fetch_and_op (atomic
// with respect to the other ranks' takes). Within one machine Open MPI does it in shared memory;
// across machines, by the network's atomics where it has them, else when rank 0 next calls MPI
// (between its own ranges). Calls from the rank's threads are serialized by a lock.
class MpiCounter : public sweep::SharedCounter {
public:
    explicit MpiCounter(int rank) {
        int64_t* base = nullptr;
        check(MPI_Win_allocate(rank == 0 ? sizeof(int64_t) : 0, sizeof(int64_t), MPI_INFO_NULL, MPI_COMM_WORLD, &base, &window_),
              "MPI_Win_allocate");
        check(MPI_Win_lock_all(MPI_MODE_NOCHECK, window_), "MPI_Win_lock_all");
        if (rank == 0) {
            int64_t zero = 0, before = 0;
            check(MPI_Fetch_and_op(&zero, &before, MPI_INT64_T, 0, 0, MPI_REPLACE, window_), "MPI_Fetch_and_op");
            check(MPI_Win_flush(0, window_), "MPI_Win_flush");
        }
        check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");  // no take before the counter is 0
    }
    ~MpiCounter() override {
        MPI_Win_unlock_all(window_);
        MPI_Win_free(&window_);
    }
    MpiCounter(const MpiCounter&) = delete;
    MpiCounter& operator=(const MpiCounter&) = delete;

    int64_t take() override {
        std::lock_guard<std::mutex> lock(mutex_);
        int64_t one = 1, got = 0;
        check(MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, window_), "MPI_Fetch_and_op");
        check(MPI_Win_flush(0, window_), "MPI_Win_flush");
        return got;
    }

private:
    MPI_Win window_ = MPI_WIN_NULL;
    std::mutex mutex_;
};

class MpiTeam : public sweep::Team {
public:
    MpiTeam(int rank, int size, bool with_counter) : rank_(rank), size_(size), with_counter_(with_counter) {}
    int rank() const override { return rank_; }
    int size() const override { return size_; }

    std::vector<std::string> gather(const std::string& mine) const override {
        if (mine.size() > INT_MAX) throw std::runtime_error("a rank's sweep results exceed 2 GiB");
        int length = static_cast<int>(mine.size());
        std::vector<int> lengths(rank_ == 0 ? size_ : 0), offsets(lengths.size());
        check(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
        std::string all;
        if (rank_ == 0) {
            long long total = 0;
            for (int r = 0; r < size_; ++r) {
                offsets[static_cast<size_t>(r)] = static_cast<int>(total);
                total += lengths[static_cast<size_t>(r)];
            }
            if (total > INT_MAX) throw std::runtime_error("the ranks' sweep results exceed 2 GiB");
            all.resize(static_cast<size_t>(total));
        }
        check(MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD),
              "MPI_Gatherv");
        std::vector<std::string> parts;
        for (size_t r = 0; r < lengths.size(); ++r)
            parts.push_back(all.substr(static_cast<size_t>(offsets[r]), static_cast<size_t>(lengths[r])));
        return parts;
    }

    int broadcast(int value) const override {
        check(MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
        return value;
    }

    std::string broadcast_bytes(const std::string& bytes) const override {
        if (bytes.size() > INT_MAX) throw std::runtime_error("a sweep's merged results exceed 2 GiB");
        int length = broadcast(static_cast<int>(bytes.size()));
        std::string out = rank_ == 0 ? bytes : std::string(static_cast<size_t>(length), '\0');
        check(MPI_Bcast(out.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
        return out;
    }

    // The sweep's worker threads take from the counter: MPI must allow calls from any thread.
    std::unique_ptr<sweep::SharedCounter> counter() const override {
        if (!with_counter_) return nullptr;
        return std::make_unique<MpiCounter>(rank_);
    }

private:
    int rank_, size_;
    bool with_counter_;
};

void finalize_at_exit() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

}  // namespace

void install_mpi_team() {
    if (!started_by_launcher()) return;
    int provided = 0, rank = 0, size = 1;
    // The sweep's worker threads take ranges from the shared counter, one call at a time (under
    // its lock); an MPI without that level gets fixed shares instead.
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
    std::atexit(finalize_at_exit);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size < 2) return;
    if (rank != 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
    // PLAN_MPI_FIXED_SHARES=1: fixed shares even so (to compare; bench/sweep/README.md).
    const char* fixed = std::getenv("PLAN_MPI_FIXED_SHARES");
    const bool counter = provided >= MPI_THREAD_SERIALIZED && !(fixed && std::string(fixed) == "1");
    sweep::set_team(std::make_unique<MpiTeam>(rank, size, counter));
    set_task_farm(make_mpi_farm(rank, size));
}

}  // namespace plan::cluster
