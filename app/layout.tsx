import type { Metadata } from 'next';
import Link from 'next/link';
import './globals.css';

export const metadata: Metadata = {
  title: 'PixelDrive — road-scene segmentation, measured honestly',
  description: 'Evaluate and compare U-Net, SegNet and DeepLabV3+ on CARLA driving frames.',
};

const NAV = [
  { href: '/', label: 'Leaderboard' },
  { href: '/classes', label: 'Classes' },
  { href: '/images', label: 'Images' },
  { href: '/datasets', label: 'Datasets' },
  { href: '/runs', label: 'Runs' },
  { href: '/experiments', label: 'Experiments' },
  { href: '/compare', label: 'Compare' },
  { href: '/robustness', label: 'Robustness' },
  { href: '/playground', label: 'Playground' },
  { href: '/models', label: 'Models' },
];

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="text-lg font-bold tracking-tight text-slate-900">
              Pixel<span className="text-indigo-600">Drive</span>
            </Link>
            <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
              {NAV.map((n) => (
                <li key={n.href}>
                  <Link href={n.href} className="text-slate-600 hover:text-slate-900">
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
