#include "validation/run_store.hpp"

#include <sqlite3.h>

#include <filesystem>

namespace plan::validation {

namespace {

// Column order of the runs table (after `key`, `seq` is the insertion order).
constexpr const char* kColumns =
    "key, d_model, d_mlp, layers, heads, tokens_requested, params, non_embedding_params, tokens, steps, "
    "compute, train_loss, final_train_loss, val_loss, seconds, tokens_per_s, threads, backend, corpus";

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql, const std::string& path) {
        if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
            throw StoreError("run store '" + path + "': " + sqlite3_errmsg(db));
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    sqlite3_stmt* get() const { return s_; }

private:
    sqlite3_stmt* s_ = nullptr;
};

StoredRun read_row(sqlite3_stmt* s) {
    StoredRun r;
    int c = 0;
    auto text = [&](int i) {
        const unsigned char* t = sqlite3_column_text(s, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
    };
    r.key = text(c++);
    r.d_model = sqlite3_column_int(s, c++);
    r.d_mlp = sqlite3_column_int(s, c++);
    r.layers = sqlite3_column_int(s, c++);
    r.heads = sqlite3_column_int(s, c++);
    r.tokens_requested = sqlite3_column_int64(s, c++);
    r.params = sqlite3_column_int64(s, c++);
    r.non_embedding_params = sqlite3_column_int64(s, c++);
    r.tokens = sqlite3_column_int64(s, c++);
    r.steps = sqlite3_column_int64(s, c++);
    r.compute = sqlite3_column_double(s, c++);
    r.train_loss = sqlite3_column_double(s, c++);
    r.final_train_loss = sqlite3_column_double(s, c++);
    r.val_loss = sqlite3_column_double(s, c++);
    r.seconds = sqlite3_column_double(s, c++);
    r.tokens_per_s = sqlite3_column_double(s, c++);
    r.threads = sqlite3_column_int(s, c++);
    r.backend = text(c++);
    r.corpus = text(c++);
    return r;
}

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
    sqlite3_busy_timeout(db_, 5000);
    try {
        // Reading the schema touches nothing; the table is created only in a new file.
        Stmt q(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'", path_);
        if (sqlite3_step(q.get()) != SQLITE_ROW) throw StoreError("run store '" + path_ + "': " + sqlite3_errmsg(db_));
        bool exists = sqlite3_column_int(q.get(), 0) > 0;
        if (!exists) {
            exec("BEGIN IMMEDIATE");
            exec("CREATE TABLE IF NOT EXISTS runs ("
                 " seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
                 " d_model INTEGER, d_mlp INTEGER, layers INTEGER, heads INTEGER, tokens_requested INTEGER,"
                 " params INTEGER, non_embedding_params INTEGER, tokens INTEGER, steps INTEGER,"
                 " compute REAL, train_loss REAL, final_train_loss REAL, val_loss REAL, seconds REAL,"
                 " tokens_per_s REAL, threads INTEGER, backend TEXT, corpus TEXT)");
            exec("PRAGMA user_version = 1");
            exec("COMMIT");
        } else {
            Stmt v(db_, "PRAGMA user_version", path_);
            sqlite3_step(v.get());
            int version = sqlite3_column_int(v.get(), 0);
            if (version != kSchemaVersion)
                throw StoreError("run store '" + path_ + "' has schema version " + std::to_string(version) +
                                 ", this plan reads version " + std::to_string(kSchemaVersion));
        }
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

void RunStore::exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        if (std::string(sql) != "ROLLBACK") sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw StoreError("run store '" + path_ + "': " + msg);
    }
}

std::optional<StoredRun> RunStore::find(const std::string& key) const {
    std::string sql = std::string("SELECT ") + kColumns + " FROM runs WHERE key = ?1";
    Stmt s(db_, sql.c_str(), path_);
    sqlite3_bind_text(s.get(), 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) return read_row(s.get());
    if (rc != SQLITE_DONE) throw StoreError("run store '" + path_ + "': " + sqlite3_errmsg(db_));
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
        if (sqlite3_step(st) != SQLITE_DONE) throw StoreError("run store '" + path_ + "': " + sqlite3_errmsg(db_));
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
    std::string sql = std::string("SELECT ") + kColumns + " FROM runs ORDER BY seq";
    Stmt s(db_, sql.c_str(), path_);
    std::vector<StoredRun> out;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out.push_back(read_row(s.get()));
    if (rc != SQLITE_DONE) throw StoreError("run store '" + path_ + "': " + sqlite3_errmsg(db_));
    return out;
}

}  // namespace plan::validation
