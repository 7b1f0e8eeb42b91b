// GPT-2 (transformers' GPT2Config): n_layer, n_embd, n_head, n_positions (n_ctx in old files),
// vocab_size; n_inner null means 4·n_embd; every linear layer has a bias; the LM head is tied
// unless tie_word_embeddings is false.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

void gpt2(const Config& c, Fields& m) {
    m.count("layers", c.count("n_layer"));
    double d_model = c.count("n_embd"), heads = c.count("n_head");
    m.count("d_model", d_model);
    m.count("heads", heads);
    m.count("kv_heads", heads);
    m.count("d_ff", c.count_or("n_inner", 4 * d_model));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.has("n_positions") ? c.count("n_positions") : c.count("n_ctx"));
    m.count("experts", 1);
    m.count("experts_per_token", 1);
    m.text("norm", "layernorm");
    m.text("mlp", "gelu");
    m.flag("qkv_bias", true);
    m.flag("out_bias", true);
    m.flag("mlp_bias", true);
    m.text("positions", "learned");
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", true));
    attention_shape(c, m, "n_head");
}

}  // namespace

std::vector<Reader> gpt2_readers() { return {{"gpt2", "GPT2Config", gpt2}}; }

}  // namespace plan::hf
