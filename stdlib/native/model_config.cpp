#include "natives.hpp"

namespace plan {

std::vector<Builtin> model_config_natives() { return {}; }

}  // namespace plan
