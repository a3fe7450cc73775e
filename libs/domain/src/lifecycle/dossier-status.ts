/** Every status a dossier can be in (docs/architecture.md describes the lifecycle). */
export const DOSSIER_STATUSES = [
  'collected',
  'submitted',
  'received',
  'processing',
  'supplement_requested',
  'rejected',
  'result_ready',
  'result_collected',
  'delivered',
  'delivery_failed',
  'completed',
  'cancelled',
] as const;

export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** Statuses after which nothing moves the dossier again. */
export const TERMINAL_STATUSES: ReadonlySet<DossierStatus> = new Set(['completed', 'rejected', 'cancelled']);

export function isDossierStatus(value: unknown): value is DossierStatus {
  return typeof value === 'string' && (DOSSIER_STATUSES as readonly string[]).includes(value);
}

/**
 * The national public-service portal's status codes (codes 1–10): every vendor maps onto these,
 * so reports to the portal and to provinces speak them.
 */
export const PORTAL_STATUS_CODES = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
} as const;

export type PortalStatusCode = keyof typeof PORTAL_STATUS_CODES;

/** Canonical status → the portal code a province reports it as. */
export const PORTAL_CODE_OF_STATUS: Record<DossierStatus, PortalStatusCode> = {
  collected: 1,
  submitted: 1,
  received: 2,
  rejected: 3,
  processing: 4,
  supplement_requested: 5,
  result_ready: 9,
  result_collected: 9,
  delivery_failed: 9,
  delivered: 10,
  completed: 10,
  cancelled: 7,
};

/**
 * Portal code → the canonical status an agency report means. Code 6 (financial obligation)
 * keeps the dossier in processing; 7 (withdrawn) and 8 (stopped) cancel it.
 */
export const STATUS_OF_PORTAL_CODE: Record<PortalStatusCode, DossierStatus> = {
  1: 'submitted',
  2: 'received',
  3: 'rejected',
  4: 'processing',
  5: 'supplement_requested',
  6: 'processing',
  7: 'cancelled',
  8: 'cancelled',
  9: 'result_ready',
  10: 'completed',
};
