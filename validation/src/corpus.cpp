// Corpus loading. Every error names the file, so that a grid of runs over
// several corpora says which one is broken.
#include "validation/corpus.hpp"

#include <cstring>
#include "files/file_access.hpp"

#include "validation/tokenizer.hpp"

namespace plan::validation {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw CorpusError("corpus '" + path + "': " + what);
}

// Only a regular file (never a FIFO or a device, which could block or never end), and at most
// files::kMaxCorpusFile bytes.
std::string read_file(const std::string& path) {
    std::string data;
    try {
        data = files::read_regular_file(path, files::kMaxCorpusFile);
    } catch (const files::FileError& e) {
        fail(path, e.kind == files::FileError::Kind::Missing ? "cannot open file (does it exist?)" : e.what());
    }
    if (data.empty()) fail(path, "file is empty");
    return data;
}

uint32_t read_u32(const std::string& d, size_t off) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(d[off + i]);
    return v;
}

uint64_t read_u64(const std::string& d, size_t off) {
    return static_cast<uint64_t>(read_u32(d, off)) |
           (static_cast<uint64_t>(read_u32(d, off + 4)) << 32);
}

void put_le(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

bool has_magic(const std::string& d) {
    return d.size() >= sizeof(kTokenFileMagic) &&
           std::memcmp(d.data(), kTokenFileMagic, sizeof(kTokenFileMagic)) == 0;
}

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
size_t find_invalid_utf8(const std::string& s) {
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t len;
        uint32_t cp;
        if (c < 0x80) { ++i; continue; }
        else if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return i;
        if (i + len > n) return i;
        for (size_t k = 1; k < len; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Reject overlong encodings, surrogates and code points past U+10FFFF.
        static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += len;
    }
    return std::string::npos;
}

Corpus load_tokens(const std::string& path, const std::string& d) {
    if (d.size() < kTokenFileHeaderBytes)
        fail(path, "bad header: file has " + std::to_string(d.size()) +
                       " bytes, shorter than the 32-byte token file header");
    if (!has_magic(d)) fail(path, "bad header: magic is not PLANTOKS");
    uint32_t version = read_u32(d, 8);
    if (version != kTokenFileVersion)
        fail(path, "bad header: version is " + std::to_string(version) + " (supported: 1)");
    uint32_t width = read_u32(d, 12);
    if (width != 2 && width != 4)
        fail(path, "bad header: token_bytes is " + std::to_string(width) + " (must be 2 or 4)");
    uint32_t vocab = read_u32(d, 16);
    if (vocab == 0) fail(path, "bad header: vocab_size is 0");
    if (width == 2 && vocab > 65536)
        fail(path, "bad header: vocab_size " + std::to_string(vocab) +
                       " does not fit uint16 tokens (token_bytes 2)");
    uint32_t reserved = read_u32(d, 20);
    if (reserved != 0) fail(path, "bad header: reserved field is " + std::to_string(reserved) + " (must be 0)");
    uint64_t count = read_u64(d, 24);
    if (count == 0) fail(path, "token file holds no tokens (token_count is 0)");
    uint64_t payload = d.size() - kTokenFileHeaderBytes;
    if (payload % width != 0 || payload / width != count)
        fail(path, "bad header: token_count is " + std::to_string(count) + " but the file holds " +
                       std::to_string(payload) + " bytes of " + std::to_string(width) + "-byte tokens");
    Corpus c;
    c.path = path;
    c.format = CorpusFormat::Tokens;
    c.vocab_size = vocab;
    c.tokens.resize(count);
    for (uint64_t i = 0; i < count; ++i) {
        size_t off = kTokenFileHeaderBytes + i * width;
        uint32_t t = width == 2 ? static_cast<uint32_t>(static_cast<unsigned char>(d[off])) |
                                      (static_cast<uint32_t>(static_cast<unsigned char>(d[off + 1])) << 8)
                                : read_u32(d, off);
        if (t >= vocab)
            fail(path, "token " + std::to_string(i) + " is " + std::to_string(t) +
                           ", not below vocab_size " + std::to_string(vocab));
        c.tokens[i] = t;
    }
    return c;
}

}  // namespace

CorpusFormat parse_corpus_format(const std::string& name) {
    if (name == "auto") return CorpusFormat::Auto;
    if (name == "text") return CorpusFormat::Text;
    if (name == "wikitext") return CorpusFormat::WikiText;
    if (name == "tokens") return CorpusFormat::Tokens;
    throw CorpusError("unknown corpus format '" + name + "' (expected auto, text, wikitext or tokens)");
}

const char* corpus_format_name(CorpusFormat f) {
    switch (f) {
        case CorpusFormat::Auto: return "auto";
        case CorpusFormat::Text: return "text";
        case CorpusFormat::WikiText: return "wikitext";
        case CorpusFormat::Tokens: return "tokens";
    }
    return "?";
}

std::string undo_wikitext_markup(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        // " @X@ " with X in {-, ',', '.'} is WikiText's split of "1-2", "1,000", "1.5".
        if (i + 5 <= text.size() && text[i] == ' ' && text[i + 1] == '@' && text[i + 3] == '@' &&
            text[i + 4] == ' ' && (text[i + 2] == '-' || text[i + 2] == ',' || text[i + 2] == '.')) {
            out.push_back(text[i + 2]);
            i += 5;
        } else {
            out.push_back(text[i++]);
        }
    }
    return out;
}

Corpus load_corpus(const std::string& path, CorpusFormat format) {
    std::string data = read_file(path);
    if (format == CorpusFormat::Auto)
        format = has_magic(data) ? CorpusFormat::Tokens : CorpusFormat::Text;
    if (format == CorpusFormat::Tokens) return load_tokens(path, data);

    size_t bad = find_invalid_utf8(data);
    if (bad != std::string::npos)
        fail(path, "not valid UTF-8 text (first invalid byte at offset " + std::to_string(bad) +
                       "); use a token file for binary data");
    if (format == CorpusFormat::WikiText) data = undo_wikitext_markup(data);
    Corpus c;
    c.path = path;
    c.format = format;
    c.vocab_size = ByteTokenizer::kVocabSize;
    c.tokens = ByteTokenizer::encode(data);
    return c;
}

void write_token_file(const std::string& path, const std::vector<uint32_t>& tokens,
                      uint32_t vocab_size, uint32_t token_bytes) {
    if (token_bytes != 2 && token_bytes != 4)
        throw CorpusError("token file '" + path + "': token_bytes must be 2 or 4");
    if (vocab_size == 0 || (token_bytes == 2 && vocab_size > 65536))
        throw CorpusError("token file '" + path + "': vocab_size " + std::to_string(vocab_size) +
                          " is invalid for token_bytes " + std::to_string(token_bytes));
    std::string out(kTokenFileMagic, sizeof(kTokenFileMagic));
    put_le(out, kTokenFileVersion, 4);
    put_le(out, token_bytes, 4);
    put_le(out, vocab_size, 4);
    put_le(out, 0, 4);
    put_le(out, tokens.size(), 8);
    out.reserve(out.size() + tokens.size() * token_bytes);
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i] >= vocab_size)
            throw CorpusError("token file '" + path + "': token " + std::to_string(i) + " is " +
                              std::to_string(tokens[i]) + ", not below vocab_size " +
                              std::to_string(vocab_size));
        put_le(out, tokens[i], static_cast<int>(token_bytes));
    }
    try {
        files::write_atomically(path, out);
    } catch (const files::FileError& e) {
        throw CorpusError("token file '" + path + "': " + e.what());
    }
}

}  // namespace plan::validation
