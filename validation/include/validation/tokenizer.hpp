// Byte-level tokenizer: every byte of the UTF-8 text is one token (vocab 256).
//
// At the seed experiment's scale (N below ~100k parameters) a 50k-token GPT-2
// vocabulary would put most parameters into the embedding, so bytes are the
// default. Decoding is exact: tokens are bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plan::validation {

class ByteTokenizer {
public:
    static constexpr uint32_t kVocabSize = 256;

    static std::vector<uint32_t> encode(std::string_view text);
    // Throws std::invalid_argument for a token >= 256.
    static std::string decode(const std::vector<uint32_t>& tokens);
};

}  // namespace plan::validation
