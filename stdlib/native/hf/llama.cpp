// LLaMA and the decoders that share its shape (transformers' LlamaConfig, MistralConfig,
// MixtralConfig, Qwen2Config): RMSNorm, SwiGLU, rotary positions, grouped-query attention
// (num_key_value_heads defaults to num_attention_heads), head_dim defaulting to hidden_size /
// num_attention_heads, an untied head by default. They differ in biases and experts.
#include <fmt/format.h>

#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

// The keys every member of the family reads, with the shape they share.
void shared(const Config& c, Fields& m) {
    m.count("layers", c.count("num_hidden_layers"));
    m.count("d_model", c.count("hidden_size"));
    double heads = c.count("num_attention_heads");
    m.count("heads", heads);
    m.count("kv_heads", c.count_or("num_key_value_heads", heads));
    m.count("d_ff", c.count("intermediate_size"));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count("max_position_embeddings"));
    m.count("norm_vectors", 1);  // RMSNorm: weight only
    m.count("norms_per_layer", 2);  // input_layernorm, post_attention_layernorm
    m.count("outer_norms", 1);  // norm
    m.count("mlp_matrices", 3);  // gate_proj, up_proj, down_proj
    m.count("learned_positions", 0);  // rotary
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", false));
}

void biases(Fields& m, bool qkv, bool out, bool mlp) {
    m.flag("qkv_bias", qkv);
    m.flag("out_bias", out);
    m.flag("mlp_bias", mlp);
}

void dense(Fields& m) {
    m.count("experts", 1);
    m.count("experts_per_token", 1);
}

// LlamaConfig.attention_bias: the q, k, v and o projections together; mlp_bias: the MLP.
void llama(const Config& c, Fields& m) {
    shared(c, m);
    bool attention_bias = c.flag_or("attention_bias", false);
    biases(m, attention_bias, attention_bias, c.flag_or("mlp_bias", false));
    dense(m);
    attention_shape(c, m, "num_attention_heads");
}

void mistral(const Config& c, Fields& m) {
    shared(c, m);
    biases(m, false, false, false);
    dense(m);
    attention_shape(c, m, "num_attention_heads");
}

void mixtral(const Config& c, Fields& m) {
    shared(c, m);
    biases(m, false, false, false);
    double experts = c.count("num_local_experts"), top_k = c.count("num_experts_per_tok");
    m.count("experts", experts);
    m.count("experts_per_token", top_k);
    attention_shape(c, m, "num_attention_heads");
    if (top_k > experts) c.bad_key("num_experts_per_tok", fmt::format("is {}, more than the {} experts", top_k, experts));
}

// Qwen2Attention: q_proj, k_proj, v_proj with bias; o_proj without.
void qwen2(const Config& c, Fields& m) {
    shared(c, m);
    biases(m, true, false, false);
    dense(m);
    attention_shape(c, m, "num_attention_heads");
}

}  // namespace

std::vector<Reader> llama_readers() {
    return {
        {"llama", "LlamaConfig", llama},
        {"mistral", "MistralConfig", mistral},
        {"mixtral", "MixtralConfig", mixtral},
        {"qwen2", "Qwen2Config", qwen2},
    };
}

}  // namespace plan::hf
