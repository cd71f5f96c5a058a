import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Native addons stay outside the bundle. TF.js is not part of the web server at all: it
  // runs the ONNX graphs exported at start (see server/inference/segmenter.ts).
  serverExternalPackages: ['onnxruntime-node', 'sharp', 'pg-boss'],
  experimental: { serverActions: { bodySizeLimit: '12mb' } },
};

export default nextConfig;
