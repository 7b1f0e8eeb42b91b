// The common part of the readers: keys of a config.json read with errors that name them, the
// fields a reader sets, and the attention shape every family shares.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "stdlib/native/hf/reader.hpp"
#include "stdlib/native/hf/registry.hpp"

namespace plan::hf {

void Config::bad_key(const std::string& key, const std::string& what) const {
    builtin_fail(Code::BadConfigKey, fmt::format("key `{}` of {} {}", key, shown_, what), at_.origin, "this config",
                 "hf_model reads the Hugging Face config.json of a " + model_types_text("or") + " model");
}

double Config::count(const std::string& key) const {
    if (!j_.contains(key)) bad_key(key, "is missing");
    return count_value(key, j_.at(key));
}

double Config::count_or(const std::string& key, double fallback) const {
    return has(key) ? count_value(key, j_.at(key)) : fallback;
}

bool Config::flag_or(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    const nlohmann::json& v = j_.at(key);
    if (!v.is_boolean()) bad_key(key, fmt::format("must be true or false, not {}", v.dump()));
    return v.get<bool>();
}

std::string Config::text(const std::string& key) const {
    if (!j_.contains(key)) bad_key(key, "is missing");
    const nlohmann::json& v = j_.at(key);
    if (!v.is_string()) bad_key(key, fmt::format("must be a string, not {}", v.dump()));
    return v.get<std::string>();
}

std::string Config::text_or(const std::string& key, const std::string& fallback) const {
    if (!has(key) || !j_.at(key).is_string() || j_.at(key).get<std::string>().empty()) return fallback;
    return j_.at(key).get<std::string>();
}

double Config::count_value(const std::string& key, const nlohmann::json& v) const {
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

void Fields::set(const std::string& name, Value v) {
    // A reader setting one field twice is a defect of the reader, not of the config.
    if (std::any_of(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == name; }))
        throw std::logic_error("hf reader sets `" + name + "` twice");
    fields_.emplace_back(name, std::move(v));
}

double Fields::number(const std::string& name) const {
    for (const auto& [n, v] : fields_)
        if (n == name) return v.num();
    throw std::logic_error("hf reader reads `" + name + "` before setting it");
}

void attention_shape(const Config& c, Fields& m, const std::string& heads_key) {
    double d_model = m.number("d_model"), heads = m.number("heads"), kv_heads = m.number("kv_heads");
    // head_dim: explicit in some configs (Mistral NeMo, Qwen3); otherwise d_model / heads.
    if (c.has("head_dim")) {
        m.count("head_dim", c.count("head_dim"));
    } else {
        if (std::fmod(d_model, heads) != 0)
            c.bad_key(heads_key, fmt::format("is {}, which does not divide the model width {}", heads, d_model));
        m.count("head_dim", d_model / heads);
    }
    if (std::fmod(heads, kv_heads) != 0)
        c.bad_key("num_key_value_heads", fmt::format("is {}, which does not divide the {} attention heads", kv_heads, heads));
}

}  // namespace plan::hf
