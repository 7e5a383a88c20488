/**
 * Who may do what in the admin pages. The table is data: every page and every action names the
 * permission it needs, and the shell refuses a request whose role lacks it (the menu only hides
 * what the role cannot reach; hiding is not the guard).
 */
export const ROLES = ['admin', 'support', 'accounting'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'orders.read',
  'orders.check',
  'orders.cancel',
  'orders.refund',
  'orders.adjust',
  'orders.link',
  'orders.delivery',
  'orders.review',
  'tasks.read',
  'tasks.work',
  'reconciliation.read',
  'reconciliation.import',
  'diagnostics.read',
  'diagnostics.resend',
  'settings.read',
  'settings.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const SUPPORT: readonly Permission[] = [
  'orders.read',
  'orders.check',
  'orders.cancel',
  'orders.refund',
  'orders.adjust',
  'orders.link',
  'orders.delivery',
  'orders.review',
  'tasks.read',
  'tasks.work',
  'diagnostics.read',
];

// Accounting reconciles and refunds; it does not run the order's fulfilment.
const ACCOUNTING: readonly Permission[] = [
  'orders.read',
  'orders.check',
  'orders.refund',
  'tasks.read',
  'tasks.work',
  'reconciliation.read',
  'reconciliation.import',
  'diagnostics.read',
];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  support: new Set(SUPPORT),
  accounting: new Set(ACCOUNTING),
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}
