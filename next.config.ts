import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Native addons stay outside the bundle. TF.js is not part of the web server at all: it
  // runs the ONNX graphs exported at start (see server/inference/segmenter.ts).
  serverExternalPackages: ['onnxruntime-node', 'sharp', 'pg-boss'],
  experimental: { serverActions: { bodySizeLimit: '12mb' } },
  // The checkout is the root, whatever lies around it: left to infer it, Next took a
  // package-lock.json in an enclosing folder for the workspace root and the build then
  // failed on files outside it.
  turbopack: { root: process.cwd() },
};

export default nextConfig;
