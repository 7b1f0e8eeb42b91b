// Corpus loading: plain UTF-8 text, WikiText-style text, and pre-tokenized
// binary token files (format in docs/validation.md and below).
//
// Errors are thrown as CorpusError whose message names the file and the
// offending field, e.g. "corpus 'a.bin': bad header: magic is not PLANTOKS".
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace plan::validation {

class CorpusError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class CorpusFormat {
    Auto,      // token file if the file starts with the PLANTOKS magic, else text
    Text,      // UTF-8 text, byte-level tokens
    WikiText,  // UTF-8 text with WikiText markup undone (" @-@ " -> "-", ...)
    Tokens,    // binary token file
};

// Parses "auto", "text", "wikitext", "tokens"; throws CorpusError otherwise.
CorpusFormat parse_corpus_format(const std::string& name);
const char* corpus_format_name(CorpusFormat f);

struct Corpus {
    std::string path;
    CorpusFormat format = CorpusFormat::Text;  // resolved (never Auto)
    uint32_t vocab_size = 0;                   // 256 for text
    std::vector<uint32_t> tokens;
};

// Binary token file layout (all little-endian), 32-byte header:
//   offset 0  char[8]  magic "PLANTOKS"
//   offset 8  uint32   version (= 1)
//   offset 12 uint32   token_bytes (2 -> uint16 tokens, 4 -> uint32 tokens)
//   offset 16 uint32   vocab_size (> 0; every token must be < vocab_size)
//   offset 20 uint32   reserved (= 0)
//   offset 24 uint64   token_count (> 0)
//   offset 32          token_count tokens of token_bytes each; nothing after
inline constexpr char kTokenFileMagic[8] = {'P', 'L', 'A', 'N', 'T', 'O', 'K', 'S'};
inline constexpr uint32_t kTokenFileVersion = 1;
inline constexpr size_t kTokenFileHeaderBytes = 32;

Corpus load_corpus(const std::string& path, CorpusFormat format = CorpusFormat::Auto);

// Writes a token file; token_bytes is 2 or 4 (2 requires vocab_size <= 65536).
void write_token_file(const std::string& path, const std::vector<uint32_t>& tokens,
                      uint32_t vocab_size, uint32_t token_bytes);

// Undoes WikiText's tokenization of numbers: " @-@ " -> "-", " @,@ " -> ",",
// " @.@ " -> ".". Everything else (including "<unk>" and " = Title = " lines)
// is kept, so that the bytes still look like the published corpus.
std::string undo_wikitext_markup(const std::string& text);

}  // namespace plan::validation
