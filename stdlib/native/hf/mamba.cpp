// Mamba (transformers' MambaConfig; Gu and Dao 2023): every layer is a selective state-space mixer
// with an RMSNorm before it, no attention and no MLP. intermediate_size = expand·hidden_size (the
// config records both), time_step_rank "auto" = ceil(hidden_size / 16), conv_kernel, state_size;
// the convolution has a bias (use_conv_bias), the in and out projections none (use_bias would add
// them: not modelled); the head is tied to the embedding. A Mamba has no maximum context: the
// record's context is 0.
#include <cmath>

#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

void mamba(const Config& c, Fields& m) {
    double d_model = c.count("hidden_size");
    m.count("layers", c.count("num_hidden_layers"));
    m.count("d_model", d_model);
    for (const char* none : {"heads", "kv_heads", "head_dim", "d_ff", "context", "learned_positions"})
        m.count(none, 0);
    m.count("vocab", c.count("vocab_size"));
    layout(m, {.norm = Norm::rms, .mlp = Mlp::none, .norms_per_layer = 1});  // norm before each mixer, norm_f
    m.flag("tied_embeddings", c.flag_or("tie_word_embeddings", true));
    no_head_bias(m);
    no_qk_norm(m);
    no_latent_attention(m);
    dense_mlp(m);
    no_window(m);
    if (c.flag_or("use_bias", false)) c.unmodelled("use_bias", "a bias on the mixer's in_proj and out_proj");
    if (!c.flag_or("use_conv_bias", true)) c.unmodelled("use_conv_bias", "a convolution without bias");
    m.count("ssm_state", c.count("state_size"));
    m.count("ssm_inner", c.count_or("intermediate_size", c.count_or("expand", 2) * d_model));
    m.count("ssm_conv", c.count_or("conv_kernel", 4));
    double rank = std::ceil(d_model / 16);
    if (c.has("time_step_rank") && !c.raw("time_step_rank").is_string()) rank = c.count("time_step_rank");
    m.count("ssm_dt_rank", rank);
}

}  // namespace

std::vector<Reader> mamba_readers() { return {{"mamba", "MambaConfig", mamba}}; }

}  // namespace plan::hf
