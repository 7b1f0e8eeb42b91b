# A runtime error in a sweep names the axis values of the failing point, on each backend
# (`auto` is the JIT where it is built, else the interpreter; both give the same diagnostic).
plan run --backend interp tests/cli/sweep_errors/point.plan
plan run tests/cli/sweep_errors/point.plan
plan run --backend interp tests/cli/sweep_errors/string_axis.plan
plan run tests/cli/sweep_errors/string_axis.plan
