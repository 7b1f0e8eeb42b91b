// Tokenizer, corpus loading (with the exact error messages users see) and
// batching.
#include <catch2/catch.hpp>
#include <cstring>
#include <set>

#include "test_util.hpp"
#include "validation/batcher.hpp"
#include "validation/corpus.hpp"
#include "validation/tokenizer.hpp"
#include "validation/trainer.hpp"

using namespace plan::validation;
using plan::validation::test::TempFile;

namespace {

// A token file built by hand (not by write_token_file) so header fields can be broken.
std::string token_file_bytes(const char magic[8], uint32_t version, uint32_t width, uint32_t vocab,
                             uint32_t reserved, uint64_t count, const std::vector<uint32_t>& tokens) {
    std::string s(magic, 8);
    auto put = [&](uint64_t v, int n) {
        for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    };
    put(version, 4);
    put(width, 4);
    put(vocab, 4);
    put(reserved, 4);
    put(count, 8);
    for (uint32_t t : tokens) put(t, static_cast<int>(width));
    return s;
}

std::string error_of(const std::string& path, CorpusFormat f = CorpusFormat::Auto) {
    try {
        load_corpus(path, f);
    } catch (const CorpusError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("byte tokenizer round-trips UTF-8", "[corpus]") {
    const std::string text = "h\xC3\xA9llo, \xE2\x82\xAC 5";  // héllo, € 5
    auto toks = ByteTokenizer::encode(text);
    REQUIRE(toks.size() == text.size());
    CHECK(toks[1] == 0xC3);
    CHECK(ByteTokenizer::decode(toks) == text);
    CHECK_THROWS_WITH(ByteTokenizer::decode({65, 256}), "byte tokenizer: token 256 is not a byte (vocab is 256)");
}

TEST_CASE("text corpora load as bytes", "[corpus]") {
    TempFile f("plain.txt", "To be, or not to be\n");
    Corpus c = load_corpus(f.path());
    CHECK(c.format == CorpusFormat::Text);
    CHECK(c.vocab_size == 256);
    CHECK(c.tokens.size() == 20);
    CHECK(c.tokens[0] == 'T');
}

TEST_CASE("wikitext markup is undone", "[corpus]") {
    CHECK(undo_wikitext_markup(" = Title = \n 1 @,@ 000 and 2 @.@ 5 and well @-@ known @x@ y") ==
          " = Title = \n 1,000 and 2.5 and well-known @x@ y");
    TempFile f("wiki.txt", " = A = \n born 1 @-@ 2 <unk>\n");
    Corpus c = load_corpus(f.path(), CorpusFormat::WikiText);
    CHECK(ByteTokenizer::decode(c.tokens) == " = A = \n born 1-2 <unk>\n");
    CHECK(c.format == CorpusFormat::WikiText);
}

TEST_CASE("token files round-trip in both widths and are auto-detected", "[corpus]") {
    std::vector<uint32_t> toks = {0, 1, 70000, 5, 99999};
    TempFile f32("t32.bin");
    write_token_file(f32.path(), toks, 100000, 4);
    Corpus c = load_corpus(f32.path());
    CHECK(c.format == CorpusFormat::Tokens);
    CHECK(c.vocab_size == 100000);
    CHECK(c.tokens == toks);

    std::vector<uint32_t> small = {3, 65535, 0};
    TempFile f16("t16.bin");
    write_token_file(f16.path(), small, 65536, 2);
    Corpus c16 = load_corpus(f16.path(), CorpusFormat::Tokens);
    CHECK(c16.tokens == small);
    CHECK(c16.vocab_size == 65536);
    // Exact on-disk layout: 32-byte header then little-endian uint16.
    std::ifstream in(f16.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(bytes.size() == 32 + 6);
    CHECK(bytes.substr(0, 8) == "PLANTOKS");
    CHECK(static_cast<unsigned char>(bytes[32]) == 3);
    CHECK(static_cast<unsigned char>(bytes[34]) == 0xFF);
}

TEST_CASE("corpus errors name the file and the field", "[corpus][errors]") {
    const std::string missing = "/nonexistent/dir/corpus.txt";
    CHECK(error_of(missing) == "corpus '/nonexistent/dir/corpus.txt': cannot open file (does it exist?)");

    TempFile empty("empty.txt", "");
    CHECK(error_of(empty.path()) == "corpus '" + empty.path() + "': file is empty");

    TempFile bad_utf8("bad.txt", std::string("ok\xFF\xFE"));
    CHECK(error_of(bad_utf8.path()) == "corpus '" + bad_utf8.path() +
                                           "': not valid UTF-8 text (first invalid byte at offset 2); "
                                           "use a token file for binary data");

    TempFile f("broken.bin");
    const std::string p = "corpus '" + f.path() + "': ";
    f.write("PLANTOK");
    CHECK(error_of(f.path(), CorpusFormat::Tokens) ==
          p + "bad header: file has 7 bytes, shorter than the 32-byte token file header");
    f.write(token_file_bytes("PLANTOKX", 1, 2, 10, 0, 1, {1}));
    CHECK(error_of(f.path(), CorpusFormat::Tokens) == p + "bad header: magic is not PLANTOKS");
    f.write(token_file_bytes("PLANTOKS", 2, 2, 10, 0, 1, {1}));
    CHECK(error_of(f.path()) == p + "bad header: version is 2 (supported: 1)");
    f.write(token_file_bytes("PLANTOKS", 1, 3, 10, 0, 1, {1}));
    CHECK(error_of(f.path()) == p + "bad header: token_bytes is 3 (must be 2 or 4)");
    f.write(token_file_bytes("PLANTOKS", 1, 2, 0, 0, 1, {1}));
    CHECK(error_of(f.path()) == p + "bad header: vocab_size is 0");
    f.write(token_file_bytes("PLANTOKS", 1, 2, 70000, 0, 1, {1}));
    CHECK(error_of(f.path()) == p + "bad header: vocab_size 70000 does not fit uint16 tokens (token_bytes 2)");
    f.write(token_file_bytes("PLANTOKS", 1, 2, 10, 7, 1, {1}));
    CHECK(error_of(f.path()) == p + "bad header: reserved field is 7 (must be 0)");
    f.write(token_file_bytes("PLANTOKS", 1, 2, 10, 0, 0, {}));
    CHECK(error_of(f.path()) == p + "token file holds no tokens (token_count is 0)");
    f.write(token_file_bytes("PLANTOKS", 1, 4, 10, 0, 3, {1, 2}));
    CHECK(error_of(f.path()) == p + "bad header: token_count is 3 but the file holds 8 bytes of 4-byte tokens");
    f.write(token_file_bytes("PLANTOKS", 1, 2, 10, 0, 3, {1, 2, 10}));
    CHECK(error_of(f.path()) == p + "token 2 is 10, not below vocab_size 10");

    CHECK_THROWS_WITH(parse_corpus_format("csv"),
                      "unknown corpus format 'csv' (expected auto, text, wikitext or tokens)");
}

TEST_CASE("a corpus too small for the requested tokens is refused", "[corpus][errors]") {
    TempFile f("small.txt", plan::validation::test::sample_text(2000));
    TrainConfig cfg;
    cfg.corpus_path = f.path();
    cfg.model.seq_len = 16;
    cfg.model.d_model = 8;
    cfg.model.n_layers = 1;
    cfg.model.n_heads = 2;
    cfg.model.d_mlp = 32;
    cfg.batch = 4;
    cfg.tokens = 4096;  // 64 steps of 4 x 16; the training split holds 1800 tokens
    cfg.threads = 1;
    CHECK_THROWS_WITH(train(cfg), "corpus '" + f.path() +
                                      "' is too small for the requested tokens: training needs 4096 tokens "
                                      "(64 steps of 4 x 16) but the training split holds 1792 (single epoch, "
                                      "0.100000 held out for validation)");

    TempFile tiny("tiny.txt", "abcdefghij");
    cfg.corpus_path = tiny.path();
    cfg.tokens = 16;
    CHECK_THROWS_WITH(train(cfg), "corpus '" + tiny.path() +
                                      "' is too small: 10 tokens leave 0 for training after the validation "
                                      "split, need at least 17 (one window of seq_len+1)");
}

TEST_CASE("batches are seeded, single-epoch and never touch the validation split", "[corpus][batcher]") {
    std::vector<uint32_t> toks(1000);
    for (size_t i = 0; i < toks.size(); ++i) toks[i] = static_cast<uint32_t>(i % 251);
    const int T = 8, B = 4;
    Batcher a(toks, T, B, 0.1, 7), b(toks, T, B, 0.1, 7), c(toks, T, B, 0.1, 8);
    CHECK(a.val_split_tokens() == 100);
    CHECK(a.train_split_tokens() == 900);
    CHECK(a.train_windows() == (900 - 1) / T);
    std::vector<int32_t> in1(B * T), tg1(B * T), in2(B * T), tg2(B * T);
    a.train_batch(3, in1.data(), tg1.data());
    b.train_batch(3, in2.data(), tg2.data());
    CHECK(in1 == in2);
    CHECK(tg1 == tg2);
    c.train_batch(3, in2.data(), tg2.data());
    CHECK(in1 != in2);

    // Every window of the epoch appears once; targets are the next tokens;
    // nothing comes from the last 100 tokens.
    std::set<int32_t> starts;
    const int64_t steps = a.train_windows() / B;
    for (int64_t s = 0; s < steps; ++s) {
        a.train_batch(s, in1.data(), tg1.data());
        for (int r = 0; r < B; ++r) {
            starts.insert(in1[r * T]);
            for (int t = 0; t < T; ++t) CHECK(tg1[r * T + t] == static_cast<int32_t>((in1[r * T + t] + 1) % 251));
        }
    }
    CHECK(starts.size() == static_cast<size_t>(steps * B));
    CHECK_THROWS_AS(a.train_batch(steps + 1, in1.data(), tg1.data()), std::out_of_range);

    int rows = a.val_batch(0, in1.data(), tg1.data());
    CHECK(rows == B);
    CHECK(in1[0] == static_cast<int32_t>(900 % 251));
}
