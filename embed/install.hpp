// What libplan adds to the core before the first session: the stdlib's natives and the sweep
// backends this build has. Idempotent and thread-safe.
#pragma once

namespace plan {

void install_extensions();

}  // namespace plan
