/** Next.js start-up hook: refuse an unprotected public binding, then warm the inference sessions in the web server (the playground runs there). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // `npm start` refuses before anything starts; this catches `next start` run by hand with HOST set.
  (await import('./server/access/access-policy')).exitIfUnprotectedBinding();
  if (!process.env.DATABASE_URL) return;
  const { warmSegmenters } = await import('./server/inference/warm-segmenters');
  void warmSegmenters().catch((e: Error) => console.warn(`[inference] warm-up skipped: ${e.message}`));
}
