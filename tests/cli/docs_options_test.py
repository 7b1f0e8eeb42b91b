#!/usr/bin/env python3
"""Every command and option the docs name is one the CLI has, and one a test runs.

    docs_options_test.py PLAN ROOT [DOC...]

DOC defaults to ROOT/README.md and ROOT/docs/*.md. For every `--option` in them (and every short
option `-k` written after `plan COMMAND` in a code span or block) it checks that
  (a) `plan --help` or `plan COMMAND --help` lists it, the COMMAND's own help when the line
      names `plan COMMAND`, and
  (b) some file under ROOT/tests or ROOT/examples (a .cmd case, a CMakeLists, a script) uses it;
and for every command that `plan --help` lists, that a test runs it. A documented option the CLI
lacks, or that no test exercises, fails the test with its file and line. Options of other tools
(ctest's) are named in FOREIGN with the tool, and pass only on a line that names that tool.
"""
import pathlib
import re
import subprocess
import sys

# Options the docs give to other programs, and the program each belongs to.
FOREIGN = {"--test-dir": "ctest"}

LONG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
# A short option in a command line: `-k PATTERN`, `-w` (not a minus sign, not `-np` of mpirun).
SHORT = re.compile(r"(?<![\w-])(-[a-zA-Z])(?![\w-])")
COMMAND = re.compile(r"\bplan (run|check|test|eval|inspect|fmt|explain|train|repl)\b")
TEST_SUFFIXES = {".cmd", ".txt", ".cmake", ".py", ".sh", ".plan"}


def help_options(plan, args):
    out = subprocess.run([plan, *args, "--help"], capture_output=True, text=True, check=True).stdout
    return out, set(LONG.findall(out)) | set(SHORT.findall(out))


def commands_of(help_text):
    # CLI11 lists them under "Subcommands:", one a line, the name first, up to a blank line.
    section = help_text.split("Subcommands:\n", 1)[1].split("\n\n", 1)[0] if "Subcommands:\n" in help_text else ""
    return [m.group(1) for m in re.finditer(r"^\s+([a-z]+)\s", section, re.M)]


def test_text(root):
    texts = []
    for folder in ("tests", "examples"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and (path.suffix in TEST_SUFFIXES or path.name == "CMakeLists.txt"):
                # Not this test's own fixture, which names an option on purpose.
                if "docs_fixture" in path.parts or path.name == pathlib.Path(__file__).name:
                    continue
                texts.append(path.read_text(errors="replace"))
    return "\n".join(texts)


def main():
    plan, root = sys.argv[1], pathlib.Path(sys.argv[2])
    docs = [pathlib.Path(d) for d in sys.argv[3:]] or [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    top_help, top_options = help_options(plan, [])
    commands = commands_of(top_help)
    if not commands:
        print("FAIL: `plan --help` lists no commands")
        return 1
    per_command = {c: help_options(plan, [c])[1] for c in commands}
    every_option = top_options.union(*per_command.values())
    tests = test_text(root)

    failures = []
    checked = set()
    for doc in docs:
        for number, line in enumerate(doc.read_text().splitlines(), 1):
            where = f"{doc.relative_to(root) if doc.is_relative_to(root) else doc}:{number}"
            named = COMMAND.findall(line)
            options = LONG.findall(line)
            # Short options only where a command line is written: after `plan COMMAND`.
            if named:
                options += [o for o in SHORT.findall(line[line.index("plan " + named[0]):])]
            for option in options:
                if option in FOREIGN:
                    if FOREIGN[option] not in line:
                        failures.append(f"{where}: {option} is {FOREIGN[option]}'s, but the line does not name {FOREIGN[option]}")
                    continue
                listed = any(option in per_command.get(c, set()) for c in named) if named else option in every_option
                if not listed:
                    lists = f"`plan {' / '.join(named)} --help` does not list it" if named else "no `plan ... --help` lists it"
                    failures.append(f"{where}: {option} is documented, but {lists}")
                elif not re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", tests):
                    failures.append(f"{where}: {option} is documented, but no test under tests/ or examples/ uses it")
                checked.add(option)
    for command in commands:
        if not re.search(r"\bplan " + command + r"\b", tests):
            failures.append(f"`plan {command}` is a command, but no test under tests/ or examples/ runs it")

    for f in failures:
        print("FAIL:", f)
    print(f"{len(checked)} documented options and {len(commands)} commands checked; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
