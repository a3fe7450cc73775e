/** Example bodies shown in the OpenAPI document of the ops routes. */
export const OVERVIEW_EXAMPLE = {
  generatedAt: '2026-03-02T02:15:00.000Z',
  agencies: [
    {
      code: '000.00.53.H48',
      name: 'UBND phường Hải Châu',
      kind: 'rest',
      circuit: 'closed',
      paused: false,
      queue: { waiting: 2, active: 1, delayed: 0, failed: 0, paused: 0 },
      deadLetters: 1,
      lastSuccessAt: '2026-03-02T02:14:51.000Z',
      latencyMs: { p50: 180, p95: 950 },
      onTimeRate: 0.94,
      late: 3,
      poll: {
        state: 'stale',
        healthy: false,
        intervalMs: 60000,
        lastSuccessAt: '2026-03-02T01:50:12.000Z',
        lastSuccessVia: 'poll',
        lastFailureAt: null,
        consecutiveFailures: 0,
        lastError: null,
        reason:
          'no successful poll or callback since 2026-03-02T01:50:12.000Z (limit 5 intervals of 60000 ms)',
      },
      probe: { operation: null, fallback: 'lookup' },
      level: 'commune',
      parentCode: '000.00.00.H48',
      province: '48',
    },
  ],
  page: { page: 1, pageSize: 50, total: 1, pages: 1 },
  provinces: [{ province: '48', agencies: 1 }],
  totals: {
    agencies: 1,
    circuitsOpen: 0,
    paused: 0,
    queue: { waiting: 2, active: 1, delayed: 0, failed: 0, paused: 0 },
    deadLetters: 1,
    late: 3,
    pollUnhealthy: 1,
    unroutableEvents: 0,
  },
  parked: { count: 2, oldestParkedAt: '2026-03-01T20:03:00.000Z' },
};

export const DEAD_LETTER_GROUPS_EXAMPLE = [
  {
    signature: 'PERMANENT: agency refused the dossier: "…" (HTTP <n>)',
    errorCode: 'PERMANENT',
    count: 4,
    agencies: ['000.00.53.H48'],
    firstAt: '2026-03-01T08:00:00.000Z',
    lastAt: '2026-03-02T01:30:00.000Z',
    examples: [
      {
        id: '0d5b3c1e-8a41-4f7e-9b2a-3c6d1e2f4a5b',
        agencyCode: '000.00.53.H48',
        dossierId: '7f3c2a10-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
        operation: 'submit-dossier',
        reason: 'agency refused the dossier: "Thiếu tờ khai" (HTTP 422)',
        attempts: 1,
        createdAt: '2026-03-02T01:30:00.000Z',
      },
    ],
  },
];

export const LATE_EXAMPLE = {
  generatedAt: '2026-03-02T02:15:00.000Z',
  agencies: [
    {
      code: '000.00.53.H48',
      name: 'UBND phường Hải Châu',
      late: 1,
      dossiers: [
        {
          id: '7f3c2a10-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
          inboundItemId: 'EC136431858VN',
          agencyDossierCode: '000.00.53.H48-260225-0042',
          procedureCode: '1.001612',
          status: 'processing',
          appointmentDate: '2026-02-27T17:00:00.000Z',
          daysLate: 2,
        },
      ],
    },
  ],
};
