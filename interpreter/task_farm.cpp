#include "interpreter/task_farm.hpp"

namespace plan {

namespace {
std::unique_ptr<TaskFarm>& installed() {
    static std::unique_ptr<TaskFarm> farm;
    return farm;
}
}  // namespace

void set_task_farm(std::unique_ptr<TaskFarm> farm) { installed() = std::move(farm); }
const TaskFarm* task_farm() { return installed().get(); }

}  // namespace plan
