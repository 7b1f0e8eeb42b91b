#include "validation/run_store.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>

namespace plan::validation {

namespace {

// Column order of the runs table (after `key`, `seq` is the insertion order).
constexpr const char* kColumns =
    "key, d_model, d_mlp, layers, heads, tokens_requested, params, non_embedding_params, tokens, steps, "
    "compute, train_loss, final_train_loss, val_loss, seconds, tokens_per_s, threads, backend, corpus";

// The claims of runs being trained (docs/validation.md, "Sharing a run store").
constexpr const char* kClaimsTable =
    "CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, heartbeat REAL NOT NULL)";

// An SQLite failure as a StoreError, a StoreDamaged when SQLite found the file corrupt.
[[noreturn]] void throw_sql(sqlite3* db, const std::string& path) {
    int code = sqlite3_errcode(db) & 0xff;
    std::string msg = "run store '" + path + "': " + sqlite3_errmsg(db);
    if (code == SQLITE_CORRUPT) throw StoreDamaged(msg + " (the file is damaged: restore it, or delete it to train every run again)");
    throw StoreError(msg);
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
    return buf;
}

// A process on this host that still exists (EPERM: it exists, owned by another user).
bool alive(int64_t pid) {
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql, const std::string& path) {
        if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) throw_sql(db, path);
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    sqlite3_stmt* get() const { return s_; }

private:
    sqlite3_stmt* s_ = nullptr;
};

// A row as selected with kSelect: its seq, then kColumns. A number column that holds text, a blob
// or NULL (a loss of "abc" would read as 0) is a StoreDamaged error naming the row.
StoredRun read_row(sqlite3_stmt* s, const std::string& path) {
    StoredRun r;
    int c = 1;
    auto text = [&](int i) {
        const unsigned char* t = sqlite3_column_text(s, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
    };
    auto numeric = [&](int i) {
        int type = sqlite3_column_type(s, i);
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) return i;
        std::string value = type == SQLITE_NULL ? "NULL" : "'" + text(i).substr(0, 24) + "'";
        throw StoreDamaged("run store '" + path + "': run " + std::to_string(sqlite3_column_int64(s, 0)) + " has " +
                           sqlite3_column_name(s, i) + " " + value +
                           ", not a number (the file was changed outside plan: restore it, or delete the row)");
    };
    r.key = text(c++);
    r.d_model = sqlite3_column_int(s, numeric(c++));
    r.d_mlp = sqlite3_column_int(s, numeric(c++));
    r.layers = sqlite3_column_int(s, numeric(c++));
    r.heads = sqlite3_column_int(s, numeric(c++));
    r.tokens_requested = sqlite3_column_int64(s, numeric(c++));
    r.params = sqlite3_column_int64(s, numeric(c++));
    r.non_embedding_params = sqlite3_column_int64(s, numeric(c++));
    r.tokens = sqlite3_column_int64(s, numeric(c++));
    r.steps = sqlite3_column_int64(s, numeric(c++));
    r.compute = sqlite3_column_double(s, numeric(c++));
    r.train_loss = sqlite3_column_double(s, numeric(c++));
    r.final_train_loss = sqlite3_column_double(s, numeric(c++));
    r.val_loss = sqlite3_column_double(s, numeric(c++));
    r.seconds = sqlite3_column_double(s, numeric(c++));
    r.tokens_per_s = sqlite3_column_double(s, numeric(c++));
    r.threads = sqlite3_column_int(s, numeric(c++));
    r.backend = text(c++);
    r.corpus = text(c++);
    return r;
}

std::string select_runs(const char* where) { return std::string("SELECT seq, ") + kColumns + " FROM runs " + where; }

}  // namespace

RunStore::RunStore(const std::string& path) : path_(path) {
    std::error_code ec;
    std::filesystem::path p(path);
    if (path.empty()) throw StoreError("run store: the path is empty");
    if (std::filesystem::is_directory(p, ec))
        throw StoreError("run store '" + path + "' is a directory; give a file name such as runs.sqlite");
    if (p.has_parent_path() && !std::filesystem::is_directory(p.parent_path(), ec))
        throw StoreError("cannot open run store '" + path + "': directory '" + p.parent_path().string() +
                         "' does not exist");
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError("cannot open run store '" + path + "': " + msg);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    try {
        // Reading the schema touches nothing; the table is created only in a new file. The query
        // is finalized before BEGIN IMMEDIATE: a statement left open keeps a shared lock, and two
        // processes creating the store together would deadlock ("database is locked").
        bool exists = false;
        {
            Stmt q(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'", path_);
            if (sqlite3_step(q.get()) != SQLITE_ROW) throw StoreError("run store '" + path_ + "': " + sqlite3_errmsg(db_));
            exists = sqlite3_column_int(q.get(), 0) > 0;
        }
        if (!exists) {
            exec("BEGIN IMMEDIATE");
            exec("CREATE TABLE IF NOT EXISTS runs ("
                 " seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
                 " d_model INTEGER, d_mlp INTEGER, layers INTEGER, heads INTEGER, tokens_requested INTEGER,"
                 " params INTEGER, non_embedding_params INTEGER, tokens INTEGER, steps INTEGER,"
                 " compute REAL, train_loss REAL, final_train_loss REAL, val_loss REAL, seconds REAL,"
                 " tokens_per_s REAL, threads INTEGER, backend TEXT, corpus TEXT)");
            exec(kClaimsTable);
            exec("PRAGMA user_version = 1");
            exec("COMMIT");
        } else {
            Stmt v(db_, "PRAGMA user_version", path_);
            sqlite3_step(v.get());
            int version = sqlite3_column_int(v.get(), 0);
            if (version != kSchemaVersion)
                throw StoreError("run store '" + path_ + "' has schema version " + std::to_string(version) +
                                 ", this plan reads version " + std::to_string(kSchemaVersion));
            check_integrity();
        }
    } catch (const StoreDamaged&) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    } catch (const StoreError& e) {
        sqlite3_close(db_);
        db_ = nullptr;
        std::string what = e.what();
        // SQLite's own words for a file that is not a database.
        throw StoreError(what.find("not a database") != std::string::npos
                             ? "run store '" + path + "' is not an SQLite run store (file is not a database)"
                             : what);
    }
}

RunStore::~RunStore() { sqlite3_close(db_); }

// PRAGMA integrity_check reads every page, so a damaged index or table is found when the store is
// opened (a store holds hundreds of runs: milliseconds), not when a run would be looked up in it.
void RunStore::check_integrity() {
    Stmt s(db_, "PRAGMA integrity_check(5)", path_);
    std::string problems;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        const unsigned char* t = sqlite3_column_text(s.get(), 0);
        std::string line = t ? reinterpret_cast<const char*>(t) : "";
        if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
    }
    if (rc != SQLITE_DONE) throw_sql(db_, path_);
    if (!problems.empty())
        throw StoreDamaged("run store '" + path_ + "' is damaged (" + problems +
                           "): restore it, or delete it to train every run again");
}

std::string RunStore::holder_name() { return host_name() + ":" + std::to_string(::getpid()); }

Claim RunStore::claim(const std::string& key, double lease_s) {
    const std::string host = host_name();
    const int64_t pid = ::getpid();
    exec("BEGIN IMMEDIATE");
    try {
        exec(kClaimsTable);
        Claim out;
        if ((out.run = find(key))) {
            out.status = Claim::Status::Stored;
        } else {
            Stmt q(db_, "SELECT host, pid, heartbeat FROM claims WHERE key = ?1", path_);
            sqlite3_bind_text(q.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
            int rc = sqlite3_step(q.get());
            if (rc == SQLITE_ROW) {
                const unsigned char* h = sqlite3_column_text(q.get(), 0);
                std::string holder_host = h ? reinterpret_cast<const char*>(h) : "";
                int64_t holder_pid = sqlite3_column_int64(q.get(), 1);
                double beat = sqlite3_column_double(q.get(), 2);
                bool mine = holder_host == host && holder_pid == pid;
                bool live = now_s() - beat < lease_s && (holder_host != host || alive(holder_pid));
                if (!mine && live) {
                    out.status = Claim::Status::Taken;
                    out.holder = holder_host + ":" + std::to_string(holder_pid);
                }
            } else if (rc != SQLITE_DONE) {
                throw_sql(db_, path_);
            }
        }
        if (out.status == Claim::Status::Mine) {
            Stmt w(db_, "INSERT OR REPLACE INTO claims (key, host, pid, heartbeat) VALUES (?1, ?2, ?3, ?4)", path_);
            sqlite3_bind_text(w.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(w.get(), 2, host.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(w.get(), 3, pid);
            sqlite3_bind_double(w.get(), 4, now_s());
            if (sqlite3_step(w.get()) != SQLITE_DONE) throw_sql(db_, path_);
        }
        exec("COMMIT");
        return out;
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void RunStore::heartbeat(const std::string& key) {
    Stmt w(db_, "UPDATE claims SET heartbeat = ?4 WHERE key = ?1 AND host = ?2 AND pid = ?3", path_);
    std::string host = host_name();
    sqlite3_bind_text(w.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w.get(), 2, host.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(w.get(), 3, ::getpid());
    sqlite3_bind_double(w.get(), 4, now_s());
    if (sqlite3_step(w.get()) != SQLITE_DONE) throw_sql(db_, path_);
}

void RunStore::release(const std::string& key) {
    Stmt w(db_, "DELETE FROM claims WHERE key = ?1 AND host = ?2 AND pid = ?3", path_);
    std::string host = host_name();
    sqlite3_bind_text(w.get(), 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w.get(), 2, host.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(w.get(), 3, ::getpid());
    if (sqlite3_step(w.get()) != SQLITE_DONE) throw_sql(db_, path_);
}

int64_t RunStore::claims() const {
    Stmt t(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'claims'", path_);
    if (sqlite3_step(t.get()) != SQLITE_ROW) throw_sql(db_, path_);
    if (sqlite3_column_int(t.get(), 0) == 0) return 0;
    Stmt s(db_, "SELECT count(*) FROM claims", path_);
    if (sqlite3_step(s.get()) != SQLITE_ROW) throw_sql(db_, path_);
    return sqlite3_column_int64(s.get(), 0);
}

void RunStore::exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        bool corrupt = (sqlite3_errcode(db_) & 0xff) == SQLITE_CORRUPT;
        if (std::string(sql) != "ROLLBACK") sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        if (corrupt) throw StoreDamaged("run store '" + path_ + "': " + msg + " (the file is damaged: restore it, or delete it to train every run again)");
        throw StoreError("run store '" + path_ + "': " + msg);
    }
}

std::optional<StoredRun> RunStore::find(const std::string& key) const {
    std::string sql = select_runs("WHERE key = ?1");
    Stmt s(db_, sql.c_str(), path_);
    sqlite3_bind_text(s.get(), 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) return read_row(s.get(), path_);
    if (rc != SQLITE_DONE) throw_sql(db_, path_);
    return std::nullopt;
}

void RunStore::put(const StoredRun& r) {
    std::string sql = std::string("INSERT OR REPLACE INTO runs (") + kColumns +
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
    exec("BEGIN IMMEDIATE");
    try {
        Stmt s(db_, sql.c_str(), path_);
        sqlite3_stmt* st = s.get();
        int c = 1;
        sqlite3_bind_text(st, c++, r.key.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, c++, r.d_model);
        sqlite3_bind_int(st, c++, r.d_mlp);
        sqlite3_bind_int(st, c++, r.layers);
        sqlite3_bind_int(st, c++, r.heads);
        sqlite3_bind_int64(st, c++, r.tokens_requested);
        sqlite3_bind_int64(st, c++, r.params);
        sqlite3_bind_int64(st, c++, r.non_embedding_params);
        sqlite3_bind_int64(st, c++, r.tokens);
        sqlite3_bind_int64(st, c++, r.steps);
        sqlite3_bind_double(st, c++, r.compute);
        sqlite3_bind_double(st, c++, r.train_loss);
        sqlite3_bind_double(st, c++, r.final_train_loss);
        sqlite3_bind_double(st, c++, r.val_loss);
        sqlite3_bind_double(st, c++, r.seconds);
        sqlite3_bind_double(st, c++, r.tokens_per_s);
        sqlite3_bind_int(st, c++, r.threads);
        sqlite3_bind_text(st, c++, r.backend.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, c++, r.corpus.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) throw_sql(db_, path_);
        exec(kClaimsTable);
        Stmt d(db_, "DELETE FROM claims WHERE key = ?1", path_);
        sqlite3_bind_text(d.get(), 1, r.key.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(d.get()) != SQLITE_DONE) throw_sql(db_, path_);
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    exec("COMMIT");
}

int64_t RunStore::size() const {
    Stmt s(db_, "SELECT count(*) FROM runs", path_);
    if (sqlite3_step(s.get()) != SQLITE_ROW) throw StoreError("run store '" + path_ + "': " + sqlite3_errmsg(db_));
    return sqlite3_column_int64(s.get(), 0);
}

std::vector<StoredRun> RunStore::all() const {
    std::string sql = select_runs("ORDER BY seq");
    Stmt s(db_, sql.c_str(), path_);
    std::vector<StoredRun> out;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.push_back(read_row(s.get(), path_));
    if (rc != SQLITE_DONE) throw_sql(db_, path_);
    return out;
}

}  // namespace plan::validation
