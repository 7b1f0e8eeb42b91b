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

// LlamaConfig's keys (the head untied by default) and the attention shape.
void shape(const Config& c, Fields& m) {
    llama_keys(c, m, "intermediate_size");
    attention_shape(c, m, "num_attention_heads");
}

void phi(const Config& c, Fields& m) {
    shape(c, m);
    // input_layernorm (one per parallel block), final_layernorm; fc1, fc2; biases everywhere.
    layout(m, {.norm = Norm::layer, .mlp = Mlp::plain, .norms_per_layer = 1, .qkv_bias = true, .out_bias = true, .mlp_bias = true});
    m.flag("head_bias", true);
    dense_mlp(m);
    no_window(m);
    double qk = c.flag_or("qk_layernorm", false) ? m.number("head_dim") : 0;
    m.count("q_norm_width", qk);
    m.count("k_norm_width", qk);
}

void phi3(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated});
    no_head_bias(m);
    no_qk_norm(m);
    dense_mlp(m);
    window_all_layers(c, m);
}

void phimoe(const Config& c, Fields& m) {
    shape(c, m);
    bool bias = c.flag_or("attention_bias", false);
    layout(m, {.norm = Norm::layer, .mlp = Mlp::gated, .qkv_bias = bias, .out_bias = bias});
    m.flag("head_bias", c.flag_or("lm_head_bias", false));
    no_qk_norm(m);
    routed_experts(c, m, c.count("num_local_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok");
    shared_experts(m, 0, 0, false, false);
    window_all_layers(c, m);
}

}  // namespace

std::vector<Reader> phi_readers() {
    return {{"phi", "PhiConfig", phi}, {"phi3", "Phi3Config", phi3}, {"phimoe", "PhimoeConfig", phimoe}};
}

}  // namespace plan::hf
