// The common part of the readers: keys of a config.json read with errors that name them, the
// fields a reader sets, the attention shape every family shares, and the groups of fields and
// layer layouts that several families share.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "stdlib/native/hf/reader.hpp"
#include "stdlib/native/hf/registry.hpp"

namespace plan::hf {

void Config::bad_key(const std::string& key, const std::string& what) const {
    builtin_fail(Code::BadConfigKey, fmt::format("key `{}` of {} {}", named(key), shown_, what), at_.origin, "this config",
                 "hf_model reads the Hugging Face config.json of a " + model_types_text("or") + " model");
}

void Config::unmodelled(const std::string& key, const std::string& feature) const {
    builtin_fail(Code::UnmodelledFeature,
                 fmt::format("key `{}` of {} is {}: {} is not counted", named(key), shown_, files::excerpt(j_.at(key).dump()), feature),
                 at_.origin, "this config",
                 "hf_model counts a model exactly or not at all; this architecture feature is not modelled (docs/sizing.md, 1.4)");
}

Config Config::sub(const std::string& key) const {
    if (!has(key) || !j_.at(key).is_object()) bad_key(key, "must be an object");
    return Config(j_.at(key), shown_, at_, named(key));
}

double Config::count_or_zero(const std::string& key) const {
    if (!has(key)) return 0;
    const nlohmann::json& v = j_.at(key);
    if ((v.is_number_integer() || v.is_number_unsigned()) && v.get<double>() == 0) return 0;
    return count_value(key, v);
}

double Config::count(const std::string& key) const {
    if (!j_.contains(key)) bad_key(key, "is missing");
    return count_value(key, j_.at(key));
}

double Config::count_or(const std::string& key, double fallback) const {
    return has(key) ? count_value(key, j_.at(key)) : fallback;
}

bool Config::flag_or(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    const nlohmann::json& v = j_.at(key);
    if (!v.is_boolean()) bad_key(key, fmt::format("must be true or false, not {}", files::excerpt(v.dump())));
    return v.get<bool>();
}

std::string Config::text(const std::string& key) const {
    if (!j_.contains(key)) bad_key(key, "is missing");
    const nlohmann::json& v = j_.at(key);
    if (!v.is_string()) bad_key(key, fmt::format("must be a string, not {}", files::excerpt(v.dump())));
    return v.get<std::string>();
}

std::string Config::text_or(const std::string& key, const std::string& fallback) const {
    if (!has(key) || !j_.at(key).is_string() || j_.at(key).get<std::string>().empty()) return fallback;
    return j_.at(key).get<std::string>();
}

double Config::count_value(const std::string& key, const nlohmann::json& v) const {
    double x = 0;
    if (v.is_number_integer() || v.is_number_unsigned())
        x = v.get<double>();
    else if (v.is_number_float() && v.get<double>() == std::floor(v.get<double>()))
        x = v.get<double>();
    else
        bad_key(key, fmt::format("must be a positive whole number, not {}", files::excerpt(v.dump())));
    if (x < 1) bad_key(key, fmt::format("must be a positive whole number, not {}", files::excerpt(v.dump())));
    return x;
}

void Fields::set(const std::string& name, Value v) {
    // A reader setting one field twice is a defect of the reader, not of the config.
    if (std::any_of(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == name; }))
        throw std::logic_error("hf reader sets `" + name + "` twice");
    fields_.emplace_back(name, std::move(v));
}

double Fields::number(const std::string& name) const {
    for (const auto& [n, v] : fields_)
        if (n == name) return v.num();
    throw std::logic_error("hf reader reads `" + name + "` before setting it");
}

void attention_shape(const Config& c, Fields& m, const std::string& heads_key, const std::string& kv_key,
                     double default_head_dim) {
    double d_model = m.number("d_model"), heads = m.number("heads"), kv_heads = m.number("kv_heads");
    // head_dim: explicit in some configs (Mistral NeMo, Qwen3); otherwise d_model / heads.
    if (c.has("head_dim")) {
        m.count("head_dim", c.count("head_dim"));
    } else if (default_head_dim > 0) {
        m.count("head_dim", default_head_dim);
    } else {
        if (std::fmod(d_model, heads) != 0)
            c.bad_key(heads_key, fmt::format("is {}, which does not divide the model width {}", heads, d_model));
        m.count("head_dim", d_model / heads);
    }
    if (std::fmod(heads, kv_heads) != 0)
        c.bad_key(kv_key, fmt::format("is {}, which does not divide the {} attention heads", kv_heads, heads));
}

void no_qk_norm(Fields& m) {
    m.count("q_norm_width", 0);
    m.count("k_norm_width", 0);
}

void no_latent_attention(Fields& m) {
    m.count("q_lora_rank", 0);
    m.count("kv_lora_rank", 0);
    m.count("rope_head_dim", 0);
    m.count("v_head_dim", 0);
}

void no_ssm(Fields& m) {
    m.count("ssm_state", 0);
    m.count("ssm_inner", 0);
    m.count("ssm_conv", 0);
    m.count("ssm_dt_rank", 0);
}

void no_head_bias(Fields& m) { m.flag("head_bias", false); }

void plain_decoder(Fields& m) {
    no_qk_norm(m);
    no_latent_attention(m);
    no_ssm(m);
    no_head_bias(m);
    dense_mlp(m);
    no_window(m);
}

void layout(Fields& m, const Layout& l) {
    m.count("norm_vectors", static_cast<double>(l.norm));
    m.count("norms_per_layer", l.norms_per_layer);
    m.count("outer_norms", l.outer_norms);
    m.count("mlp_matrices", static_cast<double>(l.mlp));
    m.flag("qkv_bias", l.qkv_bias);
    m.flag("out_bias", l.out_bias);
    m.flag("mlp_bias", l.mlp_bias);
}

void llama_keys(const Config& c, Fields& m, const std::string& d_ff_key, const Defaults& d) {
    auto read = [&](const std::string& key, double fallback) { return fallback > 0 ? c.count_or(key, fallback) : c.count(key); };
    m.count("layers", c.count("num_hidden_layers"));
    m.count("d_model", c.count("hidden_size"));
    double heads = read("num_attention_heads", d.heads);
    m.count("heads", heads);
    m.count("kv_heads", c.count_or("num_key_value_heads", d.kv_heads > 0 ? d.kv_heads : heads));
    m.count("d_ff", c.count(d_ff_key));
    m.count("vocab", read("vocab_size", d.vocab));
    m.count("context", read("max_position_embeddings", d.context));
    m.count("learned_positions", 0);  // rotary
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", d.tied));
    no_latent_attention(m);
    no_ssm(m);
}

void routed_experts(const Config& c, Fields& m, double experts, double top_k, const std::string& top_k_key,
                    double dense_layers, double dense_d_ff) {
    if (top_k > experts) c.bad_key(top_k_key, fmt::format("is {}, more than the {} experts", top_k, experts));
    m.count("experts", experts);
    m.count("experts_per_token", top_k);
    m.count("dense_layers", dense_layers);
    m.count("dense_d_ff", dense_d_ff);
}

void dense_mlp(Fields& m) {
    m.count("experts", 1);
    m.count("experts_per_token", 1);
    m.count("dense_layers", 0);
    m.count("dense_d_ff", 0);
    shared_experts(m, 0, 0, false, false);
}

void shared_experts(Fields& m, double count, double d_ff, bool gate, bool router_bias) {
    m.count("shared_experts", count);
    m.count("shared_d_ff", d_ff);
    m.flag("shared_expert_gate", gate);
    m.flag("router_bias", router_bias);
}

void no_window(Fields& m) { window(m, 0, 0); }

void window(Fields& m, double tokens, double layers) {
    m.count("window", tokens);
    m.count("window_layers", tokens > 0 ? layers : 0);
}

double sliding_window(const Config& c, double class_default) {
    return c.present("sliding_window") ? c.count_or_zero("sliding_window") : class_default;
}

void window_all_layers(const Config& c, Fields& m, double class_default) {
    window(m, sliding_window(c, class_default), m.number("layers"));
}

void qwen_window(const Config& c, Fields& m) {
    if (c.flag_or("use_sliding_window", false))
        c.unmodelled("use_sliding_window", "a sliding window on the layers from max_window_layers on");
    no_window(m);
}

}  // namespace plan::hf
