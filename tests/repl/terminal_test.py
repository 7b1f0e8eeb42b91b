# The REPL on a terminal, driven through a pseudo-terminal as a person would type: Ctrl-C, Ctrl-D,
# completion, continuation lines and `:help`. Usage: terminal_test.py PLAN
#
# A completion is checked by what the completed line computes: the terminal redraws the line
# around the cursor, so its echo is not the text in order (`sqrt ` instead of `sqrt(` would make
# `sqrt 16)` a parse error).
import os
import pty
import re
import select
import sys
import time

PLAN = sys.argv[1]
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x07")


class Terminal:
    def __init__(self):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(TERM="xterm", PLAN_HISTORY="/dev/null", NO_COLOR="1")
            os.execv(PLAN, [PLAN, "repl"])
        self.seen = b""
        self.expect(b">>> ")

    def read(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the session ended
                return False
            if not data:
                return False
            self.seen += data
        return True

    def expect(self, text, seconds=20):
        """Waits until `text` shows (terminal escapes removed); returns what came before it."""
        end = time.time() + seconds
        while time.time() < end:
            plain = ESCAPES.sub(b"", self.seen)
            at = plain.find(text)
            if at >= 0:
                self.seen = plain[at + len(text):]
                return plain[:at].decode()
            if not self.read(0.05):
                break
        sys.exit(f"FAIL: expected {text!r}, the terminal shows {ESCAPES.sub(b'', self.seen)!r}")

    def send(self, keys):
        os.write(self.fd, keys)
        time.sleep(0.1)  # what follows a Tab is typed after its completion shows


def check(condition, what):
    if not condition:
        sys.exit("FAIL: " + what)
    print("ok:", what)


t = Terminal()

t.send(b"2 * 3\r")
check(t.expect(b">>> ").strip().endswith("6"), "a line runs")

t.send(b"1 +")
time.sleep(0.2)
t.send(b"\x03")
t.expect(b"^C")
t.expect(b">>> ")
t.send(b"[1 GB,\r")
t.expect(b"... ")
t.send(b"\x03")
t.expect(b"^C")
t.expect(b">>> ")
t.send(b"2 + 3\r")
check(t.expect(b">>> ").strip().endswith("5"), "Ctrl-C drops the input, a continuation too, and the session goes on")

t.send(b"let x = 40 GB +\r")
t.expect(b"... ")
t.send(b"2 GB\rx\r")
t.expect(b">>> ")
check(t.expect(b">>> ").strip().endswith("42 GB"), "a line ending with `+` continues")

t.send(b"sqr\t")
t.send(b"16)\r")
check(t.expect(b">>> ").strip().endswith("4"), "a function completes as `name(`")

t.send(b"kv_cache(llama3_8b, 8192, ba\t")
t.send(b"4) -> GiB\r")
check(t.expect(b">>> ").strip().endswith("4 GiB"), "a named argument completes as `batch = `")

t.send(b":he\t")
t.send(b"kv_cache\r")
shown = t.expect(b">>> ")
check('fn kv_cache(m, seq, batch = 1, precision: ["fp32", "bf16", "fp16", "fp8", "int8", "int4", "nf4", "nf4_dq"] = "bf16"): Data' in shown,
      "`:` commands complete; `:help f` shows every default")

t.send(b"sweep { a in 1 .. 3000 step 1\r")
# The last axis depends on the first, so the grid (about 4.5e12 points) runs until stopped.
t.send(b"b in 1 .. 3000 step 1\rc in 1 .. a * 1000 step 1\rminimize a^0.3 * b^0.7 + c^0.5 }\r")
# Ctrl-C until the sweep says it stopped: one sent while the line is still being checked, before
# the sweep runs, only drops nothing (a loaded machine may be that slow).
for _ in range(30):
    time.sleep(1)
    t.send(b"\x03")
    t.read(0.5)
    if b"interrupted" in t.seen:
        break
shown = t.expect(b">>> ", seconds=30)
check("interrupted" in shown, "Ctrl-C stops a running sweep")
t.read(1)
t.seen = b""
t.send(b"1 + 1\r")
check(t.expect(b">>> ").strip().endswith("2"), "and the session goes on")

t.send(b"\x04")
t.read(3)
_, status = os.waitpid(t.pid, 0)
check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "Ctrl-D on an empty line quits (exit 0)")
