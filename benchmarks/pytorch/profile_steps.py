"""Where a training step's time goes in PyTorch, stage by stage: the twin of StepProfile.cs (the library's half).

The MLP VAE (batch 500), medGAN's reference step (batch 1,000, two D updates, one G update) and EHRDiff's reference
v2 step (batch 1,024, AdamW, EMA), with the same stages as the library: median of 20 steps after 3 warm-ups, in ms.
PyTorch keeps the data as a dense matrix and indexes a batch out of it; the library builds the dense batch from its
sparse records (the "dense batch" stage).

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 benchmarks/pytorch/profile_steps.py
"""
import random
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("profile_steps.py: PyTorch is not installed for this Python. On Debian: apt-get update && apt-get install -y "
             "python3-torch python3-numpy libopenblas0-pthread (then run with /usr/bin/python3).")

import models as M
from bench import CODES, medgan_networks, mimic_scale

WARMUP, MEASURED = 3, 20


class Clock:
    """Accumulates the time of each named stage within a step (stages repeated in a step add up)."""

    def __init__(self):
        self.stages, self.current, self.record, self.start = {}, {}, False, 0.0

    def begin(self, record):
        self.flush()
        self.record, self.start = record, time.perf_counter()

    def lap(self, stage):
        now = time.perf_counter()
        self.current[stage] = self.current.get(stage, 0.0) + (now - self.start) * 1e3
        self.start = now

    def flush(self):
        if self.record:
            for stage, ms in self.current.items():
                self.stages.setdefault(stage, []).append(ms)
        self.current = {}

    def finish(self):
        self.flush()
        self.record = False
        return self.stages


def patients(index, batch, count):
    r = random.Random(index)
    return torch.tensor([r.randrange(count) for _ in range(batch)])


def vae_mlp():
    torch.manual_seed(1)
    b = 500
    data = mimic_scale(b * 8)
    vae = M.MlpVae(CODES)
    opt = torch.optim.Adam(vae.parameters(), 1e-3)
    clock = Clock()
    for s in range(WARMUP + MEASURED):
        clock.begin(s >= WARMUP)
        x = data[patients(s, b, data.shape[0])]                         # [B, D]
        clock.lap("dense batch")
        vae.train()
        loss, bce, kl = M.negative_elbo(vae, x)
        clock.lap("forward + loss")
        opt.zero_grad()
        loss.backward()
        clock.lap("backward")
        opt.step()
        clock.lap("optimizer")
        (loss.item(), bce.item(), kl.item())
        clock.lap("read-back")
    return clock.finish()


def medgan():
    torch.manual_seed(1)
    b = 1_000
    data = mimic_scale(b * 8)
    ae, gen, disc, opt_g, opt_d = medgan_networks()
    clock = Clock()
    for s in range(WARMUP + MEASURED):
        clock.begin(s >= WARMUP)
        disc.train()
        for k in range(2):
            real = data[patients(2 * s + k, b, data.shape[0])]          # [B, D]
            clock.lap("dense batch ×2")
            gen.eval()
            with torch.no_grad():
                fake = torch.sigmoid(ae.decoder(gen(torch.randn(b, 128))))
            clock.lap("D: fakes ×2")
            rl, fl = disc(real), disc(fake)
            loss = F.binary_cross_entropy_with_logits(rl, torch.ones_like(rl)) + F.binary_cross_entropy_with_logits(fl, torch.zeros_like(fl))
            clock.lap("D: forward + loss ×2")
            opt_d.zero_grad()
            loss.backward()
            clock.lap("D: backward ×2")
            opt_d.step()
            clock.lap("D: optimizer ×2")
            (loss.item(), (rl > 0).sum().item(), (fl > 0).sum().item())
            clock.lap("read-back")
        gen.train()
        ae.train()
        generated = torch.sigmoid(ae.decoder(gen(torch.randn(b, 128))))
        g_loss = F.binary_cross_entropy_with_logits(disc(generated), torch.ones(b))
        clock.lap("G: forward + loss")
        opt_g.zero_grad()
        g_loss.backward()
        clock.lap("G: backward")
        opt_g.step()
        clock.lap("G: optimizer")
        g_loss.item()
        clock.lap("read-back")
    return clock.finish()


def ehrdiff():
    torch.manual_seed(1)
    b, sd = 1_024, 0.14
    data = mimic_scale(b * 8)
    net, ema = M.Denoiser(CODES), M.Denoiser(CODES)
    ema.load_state_dict(net.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(net.parameters(), 3e-4, weight_decay=0)
    clock = Clock()
    for s in range(WARMUP + MEASURED):
        clock.begin(s >= WARMUP)
        x = data[patients(s, b, data.shape[0])]                         # [B, D]
        clock.lap("dense batch")
        for g in opt.param_groups:
            g["lr"] = 3e-4 * (s + 1) / (WARMUP + MEASURED)
        net.train()
        sigma = (torch.randn(b, 1) * 1.2 - 1.2).exp()                   # [B, 1]
        noisy = x + torch.randn_like(x) * sigma                         # [B, D]
        s2 = sigma.square() + sd * sd                                   # [B, 1]
        denoised = (sd * sd / s2) * noisy + (sigma * sd / s2.sqrt()) * net(s2.rsqrt() * noisy, sigma.log().flatten() / 4)
        loss = ((s2 / (sigma * sd).square()) * (denoised - x).square()).mean()
        clock.lap("noise + forward + loss")
        opt.zero_grad()
        loss.backward()
        clock.lap("backward")
        opt.step()
        clock.lap("optimizer")
        M.ema_update_(ema, net, min(0.999, (1.0 + s) / (10.0 + s)))
        clock.lap("EMA")
        loss.item()
        clock.lap("read-back")
    return clock.finish()


def denoiser_products():
    """The denoiser's six matrix products at the generation batch of 1,000 (Linear forward: x·Wᵀ + b; the two 384 × 384 ones add up)."""
    torch.manual_seed(1)
    widths = [CODES, 1_024, 384, 384, 384, 1_024, CODES]
    layers = [(torch.randn(1_000, widths[i]), torch.randn(widths[i + 1], widths[i]), torch.randn(widths[i + 1])) for i in range(len(widths) - 1)]
    clock = Clock()
    with torch.no_grad():
        for s in range(WARMUP + MEASURED):
            clock.begin(s >= WARMUP)
            for x, w, b in layers:
                F.linear(x, w, b)                                       # [1000, out]
                clock.lap(f"linear 1000×{w.shape[1]}×{w.shape[0]}")
    return clock.finish()


def main():
    torch.set_num_threads(2)
    for name, run in (("vae-mlp", vae_mlp), ("medgan", medgan), ("ehrdiff", ehrdiff), ("denoiser", denoiser_products)):
        total = 0.0
        for stage, times in run().items():
            median = statistics.median(times)
            total += median
            print(f"{name:<10} {stage:<24} {median:9.2f} ms")
        print(f"{name:<10} {'sum of medians':<24} {total:9.2f} ms", flush=True)


if __name__ == "__main__":
    main()
