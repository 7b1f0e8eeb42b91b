// A GPT-2-style decoder-only transformer with hand-written forward and
// backward passes:
//   x = wte[token] + wpe[pos]
//   per layer: x += proj(attn(ln1(x)));  x += fc2(gelu(fc1(ln2(x))))
//   logits = head(lnf(x))   (untied head, no bias)
// T is float for training and double for finite-difference gradient checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plan::validation {

struct ModelConfig {
    int vocab = 256;
    int seq_len = 64;  // context length (learned position embeddings)
    int d_model = 64;
    int n_layers = 2;
    int n_heads = 4;
    int d_mlp = 256;
    // Throws std::invalid_argument naming the bad field.
    void validate() const;
};

// One parameter tensor inside the flat parameter buffer. Names follow the
// PyTorch reference module (tests/validation/torch_reference.py).
struct ParamTensor {
    std::string name;
    std::vector<int> shape;
    size_t offset = 0;
    size_t size = 0;
    bool decay = false;      // AdamW weight decay applies (matrices and embeddings)
    bool embedding = false;  // token or position embedding (excluded from non-embedding N)
};

std::vector<ParamTensor> param_layout(const ModelConfig& cfg);

struct ParamCounts {
    int64_t total = 0;
    int64_t embedding = 0;      // wte + wpe
    int64_t non_embedding = 0;  // total - embedding (the untied head counts: it costs FLOPs)
};
ParamCounts count_params(const ModelConfig& cfg);

template <typename T>
class Model {
public:
    // Allocates parameters, gradients and activations for up to max_batch
    // sequences of cfg.seq_len tokens; nothing is allocated per step.
    Model(const ModelConfig& cfg, int max_batch, int threads);

    const ModelConfig& config() const { return cfg_; }
    const std::vector<ParamTensor>& layout() const { return layout_; }
    std::vector<T>& params() { return params_; }
    const std::vector<T>& params() const { return params_; }
    std::vector<T>& grads() { return grads_; }
    int threads() const { return nt_; }

    // GPT-2 init: N(0, 0.02) for matrices and embeddings, residual output
    // projections N(0, 0.02/sqrt(2L)), biases 0, LayerNorm weights 1.
    void init_weights(uint64_t seed);

    // Forward pass over `batch` sequences (tokens [batch, seq_len]). With
    // targets, returns the mean cross-entropy; without, returns 0.
    T forward(const int32_t* inputs, const int32_t* targets, int batch);
    // Gradients of the mean loss of the last forward (which needs targets).
    void backward();

    // [batch, seq_len, vocab] logits of the last forward.
    const T* logits() const { return logits_.data(); }

private:
    struct Layer;  // pointers into a flat buffer for one block
    Layer layer(std::vector<T>& buf, int l) const;

    ModelConfig cfg_;
    int max_batch_;
    int nt_;
    std::vector<ParamTensor> layout_;
    std::vector<T> params_, grads_;

    int batch_ = 0;  // batch size of the last forward
    bool have_targets_ = false;
    std::vector<int32_t> inputs_, targets_;
    // Activations saved for backward. Per-layer buffers are [L, ...].
    std::vector<T> resid_;      // [L+1, BT, C] residual stream entering each layer (+ final)
    std::vector<T> ln1_, ln1_mean_, ln1_rstd_, qkv_, att_, atty_, resid_mid_;
    std::vector<T> ln2_, ln2_mean_, ln2_rstd_, fc_, fc_gelu_;
    std::vector<T> lnf_, lnf_mean_, lnf_rstd_, logits_, probs_, losses_;
    // Backward scratch.
    std::vector<T> dresid_, dln_, dqkv_, datty_, dfc_, dfc_gelu_, dlogits_, att_scratch_, dproj_;
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace plan::validation
