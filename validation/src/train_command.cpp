#include "validation/train_command.hpp"

#include "validation/duration.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <nlohmann/json.hpp>

namespace plan::validation {

namespace {

// A number as plan shows it (docs/language.md 4.5): 6 significant digits in its exponent style
// (8.24716e10, 3.2e-5), not printf's (8.247e+10), a whole count below 10^6 whole, so that a count
// reads the same here and in a .plan script.
std::string exponent_style(double x) {
    char text[32];
    if (x == std::trunc(x) && std::abs(x) < 1e6) std::snprintf(text, sizeof text, "%.0f", x);
    else std::snprintf(text, sizeof text, "%.6g", x);
    std::string s = text;
    size_t e = s.find('e');
    if (e == std::string::npos) return s;
    std::string exponent = s.substr(e + 1);
    bool negative = exponent[0] == '-';
    exponent = exponent.substr(1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    return s.substr(0, e) + "e" + (negative ? "-" : "") + exponent;
}

}  // namespace

namespace {

// A progress bar on stderr: redrawn in place on a terminal (at most 10 times
// a second), one line per ~10% otherwise (logs, CI).
class ProgressPrinter {
public:
    ProgressPrinter() : tty_(isatty(STDERR_FILENO) != 0) {}
    void operator()(const TrainProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        const bool last = p.step == p.steps;
        if (tty_) {
            if (!last && now - last_ < std::chrono::milliseconds(100)) return;
        } else {
            const int64_t decile = p.step * 10 / p.steps;
            if (!last && decile == last_decile_) return;
            last_decile_ = decile;
        }
        last_ = now;
        const int width = 24;
        const int filled = static_cast<int>(width * p.step / p.steps);
        std::string bar(static_cast<size_t>(filled), '#');
        bar.append(static_cast<size_t>(width - filled), '.');
        std::fprintf(stderr, "%s[%s] step %lld/%lld  loss %.4f  %.0f tok/s  ETA %s%s", tty_ ? "\r" : "",
                     bar.c_str(), static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss,
                     p.tokens_per_s, format_duration(p.eta_s).c_str(), tty_ ? (last ? "\n" : "") : "\n");
        std::fflush(stderr);
    }

private:
    bool tty_;
    int64_t last_decile_ = -1;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace

void add_train_options(CLI::App& app, TrainCommandOptions& o) {
    TrainConfig& c = o.config;
    app.add_option("--corpus", c.corpus_path, "Corpus file (UTF-8 text, WikiText, or PLANTOKS token file)")->required();
    app.add_option("--format", o.config.corpus_format, "Corpus format")
        ->transform(CLI::CheckedTransformer(std::map<std::string, CorpusFormat>{{"auto", CorpusFormat::Auto},
                                                                                  {"text", CorpusFormat::Text},
                                                                                  {"wikitext", CorpusFormat::WikiText},
                                                                                  {"tokens", CorpusFormat::Tokens}}))
        ->default_str("auto");
    app.add_option("--d-model", c.model.d_model, "Model width")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--layers", c.model.n_layers, "Transformer blocks")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--heads", c.model.n_heads, "Attention heads (must divide d_model)")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--d-mlp", o.d_mlp, "MLP width (default 4 * d_model)")->check(CLI::NonNegativeNumber);
    app.add_option("--seq", c.model.seq_len, "Context length")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--batch", c.batch, "Sequences per step")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--tokens", c.tokens, "Training tokens D (rounded up to whole steps)")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--seed", c.seed, "Seed for weights and data order")->capture_default_str();
    app.add_option("--lr", c.lr, "Peak learning rate")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--min-lr-ratio", c.min_lr_ratio, "Final lr / peak lr (cosine decay)")->capture_default_str()->check(CLI::Range(0.0, 1.0));
    app.add_option("--warmup", c.warmup, "Warm-up steps (-1: 5% of the steps)")->capture_default_str();
    app.add_option("--weight-decay", c.adamw.weight_decay, "AdamW weight decay (matrices only)")->capture_default_str();
    app.add_option("--grad-clip", c.grad_clip, "Global gradient-norm clip (0: off)")->capture_default_str();
    app.add_option("--val-fraction", c.val_fraction, "Held-out fraction of the corpus")->capture_default_str();
    app.add_option("--eval-tokens", c.eval_tokens, "Validation tokens evaluated at the end")->capture_default_str();
    app.add_option("--threads", c.threads, "OpenMP threads (0: all)")->capture_default_str()->check(CLI::NonNegativeNumber);
    app.add_flag("--json", o.json, "Print the result as JSON on stdout");
    app.add_flag("--quiet", o.quiet, "No progress bar");
}

std::string train_result_json(const TrainConfig& cfg, const TrainResult& r, int indent) {
    nlohmann::json j;
    j["model"] = {{"vocab", cfg.model.vocab}, {"seq_len", cfg.model.seq_len}, {"d_model", cfg.model.d_model},
                  {"n_layers", cfg.model.n_layers}, {"n_heads", cfg.model.n_heads}, {"d_mlp", cfg.model.d_mlp}};
    j["corpus"] = r.corpus_path;
    j["seed"] = cfg.seed;
    j["batch"] = cfg.batch;
    j["lr"] = cfg.lr;
    j["threads"] = r.threads;
    j["train_loss"] = r.final_train_loss;
    j["train_loss_smoothed"] = r.smoothed_train_loss;
    j["val_loss"] = r.val_loss;
    j["val_tokens"] = r.val_tokens;
    j["n_params"] = r.params.total;
    j["n_params_non_embedding"] = r.params.non_embedding;
    j["n_params_embedding"] = r.params.embedding;
    j["tokens"] = r.tokens;
    j["steps"] = r.steps;
    j["compute_flops"] = r.compute_flops;
    j["tokens_per_s"] = r.tokens_per_s;
    j["train_seconds"] = r.train_seconds;
    return j.dump(indent);
}

int run_train_command(const TrainCommandOptions& o) {
    TrainConfig cfg = o.config;
    cfg.model.d_mlp = o.d_mlp > 0 ? o.d_mlp : 4 * cfg.model.d_model;
    try {
        ProgressPrinter printer;
        ProgressFn fn;
        if (!o.quiet) fn = std::ref(printer);
        Corpus corpus = load_corpus(cfg.corpus_path, cfg.corpus_format);
        cfg.model.vocab = static_cast<int>(corpus.vocab_size);
        const TrainResult r = train(cfg, corpus, fn);
        if (o.json) {
            std::cout << train_result_json(cfg, r) << "\n";
        } else {
            std::printf("train loss      %.4f (last step), %.4f (mean of last 10)\n", r.final_train_loss, r.smoothed_train_loss);
            std::printf("val loss        %.4f (%lld held-out tokens)\n", r.val_loss, static_cast<long long>(r.val_tokens));
            std::printf("N               %s total, %s non-embedding\n", exponent_style(static_cast<double>(r.params.total)).c_str(),
                        exponent_style(static_cast<double>(r.params.non_embedding)).c_str());
            std::printf("D               %s tokens (%lld steps)\n", exponent_style(static_cast<double>(r.tokens)).c_str(),
                        static_cast<long long>(r.steps));
            std::printf("C = 6ND         %s FLOP\n", exponent_style(r.compute_flops).c_str());
            std::printf("throughput      %.0f tokens/s (%d threads, %.2f s)\n", r.tokens_per_s, r.threads, r.train_seconds);
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

}  // namespace plan::validation
