// DeepSeek-V2 and V3 (transformers' DeepseekV2Config, DeepseekV3Config; DeepSeek-AI 2024,
// "DeepSeek-V2", sec. 2.1-2.2; "DeepSeek-V3", sec. 2.1): multi-head latent attention and
// DeepSeekMoE.
//   attention: queries through a latent of q_lora_rank with its RMSNorm (a full q_proj when it is
//     null: V2-Lite), keys and values through a latent of kv_lora_rank with its RMSNorm plus a
//     rotary key of qk_rope_head_dim shared by the heads; a query/key head is qk_nope_head_dim +
//     qk_rope_head_dim, a value head v_head_dim;
//   MLP: the first first_k_dense_replace layers (and those off moe_layer_freq) have a dense MLP
//     of intermediate_size; the others n_routed_experts experts of moe_intermediate_size, top
//     num_experts_per_tok, and n_shared_experts shared ones of the same width; a router without
//     bias (V3's router adds e_score_correction_bias, one per expert);
//   RMSNorm, no biases (attention_bias must be false), an untied head.
// V3's multi-token prediction module (num_nextn_predict_layers) is not part of the model
// transformers builds (its weights are skipped on loading) and is not counted.
#include <cmath>

#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

void read_deepseek(const Config& c, Fields& m, bool router_bias) {
    double layers = c.count("num_hidden_layers");
    m.count("layers", layers);
    m.count("d_model", c.count("hidden_size"));
    double heads = c.count("num_attention_heads");
    m.count("heads", heads);
    m.count("kv_heads", heads);  // every head gets its keys and values from the latent
    double rope = c.count("qk_rope_head_dim"), nope = c.count("qk_nope_head_dim");
    m.count("head_dim", nope + rope);
    m.count("q_lora_rank", c.count_or_zero("q_lora_rank"));
    m.count("kv_lora_rank", c.count("kv_lora_rank"));
    m.count("rope_head_dim", rope);
    m.count("v_head_dim", c.count("v_head_dim"));
    m.count("vocab", c.count("vocab_size"));
    m.count("context", c.count("max_position_embeddings"));
    m.count("learned_positions", 0);
    if (c.flag_or("attention_bias", false)) c.unmodelled("attention_bias", "a bias on the latent attention's projections");
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated});
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", false));
    no_head_bias(m);
    no_qk_norm(m);
    no_ssm(m);
    no_window(m);
    // DeepseekV2DecoderLayer / DeepseekV3DecoderLayer: layer i has experts when
    // i >= first_k_dense_replace and i % moe_layer_freq == 0.
    double first_dense = c.count_or_zero("first_k_dense_replace"), freq = c.count_or("moe_layer_freq", 1);
    double sparse = 0;
    for (double i = first_dense; i < layers; ++i)
        if (std::fmod(i, freq) == 0) ++sparse;
    double dense = layers - sparse;
    m.count("d_ff", c.count("moe_intermediate_size"));
    routed_experts(c, m, c.count("n_routed_experts"), c.count("num_experts_per_tok"), "num_experts_per_tok", dense,
                   dense > 0 ? c.count("intermediate_size") : 0);
    shared_experts(m, c.count_or_zero("n_shared_experts"), c.count("moe_intermediate_size"), false, router_bias);
}

void deepseek_v2(const Config& c, Fields& m) { read_deepseek(c, m, false); }
void deepseek_v3(const Config& c, Fields& m) { read_deepseek(c, m, true); }

}  // namespace

std::vector<Reader> deepseek_readers() {
    return {{"deepseek_v2", "DeepseekV2Config", deepseek_v2}, {"deepseek_v3", "DeepseekV3Config", deepseek_v3}};
}

}  // namespace plan::hf
