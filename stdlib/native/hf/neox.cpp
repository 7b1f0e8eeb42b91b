// GPT-NeoX (transformers' GPTNeoXConfig: Pythia, GPT-NeoX-20B) and BLOOM (BloomConfig): fused
// query_key_value projections with biases (the same weights as three), dense output projections
// with biases, a GELU MLP with biases, LayerNorm, positions without parameters (partial rotary;
// ALiBi).
//   gpt_neox: two norms per layer whether the residual is parallel or not (input_layernorm,
//     post_attention_layernorm), final_layer_norm, an untied head (embed_out) by default,
//     attention biases with attention_bias (the default).
//   bloom: a LayerNorm after the word embedding (word_embeddings_layernorm) besides ln_f, an MLP
//     of 4·hidden_size, the head tied; BLOOM's original keys n_embed, n_layer and n_head.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

// Two LayerNorms per layer, `outer_norms` outside them; dense_h_to_4h, dense_4h_to_h with biases;
// `attention_bias` on query_key_value and dense.
void common(Fields& m, bool tied, double outer_norms, bool attention_bias) {
    m.count("learned_positions", 0);
    layout(m, {.norm = Norm::layer, .mlp = Mlp::plain, .outer_norms = outer_norms, .qkv_bias = attention_bias,
               .out_bias = attention_bias, .mlp_bias = true});
    m.flag("tied_embeddings", tied);
    plain_decoder(m);
}

void gpt_neox(const Config& c, Fields& m) {
    m.count("layers", c.count("num_hidden_layers"));
    m.count("d_model", c.count("hidden_size"));
    double heads = c.count("num_attention_heads");
    m.count("heads", heads);
    m.count("kv_heads", heads);
    m.count("d_ff", c.count("intermediate_size"));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count("max_position_embeddings"));
    bool bias = c.flag_or("attention_bias", true);
    common(m, c.flag_or("tie_word_embeddings", false), 1, bias);
    attention_shape(c, m, "num_attention_heads");
}

// BloomConfig: hidden_size from n_embed when the config has it; num_hidden_layers and
// num_attention_heads from n_layer and n_head (its attribute_map). ALiBi has no maximum length:
// the context is seq_length when the config records it, else BLOOM's training length, 2048
// (BigScience 2022, "BLOOM", sec. 3.5).
void bloom(const Config& c, Fields& m) {
    m.count("layers", c.has("n_layer") ? c.count("n_layer") : c.count("num_hidden_layers"));
    double d_model = c.has("n_embed") ? c.count("n_embed") : c.count("hidden_size");
    m.count("d_model", d_model);
    std::string heads_key = c.has("n_head") ? "n_head" : "num_attention_heads";
    double heads = c.count(heads_key);
    m.count("heads", heads);
    m.count("kv_heads", heads);
    m.count("d_ff", 4 * d_model);
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count_or("seq_length", 2048));
    common(m, c.flag_or("tie_word_embeddings", true), 2, true);
    attention_shape(c, m, heads_key);
}

}  // namespace

std::vector<Reader> neox_readers() {
    return {{"gpt_neox", "GPTNeoXConfig", gpt_neox}, {"bloom", "BloomConfig", bloom}};
}

}  // namespace plan::hf
