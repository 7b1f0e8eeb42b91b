#include "validation/tokenizer.hpp"

#include <stdexcept>

namespace plan::validation {

std::vector<uint32_t> ByteTokenizer::encode(std::string_view text) {
    std::vector<uint32_t> out;
    out.reserve(text.size());
    for (unsigned char c : text) out.push_back(c);
    return out;
}

std::string ByteTokenizer::decode(const std::vector<uint32_t>& tokens) {
    std::string out;
    out.reserve(tokens.size());
    for (uint32_t t : tokens) {
        if (t >= kVocabSize)
            throw std::invalid_argument("byte tokenizer: token " + std::to_string(t) +
                                        " is not a byte (vocab is 256)");
        out.push_back(static_cast<char>(t));
    }
    return out;
}

}  // namespace plan::validation
