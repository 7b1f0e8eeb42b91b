// hf_model over real config.json files of the model types beyond LLaMA's shape (tests/configs,
// each cited in tests/configs/README.md): the exact parameter count against the checkpoint's
// weights index (metadata.total_size over the bytes of its dtype) or the published figure, the
// active parameters of the mixtures of experts, and the KV cache each architecture keeps.
// Where a folder holds the index's metadata, hf_model itself checks the count against it too.
#include <catch2/catch.hpp>

#include <string>

#include "plan/plan.hpp"

namespace {

const std::string kConfigs = std::string(PLAN_SOURCE_DIR) + "/tests/configs/";

// A session with `use models` loaded.
struct Models {
    plan::Session s{[] {
        plan::SessionOptions o;
        o.print_expressions = false;
        return o;
    }()};
    Models() { REQUIRE(s.eval("use models").ok()); }

    double number(const std::string& code) {
        plan::Result r = s.eval(code, "<test>");
        INFO(code);
        if (!r.ok()) FAIL(r.errors.at(0).rendered);
        REQUIRE(r.value);
        REQUIRE(r.value->number);
        return *r.value->number;
    }
};

std::string config(const std::string& name) { return "hf_model(\"" + kConfigs + name + "/config.json\")"; }

}  // namespace

TEST_CASE("real configs: the count is the checkpoint's, tensor for tensor", "[models][configs]") {
    Models p;
    struct Case {
        const char* dir;
        double total, active;
    };
    const Case cases[] = {
        // bigscience/bloom: index total_size 352,494,542,848 bytes of bfloat16; the model card's
        // "176,247,271,424 parameters". n_embed, n_layer (BLOOM's old keys), the embedding's LayerNorm.
        {"bloom_176b", 176'247'271'424, 176'247'271'424},
        // GraniteMoE 3.1 1B-A400M: index total_size 5,338,513,408 bytes of float32; 32 experts of
        // 512 (input_linear holds gate and up), top 8, router without bias, tied embedding.
        {"granite_3_1_1b_a400m", 1'334'628'352, 428'658'688},
        // A merge of two Phi-3-mini fine-tunes (mergekit): index total_size 7,642,159,104 bytes of
        // bfloat16. Fused qkv_proj and gate_up_proj hold the same weights as three and two.
        {"phi3_mini_merge", 3'821'079'552, 3'821'079'552},
        // microsoft/Phi-tiny-MoE-instruct (SlimMoE): index total_size 7,510,440,576 bytes of
        // bfloat16. head_dim 128 given apart from 4096 / 16; attention and head biases; 16 experts
        // of 448, top 2; LayerNorms with bias.
        {"phi_tiny_moe", 3'755'220'288, 1'288'969'536},
        // The language model of Gemma 3 4B saved alone (Gemma3ForCausalLM, model_type gemma3_text):
        // index total_size 7,760,526,336 bytes of bfloat16.
        {"gemma3_4b_text", 3'880'263'168, 3'880'263'168},
        // Qwen/Qwen3-8B and Qwen3-4B: index total_size 16,381,470,720 and 8,044,936,192 bytes of
        // bfloat16. RMSNorms of head_dim 128 on the queries and keys; the 4B ties its embedding.
        {"qwen3_8b", 8'190'735'360, 8'190'735'360},
        {"qwen3_4b", 4'022'468'096, 4'022'468'096},
        // Qwen/Qwen3-30B-A3B: index total_size 61,064,245,248 bytes of bfloat16; 128 experts of
        // 768, top 8, no shared expert. Qwen: "30.5B in total and 3.3B activated".
        {"qwen3_30b_a3b", 30'532'122'624, 3'353'032'704},
        // Qwen/Qwen1.5-MoE-A2.7B (qwen2_moe): index total_size 28,631,568,384 bytes of bfloat16;
        // 60 experts of 1408, top 4, a shared expert of 5632 behind its sigmoid gate. Qwen: "14.3B
        // parameters in total and 2.7B activated".
        {"qwen1_5_moe_a2_7b", 14'315'784'192, 2'689'173'504},
        // deepseek-ai/DeepSeek-V2-Lite: index total_size 31,412,968,448 bytes of bfloat16; latent
        // attention without a query latent (q_lora_rank null), the first layer dense, 64 routed
        // experts of 1408, top 6, and 2 shared.
        {"deepseek_v2_lite", 15'706'484'224, 2'661'150'208},
        // allenai/OLMo-2-1124-7B: the Hub's safetensors total, 7,298,617,344 float32 parameters.
        // RMSNorm after attention and after the MLP; QK norms over all heads.
        {"olmo2_7b", 7'298'617'344, 7'298'617'344},
        // togethercomputer/RedPajama-INCITE-3B-v1 (gpt_neox, sequential residual): 2,775,864,320 in
        // Together's client (together/finetune.py, model_param_count).
        {"redpajama_incite_3b", 2'775'864'320, 2'775'864'320},
        // allenai/OLMo-1B-hf: 1,176,764,416, the sum of the module's parameters as public code
        // measures it. Its LayerNorms hold no parameters; the embedding is tied.
        {"olmo_1b", 1'176'764'416, 1'176'764'416},
        // deepseek-ai/DeepSeek-R1 (deepseek_v3, DeepSeek-V3's architecture): 671,026,419,200 main-model
        // tensors, as public audits of the checkpoint's headers count them (the fp8 scales and the
        // multi-token-prediction layer 61 left out). 256 routed experts of 2048, top 8, one shared,
        // the first 3 layers dense, a router bias per expert.
        {"deepseek_r1", 671'026'419'200, 37'552'297'472},
        // tiiuae/falcon-7b-instruct in its original keys (RefinedWebModel, RWForCausalLM):
        // pytorch_model.bin.index.json's total_size 14,434,379,520 bytes of bfloat16 (196 tensors)
        // lists lm_head.weight besides the word embedding it is tied to: one 65,024 × 4544 matrix
        // fewer in the model, the same count as the falcon-key copy of the same weights.
        {"falcon_7b_instruct_rw", 14'434'379'520.0 / 2 - 65'024.0 * 4544, 6'921'720'704},
        // bigcode/starcoder2-15b: 15,957,889,024 parameters in its safetensors metadata (F32).
        // LayerNorms and every linear layer with a bias, GELU MLP, 4 key/value heads of 128, the
        // head untied (tie_word_embeddings false).
        {"starcoder2_15b", 15'957'889'024, 15'957'889'024},
        // WizardLM/WizardCoder-15B-V1.0 (gpt_bigcode, StarCoder's shape with one added token):
        // 15,517,462,528 in Together's model catalog and as a run of the checkpoint prints it.
        // Multi-query attention (c_attn 6144 × (6144 + 2·128)), learned positions of 8192, biases
        // everywhere, the head tied.
        {"wizardcoder_15b", 15'517'462'528, 15'517'462'528},
    };
    for (const Case& c : cases) {
        INFO(c.dir);
        CHECK(p.number("params(" + config(c.dir) + ")") == c.total);
        CHECK(p.number("active_params(" + config(c.dir) + ")") == c.active);
    }
    // The active parameters of GraniteMoE: everything but 24 of the 32 experts in each of the 24
    // layers (an expert: 3 · 1024 · 512).
    CHECK(p.number("active_params(" + config("granite_3_1_1b_a400m") + ")") == 1'334'628'352.0 - 24 * 24 * 3 * 1024 * 512.0);
}

TEST_CASE("Phi-tiny-MoE: what a token uses", "[models][configs]") {
    Models p;
    // All but 14 of the 16 experts in each of the 32 layers (an expert: 3 · 4096 · 448); the
    // embeddings, the head and its bias, the attention and the routers count in full.
    CHECK(p.number("active_params(" + config("phi_tiny_moe") + ")") == 3'755'220'288.0 - 32 * 14 * 3 * 4096 * 448.0);
    CHECK(p.number("params_breakdown(" + config("phi_tiny_moe") + ").router") == 32 * 4096 * 16.0);
    CHECK(p.number("params_breakdown(" + config("phi_tiny_moe") + ").head") == 32'064 * 4096.0 + 32'064);
}

TEST_CASE("DeepSeek-V2-Lite: the paper's activated count leaves the token embedding out", "[models][configs]") {
    Models p;
    // DeepSeek-AI 2024, "DeepSeek-V2", appendix B: V2-Lite has 15.7B parameters, 2.4B of them
    // activated for each token. active_params counts the token embedding (102,400 · 2048) as used;
    // without it the count is the paper's 2.4B.
    CHECK(p.number("active_params(" + config("deepseek_v2_lite") + ") - params_breakdown(" + config("deepseek_v2_lite") +
                   ").embedding") == 2'451'435'008);
    // The KV cache is the latent (512) and the rotary key (64) of each of the 27 layers.
    CHECK(p.number("kv_cache_values(" + config("deepseek_v2_lite") + ", 4096)") == 27.0 * (512 + 64) * 4096);
}

TEST_CASE("DeepSeek-V3's architecture: what a token uses, and the latent it caches", "[models][configs]") {
    Models p;
    const std::string r1 = config("deepseek_r1");
    // All but 248 of the 256 routed experts in each of the 58 sparse layers (an expert: 3 · 7168 ·
    // 2048) are unused by a token; without the token embedding (129,280 · 7168) the count is
    // 36,625,618,432, the "37B activated" of DeepSeek-AI 2024, "DeepSeek-V3", abstract.
    CHECK(p.number("active_params(" + r1 + ")") == 671'026'419'200.0 - 58 * 248 * 3 * 7168 * 2048.0);
    CHECK(p.number("active_params(" + r1 + ") - params_breakdown(" + r1 + ").embedding") == 36'625'618'432);
    // The routers: 58 · (7168 · 256 + 256), e_score_correction_bias included.
    CHECK(p.number("params_breakdown(" + r1 + ").router") == 58 * (7168 * 256.0 + 256));
    // Per token and layer, the 512-value latent and the 64-value rotary key: 61 · 576.
    CHECK(p.number("kv_cache_values(" + r1 + ", 1)") == 61 * 576);
}

TEST_CASE("the KV cache per token of grouped-query models, as their deployments state it", "[models][configs]") {
    Models p;
    // Two bytes a value (bfloat16): Qwen3-8B 2 · 36 layers · 8 heads · 128 = 147,456 bytes a token;
    // Qwen3-30B-A3B 2 · 48 · 4 · 128 · 2 = 98,304.
    CHECK(2 * p.number("kv_cache_values(" + config("qwen3_8b") + ", 1)") == 147'456);
    CHECK(2 * p.number("kv_cache_values(" + config("qwen3_30b_a3b") + ", 1)") == 98'304);
}

TEST_CASE("Gemma: the Gemma report's non-embedding count of Gemma 2B", "[models][configs]") {
    Models p;
    // Gemma Team 2024, "Gemma: Open Models Based on Gemini Research and Technology", Table 2: 2B has
    // 1,981,884,416 non-embedding parameters. Its embedding there is 256,128 × 2048 (the tokenizer's
    // padded size); the Hugging Face checkpoint's vocab_size is 256,000, and the head is tied.
    CHECK(p.number("non_embedding_params(" + config("gemma_2b") + ")") == 1'981'884'416);
    CHECK(p.number("params(" + config("gemma_2b") + ")") == 1'981'884'416.0 + 256'000.0 * 2048);
    // Multi-query attention: one key/value head of 256 in each of the 18 layers.
    CHECK(p.number("kv_cache_values(" + config("gemma_2b") + ", 8192)") == 2.0 * 18 * 1 * 256 * 8192);
}

TEST_CASE("Gemma 3: the language model of a Gemma3ForConditionalGeneration checkpoint", "[models][configs]") {
    Models p;
    // google/medgemma-27b-it (a Gemma 3 27B): index total_size 54,864,813,280 bytes of bfloat16,
    // 27,432,406,640 parameters with the vision tower and its projector, which hf_model does not
    // count (the text_config only). The vision part, from vision_config as transformers builds it
    // (SiglipVisionModel without head; Gemma3MultiModalProjector): patch embedding 3·14·14·1152 +
    // 1152, positions (896/14)² · 1152, 27 layers of attention 4·(1152² + 1152), MLP 2·1152·4304 +
    // 4304 + 1152 and two LayerNorms 4·1152, the post LayerNorm 2·1152; the projector 1152·5376 +
    // its RMSNorm 1152.
    const double layer = 4 * (1152.0 * 1152 + 1152) + (2 * 1152.0 * 4304 + 4304 + 1152) + 4 * 1152;
    const double vision = (3 * 14 * 14 * 1152.0 + 1152) + 64 * 64 * 1152.0 + 27 * layer + 2 * 1152;
    const double projector = 1152.0 * 5376 + 1152;
    CHECK(vision + projector == 423'060'336);
    CHECK(p.number("params(" + config("medgemma_27b") + ")") == 54'864'813'280.0 / 2 - vision - projector);
    // The index's own metadata.total_parameters (28,842,036,848) counts the tied embedding twice:
    // it is the sum above plus 262,208 · 5376.
    CHECK(54'864'813'280.0 / 2 + 262'208.0 * 5376 == 28'842'036'848);
    // The KV cache: 52 of the 62 layers (five of six) attend to the last 1024 tokens only; 16
    // key/value heads of 128.
    CHECK(p.number("kv_cache_values(" + config("medgemma_27b") + ", 131072)") ==
          2.0 * 16 * 128 * (52 * 1024 + 10 * 131072.0));
}

TEST_CASE("Gemma 3 4B: five local layers of 1024 tokens for each global one", "[models][configs]") {
    Models p;
    // 34 layers, sliding_window_pattern 6: layers 5, 11, 17, 23 and 29 are global, the other 29
    // keep the last 1024 tokens; 4 key/value heads of 256.
    CHECK(p.number("kv_cache_values(" + config("gemma3_4b_text") + ", 131072)") ==
          2.0 * 4 * 256 * (29 * 1024 + 5 * 131072.0));
    CHECK(p.number("kv_cache_values(" + config("gemma3_4b_text") + ", 1000)") == 2.0 * 4 * 256 * 34 * 1000);
}

TEST_CASE("Falcon-40B in its original keys (RefinedWeb)", "[models][configs]") {
    Models p;
    // tiiuae/falcon-40b's pytorch_model.bin.index.json: total_size 83,671,941,120 bytes of
    // bfloat16, which lists lm_head.weight besides the word embedding it is tied to (the .bin
    // files hold both); transformers ties them, so the model has one V·h matrix fewer.
    CHECK(p.number("params(" + config("falcon_40b") + ")") == 83'671'941'120.0 / 2 - 65'024.0 * 8192);
    // New decoder: 8 key/value heads (n_head_kv) of 64 for the 128 query heads, two LayerNorms per
    // layer (ln_attn, ln_mlp), no biases.
    CHECK(p.number("kv_cache_values(" + config("falcon_40b") + ", 2048)") == 2.0 * 60 * 8 * 64 * 2048);
}

TEST_CASE("Falcon-7B in the new keys (falcon, the old decoder)", "[models][configs]") {
    Models p;
    const std::string f7 = config("falcon_7b_instruct");
    // tiiuae/falcon-7b's checkpoint holds 7,217,189,760 values (a public table of Hub model sizes),
    // lm_head.weight among them besides the word embedding it is tied to: one 65,024 × 4544
    // matrix fewer in the model.
    CHECK(p.number("params(" + f7 + ")") == 7'217'189'760.0 - 65'024.0 * 4544);
    // multi_query: one key/value head (FalconConfig's num_kv_heads, 71 here, counts only with the
    // new decoder); parallel_attn: one LayerNorm per layer.
    CHECK(p.number(f7 + ".kv_heads") == 1);
    CHECK(p.number(f7 + ".norms_per_layer") == 1);
    CHECK(p.number("kv_cache_values(" + f7 + ", 2048)") == 2.0 * 32 * 1 * 64 * 2048);
}

TEST_CASE("Falcon-7B in its original keys (RefinedWebModel): the same model as in the new keys", "[models][configs]") {
    Models p;
    const std::string rw = config("falcon_7b_instruct_rw"), f7 = config("falcon_7b_instruct");
    // multi_query: one key/value head of 64 for the 71 query heads; parallel_attn: one LayerNorm
    // (input_layernorm) per layer; no biases.
    CHECK(p.number(rw + ".kv_heads") == 1);
    CHECK(p.number(rw + ".norms_per_layer") == 1);
    CHECK(p.number("params(" + rw + ")") == p.number("params(" + f7 + ")"));
    CHECK(p.number("kv_cache_values(" + rw + ", 2048)") == 2.0 * 32 * 1 * 64 * 2048);
}

TEST_CASE("StarCoder2-15B: biases everywhere and a window of 4096 on every layer", "[models][configs]") {
    Models p;
    const std::string sc = config("starcoder2_15b");
    // Per layer: q 6144² and k, v 6144·512 with their biases, o 6144² + 6144, c_fc and c_proj
    // 2·6144·24576 + 24576 + 6144, two LayerNorms 4·6144.
    const double attention = 6144.0 * 6144 + 2 * 6144.0 * 512 + (6144 + 2 * 512) + 6144.0 * 6144 + 6144;
    const double mlp = 2 * 6144.0 * 24576 + 24576 + 6144;
    CHECK(p.number("params_breakdown(" + sc + ").attention") == 40 * attention);
    CHECK(p.number("params_breakdown(" + sc + ").mlp") == 40 * mlp);
    // An untied head: the embedding and the head are 49,152 × 6144 each.
    CHECK(p.number("params_breakdown(" + sc + ").head") == 49'152.0 * 6144);
    // Every layer keeps the last 4096 tokens only: 4 key/value heads of 128.
    CHECK(p.number("kv_cache_values(" + sc + ", 16384)") == 2.0 * 40 * 4 * 128 * 4096);
    CHECK(p.number("kv_cache_values(" + sc + ", 1000)") == 2.0 * 40 * 4 * 128 * 1000);
}

TEST_CASE("WizardCoder-15B (GPTBigCode): multi-query attention and a learned position table", "[models][configs]") {
    Models p;
    const std::string wc = config("wizardcoder_15b");
    // c_attn projects 6144 to the queries and one key and one value head of 128; with c_proj and
    // the biases, per layer 6144·6400 + 6400 + 6144² + 6144.
    CHECK(p.number(wc + ".kv_heads") == 1);
    CHECK(p.number("params_breakdown(" + wc + ").attention") == 40 * (6144.0 * 6400 + 6400 + 6144.0 * 6144 + 6144));
    CHECK(p.number("params_breakdown(" + wc + ").positions") == 8192.0 * 6144);
    CHECK(p.number("params_breakdown(" + wc + ").head") == 0);
    // One key/value head of 128 per layer: 40 · 2 · 128 values a token.
    CHECK(p.number("kv_cache_values(" + wc + ", 8192)") == 2.0 * 40 * 128 * 8192);
}

TEST_CASE("BLOOM: ALiBi and full multi-head attention in the KV cache", "[models][configs]") {
    Models p;
    // 112 heads of 128, every one cached, in 70 layers; no position table.
    CHECK(p.number("kv_cache_values(" + config("bloom_176b") + ", 2048)") == 2.0 * 70 * 14336 * 2048);
    CHECK(p.number("params_breakdown(" + config("bloom_176b") + ").positions") == 0);
    // word_embeddings_layernorm and ln_f besides two per layer: (2·70 + 2) LayerNorms of 2·14336.
    CHECK(p.number("params_breakdown(" + config("bloom_176b") + ").norms") == (2.0 * 70 + 2) * 2 * 14336);
}
