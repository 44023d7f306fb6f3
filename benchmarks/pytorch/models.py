"""PyTorch twins of the library's networks, for timing only (benchmarks/pytorch/bench.py).

Each class mirrors a C# module under src/ layer by layer (sizes, activations, BatchNorm settings, initialisation,
weight tying), so that one training step does the same arithmetic on both sides. File and class named in each
docstring; shapes in comments, as in the C# code.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- VAE (src/EhrSynth.Generators.Vae/Modules)

def conv_lengths(codes, kernel=5, stride=4):
    """ConvGeometry.For: padding kernel // 2, two strided convolutions."""
    pad = kernel // 2
    l1 = (codes + 2 * pad - kernel) // stride + 1
    l2 = (l1 + 2 * pad - kernel) // stride + 1
    return pad, l1, l2


class ConvVae(nn.Module):
    """ConvEncoderNet + ConvDecoderNet (the paper's 1-D convolutional VAE)."""

    def __init__(self, codes, channels=128, latent=128, kernel=5, stride=4):
        super().__init__()
        pad, self.l1, self.l2 = conv_lengths(codes, kernel, stride)
        self.codes, self.channels = codes, channels
        self.conv1 = nn.Conv1d(1, channels, kernel, stride, pad)
        self.conv2 = nn.Conv1d(channels, channels, kernel, stride, pad)
        self.mu = nn.Linear(channels * self.l2, latent)
        self.logvar = nn.Linear(channels * self.l2, latent)
        self.fc = nn.Linear(latent, channels * self.l2)
        self.deconv1 = nn.ConvTranspose1d(channels, channels, kernel, stride)
        self.deconv2 = nn.ConvTranspose1d(channels, 1, kernel, stride)
        self.code_bias = nn.Parameter(torch.zeros(codes))

    def encode(self, x):
        h = F.relu(self.conv1(x.unsqueeze(1)))                          # [B, C, L1]
        h = F.relu(self.conv2(h)).flatten(1)                            # [B, C·L2]
        return self.mu(h), self.logvar(h)                               # [B, Z], [B, Z]

    def decode(self, z):
        h = F.relu(self.fc(z)).view(-1, self.channels, self.l2)         # [B, C, L2]
        h = F.relu(self.deconv1(h)[:, :, :self.l1])                     # [B, C, L1]
        return self.deconv2(h)[:, 0, :self.codes] + self.code_bias      # [B, D] logits


class MlpVae(nn.Module):
    """MlpEncoderNet + MlpDecoderNet (the quick preset)."""

    def __init__(self, codes, hidden=256, latent=128):
        super().__init__()
        self.fc = nn.Linear(codes, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.fc1 = nn.Linear(latent, hidden)
        self.fc2 = nn.Linear(hidden, codes)

    def encode(self, x):
        h = F.relu(self.fc(x))                                          # [B, H]
        return self.mu(h), self.logvar(h)                               # [B, Z], [B, Z]

    def decode(self, z):
        return self.fc2(F.relu(self.fc1(z)))                            # [B, D] logits


def negative_elbo(vae, x):
    """VaeGenerator.NegativeElbo: summed BCE + KL over the batch."""
    mu, logvar = vae.encode(x)                                          # [B, Z]
    z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()                # [B, Z]
    bce = F.binary_cross_entropy_with_logits(vae.decode(z), x, reduction="sum")
    kl = -0.5 * (1 + logvar - mu.square() - logvar.exp()).sum()
    return bce + kl, bce, kl


# ---------------------------------------------------------------- GANs (src/EhrSynth.Generators.Gan/Modules)

class ResidualGenerator(nn.Module):
    """ResidualGeneratorNet: blocks of Linear → BatchNorm(eps 1e-3, momentum 0.01) → ReLU (tanh last) + skip."""

    def __init__(self, width, blocks, bias):
        super().__init__()
        self.linears = nn.ModuleList(nn.Linear(width, width, bias=bias) for _ in range(blocks))
        self.norms = nn.ModuleList(nn.BatchNorm1d(width, eps=1e-3, momentum=0.01) for _ in range(blocks))

    def forward(self, z):
        h = z                                                           # [B, W]
        for i, (lin, bn) in enumerate(zip(self.linears, self.norms)):
            a = bn(lin(h))                                              # [B, W]
            h = (torch.tanh(a) if i == len(self.linears) - 1 else F.relu(a)) + h
        return h


class MinibatchDiscriminator(nn.Module):
    """MinibatchDiscriminatorNet: an MLP, optionally reading [x, batch mean of x]."""

    def __init__(self, codes, hidden, minibatch_averaging):
        super().__init__()
        self.averaging = minibatch_averaging
        widths = [2 * codes if minibatch_averaging else codes, *hidden, 1]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))

    def forward(self, x):
        h = torch.cat([x, x.mean(0, keepdim=True).expand(x.shape[0], -1)], 1) if self.averaging else x   # [B, 2D]
        for layer in self.layers[:-1]:
            h = F.relu(layer(h))                                        # [B, h_i]
        return self.layers[-1](h).squeeze(1)                            # [B]


class MedGanAutoencoder(nn.Module):
    """MedGanAutoencoderNet: Linear(D, 128) → tanh → Linear(128, D)."""

    def __init__(self, codes, embedding=128):
        super().__init__()
        self.encoder = nn.Linear(codes, embedding)
        self.decoder = nn.Linear(embedding, codes)

    def forward(self, x):
        return self.decoder(torch.tanh(self.encoder(x)))                # [B, D] logits


def tensorflow_glorot_(module):
    """GanInit.TensorFlowGlorot: Glorot-uniform matrices and biases; BatchNorm keeps γ = 1, β = 0."""
    with torch.no_grad():
        for child in module.modules():
            if isinstance(child, nn.BatchNorm1d):
                continue
            for name, p in child.named_parameters(recurse=False):
                if p.dim() == 2:
                    nn.init.xavier_uniform_(p)
                elif name.endswith("bias"):
                    limit = math.sqrt(3.0 / p.shape[0])
                    nn.init.uniform_(p, -limit, limit)


CORGAN_ENCODER = [(5, 2), (5, 2), (5, 3), (5, 3), (5, 3)]
CORGAN_DECODER = [(5, 4), (7, 4), (7, 3), (7, 2), (3, 2)]


def corgan_geometry(codes):
    """CorGanGeometry.For: encoder lengths, and the first decoder kernel that reaches D codes."""
    padded = max(codes, 221)
    lengths = [padded]
    for k, s in CORGAN_ENCODER:
        lengths.append((lengths[-1] - k) // s + 1)

    def decoded(k0):
        length = k0
        for k, s in CORGAN_DECODER:
            length = (length - 1) * s + k
        return length

    k0 = 1
    while decoded(k0) < codes:
        k0 += 1
    return padded, lengths[-1], k0


class CorGanEncoder(nn.Module):
    """CorGanEncoderNet: five strided convolutions (BatchNorm after all but the first), LeakyReLU 0.2, → [B, 128, 1]."""

    def __init__(self, codes):
        super().__init__()
        self.codes = codes
        self.padded, last_kernel, _ = corgan_geometry(codes)
        self.convs, self.norms = nn.ModuleList(), nn.ModuleList()
        channels = 1
        for i, (k, s) in enumerate(CORGAN_ENCODER):
            self.convs.append(nn.Conv1d(channels, 4 << i, k, s))
            if i > 0:
                self.norms.append(nn.BatchNorm1d(4 << i))
            channels = 4 << i
        self.convs.append(nn.Conv1d(channels, 128, last_kernel, 1))

    def forward(self, x):
        h = x.unsqueeze(1)                                              # [B, 1, D]
        if self.padded > self.codes:
            h = F.pad(h, (0, self.padded - self.codes))                 # [B, 1, P]
        for i in range(len(CORGAN_ENCODER)):
            h = self.convs[i](h)                                        # [B, 4·2^i, L]
            if i > 0:
                h = self.norms[i - 1](h)
            h = F.leaky_relu(h, 0.2)
        return torch.tanh(self.convs[-1](h))                            # [B, 128, 1]


class CorGanDecoder(nn.Module):
    """CorGanDecoderNet: transposed convolutions 128 → 64 → … → 1 with BatchNorm and ReLU, cut to D codes."""

    def __init__(self, codes):
        super().__init__()
        self.codes = codes
        _, _, k0 = corgan_geometry(codes)
        self.deconvs, self.norms = nn.ModuleList([nn.ConvTranspose1d(128, 64, k0, 1)]), nn.ModuleList()
        channels = 64
        for i, (k, s) in enumerate(CORGAN_DECODER):
            nxt = 1 if i == len(CORGAN_DECODER) - 1 else channels // 2
            self.deconvs.append(nn.ConvTranspose1d(channels, nxt, k, s))
            if nxt > 1:
                self.norms.append(nn.BatchNorm1d(nxt))
            channels = nxt

    def forward(self, code):
        h = code.unsqueeze(2) if code.dim() == 2 else code              # [B, 128, 1]
        h = F.relu(self.deconvs[0](h))                                  # [B, 64, k0]
        for i in range(1, len(self.deconvs) - 1):
            h = F.relu(self.norms[i - 1](self.deconvs[i](h)))           # [B, c_i, L_i]
        return self.deconvs[-1](h)[:, 0, :self.codes]                   # [B, D] logits


class CorGanAutoencoder(nn.Module):
    def __init__(self, codes):
        super().__init__()
        self.encoder = CorGanEncoder(codes)
        self.decoder = CorGanDecoder(codes)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def corgan_init_(module):
    """GanInit.CorGan: convolutions N(0, 0.02); BatchNorm γ N(1, 0.02), β 0; Linear Xavier-uniform, bias 0.01."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)):
                nn.init.normal_(m.weight, 0, 0.02)
            elif isinstance(m, nn.BatchNorm1d):
                nn.init.normal_(m.weight, 1, 0.02)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0.01)


# ---------------------------------------------------------------- diffusion (src/EhrSynth.Generators.Diffusion/Modules)

def sinusoidal(t, dim):
    """SinusoidalEmbedding.Embed."""
    half = dim // 2
    scale = math.log(10_000) / max(1, half - 1)
    freqs = torch.exp(torch.arange(half, dtype=torch.float32) * -scale)  # [half]
    angles = t.float().unsqueeze(1) * freqs.unsqueeze(0)               # [B, half]
    return torch.cat([angles.sin(), angles.cos()], 1)                   # [B, dim]


class Denoiser(nn.Module):
    """DenoiserNet: EHRDiff's MLP with a time embedding added before every block (v2)."""

    def __init__(self, codes, hidden=(1024, 384, 384, 384, 1024), embedding=128, time_hidden=384):
        super().__init__()
        self.embedding = embedding
        self.time_fc1 = nn.Linear(embedding, time_hidden)
        self.time_fc2 = nn.Linear(time_hidden, time_hidden)
        widths = [codes, *hidden, codes]
        self.time_proj = nn.ModuleList(nn.Linear(time_hidden, w) for w in widths[:-1])
        self.blocks = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))

    def forward(self, x, noise):
        e = self.time_fc2(F.silu(self.time_fc1(sinusoidal(noise, self.embedding))))   # [B, T]
        h = x                                                           # [B, D]
        for proj, block in zip(self.time_proj, self.blocks):
            h = block(F.relu(h + proj(e)))                              # [B, w_{i+1}]
        return h                                                        # [B, D]


def ema_update_(ema, net, decay):
    """ExponentialMovingAverage.Update: every floating state entry ← d · shadow + (1 − d) · model."""
    with torch.no_grad():
        target = ema.state_dict()
        for key, value in net.state_dict().items():
            target[key].mul_(decay).add_(value, alpha=1 - decay)


# ---------------------------------------------------------------- GPT-2 (src/EhrSynth.Generators.Llm/Gpt2/Modules)

class Gpt2Block(nn.Module):
    """Gpt2Block: pre-LN attention and MLP (GELU tanh), dropout 0.1 on attention, residual and MLP outputs."""

    def __init__(self, c, heads, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.ln_1 = nn.LayerNorm(c, eps=1e-5)
        self.c_attn = nn.Linear(c, 3 * c)
        self.c_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c, eps=1e-5)
        self.c_fc = nn.Linear(c, 4 * c)
        self.mlp_proj = nn.Linear(4 * c, c)

    def attention(self, x, cache, position):
        b, t, c = x.shape
        hs = c // self.heads
        q, k, v = self.c_attn(x).view(b, t, 3, self.heads, hs).permute(2, 0, 3, 1, 4)   # each [B, nh, T, hs]
        if cache is not None:
            ck, cv = cache
            ck[:, :, position:position + t] = k
            cv[:, :, position:position + t] = v
            k, v = ck[:, :, :position + t], cv[:, :, :position + t]    # [B, nh, pos+T, hs]
        # PyTorch 1.13 has no scaled_dot_product_attention: the explicit product, as Hugging Face GPT-2 ran then.
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))         # [B, nh, T, S]
        if t > 1:
            s = k.shape[2]
            mask = torch.ones(t, s, dtype=torch.bool).tril(s - t)
            att = att.masked_fill(~mask, float("-inf"))
        att = F.dropout(F.softmax(att, -1), self.dropout, self.training)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)                  # [B, T, C]
        return F.dropout(self.c_proj(y), self.dropout, self.training)

    def forward(self, x, cache=None, position=0):
        x = x + self.attention(self.ln_1(x), cache, position)          # [B, T, C]
        h = self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x + F.dropout(h, self.dropout, self.training)            # [B, T, C]


class Gpt2LmHead(nn.Module):
    """Gpt2LmHeadNet: token + position embeddings, blocks, final LayerNorm, LM head tied to the token embedding."""

    def __init__(self, vocab, layers, c, heads, positions=1024, dropout=0.1):
        super().__init__()
        self.layers, self.c, self.heads = layers, c, heads
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(positions, c)
        self.drop = nn.Dropout(dropout)
        self.h = nn.ModuleList(Gpt2Block(c, heads, dropout) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c, eps=1e-5)
        for p in self.parameters():                                     # GPT-2's init: N(0, 0.02), as the library
            if p.dim() == 2:
                nn.init.normal_(p, 0, 0.02)

    def forward(self, idx, caches=None, position=0):
        t = idx.shape[1]
        pos = torch.arange(position, position + t)                      # [T]
        x = self.drop(self.wte(idx) + self.wpe(pos))                    # [B, T, C]
        for i, block in enumerate(self.h):
            x = block(x, None if caches is None else caches[i], position)
        return self.ln_f(x) @ self.wte.weight.t()                       # [B, T, V]
