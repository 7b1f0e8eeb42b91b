// hf_read(path, template): a Hugging Face config.json as a record of the template's type. The
// record is defined in plan (`transformer` in stdlib/models.plan, whose `hf_model(path)` calls
// this); the reader of the config's model_type sets fields by name, and they are laid out here in
// the order of the checked result type. A field of the record that the reader does not set, or
// one it sets that the record lacks, is an error: the two definitions cannot drift apart.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stdlib/native/hf/registry.hpp"
#include "stdlib/native/natives.hpp"

namespace plan {

namespace {

using json = nlohmann::json;

std::string shown_path(const std::filesystem::path& p) {
    std::filesystem::path rel = p.lexically_relative(std::filesystem::current_path());
    if (rel.empty() || *rel.begin() == "..") return p.string();
    return rel.string();
}

// A relative path is found beside the user's file that calls hf_model; from `plan eval`, the
// REPL, an embedding host or the stdlib, in the current directory.
std::filesystem::path resolve(const std::string& written, const CallSite& at) {
    std::filesystem::path path(written);
    if (path.is_relative() && !at.origin_file.empty() && at.origin_file.front() != '<')
        path = std::filesystem::path(at.origin_file).parent_path() / path;
    return path.lexically_normal();
}

json load(const std::filesystem::path& path, const std::string& shown, const CallSite& at) {
    std::string text;
    try {
        text = at.access().read(path.string(), files::kMaxDataFile);
    } catch (const files::FileError& e) {
        file_fail(e, at.origin, "this config", false);
    }
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        // The parser's own words without its "last read: '...'", which quotes the file: a short
        // escaped excerpt of what is there instead.
        std::string why = e.what();
        if (auto colon = why.find("parse error"); colon != std::string::npos) why = why.substr(colon);
        if (auto last = why.find("; last read"); last != std::string::npos) why = why.substr(0, last);
        size_t at_byte = std::min(e.byte > 0 ? e.byte - 1 : 0, text.size());
        if (at_byte < text.size()) why += fmt::format(" (the file there: \"{}\")", files::excerpt(std::string_view(text).substr(at_byte)));
        builtin_fail(Code::MalformedFile, fmt::format("{} is not valid JSON: {}", shown, why), at.origin, "this config");
    }
    if (!j.is_object()) builtin_fail(Code::MalformedFile, fmt::format("{} is not a JSON object", shown), at.origin, "this config");
    return j;
}

const char* kind_of(const Value& v) {
    switch (v.v.index()) {
        case 0: return "a count";
        case 1: return "a Bool";
        default: return "a String";
    }
}

const char* kind_of(const Type& t) {
    switch (t.kind) {
        case Type::Kind::Number: return t.dim.none() ? "a count" : "a number with a dimension";
        case Type::Kind::Bool: return "a Bool";
        case Type::Kind::String: return "a String";
        default: return "a list or a record";
    }
}

// The reader's fields in the order of the record type `t`, each of the field's type.
Value record_of(const hf::Fields& m, const Type& t, const std::string& model_type, const CallSite& at) {
    const RecordType& r = *t.record;
    const auto& set = m.all();
    const std::string help = "the model record is `transformer` in stdlib/models.plan; its readers are in stdlib/native/hf/";
    std::vector<Value> fields;
    for (size_t i = 0; i < r.names.size(); ++i) {
        auto f = std::find_if(set.begin(), set.end(), [&](const auto& s) { return s.first == r.names[i]; });
        if (f == set.end())
            builtin_fail(Code::RecordReaderMismatch, fmt::format("the record's field `{}` is not set by the {} reader", r.names[i], model_type),
                         at.origin, "", help);
        if (std::string_view(kind_of(f->second)) != kind_of(r.types[i]))
            builtin_fail(Code::RecordReaderMismatch,
                         fmt::format("field `{}` of the record is {}, but the {} reader sets {}", r.names[i], kind_of(r.types[i]),
                                     model_type, kind_of(f->second)),
                         at.origin, "", help);
        fields.push_back(f->second);
    }
    for (const auto& [name, value] : set)
        if (r.find(name) < 0)
            builtin_fail(Code::RecordReaderMismatch, fmt::format("the {} reader sets `{}`, a field the record lacks", model_type, name),
                         at.origin, "", help);
    return make_record(std::move(fields));
}

// A model folder (a downloaded checkpoint) is read for its config.json; the folder names the model.
struct ModelFiles {
    std::filesystem::path config, folder;
};

ModelFiles model_files(const std::string& written, const CallSite& at) {
    std::filesystem::path path = resolve(written, at);
    if (path.filename().empty()) path = path.parent_path();  // "folder/"
    if (std::filesystem::is_directory(path)) return {path / "config.json", path};
    return {path, path.parent_path()};
}

Value hf_read_eval(const std::vector<Value>& args, const CallSite& at) {
    if (!at.result || !at.result->is(Type::Kind::Record))
        builtin_fail(Code::RecordReaderMismatch, "`hf_read` needs a record of a known type to fill", at.origin, "");
    ModelFiles files = model_files(args[0].str(), at);
    std::filesystem::path path = files.config;
    std::string shown = shown_path(path);
    json j = load(path, shown, at);
    hf::Config c(j, shown, at);
    std::string model_type = c.text("model_type");
    const hf::Reader* reader = hf::find_reader(model_type);
    if (!reader)
        builtin_fail(Code::UnsupportedModelType, fmt::format("unsupported model_type \"{}\" in {}", files::excerpt(model_type), shown), at.origin,
                     "this config", "supported model types: " + hf::model_types_text());
    hf::Fields m;
    // The name: the checkpoint's own if the config records it, else the folder holding the file.
    std::string folder = files.folder.filename().string();
    m.text("name", c.text_or("_name_or_path", folder.empty() ? model_type : folder));
    m.text("family", model_type);
    reader->read(c, m);
    return record_of(m, *at.result, model_type, at);
}

// Bytes per parameter of a checkpoint's dtype (the config's torch_dtype, or dtype in newer files).
double dtype_bytes(const std::string& dtype) {
    static const std::pair<const char*, double> sizes[] = {
        {"float64", 8}, {"float32", 4}, {"bfloat16", 2}, {"float16", 2}, {"float8_e4m3fn", 1}, {"float8_e5m2", 1},
    };
    for (auto [name, bytes] : sizes)
        if (dtype == name) return bytes;
    return 0;
}

std::string grouped(double n) {
    std::string digits = fmt::format("{:.0f}", n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// hf_check_weights(path, model, count): the model, once the count agrees with the model folder's
// model.safetensors.index.json (metadata.total_size bytes in the config's dtype) when it has one.
Value hf_check_weights_eval(const std::vector<Value>& args, const CallSite& at) {
    ModelFiles files = model_files(args[0].str(), at);
    std::filesystem::path index_path = files.folder / "model.safetensors.index.json";
    if (!std::filesystem::is_regular_file(index_path)) return args[1];
    std::string shown = shown_path(index_path);
    json index = load(index_path, shown, at);
    const json* total = nullptr;
    if (index.contains("metadata") && index["metadata"].is_object() && index["metadata"].contains("total_size"))
        total = &index["metadata"]["total_size"];
    if (!total || !total->is_number() || total->get<double>() <= 0)
        builtin_fail(Code::MalformedFile, fmt::format("{} has no metadata.total_size to check the count against", shown), at.origin,
                     "this model");
    json config = load(files.config, shown_path(files.config), at);
    std::string dtype_key = config.contains("torch_dtype") ? "torch_dtype" : "dtype";
    std::string dtype = config.contains(dtype_key) && config[dtype_key].is_string() ? config[dtype_key].get<std::string>() : "";
    double bytes = dtype_bytes(dtype);
    if (bytes == 0)
        builtin_fail(Code::BadConfigKey,
                     fmt::format("cannot check the count against {}: the config's torch_dtype is {}", shown,
                                 dtype.empty() ? "missing" : "\"" + dtype + "\", not a dtype of whole bytes"),
                     at.origin, "this model", "the check needs the bytes per parameter of the weights (float32, bfloat16, float16, ...)");
    double size = total->get<double>(), count = args[2].num();
    if (count * bytes != size)
        builtin_fail(Code::WeightsDisagree,
                     fmt::format("the weights disagree with the count: {} says {} bytes, {} parameters in {}, but hf_model "
                                 "counts {} ({} bytes)",
                                 shown, grouped(size), grouped(size / bytes), dtype, grouped(count), grouped(count * bytes)),
                     at.origin, "this model",
                     "the checkpoint holds tensors the count does not model (extra buffers, quantization scales, another "
                     "module), or the config does not describe these weights");
    return args[1];
}

Type hf_check_weights_check(const BuiltinCall& c) {
    if (!c.args[0].is(Type::Kind::String))
        builtin_fail(Code::NeedsString, "`hf_check_weights` needs the path of a model as a String, not " + type_name(c.args[0], c.units),
                     c.arg_spans[0], type_name(c.args[0], c.units));
    if (!c.args[2].is(Type::Kind::Number) || !c.args[2].dim.none())
        builtin_fail(Code::NeedsNumber, "`hf_check_weights` needs the parameter count as a number, not " + type_name(c.args[2], c.units),
                     c.arg_spans[2], type_name(c.args[2], c.units));
    return c.args[1];
}

Type hf_read_check(const BuiltinCall& c) {
    if (!c.args[0].is(Type::Kind::String))
        builtin_fail(Code::NeedsString, "`hf_read` needs the path of a config.json as a String, not " + type_name(c.args[0], c.units),
                     c.arg_spans[0], type_name(c.args[0], c.units), "write hf_model(\"path/to/config.json\") (use models)");
    if (!c.args[1].is(Type::Kind::Record))
        builtin_fail(Code::NotARecord, "`hf_read` fills a record of its second argument's type, not " + type_name(c.args[1], c.units),
                     c.arg_spans[1], type_name(c.args[1], c.units), "pass the model record: hf_read(path, transformer) (use models)");
    return c.args[1];
}

}  // namespace

std::vector<Builtin> hf_natives() {
    return {
        {"hf_read", "hf_read(path, template)",
         "A record of the type of `template` from a Hugging Face config.json, filled by field name by the\n"
         "reader of its model_type (stdlib/native/hf/). `hf_model(path)` of `use models` calls it with the\n"
         "model record `transformer`. A relative path is read beside the file of the user's call.",
         2, 2, hf_read_check, hf_read_eval},
        {"hf_check_weights", "hf_check_weights(path, model, count)",
         "`model` as it is, once `count` parameters agree with the weights of the model folder `path` (or the\n"
         "folder holding the config.json `path`): its model.safetensors.index.json's metadata.total_size\n"
         "over the bytes of the config's torch_dtype. A folder without that file is not checked.",
         3, 3, hf_check_weights_check, hf_check_weights_eval},
    };
}

}  // namespace plan
