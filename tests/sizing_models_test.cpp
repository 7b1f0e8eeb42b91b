// The sizing library's models and compute (stdlib/models.plan, stdlib/compute.plan, hf_model):
// exact parameter counts of published checkpoints from their config.json (tests/configs), the
// presets, properties of the counts, the compute formulas, and the errors for bad configs.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "plan/plan.hpp"
#include "stdlib/native/hf/registry.hpp"

namespace {

const std::string kSource = PLAN_SOURCE_DIR;
const std::string kConfigs = kSource + "/tests/configs/";

plan::SessionOptions quiet() {
    plan::SessionOptions o;
    o.print_expressions = false;
    return o;
}

// A session with `use compute` (and so `use models`) loaded.
struct Sized {
    plan::Session s{quiet()};
    Sized() { REQUIRE(s.eval("use compute").ok()); }

    plan::Result eval(const std::string& code) { return s.eval(code, "<test>"); }

    double number(const std::string& code) {
        plan::Result r = eval(code);
        INFO(code);
        if (!r.ok()) FAIL(r.errors.at(0).rendered);
        REQUIRE(r.value);
        REQUIRE(r.value->number);
        return *r.value->number;
    }
    std::string display(const std::string& code) {
        plan::Result r = eval(code);
        INFO(code);
        if (!r.ok()) FAIL(r.errors.at(0).rendered);
        REQUIRE(r.value);
        return r.value->display;
    }
    bool truth(const std::string& code) { return display(code) == "true"; }
};

std::string config(const std::string& name) { return "hf_model(\"" + kConfigs + name + "/config.json\")"; }

}  // namespace

TEST_CASE("hf_model gives the exact parameter count of every config in tests/configs", "[models]") {
    Sized p;
    struct Case {
        const char* dir;
        double total, active;
    };
    // The counts of the published checkpoints (sum of the tensor sizes in their safetensors).
    const Case cases[] = {
        {"gpt2", 124'439'808, 124'439'808},
        {"llama2_7b", 6'738'415'616, 6'738'415'616},
        {"llama3_8b", 8'030'261'248, 8'030'261'248},
        {"mistral_7b", 7'241'732'096, 7'241'732'096},
        {"mixtral_8x7b", 46'702'792'704, 12'879'925'248},
        {"qwen2_0_5b", 494'032'768, 494'032'768},
        {"qwen2_7b", 7'615'616'512, 7'615'616'512},
        {"tinyllama_1_1b", 1'100'048'384, 1'100'048'384},
        {"llama3_2_3b", 3'212'749'824, 3'212'749'824},  // tied embeddings
        {"gemma2_2b", 2'614'341'888, 2'614'341'888},     // head_dim 256, four norms per layer
        {"phi_2", 2'779'683'840, 2'779'683'840},         // parallel block, biases, head bias
        {"mamba_130m", 129'135'360, 129'135'360},        // selective state space, no attention
    };
    for (const Case& c : cases) {
        INFO(c.dir);
        CHECK(p.number("params(" + config(c.dir) + ")") == c.total);
        CHECK(p.number("active_params(" + config(c.dir) + ")") == c.active);
    }
}

TEST_CASE("the presets match their configs field by field and count the same", "[models]") {
    Sized p;
    const std::pair<const char*, const char*> pairs[] = {
        {"gpt2", "gpt2"},          {"llama2_7b", "llama2_7b"},       {"llama3_8b", "llama3_8b"},
        {"mistral_7b", "mistral_7b"}, {"mixtral_8x7b", "mixtral_8x7b"}, {"qwen2_0_5b", "qwen2_0_5b"},
        {"qwen2_7b", "qwen2_7b"},
    };
    for (auto [dir, preset] : pairs) {
        INFO(preset);
        CHECK(p.number("params(" + std::string(preset) + ")") == p.number("params(" + config(dir) + ")"));
        // Every field but the name agrees.
        CHECK(p.truth("{ let a = " + config(dir) + "; let b = " + preset +
                      "; a.family == b.family and a.layers == b.layers and a.d_model == b.d_model and "
                      "a.heads == b.heads and a.kv_heads == b.kv_heads and a.head_dim == b.head_dim and "
                      "a.d_ff == b.d_ff and a.vocab == b.vocab and a.context == b.context and "
                      "a.experts == b.experts and a.experts_per_token == b.experts_per_token and "
                      "a.norm_vectors == b.norm_vectors and a.norms_per_layer == b.norms_per_layer and "
                      "a.outer_norms == b.outer_norms and a.mlp_matrices == b.mlp_matrices and a.qkv_bias == b.qkv_bias and "
                      "a.out_bias == b.out_bias and a.mlp_bias == b.mlp_bias and a.learned_positions == b.learned_positions and "
                      "a.tied_embeddings == b.tied_embeddings }"));
    }
}

TEST_CASE("hf_model and the presets are one record type: they mix in a list", "[models]") {
    Sized p;
    std::string mixed = "[";  // (built by appending: GCC 12 warns falsely on "[" + std::string)
    mixed += config("llama2_7b");
    mixed += ", llama2_7b, gpt2, mixtral_8x7b, transformer]";
    plan::Result r = p.eval(mixed);
    REQUIRE(r.ok());
    CHECK(p.number("len([" + config("gpt2") + ", " + config("mixtral_8x7b") + ", qwen2_0_5b, bert_base])") == 4);
    CHECK(p.number("sum([params(m) for m in [" + config("gpt2") + ", gpt2]])") == 2 * 124'439'808.0);
    // The record's fields, in order (the contract the other modules rely on).
    plan::Session s(quiet());
    REQUIRE(s.eval("use models").ok());
    CHECK(s.fields_of("transformer") ==
          std::vector<std::string>{"name", "family", "layers", "d_model", "heads", "kv_heads", "head_dim", "d_ff",
                                   "vocab", "context", "experts", "experts_per_token", "norm_vectors", "norms_per_layer",
                                   "outer_norms", "mlp_matrices", "qkv_bias", "out_bias", "mlp_bias", "learned_positions",
                                   "tied_embeddings", "head_bias", "q_norm_width", "k_norm_width", "q_lora_rank",
                                   "kv_lora_rank", "rope_head_dim", "v_head_dim", "dense_layers", "dense_d_ff",
                                   "shared_experts", "shared_d_ff", "shared_expert_gate", "router_bias", "window",
                                   "window_layers", "ssm_state", "ssm_inner", "ssm_conv", "ssm_dt_rank"});
    CHECK(s.type_of(config("gpt2")).value->display == s.type_of("llama3_70b").value->display);
    // hf_model is `use models`' own (it fills `transformer`), and shows as a model.
    CHECK(s.eval(config("gpt2") + ".d_ff").value->display == "3072");  // n_inner null: 4·n_embd
    CHECK(s.eval(config("gpt2")).value->display.rfind("model { name = \"gpt2\", family = \"gpt2\", layers = 12", 0) == 0);
    // Without `use models`, the name loads its module (models) on demand; with stdlib names off, it
    // is unknown.
    plan::Session on_demand(quiet());
    CHECK(on_demand.eval(config("gpt2") + ".d_ff").value->display == "3072");
    plan::SessionOptions no_stdlib = quiet();
    no_stdlib.stdlib = false;
    plan::Session bare(no_stdlib);
    CHECK(bare.eval(config("gpt2")).errors.at(0).message == "unknown function `hf_model`");
}

TEST_CASE("every model_type hf_model reads fills the record exactly, for a config in tests/configs", "[models]") {
    // The model_type of each config here, and one config of each.
    std::map<std::string, std::string> config_of;
    for (const auto& dir : std::filesystem::directory_iterator(kConfigs)) {
        std::ifstream in(dir.path() / "config.json");
        if (!in) continue;
        nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_object() && j.contains("model_type") && j["model_type"].is_string())
            config_of.emplace(j["model_type"].get<std::string>(), dir.path().filename().string());
    }
    // Every reader has a real config.json of its type in tests/configs (copied as a public
    // repository holds it, with its published count; tests/configs/README.md): none is made up.
    Sized p;
    REQUIRE(plan::hf::readers().size() == 28);
    for (const plan::hf::Reader& reader : plan::hf::readers()) {
        INFO(reader.model_type);
        auto config_dir = config_of.find(reader.model_type);
        REQUIRE(config_dir != config_of.end());
        // A field of `transformer` the reader does not set, or one it sets that the record lacks,
        // fails here.
        plan::Result r = p.eval(config(config_dir->second));
        if (!r.ok()) FAIL(r.errors.at(0).rendered);
        std::string family = reader.model_type;  // shown in quotes
        CHECK(p.display(config(config_dir->second) + ".family") == std::string(1, '"').append(family).append(1, '"'));
    }
    // The record and the readers must agree both ways.
    auto error = [&](const std::string& record) {
        plan::Result r = p.eval("hf_read(\"" + kConfigs + "gpt2/config.json\", " + record + ")");
        REQUIRE_FALSE(r.ok());
        return r.errors.at(0).message;
    };
    CHECK(error("{ name = \"x\", vision_layers = 0 }") == "the record's field `vision_layers` is not set by the gpt2 reader");
    CHECK(error("{ name = \"x\" }") == "the gpt2 reader sets `family`, a field the record lacks");
    CHECK(error("{ name = \"x\", layers = true }") == "field `layers` of the record is a Bool, but the gpt2 reader sets a count");
    CHECK(error("{ name = \"x\", layers = 12 GB }") ==
          "field `layers` of the record is a number with a dimension, but the gpt2 reader sets a count");
}

TEST_CASE("hf_model reads what matters from each model_type", "[models]") {
    Sized p;
    CHECK(p.display(config("gpt2") + ".tied_embeddings") == "true");  // GPT2Config default
    CHECK(p.display(config("gpt2") + ".context") == "1024");
    CHECK(p.display(config("gpt2") + ".learned_positions") == "1024");  // n_positions
    CHECK(p.display(config("gpt2") + ".norm_vectors") == "2");  // LayerNorm: weight and bias
    CHECK(p.display(config("gpt2") + ".mlp_matrices") == "2");
    CHECK(p.display(config("llama2_7b") + ".learned_positions") == "0");  // rotary
    CHECK(p.display(config("llama2_7b") + ".mlp_matrices") == "3");  // SwiGLU
    CHECK(p.display(config("llama2_7b") + ".name") == "\"meta-llama/Llama-2-7b-hf\"");  // _name_or_path
    CHECK(p.display(config("llama3_8b") + ".name") == "\"llama3_8b\"");  // else the folder
    CHECK(p.display(config("llama3_8b") + ".kv_heads") == "8");
    CHECK(p.display(config("llama3_8b") + ".head_dim") == "128");
    CHECK(p.display(config("mixtral_8x7b") + ".experts") == "8");
    CHECK(p.display(config("mixtral_8x7b") + ".experts_per_token") == "2");
    CHECK(p.display(config("qwen2_7b") + ".qkv_bias") == "true");
    CHECK(p.display(config("qwen2_7b") + ".out_bias") == "false");
    CHECK(p.display(config("qwen2_0_5b") + ".tied_embeddings") == "true");
    CHECK(p.display(config("qwen2_7b") + ".tied_embeddings") == "false");
    CHECK(p.display(config("mistral_7b") + ".norm_vectors") == "1");  // RMSNorm: weight only
}

TEST_CASE("a relative config path is read beside the calling file", "[models]") {
    plan::Session s(quiet());
    // A file in tests/: the path is relative to it.
    plan::Result r = s.eval("use models\nparams(hf_model(\"configs/gpt2/config.json\"))", kSource + "/tests/relative.plan");
    if (!r.ok()) FAIL(r.errors.at(0).rendered);
    CHECK(*r.value->number == 124'439'808);
}

TEST_CASE("plan eval --json: a parameter count and a model record", "[models]") {
    plan::Session s(quiet());
    plan::Result r = s.eval("use models; params(" + config("gpt2") + ")", "<expr>");
    REQUIRE(r.ok());
    CHECK(r.value->json == R"({"type":"Scalar","value":124439808.0,"unit":"","display":"1.2444e8","dimension":"Scalar","base_unit":""})");
    r = s.eval(config("llama2_7b"), "<expr>");
    REQUIRE(r.ok());
    const std::string& j = r.value->json;
    CHECK(j.find(R"("value":{"name":{"type":"String","value":"meta-llama/Llama-2-7b-hf"},"family":{"type":"String","value":"llama"},)"
                 R"("layers":{"type":"Scalar","value":32.0,)") != std::string::npos);
    CHECK(j.find(R"("kv_heads":{"type":"Scalar","value":32.0,"unit":"","display":"32","dimension":"Scalar","base_unit":""})") !=
          std::string::npos);
    CHECK(j.find(R"("mlp_matrices":{"type":"Scalar","value":3.0,"unit":"","display":"3","dimension":"Scalar","base_unit":""},)"
                 R"("qkv_bias":{"type":"Bool","value":false},"out_bias":{"type":"Bool","value":false},)"
                 R"("mlp_bias":{"type":"Bool","value":false},)"
                 R"("learned_positions":{"type":"Scalar","value":0.0,"unit":"","display":"0","dimension":"Scalar","base_unit":""},)"
                 R"("tied_embeddings":{"type":"Bool","value":false},"head_bias":{"type":"Bool","value":false},)") != std::string::npos);
    r = s.eval("params_breakdown(mixtral_8x7b)", "<expr>");
    REQUIRE(r.ok());
    CHECK(r.value->json.find(R"("router":{"type":"Scalar","value":1048576.0,)") != std::string::npos);
}

TEST_CASE("presets: the published parameter counts", "[models]") {
    Sized p;
    CHECK(p.number("params(gpt2)") == 124'439'808);
    CHECK(p.number("params(gpt2_medium)") == 354'823'168);
    CHECK(p.number("params(gpt2_large)") == 774'030'080);
    CHECK(p.number("params(gpt2_xl)") == 1'557'611'200);
    CHECK(p.number("params(llama1_7b)") == 6'738'415'616);
    CHECK(p.number("params(llama1_13b)") == 13'015'864'320);
    CHECK(p.number("params(llama1_33b)") == 32'528'943'616);
    CHECK(p.number("params(llama1_65b)") == 65'285'660'672);
    CHECK(p.number("params(llama2_7b)") == 6'738'415'616);
    CHECK(p.number("params(llama2_13b)") == 13'015'864'320);
    CHECK(p.number("params(llama2_70b)") == 68'976'648'192);
    CHECK(p.number("params(llama3_8b)") == 8'030'261'248);
    CHECK(p.number("params(llama3_70b)") == 70'553'706'496);
    CHECK(p.number("params(mistral_7b)") == 7'241'732'096);
    CHECK(p.number("params(mixtral_8x7b)") == 46'702'792'704);
    CHECK(p.number("active_params(mixtral_8x7b)") == 12'879'925'248);
    CHECK(p.number("params(qwen2_0_5b)") == 494'032'768);
    CHECK(p.number("params(qwen2_1_5b)") == 1'543'714'304);
    CHECK(p.number("params(qwen2_7b)") == 7'615'616'512);
    CHECK(p.number("params(qwen2_72b)") == 72'706'203'648);
    // BERT's encoder stack (BertModel has 109,482,240 with token types and the pooler).
    CHECK(p.number("params(bert_base) + 2 * 768 + 768 * 768 + 768") == 109'482'240);
    CHECK(p.number("params(bert_large) + 2 * 1024 + 1024 * 1024 + 1024") == 335'141'888);
}

TEST_CASE("the eight GPT-3 sizes of Brown et al. 2020, Table 2.1", "[models]") {
    Sized p;
    const std::pair<const char*, double> sizes[] = {
        {"gpt3_small", 125'226'240}, {"gpt3_medium", 355'871'744}, {"gpt3_large", 760'300'032},
        {"gpt3_xl", 1'315'723'264},  {"gpt3_2_7b", 2'651'553'280}, {"gpt3_6_7b", 6'658'404'352},
        {"gpt3_13b", 12'853'386'240}, {"gpt3_175b", 174'604'259'328},
    };
    for (auto [name, n] : sizes) {
        INFO(name);
        CHECK(p.number("params(" + std::string(name) + ")") == n);
        CHECK(p.number(std::string(name) + ".context") == 2048);
        CHECK(p.number(std::string(name) + ".d_ff / " + name + ".d_model") == 4);
    }
    CHECK(p.number("len(gpt3_family)") == 8);
    CHECK(p.number("approx_params(gpt3_small)") == 84'934'656);  // 12·L·d²: "85M by formula"
    CHECK(p.number("approx_params(gpt3_175b)") == 173'946'175'488);
    CHECK(p.number("gpt3_13b.d_model") == 5120);  // Table 2.1's 5140 is not 40 × 128
    // Kaplan's non-embedding count of a tied GPT: params minus token and position tables.
    CHECK(p.number("non_embedding_params(gpt3_small)") == 125'226'240 - 50257 * 768 - 2048 * 768);
}

TEST_CASE("parameter counts: breakdown and properties", "[models]") {
    Sized p;
    // The breakdown adds up, component by component (Llama-2-7B).
    CHECK(p.display("params_breakdown(llama2_7b)") ==
          "{ embedding = 1.31072e8, positions = 0, attention = 2.14748e9, mlp = 4.32852e9, router = 0, "
          "ssm = 0, norms = 266240, head = 1.31072e8, total = 6.73842e9 }");
    using Exact = std::initializer_list<std::pair<const char*, const char*>>;
    for (auto [field, exact] : Exact{{"embedding", "131072000"}, {"attention", "2147483648"}, {"mlp", "4328521728"},
                                     {"head", "131072000"}, {"total", "6738415616"}})
        CHECK(p.display(std::string("params_breakdown(llama2_7b).") + field + " -> exact") == exact);
    CHECK(p.number("{ let b = params_breakdown(gpt2); b.embedding + b.positions + b.attention + b.mlp + b.router + "
                   "b.ssm + b.norms + b.head - b.total }") == 0);
    // Monotone in layers and width.
    for (const char* m : {"gpt2", "llama2_7b", "mixtral_8x7b", "qwen2_0_5b"}) {
        INFO(m);
        std::string base = m;
        CHECK(p.truth("params(" + base + " { layers = " + base + ".layers + 1 }) > params(" + base + ")"));
        CHECK(p.truth("params(" + base + " { d_model = " + base + ".d_model + 64 }) > params(" + base + ")"));
        CHECK(p.truth("params(" + base + " { d_ff = " + base + ".d_ff + 64 }) > params(" + base + ")"));
        // Untying the head adds exactly V·h; tying removes it.
        CHECK(p.number("params(" + base + " { tied_embeddings = false }) - params(" + base +
                       " { tied_embeddings = true })") == p.number(base + ".vocab * " + base + ".d_model"));
        CHECK(p.truth("active_params(" + base + ") <= params(" + base + ")"));
        CHECK(p.truth("non_embedding_params(" + base + ") < params(" + base + ")"));
    }
    // Qwen2-0.5B ties its embeddings: untied it would be 136,134,656 larger.
    CHECK(p.number("params(qwen2_0_5b { tied_embeddings = false }) - params(qwen2_0_5b)") == 151936.0 * 896);
    // MoE: the total counts every expert, the active only the top-k; a dense model has both equal.
    CHECK(p.truth("params(mixtral_8x7b) > active_params(mixtral_8x7b)"));
    CHECK(p.number("params(mixtral_8x7b) - active_params(mixtral_8x7b)") == 32.0 * 6 * 3 * 4096 * 14336);
    CHECK(p.number("params(mixtral_8x7b) - params(mistral_7b)") == 32.0 * (7 * 3 * 4096 * 14336 + 4096 * 8));
    CHECK(p.number("params(llama2_7b) - active_params(llama2_7b)") == 0);
    // Grouped-query attention: 8 KV heads instead of 32 save 2·h·(32 − 8)·128 per layer.
    CHECK(p.number("params(llama3_8b { kv_heads = 32 }) - params(llama3_8b)") == 32.0 * 2 * 4096 * 24 * 128);
    // Biases: Qwen2's qkv biases are a·k + 2·g·k per layer.
    CHECK(p.number("params(qwen2_7b) - params(qwen2_7b { qkv_bias = false })") == 28.0 * (3584 + 2 * 512));
    // LayerNorm has twice the parameters of RMSNorm: (2L + 1)·h more.
    CHECK(p.number("params(llama2_7b { norm_vectors = 2 }) - params(llama2_7b)") == 65.0 * 4096);
    // A parallel block has one norm per layer; an embedding norm is one more outer norm.
    CHECK(p.number("params(gpt2) - params(gpt2 { norms_per_layer = 1 })") == 12.0 * 2 * 768);
    CHECK(p.number("params(gpt2 { outer_norms = 2 }) - params(gpt2)") == 2.0 * 768);
    // A gated MLP has a third matrix, and with biases a third of the inner width: L·(h·f + f).
    CHECK(p.number("params(gpt2 { mlp_matrices = 3 }) - params(gpt2)") == 12.0 * (768 * 3072 + 3072));
    CHECK(p.number("params(llama2_7b) - params(llama2_7b { mlp_matrices = 2 })") == 32.0 * 4096 * 11008);
    // Rotary positions have no parameters; a learned table learned_positions·h.
    CHECK(p.number("params(gpt2 { learned_positions = 0 })") == 124'439'808 - 1024 * 768);
    CHECK(p.number("params(gpt2 { context = 2048 }) - params(gpt2)") == 0);  // the table is the checkpoint's
    CHECK(p.number("params(gpt_like(\"g\", 12, 768, 12, context = 2048)) - params(gpt2)") == 1024.0 * 768);
    // The KV cache: a key and a value of kv_heads·head_dim per layer and token.
    CHECK(p.number("kv_cache_values(llama3_8b, 8192)") == 2.0 * 32 * 8 * 128 * 8192);
    // Kaplan's N leaves out an untied head too (Pythia's convention).
    CHECK(p.number("non_embedding_params(llama2_7b)") == 6'738'415'616 - 2 * 131'072'000.0);
}

TEST_CASE("training compute: 6·N·D, the exact count and Megatron's formula", "[models][compute]") {
    Sized p;
    // 6·N·D: tokens as a plain number or in tokens; the result is in FLOP.
    CHECK(p.display("training_flops(gpt3_175b, 300B)") == "3.14288e23 FLOP");
    CHECK(p.display("training_flops(gpt3_175b, 300B token)") == "3.14288e23 FLOP");
    CHECK(p.s.type_of("training_flops(gpt2, 1T)").value->display == "Compute");
    CHECK(p.number("training_flops(llama2_7b, 2T)") == 6.0 * 6'738'415'616 * 2e12);
    // A mixture of experts costs its active parameters per token.
    CHECK(p.number("training_flops(mixtral_8x7b, 1T)") == 6.0 * 12'879'925'248 * 1e12);

    // The exact count, by hand for GPT-2 small at s = 1024, per token forward:
    //   embeddings + logits 4·V·h = 154,389,504
    //   per layer: qkv 2·h·3h = 3,538,944; scores 2·s·h = 1,572,864; softmax 3·a·s = 36,864;
    //              values 1,572,864; output 2h² = 1,179,648; MLP 2·2·h·4h = 9,437,184
    //              = 17,338,368, × 12 = 208,060,416
    double fwd = 154'389'504.0 + 208'060'416.0;
    CHECK(p.number("forward_flops_per_token(gpt2, 1024)") == fwd);
    CHECK(p.number("training_flops_exact(gpt2, 1000, 1024)") == 3000 * fwd);
    // Full recomputation: one more forward pass of the layers (not of the embeddings or logits).
    CHECK(p.number("training_flops_exact(gpt2, 1000, 1024, recompute = true)") == 1000 * (3 * fwd + 208'060'416.0));
    // A causal mask halves scores, softmax and values: (1,572,864·2 + 36,864)/2 per layer.
    CHECK(p.number("forward_flops_per_token(gpt2, 1024) - forward_flops_per_token(gpt2, 1024, causal = true)") ==
          12.0 * (2 * 1'572'864 + 36'864) / 2);
    // The exact count is above 6·N·D for GPT-3 175B (attention and logits), by a few percent.
    double ratio = p.number("training_flops_exact(gpt3_175b, 300B, 2048) / training_flops(gpt3_175b, 300B)");
    CHECK(ratio > 1.0);
    CHECK(ratio < 1.05);
    // Megatron's closed form (Narayanan et al. 2021, eq. 3): 96·B·s·l·h²·(1 + s/6h + V/16lh).
    CHECK(p.number("megatron_flops(gpt3_175b, 2048, 2048)") ==
          Approx(96.0 * 2048 * 96 * 12288.0 * 12288 * (1 + 2048 / (6 * 12288.0) + 50257 / (16 * 96 * 12288.0))));
    // It agrees with the exact count within 1% (it leaves out the softmax and the embedding matmul).
    CHECK(p.number("training_flops_exact(gpt3_175b, 300B, 2048, recompute = true) / megatron_flops(gpt3_175b, 300B, 2048)") ==
          Approx(1).epsilon(0.01));
    CHECK(p.number("training_flops_exact(gpt3_175b, 300B, 2048) / megatron_flops(gpt3_175b, 300B, 2048, recompute = false)") ==
          Approx(1).epsilon(0.01));
}

TEST_CASE("inference compute, MFU and HFU, and the units of compute", "[models][compute]") {
    Sized p;
    CHECK(p.number("inference_flops_per_token(llama2_7b)") == 2.0 * 6'738'415'616);
    // Attention over 4096 cached tokens: 4·L·context·a·k.
    CHECK(p.number("inference_flops_per_token(llama2_7b, 4096) - inference_flops_per_token(llama2_7b)") ==
          4.0 * 32 * 4096 * 4096);
    CHECK(p.number("inference_flops_per_token(mixtral_8x7b)") == 2.0 * 12'879'925'248);
    // PaLM's model FLOPs per token: 6N + 12·L·a·k·s.
    CHECK(p.number("palm_flops_per_token(gpt3_175b, 2048)") == 6.0 * 174'604'259'328 + 12.0 * 96 * 96 * 128 * 2048);
    // PaLM 540B reached 46.2% MFU at 238.3k tokens/s on 6144 TPU v4 chips of 275 TFLOP/s
    // (Chowdhery et al. 2022, Table 3 and App. B): a PaLM-shaped record gives the same MFU.
    // PaLM 540B: 118 layers, d_model 18432, 48 heads of 256, multi-query, d_ff 73728, SwiGLU,
    // vocabulary 256k, shared embeddings, no biases: 540.35B parameters by the paper.
    double palm_mfu = p.number(
        "mfu(llama2_7b { layers = 118, d_model = 18432, heads = 48, kv_heads = 1, head_dim = 256, d_ff = 73728, "
        "vocab = 256000, tied_embeddings = true }, 238.3k token/s, 6144 * 275 TFLOP/s, 2048)");
    CHECK(palm_mfu == Approx(0.462).epsilon(0.01));
    CHECK(p.display("mfu(gpt3_175b, 100k token/s, 1024 * 312 TFLOP/s, 2048)") == "33.6982%");
    // HFU with full recomputation is 8/6 of the weight term and 16/12 of the attention term.
    CHECK(p.number("hfu(gpt3_175b, 100k token/s, 1024 * 312 TFLOP/s, 2048) / mfu(gpt3_175b, 100k token/s, 1024 * 312 TFLOP/s, 2048)") ==
          Approx(4.0 / 3));
    CHECK(p.number("hfu(gpt3_175b, 1k token/s, 312 TFLOP/s, 2048, recompute = false) - mfu(gpt3_175b, 1k token/s, 312 TFLOP/s, 2048)") ==
          0);
    // FLOP ↔ PF-day ↔ GPU-hour.
    CHECK(p.display("pf_days(3.14e23 FLOP)") == "3634.26 PF_day");
    CHECK(p.number("pf_days(1 PF_day * 3) / 1 PF_day") == Approx(3));
    CHECK(p.display("gpu_hours(1 PF_day, 1 PFLOP/s)") == "24 GPU_hour");
    CHECK(p.display("gpu_hours(3.14e23 FLOP, 312 TFLOP/s, 40%)") == "698896 GPU_hour");
    CHECK(p.number("flops_of_gpu_hours(gpu_hours(5e22 FLOP, 989 TFLOP/s, 45%), 989 TFLOP/s, 45%)") == Approx(5e22));
    // Llama 2 7B: 184,320 A100 GPU-hours for 2T tokens (Touvron et al. 2023, Tables 1 and 2) at
    // 312 TFLOP/s: the 6ND compute implies an MFU near 40%.
    double implied = p.number("training_flops(llama2_7b, 2T) / flops_of_gpu_hours(184320 GPU_hour, 312 TFLOP/s)");
    CHECK(implied > 0.35);
    CHECK(implied < 0.45);
}

TEST_CASE("hf_model errors name the file and the key", "[models][errors]") {
    Sized p;
    auto error = [&](const std::string& file) {
        plan::Result r = p.eval("hf_model(\"" + kConfigs + file + "\")");
        REQUIRE_FALSE(r.ok());
        return r.errors.at(0);
    };
    plan::Message e = error("missing/config.json");
    CHECK(e.kind == "io");
    CHECK(e.message.find("cannot read") != std::string::npos);
    CHECK(e.message.find("tests/configs/missing/config.json") != std::string::npos);
    CHECK(e.line == 1);
    CHECK(e.column == 1);

    e = error("broken/not_json.json");
    CHECK(e.kind == "io");
    CHECK(e.message.find("not_json.json is not valid JSON") != std::string::npos);

    e = error("broken/missing_key.json");
    CHECK(e.kind == "runtime");
    CHECK(e.message.find("key `intermediate_size`") != std::string::npos);
    CHECK(e.message.find("missing_key.json is missing") != std::string::npos);

    e = error("broken/bad_value.json");
    CHECK(e.message.find("key `num_hidden_layers`") != std::string::npos);
    CHECK(e.message.find("must be a positive whole number, not \"32\"") != std::string::npos);

    e = error("broken/unknown_type.json");
    CHECK(e.message.find("unsupported model_type \"t5\"") != std::string::npos);
    CHECK(e.help.rfind("supported model types: RefinedWeb, RefinedWebModel, bloom, deepseek_v2, ", 0) == 0);

    e = error("broken/bad_kv_heads.json");
    CHECK(e.message.find("key `num_key_value_heads`") != std::string::npos);

    plan::Result r = p.eval("hf_model(3)");
    CHECK(r.exit_code == 2);
    CHECK(r.errors.at(0).kind == "type");
    CHECK(p.eval("hf_model()").exit_code == 2);
}

TEST_CASE("hf_model reads the architectures beyond LLaMA's shape", "[models]") {
    Sized p;
    // Llama 3.2: the embedding tied, head_dim given.
    CHECK(p.display(config("llama3_2_3b") + ".tied_embeddings") == "true");
    CHECK(p.display(config("llama3_2_3b") + ".head_dim") == "128");
    // Gemma 2: head_dim 256 beside 2304 / 8 = 288, four RMSNorms per layer, half the layers local.
    CHECK(p.display(config("gemma2_2b") + ".head_dim") == "256");
    CHECK(p.display(config("gemma2_2b") + ".norms_per_layer") == "4");
    CHECK(p.display(config("gemma2_2b") + ".window") == "4096");
    CHECK(p.display(config("gemma2_2b") + ".window_layers") == "13");
    // Phi-2: one LayerNorm per parallel block, a bias on the head.
    CHECK(p.display(config("phi_2") + ".norms_per_layer") == "1");
    CHECK(p.display(config("phi_2") + ".head_bias") == "true");
    CHECK(p.number("params_breakdown(" + config("phi_2") + ").head") == 51200.0 * 2560 + 51200);
    // Mamba: no attention and no MLP; its mixers are the ssm component.
    CHECK(p.display(config("mamba_130m") + ".ssm_dt_rank") == "48");
    CHECK(p.display("params_breakdown(" + config("mamba_130m") + ")") ==
          "{ embedding = 3.8615e7, positions = 0, attention = 0, mlp = 0, router = 0, ssm = 9.05011e7, norms = 19200, "
          "head = 0, total = 1.29135e8 }");
    using Exact = std::initializer_list<std::pair<const char*, const char*>>;
    for (auto [field, exact] : Exact{{"embedding", "38615040"}, {"ssm", "90501120"}, {"total", "129135360"}})
        CHECK(p.display("params_breakdown(" + config("mamba_130m") + ")." + field + " -> exact") == exact);
    // Mistral-7B-v0.1's sliding window on every layer; Mixtral has none.
    CHECK(p.display(config("mistral_7b") + ".window_layers") == "32");
    CHECK(p.display(config("mixtral_8x7b") + ".window") == "0");
}

TEST_CASE("the counts of shared experts, dense layers, latent attention and QK norms", "[models]") {
    Sized p;
    // A DeepSeek-V2-shaped layer (DeepSeek-AI 2024, Table 1 and sec. 2.1: d_c = 512, d_c' = 1536,
    // d_h = 128, d_h^R = 64, 128 heads, h = 5120), counted term by term.
    const std::string mla =
        "llama2_7b { d_model = 5120, heads = 128, kv_heads = 128, head_dim = 192, q_lora_rank = 1536, "
        "kv_lora_rank = 512, rope_head_dim = 64, v_head_dim = 128 }";
    double q = 5120.0 * 1536 + 1536 + 1536.0 * 128 * 192;
    double kv = 5120.0 * (512 + 64) + 512 + 512.0 * 128 * (128 + 128);
    double out = 128.0 * 128 * 5120;
    CHECK(p.number("attention_params(" + mla + ")") == q + kv + out);
    // Without a query latent the queries are one projection h × a·k.
    CHECK(p.number("attention_params(" + mla + " { q_lora_rank = 0 })") == 5120.0 * 128 * 192 + kv + out);
    // Shared experts count in the total and in the active parameters; dense layers likewise.
    const std::string moe = "mixtral_8x7b { shared_experts = 2, shared_d_ff = 1408, dense_layers = 1, dense_d_ff = 10944 }";
    double one = 3.0 * 4096 * 1408, dense = 3.0 * 4096 * 10944, expert = 3.0 * 4096 * 14336;
    CHECK(p.number("params(" + moe + ") - params(mixtral_8x7b)") == 31 * 2 * one + dense - expert * 8 - 4096.0 * 8);
    CHECK(p.number("params(" + moe + ") - active_params(" + moe + ")") == 31 * 6 * expert);
    // A router bias adds one per expert and sparse layer; a shared-expert gate h per sparse layer.
    CHECK(p.number("params(mixtral_8x7b { router_bias = true }) - params(mixtral_8x7b)") == 32.0 * 8);
    CHECK(p.number("params(mixtral_8x7b { shared_expert_gate = true }) - params(mixtral_8x7b)") == 32.0 * 4096);
    // QK norms: Qwen3's two RMSNorms of head_dim per layer; OLMo 2's across the heads.
    CHECK(p.number("params(llama3_8b { q_norm_width = 128, k_norm_width = 128 }) - params(llama3_8b)") == 32.0 * 256);
    CHECK(p.number("params(llama3_8b { q_norm_width = 4096, k_norm_width = 1024 }) - params(llama3_8b)") == 32.0 * 5120);
    // A head bias is one per vocabulary entry.
    CHECK(p.number("params(llama3_8b { head_bias = true }) - params(llama3_8b)") == 128256);
}

TEST_CASE("the KV cache of each kind of layer", "[models][inference]") {
    Sized p;
    REQUIRE(p.eval("use inference").ok());
    // Mistral-7B at 32k tokens: the rolling buffer of 4096 tokens, not 32768 (Jiang et al. 2023):
    // 2 × 32 layers × 8 heads × 128 × 4096 × 2 B = 512 MiB, an eighth of the full cache.
    CHECK(p.number("kv_cache_values(mistral_7b, 32768)") == 2.0 * 32 * 8 * 128 * 4096);
    CHECK(p.display("kv_cache(mistral_7b, 32768) -> MiB") == "512 MiB");
    CHECK(p.display("kv_cache(" + config("mistral_7b") + ", 32768) -> MiB") == "512 MiB");
    CHECK(p.number("kv_cache_values(mistral_7b, 1000)") == 2.0 * 32 * 8 * 128 * 1000);  // within the window
    CHECK(p.number("kv_cache_values(mistral_7b { window = 0, window_layers = 0 }, 32768)") == 2.0 * 32 * 8 * 128 * 32768);
    // Gemma 2 2B at 8192 tokens: 13 local layers keep 4096 tokens, 13 global ones 8192.
    CHECK(p.number("kv_cache_values(" + config("gemma2_2b") + ", 8192)") == 2.0 * 4 * 256 * (13 * 4096 + 13 * 8192));
    // Latent attention caches the latent and the rotary key: (512 + 64) per layer and token
    // (DeepSeek-V2, Table 1: (d_c + d_h^R)·l = 4.5·d_h·l), not 2 × 128 heads × 192.
    CHECK(p.number("kv_cache_values(llama2_7b { kv_lora_rank = 512, rope_head_dim = 64, head_dim = 192 }, 1000)") ==
          32.0 * 576 * 1000);
    // Mamba-130M: a constant state per layer, 1536 × (4 + 16), whatever the length.
    CHECK(p.number("kv_cache_values(" + config("mamba_130m") + ", 1)") == 24.0 * 1536 * 20);
    CHECK(p.number("kv_cache_values(" + config("mamba_130m") + ", 100000)") == 24.0 * 1536 * 20);
    // The cache's precision is its own: fp8 halves it whatever the weights.
    CHECK(p.number("inference_memory(mistral_7b, seq = 32768, kv_precision = \"fp8\").kv_cache / "
                   "inference_memory(mistral_7b, seq = 32768).kv_cache") == 0.5);
}

namespace {

// A model folder in the build's temporary directory: a config.json copied from tests/configs and,
// when `total_size` is not 0, a model.safetensors.index.json whose metadata holds it.
std::string model_folder(const std::string& name, const std::string& config_dir, double total_size) {
    std::filesystem::path folder = std::filesystem::temp_directory_path() / ("plan_arch_" + name);
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(kConfigs + config_dir + "/config.json", folder / "config.json",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(folder / "model.safetensors.index.json");
    if (total_size > 0) {
        std::ofstream index(folder / "model.safetensors.index.json");
        index << nlohmann::json{{"metadata", {{"total_size", total_size}}}, {"weight_map", nlohmann::json::object()}}.dump(2);
    }
    return folder.string();
}

}  // namespace

TEST_CASE("hf_model reads a model folder and checks its count against the weights index", "[models]") {
    Sized p;
    // A folder without an index: its config, named after the folder (the config has no _name_or_path).
    std::string plain = model_folder("llama3_2_3b", "llama3_2_3b", 0);
    CHECK(p.display("hf_model(\"" + plain + "\").name") == "\"plan_arch_llama3_2_3b\"");
    CHECK(p.number("params(hf_model(\"" + plain + "/\"))") == 3'212'749'824);
    // An index whose total_size is the count in bfloat16 (the config's torch_dtype): accepted.
    std::string agrees = model_folder("agrees", "qwen2_7b", 2 * 7'615'616'512.0);
    CHECK(p.number("params(hf_model(\"" + agrees + "\"))") == 7'615'616'512);
    CHECK(p.number("params(hf_model(\"" + agrees + "/config.json\"))") == 7'615'616'512);
    // 8 KiB more (Llama-2-7b-hf's index counts its fp32 rotary inv_freq buffers): refused, with both.
    std::string extra = model_folder("extra", "qwen2_7b", 2 * 7'615'616'512.0 + 8192);
    plan::Result r = p.eval("hf_model(\"" + extra + "\")");
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors.at(0).message.find("says 15,231,241,216 bytes, 7,615,620,608 parameters in bfloat16, but hf_model counts "
                                      "7,615,616,512 (15,231,233,024 bytes)") != std::string::npos);
    std::filesystem::remove_all(plain);
    std::filesystem::remove_all(agrees);
    std::filesystem::remove_all(extra);
}
