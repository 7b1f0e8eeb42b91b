// Mixtures of experts with LLaMA's keys (transformers' Qwen2MoeConfig, Qwen3MoeConfig,
// GraniteMoeConfig): RMSNorm, SwiGLU experts without biases, a router h × experts without bias.
//   qwen2_moe (Qwen1.5-MoE, Qwen2-MoE): q, k, v biases; num_experts experts of
//     moe_intermediate_size, top num_experts_per_tok, and a shared expert of
//     shared_expert_intermediate_size behind a sigmoid gate h × 1 (shared_expert_gate);
//   qwen3_moe: no biases (attention_bias), RMSNorms of head_dim on the queries and keys, no shared
//     expert;
//   both: a layer is sparse unless listed in mlp_only_layers or off the decoder_sparse_step; the
//     others have a dense MLP of intermediate_size;
//   granitemoe: num_local_experts experts of intermediate_size (input_linear holds gate and up),
//     top num_experts_per_tok, in every layer; embedding tied by the config.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

// The keys and layout they share: RMSNorm, SwiGLU experts of `d_ff_key`, attention biases as set,
// no head bias; `head_dim_default` as in attention_shape.
void shape(const Config& c, Fields& m, const std::string& d_ff_key, bool qkv_bias, bool out_bias, double head_dim_default) {
    llama_keys(c, m, d_ff_key);
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated, .qkv_bias = qkv_bias, .out_bias = out_bias});
    no_head_bias(m);
    attention_shape(c, m, "num_attention_heads", "num_key_value_heads", head_dim_default);
}

// Qwen2MoeDecoderLayer / Qwen3MoeDecoderLayer: layer i has experts when it is not in
// mlp_only_layers and (i + 1) is a multiple of decoder_sparse_step.
double dense_layer_count(const Config& c, double layers) {
    double step = c.count_or("decoder_sparse_step", 1);
    std::vector<bool> dense(static_cast<size_t>(layers), false);
    for (size_t i = 0; i < dense.size(); ++i) dense[i] = std::fmod(double(i + 1), step) != 0;
    if (c.has("mlp_only_layers")) {
        const nlohmann::json& only = c.raw("mlp_only_layers");
        if (!only.is_array()) c.bad_key("mlp_only_layers", "must be a list of layer numbers");
        for (const auto& l : only) {
            if (!l.is_number_unsigned() || l.get<double>() >= layers)
                c.bad_key("mlp_only_layers", fmt::format("has {}, not a layer number below {}", files::excerpt(l.dump()), layers));
            dense[l.get<size_t>()] = true;
        }
    }
    return double(std::count(dense.begin(), dense.end(), true));
}

void qwen_experts(const Config& c, Fields& m) {
    qwen_window(c, m);
    double layers = m.number("layers");
    double dense = dense_layer_count(c, layers);
    routed_experts(c, m, c.count("num_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok", dense,
                   dense > 0 ? c.count("intermediate_size") : 0);
}

void qwen2_moe(const Config& c, Fields& m) {
    shape(c, m, "moe_intermediate_size", true, false, 0);
    no_qk_norm(m);
    qwen_experts(c, m);
    shared_experts(m, 1, c.count("shared_expert_intermediate_size"), true, false);
}

void qwen3_moe(const Config& c, Fields& m) {
    bool bias = c.flag_or("attention_bias", false);
    shape(c, m, "moe_intermediate_size", bias, bias, 128);
    double head_dim = m.number("head_dim");
    m.count("q_norm_width", head_dim);
    m.count("k_norm_width", head_dim);
    qwen_experts(c, m);
    shared_experts(m, 0, 0, false, false);
}

void granitemoe(const Config& c, Fields& m) {
    bool bias = c.flag_or("attention_bias", false);
    shape(c, m, "intermediate_size", bias, bias, 0);
    no_qk_norm(m);
    no_window(m);
    routed_experts(c, m, c.count("num_local_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok");
    shared_experts(m, 0, 0, false, false);
}

}  // namespace

std::vector<Reader> moe_readers() {
    return {
        {"qwen2_moe", "Qwen2MoeConfig", qwen2_moe},
        {"qwen3_moe", "Qwen3MoeConfig", qwen3_moe},
        {"granitemoe", "GraniteMoeConfig", granitemoe},
    };
}

}  // namespace plan::hf
