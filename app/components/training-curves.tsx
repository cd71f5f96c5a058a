'use client';

import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CLASSES } from '@/models/classes';

interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valMiou: number;
  perClassIou: (number | null)[];
}

export function TrainingCurves({ epochs }: { epochs: EpochPoint[] }) {
  const [view, setView] = useState<'loss' | 'miou' | 'classes'>('loss');
  const data = epochs.map((e) => ({
    epoch: e.epoch,
    'train loss': +e.trainLoss.toFixed(4),
    'val loss': +e.valLoss.toFixed(4),
    'selection mIoU': +(e.valMiou * 100).toFixed(2),
    ...Object.fromEntries(CLASSES.map((c) => [c.name, e.perClassIou[c.id] === null ? null : +((e.perClassIou[c.id] as number) * 100).toFixed(2)])),
  }));
  const lines =
    view === 'loss'
      ? [
          { key: 'train loss', color: '#4f46e5' },
          { key: 'val loss', color: '#d97706' },
        ]
      : view === 'miou'
        ? [{ key: 'selection mIoU', color: '#0d9488' }]
        : CLASSES.map((c) => ({ key: c.name, color: c.color }));
  return (
    <div>
      <div role="tablist" aria-label="Training curve" className="mb-2 flex gap-2 text-sm">
        {(['loss', 'miou', 'classes'] as const).map((v) => (
          <button key={v} role="tab" aria-selected={view === v} className={view === v ? 'btn !py-1' : 'btn-secondary !py-1'} onClick={() => setView(v)}>
            {v === 'loss' ? 'Loss' : v === 'miou' ? 'Selection mIoU' : 'Per-class IoU'}
          </button>
        ))}
      </div>
      <div style={{ width: '100%', height: 300 }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, left: 0, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="epoch" tick={{ fontSize: 12 }} label={{ value: 'epoch', position: 'insideBottomRight', offset: -4, fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} domain={view === 'loss' ? ['auto', 'auto'] : [0, 100]} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {lines.map((l) => (
              <Line key={l.key} type="monotone" dataKey={l.key} stroke={l.color} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
