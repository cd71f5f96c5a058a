export function benchDashboardTargets(checkpointId: string) {
  return [
    { page: 'leaderboard', url: '/' },
    { page: 'model page', url: `/models/${checkpointId}` },
    { page: 'class page', url: '/classes/7' },
  ];
}
