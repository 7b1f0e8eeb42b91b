// Microsoft's Phi models (transformers' PhiConfig, Phi3Config, PhimoeConfig).
//   phi (Phi-1, Phi-1.5, Phi-2): a parallel block (attention and MLP read one LayerNorm), q, k, v
//     and dense projections with biases, a GELU MLP (fc1, fc2) with biases, partial rotary
//     positions (no parameters), an untied head with a bias; qk_layernorm adds LayerNorms of
//     head_dim on the queries and keys.
//   phi3 (Phi-3, Phi-3.5-mini, Phi-4-mini): LLaMA's shape with fused projections (qkv_proj,
//     gate_up_proj: the same weights), RMSNorm, no biases, an optional sliding window.
//   phimoe (Phi-3.5-MoE): LayerNorms with bias, experts w1, w2, w3 and a router without bias,
//     attention biases with attention_bias and a head bias with lm_head_bias.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

void shape(const Config& c, Fields& m) {
    m.count("layers", c.count("num_hidden_layers"));
    m.count("d_model", c.count("hidden_size"));
    double heads = c.count("num_attention_heads");
    m.count("heads", heads);
    m.count("kv_heads", c.count_or("num_key_value_heads", heads));
    m.count("d_ff", c.count("intermediate_size"));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count("max_position_embeddings"));
    m.count("learned_positions", 0);
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", false));
    no_latent_attention(m);
    no_ssm(m);
}

void window_all_layers(const Config& c, Fields& m) {
    window(m, c.count_or_zero("sliding_window"), m.number("layers"));
}

void phi(const Config& c, Fields& m) {
    shape(c, m);
    m.count("norm_vectors", 2);
    m.count("norms_per_layer", 1);  // input_layernorm
    m.count("outer_norms", 1);  // final_layernorm
    m.count("mlp_matrices", 2);
    m.flag("qkv_bias", true);
    m.flag("out_bias", true);
    m.flag("mlp_bias", true);
    m.flag("head_bias", true);
    dense_mlp(m);
    no_window(m);
    attention_shape(c, m, "num_attention_heads");
    double qk = c.flag_or("qk_layernorm", false) ? m.number("head_dim") : 0;
    m.count("q_norm_width", qk);
    m.count("k_norm_width", qk);
}

void phi3(const Config& c, Fields& m) {
    shape(c, m);
    m.count("norm_vectors", 1);
    m.count("norms_per_layer", 2);
    m.count("outer_norms", 1);
    m.count("mlp_matrices", 3);
    m.flag("qkv_bias", false);
    m.flag("out_bias", false);
    m.flag("mlp_bias", false);
    m.flag("head_bias", false);
    no_qk_norm(m);
    dense_mlp(m);
    window_all_layers(c, m);
    attention_shape(c, m, "num_attention_heads");
}

void phimoe(const Config& c, Fields& m) {
    shape(c, m);
    m.count("norm_vectors", 2);
    m.count("norms_per_layer", 2);
    m.count("outer_norms", 1);
    m.count("mlp_matrices", 3);
    bool bias = c.flag_or("attention_bias", false);
    m.flag("qkv_bias", bias);
    m.flag("out_bias", bias);
    m.flag("mlp_bias", false);
    m.flag("head_bias", c.flag_or("lm_head_bias", false));
    no_qk_norm(m);
    routed_experts(c, m, c.count("num_local_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok");
    shared_experts(m, 0, 0, false, false);
    window_all_layers(c, m);
    attention_shape(c, m, "num_attention_heads");
}

}  // namespace

std::vector<Reader> phi_readers() {
    return {{"phi", "PhiConfig", phi}, {"phi3", "Phi3Config", phi3}, {"phimoe", "PhimoeConfig", phimoe}};
}

}  // namespace plan::hf
