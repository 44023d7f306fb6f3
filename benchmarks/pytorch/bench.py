"""PyTorch's half of the side-by-side comparison (benchmarks/pytorch/compare.sh runs both halves).

The same cases as the library's SideBySide.cs, with the same networks (models.py), batch sizes, optimizers, loss,
per-step work and sampler, measured the same way:
  * one training step: a loop over the data's batches with the step the library's generator runs (forward, backward,
    optimizer, EMA, loss read back with .item()); median over the steps after two warm-up steps;
  * generation: the sampler, binarisation and per-record split of the codes, median of --runs after one small warm-up.
Writes JSON (--output) and prints one line per measurement.

    /usr/bin/python3 benchmarks/pytorch/bench.py --output torch.json [--runs 3] [--cases vae-mlp,medgan]
"""
import argparse
import json
import math
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("bench.py: PyTorch is not installed for this Python. On Debian: apt-get update && apt-get install -y "
             "python3-torch python3-numpy libopenblas0-pthread (then run with /usr/bin/python3).")

import models as M

CODES = 1_071
WARMUP = 2


def measured_steps(name):
    """Timed steps per case (as in SideBySide.cs): 20, or 6 where one step takes seconds."""
    return 6 if name in ("vae-conv", "gpt2-distil") else 20
CASES = ["vae-conv", "vae-mlp", "medgan", "corgan", "ehrdiff", "ddpm", "gpt2-distil", "gpt2-tiny"]


def mimic_scale(patients, codes=CODES, mean_codes=13.3, seed=1):
    """MimicScaleData.Create's distribution (Zipf-like prevalences, ≈ 13 codes per patient), as a dense matrix."""
    g = torch.Generator().manual_seed(seed)
    w = 1.0 / torch.arange(1, codes + 1, dtype=torch.float64)
    p = torch.clamp(w * (mean_codes / w.sum()), max=0.6).float()
    return torch.bernoulli(p.expand(patients, codes), generator=g)      # [N, D]


def batches(data, batch):
    """Shuffled batches of an epoch, cycling, as EpochBatches hands them out."""
    while True:
        order = torch.randperm(data.shape[0])
        for i in range(0, data.shape[0], batch):
            yield data[order[i:i + batch]]                               # [B, D]


def time_steps(step, measured):
    times = []
    for s in range(WARMUP + measured):
        start = time.perf_counter()
        step()
        if s >= WARMUP:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_runs(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def to_records(ones):
    """What DenseBatch.AppendBinary does: the coordinates of the ones, split per record."""
    at = ones.nonzero()                                                 # [nnz, 2]
    return torch.split(at[:, 1], ones.sum(1).long().tolist())


def sample_records(count, batch, probabilities, threshold=None):
    records = []
    with torch.no_grad():
        for done in range(0, count, batch):
            p = probabilities(min(batch, count - done)).clamp(0, 1)   # [b, D]
            ones = (p >= threshold).float() if threshold is not None else torch.bernoulli(p)
            records.extend(to_records(ones))
    return records


def generation(name, count, runs, fn):
    fn(min(count, 200))
    return (f"generate {count:,}", time_runs(lambda: fn(count), runs))


# ---------------------------------------------------------------- VAE

def vae(conv, runs):
    vae = M.ConvVae(CODES) if conv else M.MlpVae(CODES)
    opt = torch.optim.Adam(vae.parameters(), 1e-3)
    steps = measured_steps("vae-conv" if conv else "vae-mlp")
    data = batches(mimic_scale(500 * (steps + 4)), 500)

    def step():
        vae.train()
        x = next(data)
        loss, bce, kl = M.negative_elbo(vae, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        (loss.item(), bce.item(), kl.item())

    yield ("train step", time_steps(step, steps))
    vae.eval()
    yield generation("vae", 10_000, runs, lambda n: sample_records(n, 1_000, lambda b: torch.sigmoid(vae.decode(torch.randn(b, 128)))))


# ---------------------------------------------------------------- medGAN (reference settings)

def medgan_networks():
    """medGAN's reference networks and optimizers: autoencoder, generator, discriminator, Adam for G and for D."""
    ae, gen = M.MedGanAutoencoder(CODES), M.ResidualGenerator(128, 3, bias=False)
    disc = M.MinibatchDiscriminator(CODES, [256, 128], minibatch_averaging=True)
    for m in (ae, gen, disc):
        M.tensorflow_glorot_(m)
    opt_g = torch.optim.Adam([*gen.parameters(), *ae.decoder.parameters()], 1e-3, weight_decay=1e-3)
    opt_d = torch.optim.Adam(disc.parameters(), 1e-3, weight_decay=1e-3)
    return ae, gen, disc, opt_g, opt_d


def medgan(runs):
    ae, gen, disc, opt_g, opt_d = medgan_networks()
    data = batches(mimic_scale(1_000 * 24), 1_000)

    def step():
        disc.train()
        for _ in range(2):                                              # 2 D updates, generator BatchNorm in eval
            real = next(data)
            gen.eval()
            with torch.no_grad():
                fake = torch.sigmoid(ae.decoder(gen(torch.randn(real.shape[0], 128))))
            rl, fl = disc(real), disc(fake)
            loss = F.binary_cross_entropy_with_logits(rl, torch.ones_like(rl)) + F.binary_cross_entropy_with_logits(fl, torch.zeros_like(fl))
            opt_d.zero_grad()
            loss.backward()
            opt_d.step()
            (loss.item(), (rl > 0).sum().item(), (fl > 0).sum().item())
        gen.train()
        ae.train()
        generated = torch.sigmoid(ae.decoder(gen(torch.randn(1_000, 128))))
        g_loss = F.binary_cross_entropy_with_logits(disc(generated), torch.ones(1_000))
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        g_loss.item()

    yield ("train step", time_steps(step, measured_steps("medgan")))

    def generate(n):
        saved = {k: v.clone() for k, v in gen.state_dict().items()}
        with torch.no_grad():
            gen.train()
            for _ in range(1_000):                                      # the reference's BatchNorm burn-in
                gen(torch.randn(1_000, 128))
        gen.eval()
        ae.eval()
        records = sample_records(n, 1_000, lambda b: torch.sigmoid(ae.decoder(gen(torch.randn(b, 128)))))
        gen.load_state_dict(saved)
        return records

    yield generation("medgan", 10_000, runs, generate)


# ---------------------------------------------------------------- CorGAN (reference settings, steady state)

def corgan(runs):
    ae, gen = M.CorGanAutoencoder(CODES), M.ResidualGenerator(128, 2, bias=True)
    critic = M.MinibatchDiscriminator(CODES, [256, 256, 256], minibatch_averaging=False)
    for m in (ae, gen, critic):
        M.corgan_init_(m)
    opt_c = torch.optim.Adam(critic.parameters(), 1e-3, weight_decay=1e-4)
    opt_g = torch.optim.Adam([{"params": gen.parameters(), "lr": 1e-3}, {"params": ae.decoder.parameters(), "lr": 1e-4}], 1e-3, weight_decay=1e-4)
    data = batches(mimic_scale(512 * 24), 512)

    def clip():
        with torch.no_grad():
            for p in critic.parameters():
                p.clamp_(-0.01, 0.01)

    def step():
        real = next(data)
        b = real.shape[0]
        gen.train()
        ae.train()
        critic.train()
        clip()
        for _ in range(5):
            with torch.no_grad():
                fake = torch.sigmoid(ae.decoder(gen(torch.randn(b, 128))))
            loss = critic(real).mean() - critic(fake).mean()
            opt_c.zero_grad()
            loss.backward()
            opt_c.step()
            clip()
            loss.item()
        generated = torch.sigmoid(ae.decoder(gen(torch.randn(b, 128))))
        g_loss = critic(generated).mean()
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        g_loss.item()

    yield ("train step", time_steps(step, measured_steps("corgan")))
    gen.eval()
    ae.eval()
    yield generation("corgan", 10_000, runs, lambda n: sample_records(n, 1_000, lambda b: torch.sigmoid(ae.decoder(gen(torch.randn(b, 128))))))


# ---------------------------------------------------------------- EHRDiff (EDM) and DDPM

def lr_warmup_cosine(step, total, warmup, peak):
    """LearningRateSchedule.WarmupCosine's shape (the cost is what matters: one assignment per group per step)."""
    if step <= warmup:
        return peak * step / max(1, warmup)
    return 0.5 * peak * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def diffusion(edm, runs):
    net, ema = M.Denoiser(CODES), M.Denoiser(CODES)
    ema.load_state_dict(net.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(net.parameters(), 3e-4, weight_decay=0)
    steps = measured_steps("ehrdiff" if edm else "ddpm")
    data = batches(mimic_scale(1_024 * (steps + 4)), 1_024)
    sd = 0.14
    total, counter = steps + 4, [0]

    def denoise(model, x, sigma):                                       # EhrDiffGenerator.Denoise
        s2 = sigma.square() + sd * sd                                   # [B, 1]
        return (sd * sd / s2) * x + (sigma * sd / s2.sqrt()) * model(s2.rsqrt() * x, sigma.log().flatten() / 4)

    betas = torch.linspace(1e-4, 0.02, 1_000, dtype=torch.float64)
    alpha_bars = torch.cumprod(1 - betas, 0)
    sqrt_ab, sqrt_1mab = alpha_bars.sqrt().float(), (1 - alpha_bars).sqrt().float()

    def loss_of(x):
        if edm:
            sigma = (torch.randn(x.shape[0], 1) * 1.2 - 1.2).exp()      # [B, 1]
            denoised = denoise(net, x + torch.randn_like(x) * sigma, sigma)
            weight = (sigma.square() + sd * sd) / (sigma * sd).square()
            return (weight * (denoised - x).square()).mean()
        x0 = x * 2 - 1                                                  # [B, D] in {−1, 1}
        t = torch.randint(0, 1_000, (x.shape[0],))
        eps = torch.randn_like(x)
        xt = sqrt_ab[t].unsqueeze(1) * x0 + sqrt_1mab[t].unsqueeze(1) * eps
        return (net(xt, t) - eps).square().mean()

    def step():
        counter[0] += 1
        lr = lr_warmup_cosine(counter[0], total, round(total * 20_000 / 230_000), 3e-4)
        for g in opt.param_groups:
            g["lr"] = lr
        net.train()
        loss = loss_of(next(data))
        opt.zero_grad()
        loss.backward()
        opt.step()
        M.ema_update_(ema, net, min(0.999, (1.0 + counter[0] - 1) / (10.0 + counter[0] - 1)))
        loss.item()

    yield ("train step", time_steps(step, steps))
    ema.eval()

    def heun(b):                                                        # EhrDiffGenerator.SampleValues, no churn
        steps, smin, smax, rho = 32, 0.02, 80.0, 7.0
        a, c = smax ** (1 / rho), smin ** (1 / rho)
        levels = [(a + i / (steps - 1) * (c - a)) ** rho for i in range(steps)] + [0.0]
        x = torch.randn(b, CODES) * levels[0]
        for i in range(steps):
            t_cur, t_next = levels[i], levels[i + 1]
            d_cur = (x - denoise(ema, x, torch.full((b, 1), t_cur))) / t_cur
            x_next = x + d_cur * (t_next - t_cur)
            if i < steps - 1:
                d_prime = (x_next - denoise(ema, x_next, torch.full((b, 1), t_next))) / t_next
                x_next = x + (d_cur + d_prime) * (0.5 * (t_next - t_cur))
            x = x_next
        return x

    post_var = [0.0] + [float(betas[t] * (1 - alpha_bars[t - 1]) / (1 - alpha_bars[t])) for t in range(1, 1_000)]

    def ancestral(b):                                                   # DdpmGenerator.SampleValues, ancestral
        x = torch.randn(b, CODES)
        for t in reversed(range(1_000)):
            eps = ema(x, torch.full((b,), t, dtype=torch.int64))
            beta, ab = float(betas[t]), float(alpha_bars[t])
            mean = (x - eps * (beta / math.sqrt(1 - ab))) / math.sqrt(1 - beta)
            x = mean + torch.randn_like(x) * math.sqrt(post_var[t]) if t > 0 else mean
        return (x + 1) / 2

    sampler, count = (heun, 10_000) if edm else (ancestral, 1_000)
    yield generation("diffusion", count, runs, lambda n: sample_records(n, 1_000, sampler, threshold=0.5))


# ---------------------------------------------------------------- GPT-2

def gpt2(name, vocab, layers, c, heads, positions, batch, length, runs):
    torch.manual_seed(1)
    model = M.Gpt2LmHead(vocab, layers, c, heads, positions)
    opt = torch.optim.AdamW(model.parameters(), 5e-5, weight_decay=0)   # the library's AdamW default: no decay
    tokens = torch.randint(0, vocab, (batch, length + 1))
    model.train()

    def step():
        logits = model(tokens[:, :length])                              # [B, T, V]
        loss = F.cross_entropy(logits.flatten(0, 1), tokens[:, 1:].flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()

    yield ("train step", time_steps(step, measured_steps(name)))
    model.eval()
    prompt = torch.randint(0, vocab, (64, 8))

    def decode():
        with torch.no_grad():
            hs = c // heads
            caches = [(torch.zeros(64, heads, 8 + 64, hs), torch.zeros(64, heads, 8 + 64, hs)) for _ in range(layers)]
            nxt = model(prompt, caches, 0)[:, -1, :].argmax(1, keepdim=True)   # [B, 1]
            for t in range(1, 64):
                nxt = model(nxt, caches, 8 + t - 1)[:, -1, :].argmax(1, keepdim=True)
            return nxt.sum().item()

    decode()
    yield ("decode 64×64", time_runs(decode, runs))


def measure(name, runs):
    if name == "vae-conv":
        return vae(True, runs)
    if name == "vae-mlp":
        return vae(False, runs)
    if name == "medgan":
        return medgan(runs)
    if name == "corgan":
        return corgan(runs)
    if name == "ehrdiff":
        return diffusion(True, runs)
    if name == "ddpm":
        return diffusion(False, runs)
    if name == "gpt2-distil":
        return gpt2(name, 50_257, 6, 768, 12, 1_024, 8, 64, runs)
    if name == "gpt2-tiny":
        return gpt2(name, 1_100, 2, 128, 4, 128, 256, 32, runs)
    raise SystemExit(f"unknown case {name!r}; known: {', '.join(CASES)}")


def loaded_blas():
    """The BLAS library this process really loaded (Debian picks it through update-alternatives)."""
    torch.randn(64, 64) @ torch.randn(64, 64)
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower()}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "none found"


def profile_vae_conv():
    """The stages of the conv VAE's generation at batch 1,000, as SideBySide.ProfileConvDecoder times them."""
    torch.manual_seed(1)
    vae = M.ConvVae(CODES).eval()
    with torch.no_grad():
        z = torch.randn(1_000, 128)
        h0 = F.relu(vae.fc(z)).view(-1, 128, vae.l2)
        h1 = F.relu(vae.deconv1(h0)[:, :, :vae.l1])
        logits = vae.decode(z)
        p = torch.sigmoid(logits)
        stages = [("fc + relu", lambda: F.relu(vae.fc(z))), ("deconv1 128→128 + relu", lambda: F.relu(vae.deconv1(h0))),
                  ("deconv2 128→1", lambda: vae.deconv2(h1)), ("whole decoder", lambda: vae.decode(z)),
                  ("sigmoid", lambda: torch.sigmoid(logits)), ("bernoulli", lambda: torch.bernoulli(p)),
                  ("nonzero", lambda: torch.bernoulli(p).nonzero())]
        for name, run in stages:
            times = []
            for i in range(12):
                start = time.perf_counter()
                run()
                if i >= 2:
                    times.append(time.perf_counter() - start)
            print(f"{name:<24} {statistics.median(times) * 1e3:9.2f} ms")


def main():
    if "--profile-vae-conv" in sys.argv:
        torch.set_num_threads(2)
        return profile_vae_conv()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    blas = loaded_blas()
    if "openblas" not in blas.lower():
        print(f"bench.py: warning: PyTorch did not load OpenBLAS ({blas}); Debian's reference BLAS is ~15x slower and "
              "makes every ratio meaningless. Install libopenblas0-pthread.", file=sys.stderr)
    results = []
    for name in [c for c in CASES if c in args.cases.split(",")]:
        start = time.perf_counter()
        for measure_name, seconds in measure(name, args.runs):
            print(f"{name:<12} {measure_name:<14} {seconds * 1e3:12.1f} ms", flush=True)
            results.append({"case": name, "measure": measure_name, "seconds": seconds})
        print(f"// {name}: {time.perf_counter() - start:.0f} s", flush=True)
    blas = loaded_blas()
    with open(args.output, "w") as f:
        json.dump({"side": "pytorch", "runtime": f"PyTorch {torch.__version__}, BLAS {blas}", "threads": torch.get_num_threads(),
                   "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
