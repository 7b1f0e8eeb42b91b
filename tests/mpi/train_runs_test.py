#!/usr/bin/env python3
"""train_runs over MPI (issue 16, item 2): a small grid on three ranks, killed twice and rerun.

A worker rank is killed (kill -9) once a run is stored, then rank 0 (the store's owner) once one
more is (runs go out largest first, so the short ones are left for the end). mpirun takes about a
second to end the job after a rank dies, in which the others go on and rank 0 stores what they
finish: the runs are long enough to leave some to train after the first kill. Each time the job must
stop with a clear message and a non-zero status. The third start completes the grid. Then every run
must be in the store exactly once and stored once (SQLite's AUTOINCREMENT counter equals the number
of rows: a run trained again would be stored again), no claim may be left, and the grid's runs must
equal those one process trains (they print the same)."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

MPIRUN, PLAN, CORPUS = sys.argv[1], sys.argv[2], sys.argv[3]
RUNS = 12
SCRIPT = """use validation
let runs = train_runs("c.txt", [tiny_model(16, 1), tiny_model(32, 1), tiny_model(32, 2)], [32768, 65536, 98304, 131072], "g.sqlite",
                      training_options(seq = 16, batch = 4, eval_tokens = 256, threads = 1))
# Everything but the seconds, which are measured.
print [{ d_model = r.d_model, layers = r.layers, params = r.params, tokens = r.tokens, compute = r.compute,
         train_loss = r.train_loss, val_loss = r.val_loss } for r in runs]
"""


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def stored(directory):
    """Rows in the store, SQLite's counter of rows ever inserted, and claims (zeros before it exists)."""
    path = os.path.join(directory, "g.sqlite")
    if not os.path.exists(path):
        return 0, 0, 0
    db = sqlite3.connect("file:" + path + "?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute("SELECT count(*) FROM runs").fetchone()[0]
        seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").fetchone()
        claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        return rows, (seq[0] if seq else 0), claims
    except sqlite3.OperationalError:  # being created
        return 0, 0, 0
    finally:
        db.close()


def rank_pids(mpirun_pid):
    """The plan processes under mpirun, by rank (from OMPI_COMM_WORLD_RANK in their environment)."""
    ranks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
            if int(stat.rsplit(")", 1)[1].split()[1]) != mpirun_pid:
                continue
            with open("/proc/%s/environ" % entry, "rb") as f:
                env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
            if b"OMPI_COMM_WORLD_RANK" in env:
                ranks[int(env[b"OMPI_COMM_WORLD_RANK"])] = int(entry)
        except (OSError, ValueError, IndexError):
            continue
    return ranks


def start(directory):
    return subprocess.Popen([MPIRUN, "--oversubscribe", "-np", "3", PLAN, "run", "g.plan"], cwd=directory,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when(directory, rows, rank, what):
    """Starts the job, kills rank `rank` with SIGKILL once `rows` runs are stored; returns the rows then."""
    job = start(directory)
    deadline = time.time() + 120
    while stored(directory)[0] < rows:
        if job.poll() is not None:
            fail("%s: the job ended before %d runs were stored:\n%s" % (what, rows, job.stderr.read()))
        if time.time() > deadline:
            job.kill()
            fail("%s: %d runs were not stored within 120 s" % (what, rows))
        time.sleep(0.01)
    pids = rank_pids(job.pid)
    if rank not in pids:
        job.kill()
        fail("%s: rank %d not found among %s" % (what, rank, pids))
    os.kill(pids[rank], signal.SIGKILL)
    try:
        out, err = job.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        job.kill()
        fail("%s: the job did not stop within 60 s of the kill" % what)
    if job.returncode == 0:
        fail("%s: the job exited 0 after a rank was killed" % what)
    return stored(directory)[0], err


work = tempfile.mkdtemp(prefix="plan-mpi-train-")
try:
    with open(CORPUS, "rb") as f:
        text = f.read(200000)
    for d in ("mpi", "one"):
        os.mkdir(os.path.join(work, d))
        with open(os.path.join(work, d, "c.txt"), "wb") as f:
            f.write(text)
        with open(os.path.join(work, d, "g.plan"), "w") as f:
            f.write(SCRIPT)
    mpi = os.path.join(work, "mpi")

    after_worker, err = kill_when(mpi, 1, 1, "kill -9 of rank 1")
    first_error = err
    if "rank 1" not in err:
        fail("the job's error does not name the dead rank:\n" + err)
    # Said when the grid starts; rank 0's note on SIGTERM says it again when mpirun's output
    # forwarding still takes it, which is a race.
    if not any(line.startswith("grid: ") and "run the same command again to train the rest" in line for line in err.splitlines()):
        fail("the job's log does not say that a rerun resumes:\n" + err)
    if not 1 <= after_worker < RUNS - 1:
        fail("%d runs stored after the worker was killed" % after_worker)

    after_owner, err = kill_when(mpi, after_worker + 1, 0, "kill -9 of rank 0")
    if not after_worker + 1 <= after_owner < RUNS:
        fail("%d runs stored after rank 0 was killed (%d after rank 1 was)" % (after_owner, after_worker))

    job = start(mpi)
    out, err = job.communicate(timeout=300)
    if job.returncode != 0:
        fail("the rerun failed (%d):\n%s" % (job.returncode, err))
    expect = "grid: %d runs, %d read back" % (RUNS, after_owner)
    if expect not in err or "%d to train" % (RUNS - after_owner) not in err:
        fail("the rerun's log lacks '%s ... %d to train':\n%s" % (expect, RUNS - after_owner, err))
    rows, inserted, claims = stored(mpi)
    if (rows, inserted, claims) != (RUNS, RUNS, 0):
        fail("store: %d runs, %d ever stored, %d claims (want %d, %d, 0)" % (rows, inserted, claims, RUNS, RUNS))

    one = subprocess.run([PLAN, "run", "g.plan"], cwd=os.path.join(work, "one"), capture_output=True, text=True, timeout=300)
    if one.returncode != 0:
        fail("one process failed:\n" + one.stderr)
    if one.stdout != out:
        fail("the runs differ from one process's:\n--- mpi\n%s--- one\n%s" % (out, one.stdout))
    print("the job's error when rank 1 was killed:\n" + first_error)
    print("ok: killed after %d and %d runs; %d runs, each trained and stored once, equal to one process's" %
          (after_worker, after_owner, RUNS))
finally:
    shutil.rmtree(work, ignore_errors=True)
