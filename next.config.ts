import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';

/**
 * No other site may frame the app (a framed page could have a signed-in user click "Start
 * training" or "Delete"), and the page loads nothing from elsewhere. Next's streamed pages
 * carry inline scripts and the charts set inline styles, hence 'unsafe-inline' for both;
 * the development server also evaluates code for hot reload.
 */
function securityHeaders(dev: boolean): { key: string; value: string }[] {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return [
    { key: 'Content-Security-Policy', value: csp },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
  ];
}

export default function nextConfig(phase: string): NextConfig {
  return {
    reactStrictMode: true,
    // Native addons stay outside the bundle. TF.js is not part of the web server at all: it
    // runs the ONNX graphs exported at start (see server/inference/segmenter.ts).
    serverExternalPackages: ['onnxruntime-node', 'sharp', 'pg-boss'],
    experimental: { serverActions: { bodySizeLimit: '12mb' } },
    // The checkout is the root, whatever lies around it: left to infer it, Next took a
    // package-lock.json in an enclosing folder for the workspace root and the build then
    // failed on files outside it.
    turbopack: { root: process.cwd() },
    headers: async () => [{ source: '/:path*', headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }],
  };
}
