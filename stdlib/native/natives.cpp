#include "natives.hpp"

namespace plan {

std::vector<Builtin> stdlib_natives() {
    std::vector<Builtin> all;
    for (auto list : {model_config_natives(), fitting_natives(), training_natives()})
        all.insert(all.end(), list.begin(), list.end());
    return all;
}

}  // namespace plan
