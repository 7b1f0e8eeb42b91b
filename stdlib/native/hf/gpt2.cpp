// GPT-2 (transformers' GPT2Config) and GPTBigCode (GPTBigCodeConfig: SantaCoder, StarCoder), which
// keeps its keys: n_layer, n_embd, n_head, n_positions (n_ctx in old GPT-2 files), vocab_size;
// n_inner null means 4·n_embd; pre-LayerNorm blocks with a GELU MLP and a learned position table;
// every linear layer has a bias; the LM head is tied unless tie_word_embeddings is false.
// GPTBigCode's attention is multi-query (one key/value head) unless multi_query is false.
#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

void gpt2_shape(const Config& c, Fields& m, double kv_heads_if_mqa) {
    m.count("layers", c.count("n_layer"));
    double d_model = c.count("n_embd"), heads = c.count("n_head");
    m.count("d_model", d_model);
    m.count("heads", heads);
    m.count("kv_heads", kv_heads_if_mqa > 0 ? kv_heads_if_mqa : heads);
    m.count("d_ff", c.count_or("n_inner", 4 * d_model));
    m.count("vocab", c.count("vocab_size"));
    double positions = c.has("n_positions") ? c.count("n_positions") : c.count("n_ctx");
    m.count("context", positions);
    m.count("learned_positions", positions);  // wpe: n_positions × n_embd
    // ln_1, ln_2 and ln_f; c_attn, c_proj, c_fc and c_proj with biases.
    layout(m, {.norm = Norm::layer, .mlp = Mlp::plain, .qkv_bias = true, .out_bias = true, .mlp_bias = true});
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", true));
    plain_decoder(m);
    attention_shape(c, m, "n_head");
}

void gpt2(const Config& c, Fields& m) { gpt2_shape(c, m, 0); }

// GPTBigCodeAttention: c_attn projects to n_embd + 2·head_dim under multi-query attention.
void gpt_bigcode(const Config& c, Fields& m) { gpt2_shape(c, m, c.flag_or("multi_query", true) ? 1 : 0); }

}  // namespace

std::vector<Reader> gpt2_readers() {
    return {{"gpt2", "GPT2Config", gpt2}, {"gpt_bigcode", "GPTBigCodeConfig", gpt_bigcode}};
}

}  // namespace plan::hf
