// The processes that share one sweep: a single process (no team), or the ranks of an MPI job
// (cluster/ installs one). Every rank runs the same program; the driver gives each rank a
// deterministic share of the ranges, gathers their results on rank 0 as bytes (sweep/wire.hpp),
// and rank 0 alone merges, prints and writes files.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace plan::sweep {

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
};

// Called once at start-up, before any sweep runs.
void set_team(std::unique_ptr<Team> team);
// The team of this process, or null when it runs alone.
const Team* team();

}  // namespace plan::sweep
