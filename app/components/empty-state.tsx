import Link from 'next/link';

export function EmptyState({ title, children, action }: { title: string; children: React.ReactNode; action?: { href: string; label: string } }) {
  return (
    <div className="card border-dashed text-center" role="status">
      <p className="font-semibold">{title}</p>
      <div className="mt-1 text-sm text-slate-600">{children}</div>
      {action && (
        <Link href={action.href} className="btn mt-3">
          {action.label}
        </Link>
      )}
    </div>
  );
}
