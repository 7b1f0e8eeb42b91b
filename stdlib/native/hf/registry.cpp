// The families of hf_read: a new one is a file of hf/ with its readers, and a line here.
#include "stdlib/native/hf/registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace plan::hf {

const std::vector<Reader>& readers() {
    static const std::vector<Reader> all = [] {
        std::vector<Reader> r;
        for (auto family : {gpt2_readers, llama_readers, moe_readers, gemma_readers, phi_readers, falcon_readers,
                            neox_readers, deepseek_readers, mamba_readers})
            for (const Reader& x : family()) r.push_back(x);
        std::sort(r.begin(), r.end(), [](const Reader& a, const Reader& b) { return std::string_view(a.model_type) < b.model_type; });
        auto twice = std::adjacent_find(r.begin(), r.end(), [](const Reader& a, const Reader& b) {
            return std::string_view(a.model_type) == b.model_type;
        });
        if (twice != r.end()) throw std::logic_error(std::string("two hf readers of model_type ") + twice->model_type);
        return r;
    }();
    return all;
}

const Reader* find_reader(std::string_view model_type) {
    for (const Reader& r : readers())
        if (model_type == r.model_type) return &r;
    return nullptr;
}

std::string model_types_text(const std::string& last) {
    const auto& all = readers();
    std::string text;
    for (size_t i = 0; i < all.size(); ++i) {
        if (i > 0) text += !last.empty() && i + 1 == all.size() ? " " + last + " " : ", ";
        text += all[i].model_type;
    }
    return text;
}

}  // namespace plan::hf
