# Modules: resolved and checked before anything runs; `plan check` runs nothing at all.
plan check tests/cli/resolver/prints/main.plan
plan run tests/cli/resolver/prints/main.plan
plan check tests/cli/resolver/check_error/main.plan
plan run tests/cli/resolver/check_error/main.plan
plan run tests/cli/resolver/folders/main.plan
plan run tests/cli/resolver/diamond/main.plan
plan check tests/cli/resolver/diamond
# Stdlib names without `use` load their module; `use` of a folder module loads its parts.
plan eval 'H100_SXM.memory'
plan eval 'cluster(MI300X, 8).throughput'
plan eval 'let peak = 3; peak * 2'
plan run tests/cli/resolver/library_names.plan
plan check tests/cli/resolver/library_names.plan
