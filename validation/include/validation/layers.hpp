// The building blocks of the transformer, forward and backward, written as
// plain loops plus gemm calls (llm.c style). T is float (training) or double
// (finite-difference gradient checks). Shapes: N = batch*seq rows, C =
// channels, OC = output channels, NH = heads, nt = OpenMP threads.
//
// Gradient conventions (so that no global zero_grad pass is needed):
//  - parameter gradients are overwritten (each parameter is used once per step);
//  - linear_backward overwrites dinp; layernorm_backward ADDS into dinp (it
//    feeds the residual stream, which also carries the skip connection).
#pragma once

#include <cstddef>
#include <cstdint>

namespace plan::validation::layers {

// out[b,t,:] = wte[tokens[b,t],:] + wpe[t,:]
template <typename T>
void embed_forward(T* out, const int32_t* tokens, const T* wte, const T* wpe, int B, int Tn, int C);
// Overwrites dwte [V,C] and dwpe [Tmax,C] (rows beyond the batch's tokens become zero).
template <typename T>
void embed_backward(T* dwte, T* dwpe, const T* dout, const int32_t* tokens, int B, int Tn, int C,
                    int V, int Tmax);

// LayerNorm over the last axis, eps = 1e-5 (PyTorch's default).
template <typename T>
void layernorm_forward(T* out, T* mean, T* rstd, const T* inp, const T* w, const T* b, int N, int C,
                       int nt);
template <typename T>
void layernorm_backward(T* dinp, T* dw, T* db, const T* dout, const T* inp, const T* w,
                        const T* mean, const T* rstd, int N, int C, int nt);

// out[N,OC] = inp[N,C] w[OC,C]^T + bias[OC] (bias may be null); PyTorch Linear layout.
template <typename T>
void linear_forward(T* out, const T* inp, const T* w, const T* bias, int N, int C, int OC, int nt);
template <typename T>
void linear_backward(T* dinp, T* dw, T* dbias, const T* dout, const T* inp, const T* w, int N,
                     int C, int OC, int nt);

// Causal multi-head attention. qkv [B,Tn,3C] holds q|k|v, head h at columns
// h*hs..; out [B,Tn,C]; att [B,NH,Tn,Tn] keeps the softmax probabilities
// (zero above the diagonal) for the backward pass.
template <typename T>
void attention_forward(T* out, T* att, const T* qkv, int B, int Tn, int C, int NH, int nt);
// Overwrites dqkv. scratch needs 2*Tn*Tn elements per thread.
template <typename T>
void attention_backward(T* dqkv, T* scratch, const T* dout, const T* qkv, const T* att, int B,
                        int Tn, int C, int NH, int nt);

// GELU, tanh approximation (GPT-2; PyTorch gelu(approximate="tanh")).
template <typename T>
void gelu_forward(T* out, const T* inp, size_t n, int nt);
// Overwrites dinp.
template <typename T>
void gelu_backward(T* dinp, const T* inp, const T* dout, size_t n, int nt);

// out = a + b
template <typename T>
void residual_forward(T* out, const T* a, const T* b, size_t n, int nt);

// Softmax cross-entropy over V classes per row. Writes probs [N,V] and per-row
// losses; returns the mean loss (summed in double, in row order).
template <typename T>
T crossentropy_forward(T* probs, T* losses, const T* logits, const int32_t* targets, int N, int V,
                       int nt);
// dlogits = (probs - onehot(target)) / N: the gradient of the mean loss.
template <typename T>
void crossentropy_backward(T* dlogits, const T* probs, const int32_t* targets, int N, int V, int nt);

}  // namespace plan::validation::layers
