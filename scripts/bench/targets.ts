import type { DashboardSeed } from './dashboard.ts';

/**
 * Every page of the dashboard, and the images the pixel views draw, at the seeded scale: the
 * dashboard table in docs/performance.md is this list. The pixel views' images are drawn on demand and
 * cached; the warm-up requests fill those caches, as a user's first look would.
 */
export function benchDashboardTargets(s: DashboardSeed) {
  const pair = `a=${s.valRunId}&b=${s.otherValRunId}`;
  const val = 'dataset=carla-drive&split=val';
  return [
    { page: 'leaderboard', url: '/' },
    { page: 'leaderboard, sliced (frames 0–239)', url: `/?${val}&from=0&to=239` },
    { page: 'leaderboard, sliced (Car present)', url: `/?${val}&has=10` },
    {
      page: `leaderboard, sliced (brightness ${s.brightRange.min}–${s.brightRange.max})`,
      url: `/?${val}&brightMin=${s.brightRange.min}&brightMax=${s.brightRange.max}`,
    },
    { page: 'leaderboard, saved filter', url: `/?filter=${s.filterId}` },
    { page: 'model page', url: `/models/${s.checkpointId}` },
    { page: 'confusion cell (Sidewalk → Road)', url: `/models/${s.checkpointId}/confusion?run=${s.valRunId}&truth=8&pred=7` },
    { page: 'confusion cell image (PNG)', url: `/api/predictions/${s.predictionId}/confusion?truth=8&pred=7` },
    { page: 'compare two runs', url: `/compare?${pair}` },
    { page: 'disagreement view', url: `/compare/disagreement?${pair}` },
    { page: 'disagreement view, one class (Car)', url: `/compare/disagreement?${pair}&class=10` },
    { page: 'disagreement map (PNG)', url: `/api/compare/disagreement?${pair}&image=${s.imageId}` },
    { page: 'classes', url: '/classes' },
    { page: 'class page', url: '/classes/7' },
    { page: 'images', url: '/images' },
    { page: 'image page', url: `/images/${s.imageId}` },
    { page: 'prediction mask (PNG)', url: `/api/predictions/${s.predictionId}` },
    { page: 'datasets', url: '/datasets' },
    { page: 'dataset page', url: `/datasets/${s.datasetId}` },
    { page: 'runs', url: '/runs' },
    { page: 'experiments', url: '/experiments' },
    { page: 'experiments, two runs overlaid', url: `/experiments?${s.experimentRunIds.map((id) => `run=${id}`).join('&')}` },
    { page: 'run quality', url: `/runs/${s.valRunId}/quality` },
    { page: 'robustness', url: '/robustness' },
    { page: 'models', url: '/models' },
    { page: 'playground', url: '/playground' },
    { page: 'system', url: '/system' },
    { page: 'API: runs', url: '/api/runs' },
    { page: 'API: leaderboard export (CSV)', url: `/api/export/leaderboard?${val}&format=csv` },
  ];
}
