// The processes that share one sweep: a single process (no team), or the ranks of an MPI job
// (cluster/ installs one). Every rank runs the same program and cuts the same ranges; each takes
// the next range from a counter the team shares (or, without one, a fixed share of them); their
// results go to rank 0 as bytes (sweep/wire.hpp), and rank 0 alone merges, prints and writes files.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace plan::sweep {

// Numbers 0, 1, 2, ... handed out across the team, each once: a rank's thread that frees up takes
// the next range of the sweep, so the ranks share the work however unevenly it falls on the ranges.
class SharedCounter {
public:
    virtual ~SharedCounter() = default;
    // The next number; safe from any thread of the rank.
    virtual int64_t take() = 0;
};

class Team {
public:
    virtual ~Team() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Every rank's bytes, in rank order, on rank 0; an empty list on the others. Collective.
    virtual std::vector<std::string> gather(const std::string& mine) const = 0;
    // Rank 0's `value`, on every rank. Collective.
    virtual int broadcast(int value) const = 0;
    virtual std::string broadcast_bytes(const std::string& bytes) const = 0;
    // A new counter at 0, or null when this team cannot share one (then each rank runs a fixed share
    // of the ranges). Collective, and so is destroying it.
    virtual std::unique_ptr<SharedCounter> counter() const = 0;
};

// Called once at start-up, before any sweep runs.
void set_team(std::unique_ptr<Team> team);
// The team of this process, or null when it runs alone.
const Team* team();

}  // namespace plan::sweep
