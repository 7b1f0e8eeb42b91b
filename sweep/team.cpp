#include "sweep/team.hpp"

namespace plan::sweep {

namespace {
std::unique_ptr<Team>& installed() {
    static std::unique_ptr<Team> team;
    return team;
}
}  // namespace

void set_team(std::unique_ptr<Team> team) { installed() = std::move(team); }
const Team* team() { return installed().get(); }

}  // namespace plan::sweep
