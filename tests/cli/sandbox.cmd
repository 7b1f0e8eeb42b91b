# The sandbox of plan run / test / check (issue 12 part 1): a project folder and a folder beside
# it, made fresh; paths under the temporary folder print as <tmp>.
set -o pipefail; tmp=$(mktemp -d); mkdir "$tmp/project" "$tmp/outside"; cd "$tmp/project"
show() { "$@" 2>&1 | sed "s|$tmp|<tmp>|g"; }
printf '#!/bin/sh\necho deployed\n' > ../outside/deploy.sh; chmod 755 ../outside/deploy.sh
# A report may not leave the project: the file outside keeps its text and its exec bit.
printf 'sweep s {\n    cmd in ["x", "$(id)"]\n    report all to "../outside/deploy.sh"\n}\n' > escape.plan
show plan run escape.plan
cat ../outside/deploy.sh; stat -c %A ../outside/deploy.sh
# Nor through a symlink that points outside.
ln -s ../outside/deploy.sh link.csv
printf 'sweep s {\n    x in [1, 2]\n    report all to "link.csv"\n}\n' > via_link.plan
show plan run via_link.plan
# --allow-write widens it; the file is replaced (not truncated in place) and loses its exec bit.
show plan run --allow-write ../outside escape.plan
cat ../outside/deploy.sh; stat -c %A ../outside/deploy.sh
# A module used through a symlink that leaves the project is refused like any other file.
printf 'let secret = 1\n' > ../outside/evil.plan; ln -s ../outside/evil.plan evil.plan
printf 'use evil\nlet x = secret\n' > uses.plan
show plan check uses.plan
show plan check --allow-read ../outside uses.plan
# Reads: /etc/os-release is outside (what it resolves to differs between systems: cut).
printf 'fit_chinchilla_csv("/etc/os-release", "N", "D", "loss")\n' > os.plan
show plan run os.plan | grep -o "^error.E0707.: cannot read '/etc/os-release'"
# A file that is not a table, allowed: only a short escaped excerpt of it shows.
printf '\033[2JTOKEN=s3cr3t-0123456789abcdef-0123456789abcdef,two\na,b\n' > ../outside/secret.csv
printf 'fit_chinchilla_csv("../outside/secret.csv", "N", "D", "loss")\n' > secret.plan
show plan run --allow-read ../outside secret.plan
printf 'N,D,loss\n1,2,PASSWORD=s3cr3t-0123456789abcdef\n' > ../outside/cell.csv
printf 'fit_chinchilla_csv("../outside/cell.csv", "N", "D", "loss")\n' > cell.plan
show plan run --allow-read ../outside cell.plan
# Only regular files: a device, standard input, a FIFO (none of them blocks).
printf 'let m = hf_model("/dev/zero")\n' > zero.plan
show plan run --allow-read /dev zero.plan
printf 'let m = hf_model("/dev/stdin")\n' > stdin.plan
show plan run --allow-read /dev stdin.plan < /dev/null
printf '{}' | plan run --allow-read /dev stdin.plan 2>&1 | sed "s|$tmp|<tmp>|g"
mkfifo fifo.json; printf 'let m = hf_model("fifo.json")\n' > fifo.plan
show plan check fifo.plan
show plan run fifo.plan
# A config over the size limit is refused before it is read (a sparse 100 MiB file).
truncate -s 100M big.json; printf 'let m = hf_model("big.json")\n' > big.plan
show plan run big.plan
# A config's own values are quoted short too: a 5000-character model_type, a huge array.
printf '{"model_type": "%s"}' "$(head -c 5000 /dev/zero | tr '\0' x)" > long_type.json; printf 'let m = hf_model("long_type.json")\n' > long_type.plan
show plan run long_type.plan | sed -n 1p
printf '{"model_type": "gpt2", "n_layer": [%s0]}' "$(yes 1, | head -n 3000 | tr -d '\n')" > long_value.json; printf 'let m = hf_model("long_value.json")\n' > long_value.plan
show plan run long_value.plan | sed -n 1p
# plan test and plan check have the same sandbox; plan eval and the REPL do not.
show plan test escape.plan
show plan eval 'fit_chinchilla_csv("../outside/cell.csv", "N", "D", "loss")'
# CSV fields per RFC 4180, and a string a spreadsheet would run as a formula starts with '.
printf 'sweep s {\n    name in ["a,b", "say \\"hi\\"", "=1+2", "-3", "@x", "plain"]\n    report all to "names.csv"\n}\n' > names.plan
show plan run names.plan
cat names.csv
# A write that fails (here: no byte may be written) is an error, and the old file is intact.
printf 'old contents\n' > names.csv
(trap '' XFSZ; ulimit -f 0; plan run names.plan 2>&1) | sed "s|$tmp|<tmp>|g"
cat names.csv; ls -a | grep -c '^\.names' || true
printf 'let   x = 1\n' > messy.plan
(trap '' XFSZ; ulimit -f 0; plan fmt -w messy.plan 2>&1) | cat
cat messy.plan
plan fmt -w messy.plan; cat messy.plan
cd /; rm -rf "$tmp"; set +o pipefail
