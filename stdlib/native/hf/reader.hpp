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
    Config(const nlohmann::json& j, std::string shown, const CallSite& at) : j_(j), shown_(std::move(shown)), at_(at) {}

    [[noreturn]] void bad_key(const std::string& key, const std::string& what) const;

    bool has(const std::string& key) const { return j_.contains(key) && !j_.at(key).is_null(); }
    double count(const std::string& key) const;  // a positive whole number
    double count_or(const std::string& key, double fallback) const;
    bool flag_or(const std::string& key, bool fallback) const;
    std::string text(const std::string& key) const;
    std::string text_or(const std::string& key, const std::string& fallback) const;  // also for "" and non-strings

private:
    double count_value(const std::string& key, const nlohmann::json& v) const;

    const nlohmann::json& j_;
    std::string shown_;
    const CallSite& at_;
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

// Shared by the readers: head_dim (the key if the config has it, else d_model / heads) and the
// checks that the heads divide the width and the key/value heads divide the heads; `heads_key`
// is the family's name for the number of attention heads.
void attention_shape(const Config& c, Fields& m, const std::string& heads_key);

// The families, one file each; hf/registry.cpp lists them.
std::vector<Reader> gpt2_readers();   // hf/gpt2.cpp
std::vector<Reader> llama_readers();  // hf/llama.cpp: llama, mistral, mixtral, qwen2

}  // namespace plan::hf
