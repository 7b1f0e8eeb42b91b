#include "cluster/mpi_farm.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <csignal>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

#include <mpi.h>

namespace plan::cluster {

namespace {

// The messages of the farm, on MPI_COMM_WORLD. A task and a result start with the task's id (8
// bytes); a result then has one byte, 0 for done or 1 for failed (the rest is the error's text).
enum Tag : int { kTask = 7101, kStop = 7102, kResult = 7103 };

void check(int status, const char* what) {
    if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

void send(const std::string& bytes, int to, int tag) {
    if (bytes.size() > INT_MAX) throw std::runtime_error("a task or its result exceeds 2 GiB");
    check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD), "MPI_Send");
}

// The next message from `from` (or any rank) with `tag` (or any tag): its bytes, source and tag.
struct Message {
    std::string bytes;
    int source = 0, tag = 0;
};
Message receive(int from, int tag) {
    MPI_Status status;
    check(MPI_Probe(from, tag, MPI_COMM_WORLD, &status), "MPI_Probe");
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    Message m{std::string(static_cast<size_t>(count), '\0'), status.MPI_SOURCE, status.MPI_TAG};
    check(MPI_Recv(m.bytes.data(), count, MPI_CHAR, m.source, m.tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    return m;
}

std::string with_id(uint64_t id, const std::string& rest) {
    std::string out(8, '\0');
    std::memcpy(out.data(), &id, 8);  // the ranks of one job share a byte order
    return out + rest;
}

uint64_t id_of(const std::string& bytes) {
    if (bytes.size() < 8) throw std::runtime_error("MPI: a task message is too short");
    uint64_t id = 0;
    std::memcpy(&id, bytes.data(), 8);
    return id;
}

std::string what(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "an unknown error";
    }
}

// When a rank dies, mpirun ends the others with SIGTERM (then SIGKILL): rank 0 says what that
// means for the work before it goes. The text is copied in first; the handler only writes it.
char g_note[2048];
size_t g_note_length = 0;

extern "C" void print_note_and_end(int signal) {
    if (g_note_length > 0 && ::write(STDERR_FILENO, g_note, g_note_length) < 0) {
    }
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

class NoteWhenKilled {
public:
    explicit NoteWhenKilled(const std::string& note) {
        if (note.empty()) return;
        std::string line = "\n" + note + "\n";
        g_note_length = std::min(line.size(), sizeof g_note);
        std::memcpy(g_note, line.data(), g_note_length);
        struct sigaction on {};
        on.sa_handler = print_note_and_end;
        sigemptyset(&on.sa_mask);
        installed_ = sigaction(SIGTERM, &on, &before_) == 0;
    }
    ~NoteWhenKilled() {
        if (installed_) sigaction(SIGTERM, &before_, nullptr);
        g_note_length = 0;
    }
    NoteWhenKilled(const NoteWhenKilled&) = delete;
    NoteWhenKilled& operator=(const NoteWhenKilled&) = delete;

private:
    struct sigaction before_ {};
    bool installed_ = false;
};

class MpiFarm : public TaskFarm {
public:
    MpiFarm(int rank, int size) : rank_(rank), size_(size) {}
    int rank() const override { return rank_; }
    int size() const override { return size_; }

    void farm(const Next& next, const Done& done, const Work& work, const std::string& when_killed) const override {
        if (rank_ == 0) {
            NoteWhenKilled note(when_killed);
            lead(next, done);
        } else {
            serve(work);
        }
    }

    std::string broadcast(const std::string& bytes) const override {
        if (bytes.size() > INT_MAX) throw std::runtime_error("a broadcast exceeds 2 GiB");
        int length = static_cast<int>(bytes.size());
        check(MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
        std::string out = rank_ == 0 ? bytes : std::string(static_cast<size_t>(length), '\0');
        check(MPI_Bcast(out.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
        return out;
    }

private:
    // Rank 0: one task to each rank, then the next to whichever rank answers first.
    void lead(const Next& next, const Done& done) const {
        std::exception_ptr failure;
        int out = 0;
        auto hand_to = [&](int rank) {
            if (failure) return;
            try {
                if (std::optional<Task> task = next()) {
                    send(with_id(task->id, task->bytes), rank, kTask);
                    ++out;
                }
            } catch (...) {
                failure = std::current_exception();
            }
        };
        for (int rank = 1; rank < size_; ++rank) hand_to(rank);
        while (out > 0) {
            Message m = receive(MPI_ANY_SOURCE, kResult);
            --out;
            try {
                uint64_t id = id_of(m.bytes);
                if (m.bytes.size() < 9) throw std::runtime_error("MPI: a result message is too short");
                if (m.bytes[8] != '\0') throw std::runtime_error("rank " + std::to_string(m.source) + " of the MPI job failed: " + m.bytes.substr(9));
                done(id, m.source, m.bytes.substr(9));
            } catch (...) {
                if (!failure) failure = std::current_exception();
            }
            hand_to(m.source);
        }
        for (int rank = 1; rank < size_; ++rank) send("", rank, kStop);
        if (failure) std::rethrow_exception(failure);
    }

    // The other ranks: a task at a time until rank 0 says stop. A task that fails is reported to
    // rank 0 (which stops handing out), and this rank waits for its stop like the others.
    void serve(const Work& work) const {
        for (;;) {
            Message m = receive(0, MPI_ANY_TAG);
            if (m.tag == kStop) return;
            uint64_t id = id_of(m.bytes);
            std::string result(1, '\0');
            try {
                result += work(m.bytes.substr(8));
            } catch (...) {
                result.assign(1, '\1');
                result += what(std::current_exception());
            }
            send(with_id(id, result), 0, kResult);
        }
    }

    int rank_, size_;
};

}  // namespace

std::unique_ptr<TaskFarm> make_mpi_farm(int rank, int size) { return std::make_unique<MpiFarm>(rank, size); }

}  // namespace plan::cluster
