// LLaMA and the decoders that share its keys (transformers' LlamaConfig, MistralConfig,
// MixtralConfig, Qwen2Config, Qwen3Config, OlmoConfig, Olmo2Config, Starcoder2Config): rotary
// positions, grouped-query attention (num_key_value_heads defaults to num_attention_heads),
// head_dim defaulting to hidden_size / num_attention_heads, an untied head by default. They differ
// in norms, biases, QK norms, experts and sliding windows.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

// A norm before attention (input_layernorm) and one before the MLP (post_attention_layernorm), a
// final one (norm), SwiGLU (gate_proj, up_proj, down_proj), and `attention_bias` on the q, k, v
// and o projections together (LlamaConfig, Qwen3Config, OlmoConfig).
Layout swiglu(const Config& c, Norm norm = Norm::rms, bool mlp_bias = false) {
    bool b = c.flag_or("attention_bias", false);
    return {.norm = norm, .mlp = Mlp::gated, .qkv_bias = b, .out_bias = b, .mlp_bias = mlp_bias};
}

// The keys every member of the family reads, and the attention shape; no head bias.
void shape(const Config& c, Fields& m, bool tied_by_default = false, double default_head_dim = 0) {
    llama_keys(c, m, "intermediate_size", {.tied = tied_by_default});
    no_head_bias(m);
    attention_shape(c, m, "num_attention_heads", "num_key_value_heads", default_head_dim);
}

void llama(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, swiglu(c, Norm::rms, c.flag_or("mlp_bias", false)));
    no_qk_norm(m);
    dense_mlp(m);
    no_window(m);
}

// MistralConfig's sliding_window defaults to 4096 (Mistral-7B-v0.1's rolling buffer); v0.3 sets it
// to null. No biases.
void mistral(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated});
    no_qk_norm(m);
    dense_mlp(m);
    window_all_layers(c, m, 4096);
}

void mixtral(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated});
    no_qk_norm(m);
    routed_experts(c, m, c.count("num_local_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok");
    shared_experts(m, 0, 0, false, false);
    window_all_layers(c, m);
}

// Qwen2Attention: q_proj, k_proj, v_proj with bias; o_proj without.
void qwen2(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated, .qkv_bias = true});
    no_qk_norm(m);
    dense_mlp(m);
    qwen_window(c, m);
}

// Qwen3Attention: biases with attention_bias, an RMSNorm of head_dim on the queries and on the keys
// (q_norm, k_norm); Qwen3Config's head_dim defaults to 128.
void qwen3(const Config& c, Fields& m) {
    shape(c, m, false, 128);
    layout(m, swiglu(c));
    dense_mlp(m);
    qwen_window(c, m);
    double head_dim = m.number("head_dim");
    m.count("q_norm_width", head_dim);
    m.count("k_norm_width", head_dim);
}

// OLMo (OlmoLayerNorm: a LayerNorm without weight or bias, so the norms hold nothing), SwiGLU.
void olmo(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, swiglu(c, Norm::parameterless));
    no_qk_norm(m);
    dense_mlp(m);
    no_window(m);
}

// OLMo 2: RMSNorm after attention and after the MLP (post_attention_layernorm,
// post_feedforward_layernorm; none before), and RMSNorms over all the query heads and all the key
// heads (q_norm of heads·head_dim, k_norm of kv_heads·head_dim).
void olmo2(const Config& c, Fields& m) {
    shape(c, m);
    layout(m, swiglu(c));
    dense_mlp(m);
    no_window(m);
    double head_dim = m.number("head_dim");
    m.count("q_norm_width", m.number("heads") * head_dim);
    m.count("k_norm_width", m.number("kv_heads") * head_dim);
}

// StarCoder2: LayerNorm with bias, a GELU MLP (c_fc, c_proj), biases on every linear layer with
// use_bias (the default), the embedding tied (PretrainedConfig's default), an optional window.
void starcoder2(const Config& c, Fields& m) {
    shape(c, m, true);
    bool b = c.flag_or("use_bias", true);
    layout(m, {.norm = Norm::layer, .mlp = Mlp::plain, .qkv_bias = b, .out_bias = b, .mlp_bias = b});
    no_qk_norm(m);
    dense_mlp(m);
    window_all_layers(c, m);
}

}  // namespace

std::vector<Reader> llama_readers() {
    return {
        {"llama", "LlamaConfig", llama},       {"mistral", "MistralConfig", mistral},
        {"mixtral", "MixtralConfig", mixtral}, {"qwen2", "Qwen2Config", qwen2},
        {"qwen3", "Qwen3Config", qwen3},       {"olmo", "OlmoConfig", olmo},
        {"olmo2", "Olmo2Config", olmo2},       {"starcoder2", "Starcoder2Config", starcoder2},
    };
}

}  // namespace plan::hf
