// hf_read's readers: one per Hugging Face `model_type`, in one file per family (hf/gpt2.cpp,
// hf/llama.cpp, ...), listed in hf/registry.cpp. A reader turns the keys of a config.json into
// the fields of the model record, by name; the record itself is defined once, in plan
// (`transformer` in stdlib/models.plan), and hf_read fills it by those names.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "interpreter/builtins.hpp"

namespace plan::hf {

// The keys of one config, read with errors that name the key and the file.
class Config {
public:
    Config(const nlohmann::json& j, std::string shown, const CallSite& at, std::string prefix = "")
        : j_(j), shown_(std::move(shown)), at_(at), prefix_(std::move(prefix)) {}

    [[noreturn]] void bad_key(const std::string& key, const std::string& what) const;
    // A key whose value asks for an architecture feature the count does not model: refused, never
    // ignored.
    [[noreturn]] void unmodelled(const std::string& key, const std::string& feature) const;
    // The object under `key` (Gemma 3's text_config), its keys named "key.sub" in errors.
    Config sub(const std::string& key) const;

    bool has(const std::string& key) const { return j_.contains(key) && !j_.at(key).is_null(); }
    bool present(const std::string& key) const { return j_.contains(key); }  // null included
    const nlohmann::json& raw(const std::string& key) const { return j_.at(key); }
    double count(const std::string& key) const;  // a positive whole number
    double count_or(const std::string& key, double fallback) const;
    double count_or_zero(const std::string& key) const;  // a whole number ≥ 0; 0 when absent or null
    bool flag_or(const std::string& key, bool fallback) const;
    std::string text(const std::string& key) const;
    std::string text_or(const std::string& key, const std::string& fallback) const;  // also for "" and non-strings

private:
    double count_value(const std::string& key, const nlohmann::json& v) const;

    std::string named(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

    const nlohmann::json& j_;
    std::string shown_;
    const CallSite& at_;
    std::string prefix_;
};

// The fields a reader sets, by name. hf_read lays them out in the order of the record's type, and
// fails when the record has a field no reader set or a reader set a field the record lacks.
class Fields {
public:
    void count(const std::string& name, double v) { set(name, Value(v)); }
    void flag(const std::string& name, bool v) { set(name, Value(v)); }
    void text(const std::string& name, std::string v) { set(name, Value::string(std::move(v))); }
    double number(const std::string& name) const;  // a count set before
    const std::vector<std::pair<std::string, Value>>& all() const { return fields_; }

private:
    void set(const std::string& name, Value v);
    std::vector<std::pair<std::string, Value>> fields_;
};

struct Reader {
    const char* model_type;    // the config's `model_type`
    const char* config_class;  // the transformers class whose keys and defaults it follows
    void (*read)(const Config& c, Fields& m);
};

// Groups of fields for the architectures that lack them, set together so that no reader forgets
// one: no QK norms, no latent attention, no state-space layers, a dense MLP in every layer (no
// shared experts, no router bias), no output-head bias.
void no_qk_norm(Fields& m);
void no_latent_attention(Fields& m);
void no_ssm(Fields& m);
void no_head_bias(Fields& m);
// All of the above and no sliding window: a decoder of attention and one dense MLP per layer
// (GPT-2, GPTBigCode, Falcon, GPT-NeoX, BLOOM).
void plain_decoder(Fields& m);

// The norms, the MLP and the biases of a layer, set together so that a reader says only what
// differs from the common pre-norm block (a norm before attention and one before the MLP, a final
// norm, no biases). Norm: the vectors one norm holds (LayerNorm's gain and bias, RMSNorm's gain,
// none for OLMo's LayerNorm without parameters). Mlp: its matrices (none in Mamba; c_fc and
// c_proj; gate, up and down).
enum class Norm { parameterless = 0, rms = 1, layer = 2 };
enum class Mlp { none = 0, plain = 2, gated = 3 };
struct Layout {
    Norm norm;
    Mlp mlp;
    double norms_per_layer = 2;
    double outer_norms = 1;
    bool qkv_bias = false;
    bool out_bias = false;
    bool mlp_bias = false;
};
void layout(Fields& m, const Layout& l);

// The shape keys of the configs that follow LlamaConfig's (LLaMA, Mistral, Qwen, OLMo, Phi, the
// Qwen and Granite mixtures, Gemma): num_hidden_layers, hidden_size, num_attention_heads,
// num_key_value_heads (default: the heads), `d_ff_key`, vocab_size, max_position_embeddings and
// tie_word_embeddings; rotary positions (no table), no latent attention, no state-space layers.
// `Defaults` holds the config class's values for keys a config may leave out (0: the key is
// required; for kv_heads, the heads).
struct Defaults {
    double heads = 0, kv_heads = 0, vocab = 0, context = 0;
    bool tied = false;
};
void llama_keys(const Config& c, Fields& m, const std::string& d_ff_key, const Defaults& d = {});
// A mixture of `experts` routed MLPs of width d_ff (set by the reader), top `top_k`, in every
// layer but `dense_layers` (of width dense_d_ff); no shared experts unless set after it by
// shared_experts().
void routed_experts(const Config& c, Fields& m, double experts, double top_k, const std::string& top_k_key,
                    double dense_layers = 0, double dense_d_ff = 0);
void dense_mlp(Fields& m);
void shared_experts(Fields& m, double count, double d_ff, bool gate, bool router_bias);
// Sliding windows: none, or `window` tokens in `layers` of the layers.
void no_window(Fields& m);
void window(Fields& m, double tokens, double layers);
// The window of `sliding_window`: null, 0 or absent is none, unless absent and the config class
// has a default (MistralConfig's 4096, Gemma's 4096).
double sliding_window(const Config& c, double class_default = 0);
// That window on every layer.
void window_all_layers(const Config& c, Fields& m, double class_default = 0);
// Qwen2 and Qwen3 configs carry a sliding_window that only applies with use_sliding_window, and
// then to the layers from max_window_layers on: refused (not modelled); otherwise no window.
void qwen_window(const Config& c, Fields& m);

// Shared by the readers: head_dim (the key if the config has it, else the config class's default
// `default_head_dim` when not 0, else d_model / heads) and the
// checks that the heads divide the width and the key/value heads divide the heads; `heads_key`
// and `kv_key` are the family's names for the numbers of attention and key/value heads.
void attention_shape(const Config& c, Fields& m, const std::string& heads_key,
                     const std::string& kv_key = "num_key_value_heads", double default_head_dim = 0);

// The families, one file each; hf/registry.cpp lists them.
std::vector<Reader> gpt2_readers();      // hf/gpt2.cpp: gpt2, gpt_bigcode
std::vector<Reader> llama_readers();     // hf/llama.cpp: llama, mistral, mixtral, qwen2, qwen3, olmo, olmo2, starcoder2
std::vector<Reader> moe_readers();       // hf/moe.cpp: qwen2_moe, qwen3_moe, granitemoe
std::vector<Reader> gemma_readers();     // hf/gemma.cpp: gemma, gemma2, gemma3, gemma3_text
std::vector<Reader> phi_readers();       // hf/phi.cpp: phi, phi3, phimoe
std::vector<Reader> falcon_readers();    // hf/falcon.cpp: falcon (and the old RefinedWeb types)
std::vector<Reader> neox_readers();      // hf/neox.cpp: gpt_neox, bloom
std::vector<Reader> deepseek_readers();  // hf/deepseek.cpp: deepseek_v2, deepseek_v3
std::vector<Reader> mamba_readers();     // hf/mamba.cpp: mamba

}  // namespace plan::hf
