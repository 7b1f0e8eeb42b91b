// hf_model(path): a Hugging Face `config.json` as the canonical model record of stdlib/models.plan.
//
// The record built here must have exactly the fields of `transformer` in stdlib/models.plan (same
// names, same order, same types), so that `[hf_model("..."), llama2_7b]` is a list of one type.
// The keys read per `model_type` follow the configuration classes of Hugging Face transformers
// (GPT2Config, LlamaConfig, MistralConfig, MixtralConfig, Qwen2Config) and their defaults.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stdlib/native/natives.hpp"

namespace plan {

namespace {

using json = nlohmann::json;

// The canonical record: name, family, then the numbers, the choices and the flags.
enum class Field { Count, Text, Flag };
struct FieldSpec {
    const char* name;
    Field kind;
};
constexpr FieldSpec kFields[] = {
    {"name", Field::Text},           {"family", Field::Text},
    {"layers", Field::Count},        {"d_model", Field::Count},
    {"heads", Field::Count},         {"kv_heads", Field::Count},
    {"head_dim", Field::Count},      {"d_ff", Field::Count},
    {"vocab", Field::Count},         {"context", Field::Count},
    {"experts", Field::Count},       {"experts_per_token", Field::Count},
    {"norm", Field::Text},           {"mlp", Field::Text},
    {"qkv_bias", Field::Flag},       {"out_bias", Field::Flag},
    {"mlp_bias", Field::Flag},       {"positions", Field::Text},
    {"tied_embeddings", Field::Flag},
};

Type model_type() {
    static const Type t = [] {
        auto r = std::make_shared<RecordType>();
        r->keyword = "model";
        for (const FieldSpec& f : kFields) {
            r->names.emplace_back(f.name);
            r->types.push_back(f.kind == Field::Count  ? Type::number(Dim{})
                               : f.kind == Field::Text ? Type::string()
                                                       : Type::boolean());
        }
        Type t = Type::simple(Type::Kind::Record);
        t.record = std::move(r);
        return t;
    }();
    return t;
}

// The values of one model, by field name, before they are laid out in record order.
struct Model {
    std::string name, family;
    double layers = 0, d_model = 0, heads = 0, kv_heads = 0, head_dim = 0, d_ff = 0, vocab = 0, context = 0;
    double experts = 1, experts_per_token = 1;
    std::string norm, mlp, positions;
    bool qkv_bias = false, out_bias = false, mlp_bias = false, tied = false;
};

Value to_record(const Model& m) {
    std::vector<Value> v;
    v.push_back(Value::string(m.name));
    v.push_back(Value::string(m.family));
    for (double x : {m.layers, m.d_model, m.heads, m.kv_heads, m.head_dim, m.d_ff, m.vocab, m.context, m.experts,
                     m.experts_per_token})
        v.emplace_back(x);
    v.push_back(Value::string(m.norm));
    v.push_back(Value::string(m.mlp));
    v.emplace_back(m.qkv_bias);
    v.emplace_back(m.out_bias);
    v.emplace_back(m.mlp_bias);
    v.push_back(Value::string(m.positions));
    v.emplace_back(m.tied);
    return make_record(std::move(v));
}

// Reads the keys of one config, reporting a missing or malformed key with the file's name.
class Config {
public:
    Config(const json& j, std::string shown, const CallSite& at) : j_(j), shown_(std::move(shown)), at_(at) {}

    [[noreturn]] void bad_key(const std::string& key, const std::string& what) const {
        builtin_fail(Code::BadConfigKey, fmt::format("key `{}` of {} {}", key, shown_, what), at_, "this config",
                     "hf_model reads the Hugging Face config.json of a gpt2, llama, mistral, mixtral or qwen2 model");
    }

    bool has(const std::string& key) const { return j_.contains(key) && !j_.at(key).is_null(); }

    // A positive whole number (a count).
    double count(const std::string& key) const {
        if (!j_.contains(key)) bad_key(key, "is missing");
        return count_value(key, j_.at(key));
    }
    double count_or(const std::string& key, double fallback) const {
        return has(key) ? count_value(key, j_.at(key)) : fallback;
    }
    bool flag_or(const std::string& key, bool fallback) const {
        if (!has(key)) return fallback;
        const json& v = j_.at(key);
        if (!v.is_boolean()) bad_key(key, fmt::format("must be true or false, not {}", v.dump()));
        return v.get<bool>();
    }
    std::string text(const std::string& key) const {
        if (!j_.contains(key)) bad_key(key, "is missing");
        const json& v = j_.at(key);
        if (!v.is_string()) bad_key(key, fmt::format("must be a string, not {}", v.dump()));
        return v.get<std::string>();
    }
    std::string text_or(const std::string& key, const std::string& fallback) const {
        if (!has(key) || !j_.at(key).is_string() || j_.at(key).get<std::string>().empty()) return fallback;
        return j_.at(key).get<std::string>();
    }

private:
    double count_value(const std::string& key, const json& v) const {
        double x = 0;
        if (v.is_number_integer() || v.is_number_unsigned())
            x = v.get<double>();
        else if (v.is_number_float() && v.get<double>() == std::floor(v.get<double>()))
            x = v.get<double>();
        else
            bad_key(key, fmt::format("must be a positive whole number, not {}", v.dump()));
        if (x < 1) bad_key(key, fmt::format("must be a positive whole number, not {}", v.dump()));
        return x;
    }

    const json& j_;
    std::string shown_;
    const CallSite& at_;
};

// GPT2Config: n_layer, n_embd, n_head, n_positions (n_ctx in old files), vocab_size; n_inner null
// means 4·n_embd; every linear layer has a bias; the LM head is tied unless tie_word_embeddings is
// false.
Model gpt2(const Config& c) {
    Model m;
    m.family = "gpt2";
    m.layers = c.count("n_layer");
    m.d_model = c.count("n_embd");
    m.heads = c.count("n_head");
    m.kv_heads = m.heads;
    m.d_ff = c.count_or("n_inner", 4 * m.d_model);
    m.vocab = c.count("vocab_size");
    m.context = c.has("n_positions") ? c.count("n_positions") : c.count("n_ctx");
    m.norm = "layernorm";
    m.mlp = "gelu";
    m.qkv_bias = m.out_bias = m.mlp_bias = true;
    m.positions = "learned";
    m.tied = c.flag_or("tie_word_embeddings", true);
    return m;
}

// LlamaConfig and its relatives (MistralConfig, MixtralConfig, Qwen2Config): RMSNorm, SwiGLU,
// rotary positions, grouped-query attention (num_key_value_heads defaults to num_attention_heads),
// head_dim defaulting to hidden_size / num_attention_heads, untied head by default.
Model llama_like(const Config& c, const std::string& family) {
    Model m;
    m.family = family;
    m.layers = c.count("num_hidden_layers");
    m.d_model = c.count("hidden_size");
    m.heads = c.count("num_attention_heads");
    m.kv_heads = c.count_or("num_key_value_heads", m.heads);
    m.d_ff = c.count("intermediate_size");
    m.vocab = c.count("vocab_size");
    m.context = c.count("max_position_embeddings");
    m.norm = "rmsnorm";
    m.mlp = "swiglu";
    m.positions = "rotary";
    m.tied = c.flag_or("tie_word_embeddings", false);
    if (family == "llama") {
        // LlamaConfig.attention_bias: q, k, v and o projections together; mlp_bias: the MLP.
        m.qkv_bias = m.out_bias = c.flag_or("attention_bias", false);
        m.mlp_bias = c.flag_or("mlp_bias", false);
    } else if (family == "qwen2") {
        m.qkv_bias = true;  // Qwen2Attention: q_proj, k_proj, v_proj with bias; o_proj without
    } else if (family == "mixtral") {
        m.experts = c.count("num_local_experts");
        m.experts_per_token = c.count("num_experts_per_tok");
    }
    return m;
}

std::string shown_path(const std::filesystem::path& p) {
    std::filesystem::path rel = p.lexically_relative(std::filesystem::current_path());
    if (rel.empty() || *rel.begin() == "..") return p.string();
    return rel.string();
}

Value hf_model_eval(const std::vector<Value>& args, const CallSite& at) {
    namespace fs = std::filesystem;
    fs::path path(args[0].str());
    // A relative path is found beside the calling file; from `plan eval`, the REPL, an embedding
    // host or the stdlib, in the current directory.
    if (path.is_relative() && !at.file.empty() && at.file.front() != '<')
        path = fs::path(at.file).parent_path() / path;
    path = path.lexically_normal();
    std::string shown = shown_path(path);
    std::ifstream in(path);
    if (!in || fs::is_directory(path))
        builtin_fail(Code::CannotRead, fmt::format("cannot read {}: no such file", shown), at, "this config",
                     "a relative path is read beside the file that calls hf_model");
    std::stringstream text;
    text << in.rdbuf();
    json j;
    try {
        j = json::parse(text.str());
    } catch (const json::parse_error& e) {
        std::string why = e.what();
        if (auto colon = why.find("parse error"); colon != std::string::npos) why = why.substr(colon);
        builtin_fail(Code::MalformedFile, fmt::format("{} is not valid JSON: {}", shown, why), at, "this config");
    }
    if (!j.is_object())
        builtin_fail(Code::MalformedFile, fmt::format("{} is not a JSON object", shown), at, "this config");
    Config c(j, shown, at);
    std::string type = c.text("model_type");
    Model m;
    if (type == "gpt2")
        m = gpt2(c);
    else if (type == "llama" || type == "mistral" || type == "mixtral" || type == "qwen2")
        m = llama_like(c, type);
    else
        builtin_fail(Code::UnsupportedModelType, fmt::format("unsupported model_type \"{}\" in {}", type, shown), at,
                     "this config", "supported model types: gpt2, llama, mistral, mixtral, qwen2");
    // head_dim: explicit in some configs (Mistral NeMo, Qwen3); otherwise d_model / heads.
    if (c.has("head_dim")) {
        m.head_dim = c.count("head_dim");
    } else {
        if (std::fmod(m.d_model, m.heads) != 0)
            c.bad_key(type == "gpt2" ? "n_head" : "num_attention_heads",
                      fmt::format("is {}, which does not divide the model width {}", m.heads, m.d_model));
        m.head_dim = m.d_model / m.heads;
    }
    if (std::fmod(m.heads, m.kv_heads) != 0)
        c.bad_key("num_key_value_heads",
                  fmt::format("is {}, which does not divide the {} attention heads", m.kv_heads, m.heads));
    if (m.experts_per_token > m.experts)
        c.bad_key("num_experts_per_tok",
                  fmt::format("is {}, more than the {} experts", m.experts_per_token, m.experts));
    // The name: the checkpoint's own if the config records it, else the folder holding the file.
    std::string folder = path.parent_path().filename().string();
    m.name = c.text_or("_name_or_path", folder.empty() ? type : folder);
    return to_record(m);
}

}  // namespace

std::vector<Builtin> model_config_natives() {
    return {
        {"hf_model", "hf_model(path)",
         "A model record (the record of `use models`) from a Hugging Face config.json of a gpt2, llama,\n"
         "mistral, mixtral or qwen2 model. Extra keys are ignored; a missing or malformed key that\n"
         "matters is an error that names it. A relative path is read beside the calling file.",
         1, 1,
         [](const BuiltinCall& c) {
             if (!c.args[0].is(Type::Kind::String))
                 builtin_fail(Code::NeedsString, "`hf_model` needs the path of a config.json as a String, not " + type_name(c.args[0], c.units),
                              c.arg_spans[0], type_name(c.args[0], c.units), "write hf_model(\"path/to/config.json\")");
             return model_type();
         },
         hf_model_eval},
    };
}

}  // namespace plan
