'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CLASSES } from '@/models/classes';

const SPLIT_COLORS: Record<string, string> = { train: '#4f46e5', val: '#0d9488', test: '#d97706' };

/** Share of labelled pixels per class (percent), one bar per split: how imbalanced the data is, and whether the splits agree. */
export function ClassShareChart({ splits, height = 320 }: { splits: { split: string; pixels: number[] }[]; height?: number }) {
  const data = CLASSES.map((c) => {
    const row: Record<string, number | string> = { name: c.name };
    for (const s of splits) {
      const total = s.pixels.reduce((a, b) => a + b, 0);
      row[s.split] = total ? +((100 * s.pixels[c.id]) / total).toFixed(3) : 0;
    }
    return row;
  });
  return (
    <figure aria-label="Class pixel share per split">
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 48 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" angle={-35} textAnchor="end" interval={0} height={60} tick={{ fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} label={{ value: '% of labelled pixels', angle: -90, position: 'insideLeft', fontSize: 12 }} />
            <Tooltip formatter={(v) => `${v}%`} />
            <Legend verticalAlign="top" />
            {splits.map((s) => (
              <Bar key={s.split} dataKey={s.split} name={s.split} fill={SPLIT_COLORS[s.split]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
