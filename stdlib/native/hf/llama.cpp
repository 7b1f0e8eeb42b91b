// LLaMA and the decoders that share its keys (transformers' LlamaConfig, MistralConfig,
// MixtralConfig, Qwen2Config, Qwen3Config, OlmoConfig, Olmo2Config, Starcoder2Config): rotary
// positions, grouped-query attention (num_key_value_heads defaults to num_attention_heads),
// head_dim defaulting to hidden_size / num_attention_heads, an untied head by default. They differ
// in norms, biases, QK norms, experts and sliding windows.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

// The keys every member of the family reads.
void shape(const Config& c, Fields& m, bool tied_by_default = false) {
    m.count("layers", c.count("num_hidden_layers"));
    m.count("d_model", c.count("hidden_size"));
    double heads = c.count("num_attention_heads");
    m.count("heads", heads);
    m.count("kv_heads", c.count_or("num_key_value_heads", heads));
    m.count("d_ff", c.count("intermediate_size"));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count("max_position_embeddings"));
    m.count("learned_positions", 0);  // rotary
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", tied_by_default));
    no_latent_attention(m);
    no_ssm(m);
    no_head_bias(m);
}

// RMSNorm (weight only) before attention and before the MLP, and a final one; SwiGLU.
void rms_swiglu(Fields& m) {
    m.count("norm_vectors", 1);
    m.count("norms_per_layer", 2);  // input_layernorm, post_attention_layernorm
    m.count("outer_norms", 1);  // norm
    m.count("mlp_matrices", 3);  // gate_proj, up_proj, down_proj
}

void biases(Fields& m, bool qkv, bool out, bool mlp) {
    m.flag("qkv_bias", qkv);
    m.flag("out_bias", out);
    m.flag("mlp_bias", mlp);
}

// `attention_bias`: the q, k, v and o projections together (LlamaConfig, Qwen3Config, OlmoConfig).
void attention_bias(const Config& c, Fields& m, bool mlp) {
    bool b = c.flag_or("attention_bias", false);
    biases(m, b, b, mlp);
}

// A sliding window on every layer, from `sliding_window` (null or absent: none, unless the config
// class has a default).
void window_all_layers(const Config& c, Fields& m, double class_default = 0) {
    double tokens = c.present("sliding_window") ? c.count_or_zero("sliding_window") : class_default;
    window(m, tokens, m.number("layers"));
}

// Qwen2 and Qwen3 configs carry a sliding_window that only applies with use_sliding_window, and
// then to some layers only (max_window_layers): not modelled.
void qwen_window(const Config& c, Fields& m) {
    if (c.flag_or("use_sliding_window", false))
        c.unmodelled("use_sliding_window", "a sliding window on the layers from max_window_layers on");
    no_window(m);
}

void llama(const Config& c, Fields& m) {
    shape(c, m);
    rms_swiglu(m);
    attention_bias(c, m, c.flag_or("mlp_bias", false));
    no_qk_norm(m);
    dense_mlp(m);
    no_window(m);
    attention_shape(c, m, "num_attention_heads");
}

// MistralConfig's sliding_window defaults to 4096 (Mistral-7B-v0.1's rolling buffer); v0.3 sets it
// to null.
void mistral(const Config& c, Fields& m) {
    shape(c, m);
    rms_swiglu(m);
    biases(m, false, false, false);
    no_qk_norm(m);
    dense_mlp(m);
    window_all_layers(c, m, 4096);
    attention_shape(c, m, "num_attention_heads");
}

void mixtral(const Config& c, Fields& m) {
    shape(c, m);
    rms_swiglu(m);
    biases(m, false, false, false);
    no_qk_norm(m);
    routed_experts(c, m, c.count("num_local_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok");
    shared_experts(m, 0, 0, false, false);
    window_all_layers(c, m);
    attention_shape(c, m, "num_attention_heads");
}

// Qwen2Attention: q_proj, k_proj, v_proj with bias; o_proj without.
void qwen2(const Config& c, Fields& m) {
    shape(c, m);
    rms_swiglu(m);
    biases(m, true, false, false);
    no_qk_norm(m);
    dense_mlp(m);
    qwen_window(c, m);
    attention_shape(c, m, "num_attention_heads");
}

// Qwen3Attention: biases with attention_bias, an RMSNorm of head_dim on the queries and on the keys
// (q_norm, k_norm); Qwen3Config's head_dim defaults to 128.
void qwen3(const Config& c, Fields& m) {
    shape(c, m);
    rms_swiglu(m);
    attention_bias(c, m, false);
    dense_mlp(m);
    qwen_window(c, m);
    attention_shape(c, m, "num_attention_heads", "num_key_value_heads", 128);
    double head_dim = m.number("head_dim");
    m.count("q_norm_width", head_dim);
    m.count("k_norm_width", head_dim);
}

// OLMo (OlmoLayerNorm: a LayerNorm without weight or bias, so the norms hold nothing), SwiGLU.
void olmo(const Config& c, Fields& m) {
    shape(c, m);
    m.count("norm_vectors", 0);
    m.count("norms_per_layer", 2);
    m.count("outer_norms", 1);
    m.count("mlp_matrices", 3);
    attention_bias(c, m, false);
    no_qk_norm(m);
    dense_mlp(m);
    no_window(m);
    attention_shape(c, m, "num_attention_heads");
}

// OLMo 2: RMSNorm after attention and after the MLP (post_attention_layernorm,
// post_feedforward_layernorm; none before), and RMSNorms over all the query heads and all the key
// heads (q_norm of heads·head_dim, k_norm of kv_heads·head_dim).
void olmo2(const Config& c, Fields& m) {
    shape(c, m);
    m.count("norm_vectors", 1);
    m.count("norms_per_layer", 2);
    m.count("outer_norms", 1);
    m.count("mlp_matrices", 3);
    attention_bias(c, m, false);
    dense_mlp(m);
    no_window(m);
    attention_shape(c, m, "num_attention_heads");
    double head_dim = m.number("head_dim");
    m.count("q_norm_width", m.number("heads") * head_dim);
    m.count("k_norm_width", m.number("kv_heads") * head_dim);
}

// StarCoder2: LayerNorm with bias, a GELU MLP (c_fc, c_proj), biases on every linear layer with
// use_bias (the default), the embedding tied (PretrainedConfig's default), an optional window.
void starcoder2(const Config& c, Fields& m) {
    shape(c, m, true);
    m.count("norm_vectors", 2);
    m.count("norms_per_layer", 2);
    m.count("outer_norms", 1);
    m.count("mlp_matrices", 2);
    bool b = c.flag_or("use_bias", true);
    biases(m, b, b, b);
    no_qk_norm(m);
    dense_mlp(m);
    window_all_layers(c, m);
    attention_shape(c, m, "num_attention_heads");
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
