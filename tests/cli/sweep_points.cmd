# The limit of 1e10 points per sweep (issue 12). A sweep whose axes are computed from earlier ones
# has no size before it runs: each backend counts its points as it enumerates them, and one with
# more than the limit stops with E0507 at the sweep. PLAN_SWEEP_MAX_POINTS lowers the limit so that
# the test need not run 1e10 points: dependent.plan has 100.
PLAN_SWEEP_MAX_POINTS=99 plan run --backend interp tests/cli/sweep_points/dependent.plan
PLAN_SWEEP_MAX_POINTS=99 plan run tests/cli/sweep_points/dependent.plan
PLAN_SWEEP_MAX_POINTS=99 plan run --threads 4 --backend interp tests/cli/sweep_points/dependent.plan
PLAN_SWEEP_MAX_POINTS=99 plan run --threads 4 tests/cli/sweep_points/dependent.plan
PLAN_SWEEP_MAX_POINTS=100 plan run --backend interp tests/cli/sweep_points/dependent.plan
PLAN_SWEEP_MAX_POINTS=100 plan run --threads 4 tests/cli/sweep_points/dependent.plan
# A grid of axes that do not depend on each other (110 points) is refused before it runs.
PLAN_SWEEP_MAX_POINTS=109 plan run tests/cli/sweep_points/grid.plan
