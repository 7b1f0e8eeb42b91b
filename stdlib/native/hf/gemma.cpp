// Gemma, Gemma 2 and Gemma 3 (transformers' GemmaConfig, Gemma2Config, Gemma3TextConfig): RMSNorm
// (a weight of d_model, applied as 1 + weight), GeGLU MLPs (gate, up, down), rotary positions,
// head_dim given apart from hidden_size / heads (256 by default), the output head tied to the
// embedding. Gemma 2 and 3 add norms after attention and after the MLP (four per layer) and
// alternate local sliding-window layers with global ones; Gemma 3 adds RMSNorms of head_dim on
// the queries and keys. A `gemma3` config (Gemma3ForConditionalGeneration) is read for its
// text_config: the language model, not the vision tower or its projector.
#include <cmath>

#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

namespace {

// The keys of every Gemma, with the config class's defaults for keys a config may leave out
// (Gemma 3's text_config often does); no biases but attention_bias on q, k, v and o; the head tied.
void shape(const Config& c, Fields& m, double norms_per_layer, const Defaults& d) {
    llama_keys(c, m, "intermediate_size", d);
    bool bias = c.flag_or("attention_bias", false);
    layout(m, {.norm = Norm::rms, .mlp = Mlp::gated, .norms_per_layer = norms_per_layer, .qkv_bias = bias, .out_bias = bias});
    no_head_bias(m);
    dense_mlp(m);
    attention_shape(c, m, "num_attention_heads", "num_key_value_heads", 256);
}

// The layers with a sliding window: from `layer_types` when the config lists them, else every
// layer but each `pattern`-th (Gemma 2: layers 0, 2, 4, ... are local; Gemma 3: five local, then
// one global).
double sliding_layers(const Config& c, double layers, double pattern) {
    if (c.has("layer_types")) {
        const nlohmann::json& types = c.raw("layer_types");
        if (!types.is_array() || types.size() != layers)
            c.bad_key("layer_types", "must list the attention type of each of the " + std::to_string(int(layers)) + " layers");
        double sliding = 0;
        for (const auto& t : types) {
            if (t == "sliding_attention") ++sliding;
            else if (t != "full_attention") c.bad_key("layer_types", "has " + files::excerpt(t.dump()) + ", not \"sliding_attention\" or \"full_attention\"");
        }
        return sliding;
    }
    return layers - std::floor(layers / pattern);
}

void windows(const Config& c, Fields& m, double pattern) {
    window(m, sliding_window(c, 4096), sliding_layers(c, m.number("layers"), pattern));
}

const Defaults gemma_defaults{.heads = 16, .kv_heads = 16, .vocab = 256000, .context = 8192, .tied = true};
// Gemma3TextConfig (transformers 4.50).
const Defaults gemma3_defaults{.heads = 8, .kv_heads = 4, .vocab = 262208, .context = 131072, .tied = true};

void gemma(const Config& c, Fields& m) {
    shape(c, m, 2, gemma_defaults);  // input_layernorm, post_attention_layernorm
    no_qk_norm(m);
    no_window(m);
}

void gemma2(const Config& c, Fields& m) {
    // input_layernorm, post_attention_layernorm, pre_feedforward_layernorm, post_feedforward_layernorm
    shape(c, m, 4, gemma_defaults);
    no_qk_norm(m);
    windows(c, m, 2);
}

void gemma3_text(const Config& c, Fields& m) {
    shape(c, m, 4, gemma3_defaults);
    double head_dim = m.number("head_dim");
    m.count("q_norm_width", head_dim);  // q_norm, k_norm: Gemma3RMSNorm(head_dim)
    m.count("k_norm_width", head_dim);
    windows(c, m, c.count_or("sliding_window_pattern", 6));
}

void gemma3(const Config& c, Fields& m) { gemma3_text(c.sub("text_config"), m); }

}  // namespace

std::vector<Reader> gemma_readers() {
    return {
        {"gemma", "GemmaConfig", gemma},
        {"gemma2", "Gemma2Config", gemma2},
        {"gemma3", "Gemma3Config (its text_config)", gemma3},
        {"gemma3_text", "Gemma3TextConfig", gemma3_text},
    };
}

}  // namespace plan::hf
