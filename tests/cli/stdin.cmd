# `plan FILE.plan` is `plan run FILE.plan`, with the same options; `-` reads the program from
# standard input, `<stdin>` in diagnostics; a misspelt command is an error, not a file to open.
plan tests/cli/fixtures/good.plan
plan tests/cli/fixtures/good.plan --json
plan tests/cli/resolver/prints/main.plan --precision 2
plan tests/cli/fixtures/no_such_file.plan
printf 'let x = 2 GB\nx + 1.5 GB\n' | plan run -
printf 'let x = 2 GB\nx + 1.5 GB\n' | plan run --json -
printf 'let ok = 1\nlet x = 80 GB + 3 s\n' | plan run -
printf 'let ok = 1\nlet x = 80 GB + 3 s\n' | plan run --json -
printf 'let x = 80 GB + 3 s\n' | plan check -
printf 'print "not run"\n' | plan check - tests/cli/fixtures/good.plan
printf 'assert 1 + 1 == 2\nassert 2 GB > 3 GB, "no room"\n' | plan test -
# `-` twice is the same program twice; -k and --junit see it as <stdin>.
printf 'assert 1 == 1\n' | plan test - - -k stdin
printf 'assert 1 == 1\n' | plan test - --junit /dev/stdout | grep testcase
# A program on standard input finds modules, and its sandbox, in the current directory.
(cd tests/cli/resolver/prints && printf 'use helper\nhelper_value + 1\n' | plan run -)
(tmp=$(mktemp -d); mkdir "$tmp/p"; cd "$tmp/p" && printf 'sweep s {\n    x in [1, 2]\n    report all to "../out.csv"\n}\n' | plan run - 2>&1 | sed "s|$tmp|<tmp>|g"; s=${PIPESTATUS[1]}; ls "$tmp"; rm -rf "$tmp"; exit $s)
head -c 40000000 /dev/zero | tr "\0" "\n" | plan run -
plan rnu tests/cli/fixtures/good.plan
plan tset tests/cli/fixtures
plan exlpain E0101
plan x
plan zzzzzz
plan README.md
plan --help | tail -1
