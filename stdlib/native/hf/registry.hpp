// The readers of hf_read, keyed by `model_type`.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "stdlib/native/hf/reader.hpp"

namespace plan::hf {

// Every family's readers, ordered by model_type.
const std::vector<Reader>& readers();
// The reader of a model_type; null when there is none.
const Reader* find_reader(std::string_view model_type);
// "gpt2, llama, mistral, mixtral or qwen2" (with `last` = "or"), or all of them joined by ", ".
std::string model_types_text(const std::string& last = "");

}  // namespace plan::hf
