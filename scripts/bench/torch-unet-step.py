"""The U-Net training step of PixelDrive written in PyTorch, for `npm run bench -- --only training`.

A peer for measurement only (Debian's python3-torch); PixelDrive never depends on it. Same
network (batch-normalised U-Net, bilinear half-pixel upsampling, concat skips, 1x1 head),
class-weighted cross-entropy with ignore 255, AdamW; 2 threads like the ORT engine.
Prints one JSON line: [{setting, secondsPerStep}]. `--device cuda` runs the same step on a GPU
(the peer of scripts/device/gpu-training-check.ts on a lent GPU machine).
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument('--device', default='cpu')
device = torch.device(parser.parse_args().device)
torch.set_num_threads(2)
torch.manual_seed(0)
sync = torch.cuda.synchronize if device.type == 'cuda' else (lambda: None)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o, eps=1e-3), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.enc, c = nn.ModuleList(), 3
        for i in range(4):
            self.enc.append(nn.Sequential(block(c, w * 2**i), block(w * 2**i, w * 2**i)))
            c = w * 2**i
        self.mid = nn.Sequential(block(c, w * 16), block(w * 16, w * 16))
        self.dec, c = nn.ModuleList(), w * 16
        for i in range(3, -1, -1):
            self.dec.append(nn.Sequential(block(c + w * 2**i, w * 2**i), block(w * 2**i, w * 2**i)))
            c = w * 2**i
        self.head = nn.Conv2d(c, 13, 1)

    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.mid(x)
        for d, s in zip(self.dec, reversed(skips)):
            x = d(torch.cat([F.interpolate(x, size=s.shape[2:], mode='bilinear', align_corners=False), s], 1))
        return self.head(x)


out = []
for width, h, w in [(8, 128, 128), (16, 192, 256)]:
    model = UNet(width).to(device)
    opt = torch.optim.AdamW(model.parameters(), 1e-4)
    x, y = torch.randn(8, 3, h, w, device=device), torch.randint(0, 13, (8, h, w), device=device)
    weights = torch.ones(13, device=device)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y, weight=weights, ignore_index=255).backward()
        opt.step()
        sync()

    for _ in range(3):
        step()
    sync()
    times = []
    for _ in range(10):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    out.append({'setting': f'w{width} b8 {w}×{h}', 'secondsPerStep': round(sorted(times)[len(times) // 2], 3)})
print(json.dumps(out))
