'use client';

import { CartesianGrid, ComposedChart, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis, Bar, Legend } from 'recharts';

interface ReliabilityPoint {
  lower: number;
  upper: number;
  pixels: number;
  confidence: number | null;
  accuracy: number | null;
}

/** Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration; bars show each bin's share of pixels. */
export function ReliabilityDiagram({ bins }: { bins: ReliabilityPoint[] }) {
  const total = bins.reduce((s, b) => s + b.pixels, 0) || 1;
  const data = bins.map((b) => ({
    bin: +(((b.lower + b.upper) / 2) * 100).toFixed(1),
    accuracy: b.accuracy === null ? null : +(b.accuracy * 100).toFixed(2),
    confidence: b.confidence === null ? null : +(b.confidence * 100).toFixed(2),
    'share of pixels': +((b.pixels / total) * 100).toFixed(2),
  }));
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="reliability-diagram">
      <ResponsiveContainer>
        <ComposedChart data={data} margin={{ top: 8, right: 16, left: 0, bottom: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="bin"
            type="number"
            domain={[0, 100]}
            ticks={[0, 20, 40, 60, 80, 100]}
            tick={{ fontSize: 12 }}
            label={{ value: 'confidence (%)', position: 'insideBottom', offset: -8, fontSize: 12 }}
          />
          <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} label={{ value: '%', angle: -90, position: 'insideLeft', fontSize: 12 }} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" />
          <ReferenceLine
            segment={[
              { x: 0, y: 0 },
              { x: 100, y: 100 },
            ]}
            stroke="#94a3b8"
            strokeDasharray="4 4"
          />
          <Bar dataKey="share of pixels" fill="#cbd5e1" barSize={14} isAnimationActive={false} />
          <Line dataKey="accuracy" stroke="#4f46e5" strokeWidth={2} isAnimationActive={false} connectNulls />
          <Scatter dataKey="confidence" fill="#d97706" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

interface CoveragePoint {
  threshold: number;
  coverage: number | null;
  miou: number | null;
}

/** mIoU of the pixels kept against the share kept, when pixels below a confidence threshold are abstained. */
export function CoverageCurve({ points }: { points: CoveragePoint[] }) {
  const data = points
    .filter((p) => p.coverage !== null && p.coverage > 0)
    .map((p) => ({
      coverage: +((p.coverage as number) * 100).toFixed(2),
      'mIoU of kept pixels': p.miou === null ? null : +(p.miou * 100).toFixed(2),
      threshold: p.threshold,
    }))
    .sort((a, b) => a.coverage - b.coverage);
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="coverage-curve">
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 16, left: 0, bottom: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="coverage"
            type="number"
            domain={[0, 100]}
            tick={{ fontSize: 12 }}
            label={{ value: 'coverage: pixels kept (%)', position: 'insideBottom', offset: -8, fontSize: 12 }}
          />
          <YAxis domain={[0, 100]} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Line dataKey="mIoU of kept pixels" stroke="#0d9488" strokeWidth={2} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
