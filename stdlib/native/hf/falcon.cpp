// Falcon (transformers' FalconConfig; the original checkpoints' model types RefinedWebModel,
// Falcon-7B's code, and RefinedWeb, Falcon-40B's). The keys have two spellings (FalconConfig's
// attribute_map): num_hidden_layers or n_layer, num_attention_heads or n_head, num_kv_heads or
// n_head_kv. One fused query_key_value projection of (heads + 2·kv_heads)·head_dim (the same
// weights as three), a GELU MLP of ffn_hidden_size (4·hidden_size by default), LayerNorm, biases
// only with `bias`, rotary or ALiBi positions (no parameters), the head tied to the embedding.
//   new_decoder_architecture (Falcon-40B, 180B; RefinedWeb): kv_heads = num_kv_heads, two norms
//     per layer (ln_attn, ln_mlp), one when num_ln_in_parallel_attn is 1;
//   otherwise (Falcon-7B, RefinedWebModel): multi_query gives one key/value head, else as many as
//     heads; parallel_attn reads one norm (input_layernorm), a sequential block two.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

double either(const Config& c, const std::string& key, const std::string& old_key) {
    return c.has(key) ? c.count(key) : c.count(old_key);
}

void read_falcon(const Config& c, Fields& m, bool new_architecture) {
    m.count("layers", either(c, "num_hidden_layers", "n_layer"));
    double d_model = c.count("hidden_size");
    m.count("d_model", d_model);
    std::string heads_key = c.has("num_attention_heads") ? "num_attention_heads" : "n_head";
    double heads = c.count(heads_key);
    m.count("heads", heads);
    std::string kv_key = c.has("num_kv_heads") ? "num_kv_heads" : "n_head_kv";
    double norms = 0, kv_heads = 0;
    if (new_architecture) {
        kv_heads = c.has(kv_key) ? c.count(kv_key) : heads;
        norms = c.count_or("num_ln_in_parallel_attn", 2) == 1 ? 1 : 2;
    } else {
        kv_heads = c.flag_or("multi_query", true) ? 1 : heads;
        norms = c.flag_or("parallel_attn", true) ? 1 : 2;
    }
    m.count("kv_heads", kv_heads);
    m.count("d_ff", c.count_or("ffn_hidden_size", 4 * d_model));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count_or("max_position_embeddings", 2048));
    m.count("learned_positions", 0);
    // LayerNorms, ln_f; dense_h_to_4h, dense_4h_to_h.
    bool bias = c.flag_or("bias", false);
    layout(m, {.norm = Norm::layer, .mlp = Mlp::plain, .norms_per_layer = norms, .qkv_bias = bias, .out_bias = bias, .mlp_bias = bias});
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", true));
    plain_decoder(m);
    attention_shape(c, m, heads_key, kv_key);
}

void falcon(const Config& c, Fields& m) { read_falcon(c, m, c.flag_or("new_decoder_architecture", false)); }
// Falcon-40B's original code always used the new decoder (ln_attn, ln_mlp, n_head_kv).
void refined_web(const Config& c, Fields& m) { read_falcon(c, m, true); }
// Falcon-7B's original code: multi-query, parallel attention.
void refined_web_model(const Config& c, Fields& m) { read_falcon(c, m, false); }

}  // namespace

std::vector<Reader> falcon_readers() {
    return {
        {"falcon", "FalconConfig", falcon},
        {"RefinedWeb", "FalconConfig (Falcon-40B's original keys)", refined_web},
        {"RefinedWebModel", "FalconConfig (Falcon-7B's original keys)", refined_web_model},
    };
}

}  // namespace plan::hf
