# The subcommands and their exit codes.
plan --version
plan check tests/cli/fixtures/good.plan
plan check tests/cli/fixtures/good.plan tests/diagnostics/dimension_add.plan
plan run tests/cli/fixtures/good.plan
plan test tests/cli/fixtures/spec.plan
plan test tests/cli/fixtures
plan run tests/cli/fixtures/no_such_file.plan
plan run tests/cli/fixtures
plan frobnicate
plan fmt --check examples stdlib tests/cli/fixtures
