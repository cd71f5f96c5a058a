import Link from 'next/link';
import { getSystemSummary } from '@/server/dashboard/get-system-summary';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const summary = await getSystemSummary();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Leaderboard</h1>
      <p data-testid="summary">{summary.checkpoints} checkpoints · {summary.evaluations} evaluations</p>
      <Link className="link" href="/system">System</Link>
    </div>
  );
}
