/** Next.js start-up hook: warm the inference sessions in the web server (the playground runs there). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || !process.env.DATABASE_URL) return;
  const { warmSegmenters } = await import('./server/inference/warm-segmenters');
  void warmSegmenters().catch((e: Error) => console.warn(`[inference] warm-up skipped: ${e.message}`));
}
