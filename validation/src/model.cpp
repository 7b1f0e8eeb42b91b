// The transformer: parameter layout, init, and the forward/backward passes
// composed from layers.cpp. The backward pass walks the forward in reverse,
// carrying the residual-stream gradient in one buffer (dresid_).
#include "validation/model.hpp"

#include <cmath>
#include <stdexcept>

#include "validation/blas.hpp"
#include "validation/layers.hpp"
#include "validation/rng.hpp"

namespace plan::validation {

namespace {
constexpr int kPerLayer = 12;  // tensors per block in the layout
constexpr int kLayerBase = 2;  // wte, wpe come first

void require(bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("model config: " + what);
}
}  // namespace

void ModelConfig::validate() const {
    require(vocab >= 2, "vocab must be >= 2, got " + std::to_string(vocab));
    require(seq_len >= 1, "seq_len must be >= 1, got " + std::to_string(seq_len));
    require(d_model >= 1, "d_model must be >= 1, got " + std::to_string(d_model));
    require(n_layers >= 1, "n_layers must be >= 1, got " + std::to_string(n_layers));
    require(n_heads >= 1 && d_model % n_heads == 0,
            "n_heads (" + std::to_string(n_heads) + ") must divide d_model (" + std::to_string(d_model) + ")");
    require(d_mlp >= 1, "d_mlp must be >= 1, got " + std::to_string(d_mlp));
}

std::vector<ParamTensor> param_layout(const ModelConfig& cfg) {
    cfg.validate();
    const int V = cfg.vocab, T = cfg.seq_len, C = cfg.d_model, M = cfg.d_mlp;
    std::vector<ParamTensor> out;
    size_t offset = 0;
    auto add = [&](std::string name, std::vector<int> shape, bool decay, bool embedding = false) {
        size_t n = 1;
        for (int d : shape) n *= static_cast<size_t>(d);
        out.push_back({std::move(name), std::move(shape), offset, n, decay, embedding});
        offset += n;
    };
    add("wte", {V, C}, true, true);
    add("wpe", {T, C}, true, true);
    for (int l = 0; l < cfg.n_layers; ++l) {
        const std::string p = "h." + std::to_string(l) + ".";
        add(p + "ln1.weight", {C}, false);
        add(p + "ln1.bias", {C}, false);
        add(p + "attn.qkv.weight", {3 * C, C}, true);
        add(p + "attn.qkv.bias", {3 * C}, false);
        add(p + "attn.proj.weight", {C, C}, true);
        add(p + "attn.proj.bias", {C}, false);
        add(p + "ln2.weight", {C}, false);
        add(p + "ln2.bias", {C}, false);
        add(p + "mlp.fc.weight", {M, C}, true);
        add(p + "mlp.fc.bias", {M}, false);
        add(p + "mlp.proj.weight", {C, M}, true);
        add(p + "mlp.proj.bias", {C}, false);
    }
    add("lnf.weight", {C}, false);
    add("lnf.bias", {C}, false);
    add("head.weight", {V, C}, true);
    return out;
}

ParamCounts count_params(const ModelConfig& cfg) {
    ParamCounts c;
    for (const auto& t : param_layout(cfg)) {
        c.total += static_cast<int64_t>(t.size);
        if (t.embedding) c.embedding += static_cast<int64_t>(t.size);
    }
    c.non_embedding = c.total - c.embedding;
    return c;
}

template <typename T>
struct Model<T>::Layer {
    T *ln1w, *ln1b, *qkvw, *qkvb, *projw, *projb, *ln2w, *ln2b, *fcw, *fcb, *fc2w, *fc2b;
};

template <typename T>
typename Model<T>::Layer Model<T>::layer(std::vector<T>& buf, int l) const {
    T* p[kPerLayer];
    for (int i = 0; i < kPerLayer; ++i) p[i] = buf.data() + layout_[kLayerBase + l * kPerLayer + i].offset;
    return {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]};
}

template <typename T>
Model<T>::Model(const ModelConfig& cfg, int max_batch, int threads)
    : cfg_(cfg), max_batch_(max_batch), nt_(std::max(1, threads)), layout_(param_layout(cfg)) {
    if (max_batch < 1) throw std::invalid_argument("model: max_batch must be >= 1");
    set_blas_single_threaded();
    const size_t n = layout_.back().offset + layout_.back().size;
    params_.assign(n, T(0));
    grads_.assign(n, T(0));
    const size_t L = cfg.n_layers, BT = static_cast<size_t>(max_batch) * cfg.seq_len;
    const size_t C = cfg.d_model, M = cfg.d_mlp, V = cfg.vocab, Tn = cfg.seq_len;
    const size_t att = static_cast<size_t>(max_batch) * cfg.n_heads * Tn * Tn;
    inputs_.assign(BT, 0);
    targets_.assign(BT, 0);
    resid_.assign((L + 1) * BT * C, T(0));
    for (auto* v : {&ln1_, &atty_, &resid_mid_, &ln2_}) v->assign(L * BT * C, T(0));
    for (auto* v : {&ln1_mean_, &ln1_rstd_, &ln2_mean_, &ln2_rstd_}) v->assign(L * BT, T(0));
    qkv_.assign(L * BT * 3 * C, T(0));
    att_.assign(L * att, T(0));
    fc_.assign(L * BT * M, T(0));
    fc_gelu_.assign(L * BT * M, T(0));
    lnf_.assign(BT * C, T(0));
    lnf_mean_.assign(BT, T(0));
    lnf_rstd_.assign(BT, T(0));
    logits_.assign(BT * V, T(0));
    probs_.assign(BT * V, T(0));
    losses_.assign(BT, T(0));
    for (auto* v : {&dresid_, &dln_, &datty_, &dproj_}) v->assign(BT * C, T(0));
    dqkv_.assign(BT * 3 * C, T(0));
    dfc_.assign(BT * M, T(0));
    dfc_gelu_.assign(BT * M, T(0));
    dlogits_.assign(BT * V, T(0));
    att_scratch_.assign(static_cast<size_t>(nt_) * Tn * Tn, T(0));
}

template <typename T>
void Model<T>::init_weights(uint64_t seed) {
    Rng rng(derive_seed(seed, 0x1417));
    const double residual_std = 0.02 / std::sqrt(2.0 * cfg_.n_layers);
    for (const auto& t : layout_) {
        T* p = params_.data() + t.offset;
        const bool is_ln_weight = t.name.find("ln") != std::string::npos && t.name.ends_with(".weight");
        const bool is_residual_proj = t.name.ends_with("attn.proj.weight") || t.name.ends_with("mlp.proj.weight");
        for (size_t i = 0; i < t.size; ++i) {
            if (is_ln_weight) p[i] = T(1);
            else if (t.shape.size() == 1) p[i] = T(0);  // biases
            else p[i] = static_cast<T>(rng.normal() * (is_residual_proj ? residual_std : 0.02));
        }
    }
}

template <typename T>
T Model<T>::forward(const int32_t* inputs, const int32_t* targets, int batch) {
    if (batch < 1 || batch > max_batch_)
        throw std::invalid_argument("model: batch " + std::to_string(batch) + " outside 1.." + std::to_string(max_batch_));
    const int B = batch, Tn = cfg_.seq_len, C = cfg_.d_model, M = cfg_.d_mlp, V = cfg_.vocab;
    const int NH = cfg_.n_heads, BT = B * Tn;
    for (int i = 0; i < BT; ++i) {
        if (inputs[i] < 0 || inputs[i] >= V || (targets && (targets[i] < 0 || targets[i] >= V)))
            throw std::out_of_range("model: token outside the vocabulary of " + std::to_string(V));
        inputs_[i] = inputs[i];
        targets_[i] = targets ? targets[i] : 0;
    }
    batch_ = B;
    have_targets_ = targets != nullptr;

    // Per-layer activations are strided by the max batch, so smaller
    // (evaluation) batches reuse the same buffers.
    const size_t sC = static_cast<size_t>(max_batch_) * Tn * C, sM = static_cast<size_t>(max_batch_) * Tn * M;
    const size_t sN = static_cast<size_t>(max_batch_) * Tn;
    const size_t sA = static_cast<size_t>(max_batch_) * NH * Tn * Tn;
    const T* P = params_.data();
    layers::embed_forward(resid_.data(), inputs_.data(), P + layout_[0].offset, P + layout_[1].offset, B, Tn, C);
    for (int l = 0; l < cfg_.n_layers; ++l) {
        const Layer w = layer(params_, l);
        T* x = resid_.data() + l * sC;
        T* ln1 = ln1_.data() + l * sC;
        T* qkv = qkv_.data() + 3 * l * sC;
        T* atty = atty_.data() + l * sC;
        T* mid = resid_mid_.data() + l * sC;
        T* ln2 = ln2_.data() + l * sC;
        T* fc = fc_.data() + l * sM;
        T* fcg = fc_gelu_.data() + l * sM;
        layers::layernorm_forward(ln1, ln1_mean_.data() + l * sN, ln1_rstd_.data() + l * sN, x, w.ln1w, w.ln1b, BT, C, nt_);
        layers::linear_forward(qkv, ln1, w.qkvw, w.qkvb, BT, C, 3 * C, nt_);
        layers::attention_forward(atty, att_.data() + l * sA, qkv, B, Tn, C, NH, nt_);
        layers::linear_forward(dproj_.data(), atty, w.projw, w.projb, BT, C, C, nt_);
        layers::residual_forward(mid, x, dproj_.data(), static_cast<size_t>(BT) * C, nt_);
        layers::layernorm_forward(ln2, ln2_mean_.data() + l * sN, ln2_rstd_.data() + l * sN, mid, w.ln2w, w.ln2b, BT, C, nt_);
        layers::linear_forward(fc, ln2, w.fcw, w.fcb, BT, C, M, nt_);
        layers::gelu_forward(fcg, fc, static_cast<size_t>(BT) * M, nt_);
        layers::linear_forward(dproj_.data(), fcg, w.fc2w, w.fc2b, BT, M, C, nt_);
        layers::residual_forward(resid_.data() + (l + 1) * sC, mid, dproj_.data(), static_cast<size_t>(BT) * C, nt_);
    }
    const size_t nl = layout_.size();
    const T* xL = resid_.data() + cfg_.n_layers * sC;
    layers::layernorm_forward(lnf_.data(), lnf_mean_.data(), lnf_rstd_.data(), xL, P + layout_[nl - 3].offset,
                              P + layout_[nl - 2].offset, BT, C, nt_);
    layers::linear_forward(logits_.data(), lnf_.data(), P + layout_[nl - 1].offset, static_cast<const T*>(nullptr), BT, C, V, nt_);
    if (!targets) return T(0);
    return layers::crossentropy_forward(probs_.data(), losses_.data(), logits_.data(), targets_.data(), BT, V, nt_);
}

template <typename T>
void Model<T>::backward() {
    if (!have_targets_) throw std::logic_error("model: backward() needs a forward() with targets");
    const int B = batch_, Tn = cfg_.seq_len, C = cfg_.d_model, M = cfg_.d_mlp, V = cfg_.vocab;
    const int NH = cfg_.n_heads, BT = B * Tn;
    const size_t sC = static_cast<size_t>(max_batch_) * Tn * C, sM = static_cast<size_t>(max_batch_) * Tn * M;
    const size_t sN = static_cast<size_t>(max_batch_) * Tn;
    const size_t sA = static_cast<size_t>(max_batch_) * NH * Tn * Tn;
    const T* P = params_.data();
    T* G = grads_.data();
    const size_t nl = layout_.size();

    layers::crossentropy_backward(dlogits_.data(), probs_.data(), targets_.data(), BT, V, nt_);
    layers::linear_backward(dln_.data(), G + layout_[nl - 1].offset, static_cast<T*>(nullptr), dlogits_.data(),
                            lnf_.data(), P + layout_[nl - 1].offset, BT, C, V, nt_);
    std::fill(dresid_.begin(), dresid_.begin() + static_cast<size_t>(BT) * C, T(0));
    layers::layernorm_backward(dresid_.data(), G + layout_[nl - 3].offset, G + layout_[nl - 2].offset, dln_.data(),
                               resid_.data() + cfg_.n_layers * sC, P + layout_[nl - 3].offset, lnf_mean_.data(),
                               lnf_rstd_.data(), BT, C, nt_);
    for (int l = cfg_.n_layers - 1; l >= 0; --l) {
        const Layer w = layer(params_, l);
        const Layer g = layer(grads_, l);
        const T* x = resid_.data() + l * sC;
        // MLP branch: resid[l+1] = mid + fc2(gelu(fc(ln2(mid)))).
        layers::linear_backward(dfc_gelu_.data(), g.fc2w, g.fc2b, dresid_.data(), fc_gelu_.data() + l * sM, w.fc2w, BT, M, C, nt_);
        layers::gelu_backward(dfc_.data(), fc_.data() + l * sM, dfc_gelu_.data(), static_cast<size_t>(BT) * M, nt_);
        layers::linear_backward(dln_.data(), g.fcw, g.fcb, dfc_.data(), ln2_.data() + l * sC, w.fcw, BT, C, M, nt_);
        layers::layernorm_backward(dresid_.data(), g.ln2w, g.ln2b, dln_.data(), resid_mid_.data() + l * sC, w.ln2w,
                                   ln2_mean_.data() + l * sN, ln2_rstd_.data() + l * sN, BT, C, nt_);
        // Attention branch: mid = x + proj(attn(qkv(ln1(x)))).
        layers::linear_backward(datty_.data(), g.projw, g.projb, dresid_.data(), atty_.data() + l * sC, w.projw, BT, C, C, nt_);
        layers::attention_backward(dqkv_.data(), att_scratch_.data(), datty_.data(), qkv_.data() + 3 * l * sC,
                                   att_.data() + l * sA, B, Tn, C, NH, nt_);
        layers::linear_backward(dln_.data(), g.qkvw, g.qkvb, dqkv_.data(), ln1_.data() + l * sC, w.qkvw, BT, C, 3 * C, nt_);
        layers::layernorm_backward(dresid_.data(), g.ln1w, g.ln1b, dln_.data(), x, w.ln1w, ln1_mean_.data() + l * sN,
                                   ln1_rstd_.data() + l * sN, BT, C, nt_);
    }
    layers::embed_backward(G + layout_[0].offset, G + layout_[1].offset, dresid_.data(), inputs_.data(), B, Tn, C, V, Tn);
}

template class Model<float>;
template class Model<double>;

}  // namespace plan::validation
