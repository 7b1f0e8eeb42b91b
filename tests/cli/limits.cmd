# Limits of issue 12 on the command line: thread counts (100000 aborted), the size of a source.
plan run --threads 100000 examples/go_smol.plan
plan run --threads -1 examples/go_smol.plan
head -c 17000000 /dev/zero | tr '\0' '#' > /tmp/plan_limits_big.plan; plan check /tmp/plan_limits_big.plan; s=$?; rm -f /tmp/plan_limits_big.plan; (exit $s)
