// The run store shared by several processes, and damaged (issue 12, part 4): claims, their
// takeover, the grid waiting for runs other processes hold, the integrity check on open, rows of
// the wrong kind. Real concurrent `plan run`s on one store are in tests/cli/training_store.cmd.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>

#include "test_util.hpp"
#include "validation/grid.hpp"
#include "validation/run_store.hpp"

using namespace plan::validation;
using plan::validation::test::TempFile;
using Catch::Matchers::Contains;

namespace {

// Writes to the store as another program would: raw SQL on its own connection.
void raw_sql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(msg);
    REQUIRE(rc == SQLITE_OK);
}

double now_s() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

std::string host() {
    std::string h = RunStore::holder_name();
    return h.substr(0, h.rfind(':'));
}

// A claim on `key` held by (host, pid) with its heartbeat `age_s` seconds ago.
void foreign_claim(const std::string& path, const std::string& key, const std::string& host, long pid, double age_s) {
    raw_sql(path, "INSERT OR REPLACE INTO claims (key, host, pid, heartbeat) VALUES ('" + key + "', '" + host + "', " +
                      std::to_string(pid) + ", " + std::to_string(now_s() - age_s) + ")");
}

// The pid of a process that has exited (and been reaped): no process has it now.
long dead_pid() {
    pid_t child = fork();
    if (child == 0) _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    return child;
}

StoredRun run_with(const std::string& key, double loss) {
    StoredRun r;
    r.key = key;
    r.d_model = 16;
    r.params = 1000;
    r.tokens = 2000;
    r.compute = 6.0 * 1000 * 2000;
    r.val_loss = loss;
    r.backend = "fake/1";
    return r;
}

class CountingBackend : public Backend {
public:
    int calls = 0;
    std::string identity(const TrainConfig&) const override { return "fake/1"; }
    TrainResult train(const TrainConfig& cfg, const Corpus&, const ProgressFn&) override {
        ++calls;
        TrainResult r;
        ModelConfig m = cfg.model;
        m.vocab = 256;
        r.params = count_params(m);
        r.steps = 1;
        r.tokens = cfg.tokens;
        r.compute_flops = 6.0 * static_cast<double>(r.params.total) * static_cast<double>(r.tokens);
        r.val_loss = 3.0;
        r.threads = 1;
        return r;
    }
};

std::vector<TrainConfig> grid_of(const std::string& corpus, int n) {
    std::vector<TrainConfig> runs;
    for (int i = 0; i < n; ++i) {
        TrainConfig c;
        c.corpus_path = corpus;
        c.model.d_model = 16;
        c.model.d_mlp = 64;
        c.model.n_layers = 1;
        c.model.n_heads = 1;
        c.model.seq_len = 16;
        c.batch = 4;
        c.tokens = 1000 * (i + 1);
        runs.push_back(c);
    }
    return runs;
}

}  // namespace

TEST_CASE("a run is claimed once; a live claim holds, a stale or orphaned one is taken over", "[grid][store][claims]") {
    TempFile db("claims.sqlite");
    RunStore store(db.path());
    CHECK(store.claim("a", 60).status == Claim::Status::Mine);
    CHECK(store.claim("a", 60).status == Claim::Status::Mine);  // this process again: still its own
    CHECK(store.claims() == 1);
    store.put(run_with("a", 2.5));  // storing the run drops its claim
    CHECK(store.claims() == 0);
    Claim stored = store.claim("a", 60);
    REQUIRE(stored.status == Claim::Status::Stored);
    CHECK(stored.run->val_loss == 2.5);

    foreign_claim(db.path(), "b", "other-host", 4242, 1);  // another machine, heartbeat 1 s ago
    Claim held = store.claim("b", 60);
    CHECK(held.status == Claim::Status::Taken);
    CHECK(held.holder == "other-host:4242");
    foreign_claim(db.path(), "b", "other-host", 4242, 61);  // its heartbeat is older than the lease
    CHECK(store.claim("b", 60).status == Claim::Status::Mine);

    foreign_claim(db.path(), "c", host(), static_cast<long>(getppid()), 0);  // a live process on this host
    CHECK(store.claim("c", 60).status == Claim::Status::Taken);
    foreign_claim(db.path(), "c", host(), dead_pid(), 0);  // it crashed: taken over at once
    CHECK(store.claim("c", 60).status == Claim::Status::Mine);

    store.release("c");
    CHECK(store.claims() == 1);  // b is still this process's
}

TEST_CASE("the grid waits for a run another process trains and reads it back", "[grid][store][claims]") {
    TempFile corpus("sharing_corpus.txt", plan::validation::test::sample_text(20000));
    TempFile db("sharing.sqlite");
    std::vector<TrainConfig> runs = grid_of(corpus.path(), 3);
    CountingBackend backend;
    RunStore store(db.path());
    // The key the grid will give run 2: train it once alone in a scratch store to learn it.
    std::string key;
    {
        TempFile scratch("sharing_scratch.sqlite");
        RunStore s(scratch.path());
        GridEvents ev;
        ev.log = [](const std::string&) {};
        std::vector<TrainConfig> one = {runs[1]};
        key = run_grid(one, backend, s, ev)[0].key;
        backend.calls = 0;
    }
    foreign_claim(db.path(), key, "other-host", 7, 0);
    // The other process finishes its run once the grid has trained the rest and waits for it.
    std::vector<std::string> lines;
    std::vector<bool> from_store(3, false);
    GridEvents ev;
    ev.log = [&](const std::string& l) {
        lines.push_back(l);
        if (l.find("grid: waiting") == std::string::npos) return;
        RunStore other(db.path());
        other.put(run_with(key, 1.25));
    };
    ev.on_run = [&](size_t i, const StoredRun&, bool stored) { from_store[i] = stored; };
    ClaimTiming timing;
    timing.poll_s = 0.05;
    std::vector<StoredRun> out = run_grid(runs, backend, store, ev, timing);
    CHECK(backend.calls == 2);  // runs 1 and 3; run 2 was the other process's
    CHECK(out[1].val_loss == 1.25);
    CHECK(from_store == std::vector<bool>{false, true, false});
    bool waited = false;
    for (auto& l : lines) waited = waited || l.find("waiting for 1 run claimed by another process (other-host:7)") != std::string::npos;
    CHECK(waited);
    CHECK(store.claims() == 0);
}

TEST_CASE("a claim is released when its run fails to train", "[grid][store][claims]") {
    TempFile corpus("release_corpus.txt", plan::validation::test::sample_text(20000));
    TempFile db("release.sqlite");
    class Failing : public CountingBackend {
        TrainResult train(const TrainConfig&, const Corpus&, const ProgressFn&) override { throw std::runtime_error("out of memory"); }
    } backend;
    RunStore store(db.path());
    GridEvents ev;
    ev.log = [](const std::string&) {};
    CHECK_THROWS_WITH(run_grid(grid_of(corpus.path(), 1), backend, store, ev), Contains("out of memory"));
    CHECK(store.claims() == 0);
}

TEST_CASE("a row that is not a number is an error naming the store, the run and the column", "[grid][store][damage]") {
    TempFile db("malformed.sqlite");
    {
        RunStore store(db.path());
        store.put(run_with("k", 2.0));
    }
    raw_sql(db.path(), "UPDATE runs SET val_loss = 'abc' WHERE key = 'k'");
    RunStore store(db.path());
    CHECK_THROWS_AS(store.find("k"), StoreDamaged);
    CHECK_THROWS_WITH(store.find("k"), Contains("run store '" + db.path() + "': run 1 has val_loss 'abc', not a number"));
    CHECK_THROWS_WITH(store.all(), Contains("not a number"));
    raw_sql(db.path(), "UPDATE runs SET val_loss = NULL WHERE key = 'k'");
    CHECK_THROWS_WITH(store.find("k"), Contains("val_loss NULL, not a number"));
}

TEST_CASE("a damaged store is an error on open, never a store to train into", "[grid][store][damage]") {
    TempFile db("damaged.sqlite");
    {
        RunStore store(db.path());
        for (int i = 0; i < 40; ++i) store.put(run_with("key-" + std::to_string(i) + std::string(200, 'x'), 2.0 + i));
    }
    // Overwrite the start of the second page (the root of the runs table) with garbage.
    {
        std::fstream f(db.path(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096);
        std::string junk(1000, '\xab');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    CHECK_THROWS_AS(RunStore(db.path()), StoreDamaged);
    CHECK_THROWS_WITH(RunStore(db.path()), Contains("run store '" + db.path() + "'") && Contains("damaged"));
}
