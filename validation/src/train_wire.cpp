#include "validation/train_wire.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace plan::validation {

namespace {

class Writer {
public:
    template <class T>
    Writer& put(T value) {
        static_assert(std::is_arithmetic_v<T> || std::is_enum_v<T>);
        char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        out_.append(raw, sizeof(T));
        return *this;
    }
    Writer& put(const std::string& s) {
        put<uint64_t>(s.size());
        out_ += s;
        return *this;
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// A message cut short or with bytes left over is an error, never a run with made-up fields.
class Reader {
public:
    explicit Reader(const std::string& in) : in_(in) {}
    template <class T>
    void get(T& value) {
        need(sizeof(T));
        std::memcpy(&value, in_.data() + at_, sizeof(T));
        at_ += sizeof(T);
    }
    void get(std::string& s) {
        uint64_t n = 0;
        get(n);
        need(n);
        s.assign(in_, at_, n);
        at_ += n;
    }
    void end() const {
        if (at_ != in_.size()) throw std::runtime_error("a training message has " + std::to_string(in_.size() - at_) + " bytes too many");
    }

private:
    void need(uint64_t n) const {
        if (n > in_.size() - at_) throw std::runtime_error("a training message is cut short");
    }
    const std::string& in_;
    size_t at_ = 0;
};

// One list of fields per type, walked by both directions.
template <class IO, class C>
void config_fields(IO& io, C& c) {
    io.get(c.model.vocab), io.get(c.model.seq_len), io.get(c.model.d_model), io.get(c.model.n_layers);
    io.get(c.model.n_heads), io.get(c.model.d_mlp), io.get(c.corpus_path), io.get(c.corpus_format), io.get(c.batch);
    io.get(c.tokens), io.get(c.seed), io.get(c.lr), io.get(c.min_lr_ratio), io.get(c.warmup), io.get(c.adamw.beta1);
    io.get(c.adamw.beta2), io.get(c.adamw.eps), io.get(c.adamw.weight_decay), io.get(c.grad_clip);
    io.get(c.val_fraction), io.get(c.eval_tokens), io.get(c.threads);
}

template <class IO, class R>
void result_fields(IO& io, R& r) {
    io.get(r.final_train_loss), io.get(r.smoothed_train_loss), io.get(r.val_loss), io.get(r.val_tokens);
    io.get(r.params.total), io.get(r.params.embedding), io.get(r.params.non_embedding), io.get(r.tokens), io.get(r.steps);
    io.get(r.compute_flops), io.get(r.tokens_per_s), io.get(r.train_seconds), io.get(r.threads), io.get(r.corpus_path);
}

template <class IO, class R>
void run_fields(IO& io, R& r) {
    io.get(r.key), io.get(r.d_model), io.get(r.d_mlp), io.get(r.layers), io.get(r.heads), io.get(r.tokens_requested);
    io.get(r.params), io.get(r.non_embedding_params), io.get(r.tokens), io.get(r.steps), io.get(r.compute);
    io.get(r.train_loss), io.get(r.final_train_loss), io.get(r.val_loss), io.get(r.seconds), io.get(r.tokens_per_s);
    io.get(r.threads), io.get(r.backend), io.get(r.corpus);
}

// The writing side of the same walk: get() of a const field writes it.
class Out {
public:
    template <class T>
    void get(const T& value) {
        w.put(value);
    }
    Writer w;
};

}  // namespace

std::string encode_config(const TrainConfig& cfg) {
    Out o;
    config_fields(o, cfg);
    return o.w.take();
}

TrainConfig decode_config(const std::string& bytes) {
    TrainConfig c;
    Reader r(bytes);
    config_fields(r, c);
    r.end();
    return c;
}

std::string encode_result(const TrainResult& result) {
    Out o;
    result_fields(o, result);
    return o.w.take();
}

TrainResult decode_result(const std::string& bytes) {
    TrainResult t;
    Reader r(bytes);
    result_fields(r, t);
    r.end();
    return t;
}

std::string encode_runs(const std::vector<StoredRun>& runs) {
    Out o;
    o.get(static_cast<uint64_t>(runs.size()));
    for (const StoredRun& run : runs) run_fields(o, run);
    return o.w.take();
}

std::vector<StoredRun> decode_runs(const std::string& bytes) {
    Reader r(bytes);
    uint64_t n = 0;
    r.get(n);
    if (n > bytes.size()) throw std::runtime_error("a training message is cut short");
    std::vector<StoredRun> runs(n);
    for (StoredRun& run : runs) run_fields(r, run);
    r.end();
    return runs;
}

}  // namespace plan::validation
