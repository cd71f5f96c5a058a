export function benchDashboardTargets(checkpointId: string, valRunId: string) {
  return [
    { page: 'leaderboard', url: '/' },
    { page: 'model page', url: `/models/${checkpointId}` },
    { page: 'class page', url: '/classes/7' },
    { page: 'leaderboard, sliced (frames 0–239)', url: '/?dataset=carla-drive&split=val&from=0&to=239' },
    { page: 'leaderboard, sliced (Car present)', url: '/?dataset=carla-drive&split=val&has=10' },
    { page: 'confusion cell (Sidewalk → Road)', url: `/models/${checkpointId}/confusion?run=${valRunId}&truth=8&pred=7` },
  ];
}
